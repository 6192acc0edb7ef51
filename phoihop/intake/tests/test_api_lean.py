"""What one API call costs the server: the statements of a create, and no session for a token.

An enterprise's feed sends reports one by one with its token and no cookies. Each call must stay a few
statements (issue 9: at most 15 per create, routing, correlation, audit and queued notifications included),
and must not leave a session row and a cookie behind (it did: the session-limits middleware stamped the
token's user into a new session on every call, one more row and three more statements per request).
"""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from phoihop.audit.services import SYSTEM
from phoihop.directory.models import Organisation
from phoihop.directory.services import api_token_issue

pytestmark = pytest.mark.django_db

MAX_API_CREATE_STATEMENTS = 15
SCAM = "Có người gọi từ số lạ giả danh công an, yêu cầu chuyển tiền vào tài khoản để 'xác minh'."


@pytest.fixture
def feed():
    _token, key = api_token_issue(organisation=Organisation.objects.get(code="st-viettel"), name="feed", ctx=SYSTEM)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def body(ref: str, indicators: int = 2) -> dict:
    return {
        "behaviour": "13.4",
        "area": "st-vinh-chau",
        "description": SCAM,
        "indicators": [{"kind": "phone", "value": f"09123456{i:02d}"} for i in range(indicators)],
        "external_ref": ref,
    }


@pytest.mark.parametrize("indicators", [1, 20])
def test_an_api_create_takes_at_most_15_statements(feed, indicators, settings):
    # As served: the reference data (rule set, routing rules, behaviours, areas, holders) is read once per
    # process and revalidated every few seconds, not per request (the test settings turn that off).
    settings.PHOIHOP_REFERENCE_CACHE_SECONDS = 60
    feed.post("/api/v1/reports/", body("warm"), format="json")
    with CaptureQueriesContext(connection) as queries:
        response = feed.post("/api/v1/reports/", body("Q-1", indicators), format="json")
    assert response.status_code == 201, response.content
    assert len(response.json()["recipients"]) >= 3  # routed to the hubs and the regulators, all the same
    assert len(queries) <= MAX_API_CREATE_STATEMENTS, "\n".join(q["sql"][:120] for q in queries)


def test_a_token_call_leaves_no_session_and_no_cookie(feed):
    created = feed.post("/api/v1/reports/", body("S-1"), format="json")
    read = feed.get(created["Location"])
    listed = feed.get("/api/v1/reports/")
    for response in (created, read, listed):
        assert response.status_code in (200, 201), response.content
        assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0


def test_a_retry_gets_the_first_report_and_another_report_under_its_key_is_refused(feed):
    from phoihop.intake.models import Report

    first = feed.post("/api/v1/reports/", body("", 2), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    retry = feed.post("/api/v1/reports/", body("", 2), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert retry.status_code == 200 and retry.json()["reference"] == first.json()["reference"]

    other = {**body("", 2), "description": SCAM + " Lần khác, số khác."}
    refused = feed.post("/api/v1/reports/", other, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert refused.status_code == 400, refused.content
    assert first.json()["reference"] in refused.json()["errors"]["external_ref"][0]
    more = feed.post("/api/v1/reports/", body("", 3), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert more.status_code == 400 and "external_ref" in more.json()["errors"]
    assert Report.objects.count() == 1  # nothing written by the refusals


@pytest.mark.django_db
def test_the_lean_index_migrations_keep_the_full_text_triggers_and_drop_the_lone_indexes():
    # intake 0005 / inbox 0007 drop indexes by name: on SQLite, Django's own way (a rebuilt table per field)
    # would have dropped the triggers that keep the reports' full-text index up to date.
    with connection.cursor() as cursor:
        indexes = {
            name
            for table in ("intake_report", "inbox_delivery", "intake_reportindicator")
            for name in connection.introspection.get_constraints(cursor, table)
        }
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'intake_report'")
            assert {"intake_report_fts_ai", "intake_report_fts_ad", "intake_report_fts_au"} <= {r[0] for r in cursor}
    assert "intake_report_area_id_40e15a13" not in indexes and "intake_report_sector_id_675337dc" not in indexes
    assert "inbox_delivery_report_id_43384ad2" not in indexes
    # inbox 0008: a delivery's time is indexed only while it waits for an acknowledgement.
    assert "inbox_delivery_delivered_at_5c5b65c2" not in indexes
    # intake 0009 (PostgreSQL): no pattern index beside the tracking code's unique one.
    assert "intake_report_reference_e81070ad_like" not in indexes
    with connection.cursor() as cursor:
        report_constraints = connection.introspection.get_constraints(cursor, "intake_report").values()
    assert any(c["unique"] and c["columns"] == ["reference"] for c in report_constraints)  # the unique one stays
    # intake 0007: a report's indicator links keep only the two composite indexes.
    assert "intake_reportindicator_report_id_32895af9" not in indexes
    assert "intake_reportindicator_indicator_id_f3116f59" not in indexes
    assert {
        "intake_repo_area_id_aee2dc_idx",
        "intake_repo_sector__6533c7_idx",
        "uniq_delivery",
        "delivery_notice",
        "delivery_unacknowledged",
        "uniq_report_indicator",
        "intake_repo_indicat_736ac0_idx",
    } <= indexes
