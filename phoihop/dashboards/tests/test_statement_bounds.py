"""Issue 12: each dashboard runs a bounded number of SQL statements whatever the number of reports, cases and
restricted cases hidden from the user (the counts come from the aggregates; the hidden ones are subtracted in
batches of one statement each)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from phoihop.cases.choices import AccessLevel
from phoihop.cases.tests.factories import open_case, submit_report

pytestmark = pytest.mark.django_db

# (who, page, at most): measured on the 1M-report benchmark copy (hub 31, head 31, police officer's map 19-20
# statements) with a few to spare; none of them grows with the data.
PAGES = [
    ("dic_focal", "/dashboard/hub/", 32),
    ("dic_head", "/dashboard/head/", 33),
    ("vc_officer", "/dashboard/map/", 21),
    ("dic_focal", "/dashboard/map/", 14),
]


def statements(user, page: str) -> int:
    client = Client()
    client.force_login(user)
    assert client.get(page).status_code == 200  # warm: the session, the memoised reference data
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(("who", "page", "most"), PAGES)
def test_a_dashboard_runs_a_bounded_number_of_statements(world, who, page, most):
    cast, _reports = world
    assert statements(cast.fresh()[who], page) <= most


@pytest.mark.parametrize(("who", "page", "most"), PAGES)
def test_more_reports_and_hidden_cases_add_no_statement(world, who, page, most):
    cast, _reports = world
    user = cast.fresh()[who]

    def grow(n: int, first: int) -> None:
        for i in range(first, first + n):
            report = submit_report(phone=f"0977 723 4{i:02d}")
            open_case(cast.dic_focal, report, access_level=AccessLevel.RESTRICTED)  # hidden but from DIC's focal

    grow(1, 0)  # this week's reports and a hidden case: every part of the page has something to count
    before = statements(user, page)
    grow(4, 1)
    assert statements(user, page) == before <= most
