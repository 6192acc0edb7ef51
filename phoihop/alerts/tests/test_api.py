"""The advisories API by token: list, one, create and send, acknowledge; out of scope is a 404; refusals named."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from phoihop.alerts.models import Advisory
from phoihop.audit.models import AuditEvent
from phoihop.audit.services import SYSTEM
from phoihop.directory.choices import Role
from phoihop.directory.models import Organisation, User
from phoihop.directory.services import api_token_issue

from .factories import advisory_to_carriers

pytestmark = pytest.mark.django_db


def client_of(code: str, role: str | None = None) -> APIClient:
    token, key = api_token_issue(organisation=Organisation.objects.get(code=code), name="test", ctx=SYSTEM)
    if role:
        User.objects.filter(pk=token.user_id).update(role=role)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


BODY = {
    "kind": "crime_method",
    "title": "Giả danh nhân viên nhà mạng khoá SIM",
    "method": "Gọi điện báo SIM sắp bị khoá, yêu cầu cung cấp mã OTP.",
    "types": ["enterprise:telecom"],
    "indicators": ["0912 345 678"],
    "send": True,
}


def test_create_send_and_acknowledge_by_api(cast):
    police = client_of("st-police", Role.FOCAL_POINT)
    response = police.post("/api/v1/advisories/", BODY, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    reference = body["reference"]
    assert body["status"] == "sent" and body["recipients_total"] >= 3 and body["recipients_acknowledged"] == 0
    assert response["Location"] == f"/api/v1/advisories/{reference}/"
    assert body["indicators"] == [{"kind": "phone", "value": "+84912345678"}]

    viettel = client_of("st-viettel")
    listed = viettel.get("/api/v1/advisories/").json()
    row = next(r for r in listed["results"] if r["reference"] == reference)
    assert row["acknowledged_at"] is None and row["recipients_total"] is None  # not the sender's counts
    acknowledged = viettel.post(f"/api/v1/advisories/{reference}/acknowledge/")
    assert acknowledged.status_code == 200 and acknowledged.json()["acknowledged_at"]
    again = viettel.post(f"/api/v1/advisories/{reference}/acknowledge/")
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    detail = police.get(f"/api/v1/advisories/{reference}/").json()
    status = {r["organisation"]: r["acknowledged_at"] for r in detail["recipients"]}
    assert status["st-viettel"] and status["st-vnpt"] is None


def test_refusals_by_api(cast):
    police = client_of("st-police", Role.FOCAL_POINT)
    bad = police.post("/api/v1/advisories/", {**BODY, "title": "", "types": []}, format="json")
    assert bad.status_code == 400 and "title" in bad.json()["errors"]
    nobody = police.post("/api/v1/advisories/", {**BODY, "types": ["no-such-type"]}, format="json")
    assert nobody.status_code == 400 and "types" in nobody.json()["errors"]
    carrier = client_of("st-viettel")
    assert carrier.post("/api/v1/advisories/", BODY, format="json").status_code == 403
    assert not Advisory.objects.exists()


def test_out_of_scope_is_404_and_restricted_reads_are_recorded(cast):
    restricted = advisory_to_carriers(cast.police_focal, access_level="restricted")
    border = client_of("st-border-guard")
    assert border.get(f"/api/v1/advisories/{restricted.reference}/").status_code == 404
    assert border.post(f"/api/v1/advisories/{restricted.reference}/acknowledge/").status_code == 404
    assert client_of("st-dic").get(f"/api/v1/advisories/{restricted.reference}/").status_code == 404
    viettel = client_of("st-viettel")
    assert viettel.get(f"/api/v1/advisories/{restricted.reference}/").status_code == 200
    event = AuditEvent.objects.get(action="advisory.view", object_id=str(restricted.pk))
    assert event.data["via"] == "api"
