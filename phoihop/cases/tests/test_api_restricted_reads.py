"""Đ3.1: a report of a restricted case read through the API leaves a trace, like on its page."""

import pytest
from rest_framework.test import APIClient

from phoihop.audit.models import AuditEvent
from phoihop.cases.choices import AccessLevel
from phoihop.cases.services import case_add_member

from .factories import ctx, make_cast, open_case, submit_report

pytestmark = pytest.mark.django_db


def test_reading_a_restricted_report_through_the_api_is_an_audit_event():
    cast = make_cast()
    restricted, normal = submit_report(), submit_report(description="Một cuộc gọi lừa đảo khác, không mật.")
    case = open_case(cast.dic_focal, restricted, access_level=AccessLevel.RESTRICTED)
    case_add_member(case=case, user=cast.dic_focal, ctx=ctx(cast.dic_focal))
    client = APIClient()
    client.force_authenticate(cast.dic_focal)

    def reads(report):
        return AuditEvent.objects.filter(action="report.view", object_id=str(report.pk)).count()

    assert client.get(f"/api/v1/reports/{restricted.reference}/").status_code == 200
    assert client.get(f"/api/v1/reports/{normal.reference}/").status_code == 200
    assert (reads(restricted), reads(normal)) == (1, 0)
    listed = client.get("/api/v1/reports/").json()["results"]
    assert {r["reference"] for r in listed} >= {restricted.reference, normal.reference}
    assert (reads(restricted), reads(normal)) == (2, 0)
    event = AuditEvent.objects.filter(action="report.view", object_id=str(restricted.pk)).last()
    assert event.actor == cast.dic_focal and event.data["via"] == "api"


def test_a_date_out_of_range_in_a_filter_is_a_400_naming_the_field():
    cast = make_cast()
    client = APIClient()
    client.force_authenticate(cast.dic_focal)
    response = client.get("/api/v1/cases/", {"created_from": "0001-01-01"})
    assert response.status_code == 400
    assert "created_from" in response.json()["errors"]
    assert client.get("/api/v1/cases/", {"created_from": "2026-01-01"}).status_code == 200


def test_the_triage_page_of_a_restricted_report_is_an_audit_event(client):
    cast = make_cast()
    report = submit_report()
    case = open_case(cast.dic_focal, report, access_level=AccessLevel.RESTRICTED)
    case_add_member(case=case, user=cast.dic_focal, ctx=ctx(cast.dic_focal))
    client.force_login(cast.dic_focal)
    before = AuditEvent.objects.filter(action="report.view", object_id=str(report.pk)).count()
    assert client.get(f"/cases/triage/{report.reference}/").status_code == 200
    event = AuditEvent.objects.filter(action="report.view", object_id=str(report.pk)).last()
    assert AuditEvent.objects.filter(action="report.view", object_id=str(report.pk)).count() == before + 1
    assert event.data["via"] == "triage"
