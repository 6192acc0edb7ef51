"""The documents API: scoped list and detail with `pdf_url`, downloads, a draft refused naming the field, the
head signing with their own key, sending, registering a PDF received by hand, 404 out of scope."""

from __future__ import annotations

import pytest
from django.test import Client

from phoihop.documents.models import Document

from .helpers import sent, token_for

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {token_for(user)}")


DRAFT = {
    "kind": "cong_van",
    "summary": "Đề nghị cung cấp thông tin thuê bao",
    "body": "Đề nghị cung cấp thông tin chủ thuê bao 0912 345 678./.",
    "recipients": ["st-viettel", "st-police"],
    "urgency": "khan",
    "signer_position": "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
    "drafting_unit": "TTra",
}


def test_draft_submit_sign_send_by_api(people, demo_keys):
    focal, head = api(people["dic_focal"]), api(people["dic_head"])
    made = focal.post("/api/v1/documents/", DRAFT, content_type="application/json")
    assert made.status_code == 201, made.content
    doc = made.json()
    assert doc["status"] == "draft" and doc["pdf_url"] is None and doc["moves"] == ["submit"]
    assert [r["organisation"] for r in doc["recipients"]] == ["st-viettel", "st-police"]
    url = f"/api/v1/documents/{doc['id']}/moves/"
    assert focal.post(url + "submit/", {}, content_type="application/json").status_code == 200
    refused = focal.post(url + "sign/", {}, content_type="application/json")
    assert refused.status_code == 403 and refused["Content-Type"] == "application/problem+json"
    signed = head.post(url + "sign/", {}, content_type="application/json")
    assert signed.status_code == 200, signed.content
    body = signed.json()
    assert body["reference"] == "1/STTTT-TTra" and body["pdf_url"].endswith(f"/api/v1/documents/{doc['id']}/pdf/")
    done = head.post(url + "send/", {}, content_type="application/json").json()
    assert done["status"] == "sent" and done["verdict"] == "valid" and done["verification"]["trust"] == "trusted"
    pdf = focal.get(f"/api/v1/documents/{doc['id']}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    docx = focal.get(f"/api/v1/documents/{doc['id']}/docx/")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    # The carrier sees it once sent, with its arrival number; another carrier does not.
    mine = api(people["viettel"]).get(f"/api/v1/documents/{doc['id']}/").json()
    assert [r["incoming_number"] for r in mine["recipients"] if r["organisation"] == "st-viettel"] == [1]
    assert api(people["vnpt"]).get(f"/api/v1/documents/{doc['id']}/").status_code == 404
    assert api(people["vnpt"]).get(f"/api/v1/documents/{doc['id']}/pdf/").status_code == 404


def test_a_draft_without_a_decree_30_field_is_a_400_naming_it(people):
    client = api(people["dic_focal"])
    for field in ("summary", "signer_position", "body"):
        answer = client.post("/api/v1/documents/", {**DRAFT, field: ""}, content_type="application/json")
        assert answer.status_code == 400 and field in answer.json()["errors"], answer.content
    unknown = client.post(
        "/api/v1/documents/", {**DRAFT, "recipients": ["st-nowhere"]}, content_type="application/json"
    )
    assert unknown.status_code == 400 and "recipients" in unknown.json()["errors"]
    assert not Document.objects.exists()


def test_signing_without_a_key_is_a_409_naming_the_organisation(people, var_dir):
    focal, head = api(people["dic_focal"]), api(people["dic_head"])
    doc = focal.post("/api/v1/documents/", DRAFT, content_type="application/json").json()
    focal.post(f"/api/v1/documents/{doc['id']}/moves/submit/", {}, content_type="application/json")
    answer = head.post(f"/api/v1/documents/{doc['id']}/moves/sign/", {}, content_type="application/json")
    assert answer.status_code == 409
    assert "Sở Thông tin và Truyền thông tỉnh Sóc Trăng" in answer.json()["detail"]


def test_list_is_scoped_and_filtered(people, demo_keys):
    doc = sent(people["dic_focal"], people["dic_head"], recipients=("st-police",))
    ids = [d["id"] for d in api(people["police_focal"]).get("/api/v1/documents/").json()["results"]]
    assert ids == [doc.pk]
    assert api(people["viettel"]).get("/api/v1/documents/").json()["results"] == []
    assert api(people["police_focal"]).get("/api/v1/documents/?kind=quyet_dinh").json()["results"] == []
    assert api(people["police_focal"]).get("/api/v1/documents/?kind=nope").status_code == 400


def test_register_a_received_pdf_by_api(people, demo_keys):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = bytes(sent(people["dic_focal"], people["dic_head"], recipients=("st-police",)).pdf)
    client = api(people["doit_focal"])
    answer = client.post(
        "/api/v1/documents/incoming/",
        {
            "file": SimpleUploadedFile("cv.pdf", pdf),
            "kind": "cong_van",
            "reference": "1/STTTT-TTra",
            "summary": "Bản sao",
            "issuer": "st-dic",
        },
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["verdict"] == "valid" and answer.json()["origin"] == "paper"
    png = SimpleUploadedFile("cv.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    refused = client.post(
        "/api/v1/documents/incoming/",
        {"file": png, "kind": "cong_van", "reference": "1/X", "summary": "x", "issuer": "st-dic"},
    )
    assert refused.status_code == 400 and "file" in refused.json()["errors"]
