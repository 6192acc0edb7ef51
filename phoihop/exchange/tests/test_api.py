"""The requests API: an agency sends a request with its token, an enterprise receives and answers it with its
own (text and files), the agency accepts; out of scope is a 404, refusals are problem details naming the field."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from phoihop.audit.services import SYSTEM
from phoihop.cases.tests.factories import make_cast, org
from phoihop.directory.choices import Role
from phoihop.directory.models import User
from phoihop.directory.services import api_token_issue
from phoihop.exchange.models import Request

from .factories import pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(db, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "api": "100000/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    make_cast()
    out = {}
    for code in ("st-dic", "st-viettel", "st-vnpt"):
        token, key = api_token_issue(organisation=org(code), name="test", ctx=SYSTEM)
        out[code] = key
        if code == "st-dic":  # the DIC's system acts as its focal point
            User.objects.filter(pk=token.user_id).update(role=Role.FOCAL_POINT)
    return out


def client(key: str) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return c


NEW = {
    "kind": "information",
    "recipients": ["st-viettel"],
    "subject": "Thông tin thuê bao số 0912 345 678",
    "article": "Đ11.8",
    "body": "Đề nghị cung cấp thông tin chủ thuê bao.",
    "send": True,
}


def test_an_enterprise_answers_an_information_request_with_its_token(keys):
    dic, viettel = client(keys["st-dic"]), client(keys["st-viettel"])
    created = dic.post("/api/v1/requests/", NEW, format="json")
    assert created.status_code == 201, created.content
    ref = created.json()["reference"]
    assert created.json()["status"] == "sent" and created.json()["due_date"]
    listed = viettel.get("/api/v1/requests/?box=to_answer").json()
    assert [r["reference"] for r in listed["results"]] == [ref]
    assert listed["results"][0]["recipients"][0]["moves"] == ["receive"]
    # answering before acknowledging receipt: refused for the state, nothing written
    early = viettel.post(f"/api/v1/requests/{ref}/answer/", {"text": "x"}, format="json")
    assert early.status_code == 409 and early["Content-Type"].startswith("application/problem+json")
    assert viettel.post(f"/api/v1/requests/{ref}/moves/receive/", {}, format="json").status_code == 200
    answered = viettel.post(
        f"/api/v1/requests/{ref}/answer/",
        {"text": "Chủ thuê bao: Nguyễn Văn A", "files": [pdf_file()]},
        format="multipart",
    )
    assert answered.status_code == 200, answered.content
    mine = answered.json()["recipients"][0]
    assert mine["status"] == "answered" and mine["answers"][0]["files"][0]["sha256"]
    url = mine["answers"][0]["files"][0]["url"]
    download = dic.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client(keys["st-vnpt"]).get(url).status_code == 404
    accepted = dic.post(f"/api/v1/requests/{ref}/moves/accept/", {"organisation": "st-viettel"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["recipients"][0]["status"] == "accepted"


def test_bad_input_is_a_problem_naming_the_field_and_nothing_is_written(keys):
    dic = client(keys["st-dic"])
    count = Request.objects.count()
    response = dic.post("/api/v1/requests/", {**NEW, "recipients": ["no-such-org"]}, format="json")
    assert response.status_code == 400 and "recipients" in response.json()["errors"]
    response = dic.post("/api/v1/requests/", {**NEW, "article": "Đ99"}, format="json")
    assert response.status_code == 400 and "article" in response.json()["errors"]
    response = dic.post("/api/v1/requests/", {**NEW, "due_date": "2000-01-01"}, format="json")
    assert response.status_code == 400 and "due_date" in response.json()["errors"]
    assert Request.objects.count() == count


def test_out_of_scope_is_a_404(keys):
    ref = client(keys["st-dic"]).post("/api/v1/requests/", NEW, format="json").json()["reference"]
    vnpt = client(keys["st-vnpt"])
    assert vnpt.get(f"/api/v1/requests/{ref}/").status_code == 404
    assert vnpt.post(f"/api/v1/requests/{ref}/moves/receive/", {}, format="json").status_code == 404
    assert vnpt.get("/api/v1/requests/").json()["count"] == 0


def test_an_enterprise_may_not_send_requests(keys):
    response = client(keys["st-viettel"]).post("/api/v1/requests/", {**NEW, "recipients": ["st-dic"]}, format="json")
    assert response.status_code == 403


def test_an_agency_answers_with_a_signed_reply_document_by_api(keys, demo_keys):
    from phoihop.directory.models import User
    from phoihop.documents.choices import DocumentKind

    from .factories import make_request, signed_document

    police = User.objects.get(username="police.focal")
    req = make_request(police, ["st-dic"], article="Đ5.5")
    letter = signed_document(
        User.objects.get(username="dic.focal"), User.objects.get(username="dic.head"), kind=DocumentKind.OFFICIAL_LETTER
    )
    dic = client(keys["st-dic"])
    assert dic.post(f"/api/v1/requests/{req.reference}/moves/receive/", {}, format="json").status_code == 200
    wrong = dic.post(
        f"/api/v1/requests/{req.reference}/answer/", {"text": "x", "reply_document": 999999}, format="json"
    )
    assert wrong.status_code == 400 and "reply_document" in wrong.json()["errors"]
    done = dic.post(
        f"/api/v1/requests/{req.reference}/answer/",
        {"text": "Công văn trả lời kèm theo", "reply_document": letter.pk},
        format="json",
    )
    assert done.status_code == 200, done.content
    reply = done.json()["recipients"][0]["answers"][0]["reply_document"]
    assert reply["id"] == letter.pk and reply["verdict"] == "valid"
