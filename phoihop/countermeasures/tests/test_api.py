"""The API flow of an enterprise's system with its token: list what is pending → acknowledge → report executed, with
retries answered 200 and nothing written twice; refusals as problem details; nothing visible outside the scope."""

from __future__ import annotations

import pytest
from django.test import Client

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import SYSTEM
from phoihop.cases.tests.factories import org
from phoihop.countermeasures.models import Countermeasure
from phoihop.directory.services import api_token_issue

from .conftest import request_block

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def _client(code: str) -> Client:
    _token, key = api_token_issue(organisation=org(code), name="he-thong-chan", ctx=SYSTEM)
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def _events(cm) -> int:
    return AuditEvent.objects.filter(object_type="countermeasures.countermeasure", object_id=str(cm.pk)).count()


def test_a_carrier_works_its_queue_by_api(world):
    cm = request_block(world)
    viettel = _client("st-viettel")
    listed = viettel.get("/api/v1/countermeasures/", {"queue": "incoming", "status": "pending"})
    assert listed.status_code == 200
    (item,) = listed.json()["results"]
    assert item["reference"] == cm.reference and item["status"] == "requested"
    assert item["value"] == {"kind": "phone", "value": "+84912345678"}
    assert item["target"]["code"] == "st-viettel" and item["requested_by"]["code"] == "st-dic"
    assert item["case"] is None  # the carrier sees the measure, not the case
    assert item["moves"] == ["acknowledge", "refuse"]

    url = f"/api/v1/countermeasures/{cm.reference}/"
    acked = viettel.post(url + "acknowledge/")
    assert acked.status_code == 200 and acked.json()["status"] == "acknowledged"
    assert viettel.post(url + "acknowledge/").status_code == 200  # a retry
    body = {"executed_at": "2026-01-05T09:30:00+07:00", "execution_reference": "VT-API-1"}
    # Executed before the request was made: refused naming the field, nothing changed.
    early = viettel.post(url + "execute/", body, content_type="application/json")
    assert early.status_code == 400 and early["Content-Type"] == PROBLEM and "executed_at" in early.json()["errors"]
    body["executed_at"] = Countermeasure.objects.get(pk=cm.pk).created_at.isoformat()
    done = viettel.post(url + "execute/", body, content_type="application/json")
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "executed" and done.json()["execution_reference"] == "VT-API-1"
    events = _events(cm)
    again = viettel.post(url + "execute/", body, content_type="application/json")
    assert again.status_code == 200 and again.json() == done.json() and _events(cm) == events
    other = viettel.post(url + "execute/", body | {"execution_reference": "VT-API-2"}, content_type="application/json")
    assert other.status_code == 409 and other["Content-Type"] == PROBLEM and _events(cm) == events
    assert viettel.get("/api/v1/countermeasures/", {"queue": "incoming", "status": "pending"}).json()["count"] == 0
    assert viettel.get("/api/v1/countermeasures/", {"status": "executed"}).json()["count"] == 1


def test_refusals_as_problem_details(world):
    cm = request_block(world)
    url = f"/api/v1/countermeasures/{cm.reference}/"
    viettel, vnpt, dic = _client("st-viettel"), _client("st-vnpt"), _client("st-dic")
    assert vnpt.get(url).status_code == 404  # another carrier does not learn it exists
    assert vnpt.post(url + "acknowledge/").status_code == 404
    assert dic.get(url).json()["case"] == world.case.reference
    assert dic.get("/api/v1/countermeasures/", {"case": world.case.reference}).json()["count"] == 1
    assert dic.get("/api/v1/countermeasures/", {"case": "VV00-NOPE"}).json()["count"] == 0
    assert dic.post(url + "acknowledge/").status_code == 403  # the requester does not answer for the carrier
    early = viettel.post(
        url + "execute/", {"executed_at": "2026-01-05T09:30:00Z", "execution_reference": "X"}, "application/json"
    )
    assert early.status_code == 409  # not acknowledged yet
    missing = viettel.post(url + "refuse/", {}, content_type="application/json")
    assert missing.status_code == 400 and "reason" in missing.json()["errors"]
    short = viettel.post(url + "refuse/", {"reason": "no"}, content_type="application/json")
    assert short.status_code == 400 and "reason" in short.json()["errors"]
    odd = viettel.post(
        url + "execute/", {"executed_at": "0001-01-01T00:00:00+14:00", "execution_reference": "X"}, "application/json"
    )
    assert odd.status_code == 400
    assert viettel.get("/api/v1/countermeasures/", {"status": "frozen"}).status_code == 400
    assert Countermeasure.objects.get(pk=cm.pk).status == "requested"
    refused = viettel.post(url + "refuse/", {"reason": "Thuê bao không thuộc mạng"}, content_type="application/json")
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    lift = dic.post(url + "lift/", {"reason": "Đã có kết quả xác minh"}, content_type="application/json")
    assert lift.status_code == 409  # a refused measure has nothing to lift


def test_without_a_key_nothing(world):
    request_block(world)
    assert Client().get("/api/v1/countermeasures/").status_code in (401, 403)
