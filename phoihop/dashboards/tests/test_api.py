"""GET /api/v1/statistics/: the caller's count, grouped; bad input is a 400 naming the field."""

from __future__ import annotations

import pytest
from django.test import Client

from phoihop.audit.services import SYSTEM
from phoihop.core.permissions import scope
from phoihop.dashboards.statistics import Period
from phoihop.directory.models import Organisation
from phoihop.directory.services import api_token_issue
from phoihop.intake.models import Report

pytestmark = pytest.mark.django_db
URL = "/api/v1/statistics/"
HALF = {"from": "2026-01-01", "to": "2026-06-30"}


def client_for(code: str) -> tuple[Client, object]:
    token, key = api_token_issue(organisation=Organisation.objects.get(code=code), name="stats", ctx=SYSTEM)
    return Client(HTTP_AUTHORIZATION=f"Token {key}"), token.user


@pytest.mark.parametrize("code", ["st-dic", "st-police-vinh-chau", "st-viettel", "st-vnpt"])
@pytest.mark.parametrize("group_by", ["sector", "behaviour", "area", "organisation"])
def test_total_is_what_the_key_may_see(world, code, group_by):
    client, user = client_for(code)
    answer = client.get(URL, {**HALF, "group_by": group_by})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    period = Period(*(__import__("datetime").date.fromisoformat(HALF[k]) for k in ("from", "to")))
    expected = scope(user, Report.objects.all()).filter(period.received()).count()
    assert body["total"] == expected
    assert body["from"] == "2026-01-01" and body["to"] == "2026-06-30" and body["group_by"] == group_by
    assert all(set(g) == {"key", "label", "count"} and g["count"] > 0 for g in body["groups"])
    if group_by != "organisation":
        assert sum(g["count"] for g in body["groups"]) == body["total"]


def test_an_enterprise_counts_its_own_report_only(world):
    client, _user = client_for("st-viettel")
    body = client.get(URL, {**HALF, "group_by": "behaviour"}).json()
    assert body["total"] == 1
    assert [(g["key"], g["count"]) for g in body["groups"]] == [("13.4", 1)]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-02-30", "to": "2026-06-30"}, "from"),
        ({"from": "2026-01-01", "to": "yesterday"}, "to"),
        ({"from": "2026-06-01", "to": "2026-01-01"}, "to"),
        ({"from": "0001-01-01", "to": "2026-01-01"}, "from"),
        ({**HALF, "group_by": "colour"}, "group_by"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(world, query, field):
    client, _user = client_for("st-dic")
    answer = client.get(URL, query)
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("application/problem+json")
    assert field in answer.json()["errors"]


def test_without_a_key_it_is_refused(world):
    assert Client().get(URL, HALF).status_code == 401
