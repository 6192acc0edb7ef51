"""The list behind a figure at scale: the scope's branches merged newest first, a count that stops at the cap
("more than N"), a bounded number of statements and never a COUNT over the reports, the same rows as the scope."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from phoihop.core.permissions import scope, scope_branches
from phoihop.dashboards.statistics import Period
from phoihop.dashboards.views import lists
from phoihop.intake.models import Report

pytestmark = pytest.mark.django_db
URL = "/dashboard/reports/"
HALF = {"from": "2026-01-01", "to": "2026-06-30"}
# session, user, hidden cases, the hub's organisations, the capped count (one per branch of the scope: one on
# SQLite, a few on PostgreSQL; it also reads a small list whole), the page's rows, the bell, the user's
# organisation; a sector reads its row; an area its units.
MAX_QUERIES = 10


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def refs(html: str) -> list[str]:
    return re.findall(r'class="code" href="[^"]*">([^<]+)</a>', html)


def expected(user, **filters) -> list[str]:
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30)).received()
    qs = scope(user, Report.objects.all()).filter(period, **filters).order_by("-created_at", "-pk")
    return list(qs.values_list("reference", flat=True))


def every_page(client: Client, params: dict) -> list[str]:
    seen: list[str] = []
    for number in range(1, 20):
        html = client.get(URL, {**params, "page": number}).content.decode()
        seen += refs(html)
        if 'rel="next"' not in html:
            return seen
    raise AssertionError("the pages never end")


@pytest.mark.parametrize("who", ["dic_focal", "vc_officer", "viettel"])
def test_past_the_cap_the_list_says_more_and_pages_through_the_same_reports(world, monkeypatch, who):
    cast, _reports = world
    user = cast.fresh()[who]
    want = expected(user)
    assert want
    monkeypatch.setattr(lists, "COUNT_CAP", len(want) - 1)
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    client = signed_in(user)
    html = client.get(URL, HALF).content.decode()
    assert re.search(rf'data-testid="report-count">More than {len(want) - 1} reports<', html)
    assert every_page(client, HALF) == want


def test_below_the_cap_the_count_is_exact_and_the_pages_hold_every_report(world, monkeypatch):
    cast, _reports = world
    user = cast.fresh().dic_focal
    want = expected(user)
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    client = signed_in(user)
    html = client.get(URL, HALF).content.decode()
    assert re.search(rf'data-testid="report-count">\s*{len(want)} reports', html)
    assert every_page(client, HALF) == want
    assert client.get(URL, {**HALF, "page": "99"}).status_code == 200  # past the end: no rows, no error


@pytest.mark.parametrize("cap", [0, 1000])
def test_a_sector_lists_the_same_reports_whichever_way_it_is_read(world, monkeypatch, cap):
    """Walked newest first (past the cap) or read whole."""
    cast, reports = world
    monkeypatch.setattr(lists, "COUNT_CAP", cap)
    sector = reports["call1"].sector
    for who in ("dic_focal", "vc_officer"):
        user = cast.fresh()[who]
        want = expected(user, sector=sector)
        assert want
        assert every_page(signed_in(user), {**HALF, "sector": sector.code}) == want, who


@pytest.mark.parametrize("params", [HALF, {**HALF, "sector": "telecom"}, {**HALF, "area": "st-vinh-chau"}, {}])
def test_the_list_reads_a_bounded_number_of_statements_and_never_counts_the_reports(world, params):
    cast, _reports = world
    user = cast.fresh().dic_focal
    branches = len(scope_branches(user, Report.objects.all()))
    client = signed_in(user)
    client.get(URL, params)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params).status_code == 200
    statements = [q["sql"] for q in ctx.captured_queries]
    assert len(statements) <= MAX_QUERIES + branches - 1 + (1 if "area" in params else 0), [
        s[:50] + s[s.find(" FROM ") :][:40] for s in statements
    ]
    assert not [sql for sql in statements if "COUNT(" in sql.upper() and "intake_report" in sql]
