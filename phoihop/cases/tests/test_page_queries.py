"""The case page reads a bounded number of queries, however many reports, tasks, notes, people and stages
the case has (no query per row)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phoihop.cases.choices import Outcome
from phoihop.cases.models import Case
from phoihop.cases.services import (
    case_add_member,
    case_attach_reports,
    case_link,
    case_transition,
    note_add,
    task_create,
)

from .factories import ctx, make_cast, open_case, org, submit_report

pytestmark = pytest.mark.django_db

# The case page of a case with reports, tasks, notes, people, a link and every stage record. Raise it only
# with a reason: each query here is read by every person who opens a case.
# 49 measured with the open tasks' reassign forms (one query for the people of all their organisations).
MAX_CASE_PAGE_QUERIES = 49


def grow(case: Case, cast, n: int) -> None:
    """Add `n` more reports, tasks, notes and links to the case."""
    dic = ctx(cast.dic_focal)
    case_attach_reports(case=case, reports=[submit_report() for _ in range(n)], ctx=dic)
    for i in range(n):
        task_create(case=case, title=f"Xác minh thuê bao {i}", organisation=org("st-viettel"), ctx=dic)
        note_add(case=case, text=f"Ghi chú {i}", ctx=dic)
        case_link(case=case, other=open_case(cast.dic_focal, submit_report()), ctx=dic)


def page_queries(client: Client, case: Case) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("cases:detail", args=[case.reference]))
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def busy_case():
    cast = make_cast()
    dic = ctx(cast.dic_focal)
    case = open_case(cast.dic_focal, submit_report(), participants=["st-viettel"])
    case_add_member(case=case, user=cast.viettel, ctx=dic)
    case = case_transition(case=case, move="verify", ctx=dic)
    case = case_transition(
        case=case, move="administrative", ctx=dic, sanction_decision="12/QĐ-XPHC", measures="Thu hồi SIM"
    )
    case = case_transition(
        case=case,
        move="transfer",
        ctx=dic,
        receiving_police_unit=org("st-police-investigation"),
        transfer_dossier="HS-15",
    )
    grow(case, cast, 2)
    return cast, case


def test_the_case_page_reads_a_bounded_number_of_queries(busy_case, django_assert_max_num_queries):
    cast, case = busy_case
    client = Client()
    client.force_login(cast.dic_focal)
    page_queries(client, case)  # warm the session and the reference-data caches
    with django_assert_max_num_queries(MAX_CASE_PAGE_QUERIES):
        response = client.get(reverse("cases:detail", args=[case.reference]))
    assert response.status_code == 200 and "12/QĐ-XPHC" in response.content.decode()


def test_the_case_page_does_not_read_a_query_per_row(busy_case):
    cast, case = busy_case
    client = Client()
    client.force_login(cast.dic_focal)
    page_queries(client, case)
    before = page_queries(client, case)
    grow(case, cast, 3)
    assert page_queries(client, case) == before


def test_a_closed_case_page_too(busy_case, django_assert_max_num_queries):
    cast, case = busy_case
    case = case_transition(case=case, move="close", ctx=ctx(cast.dic_focal), outcome=Outcome.UNFOUNDED, force=True)
    client = Client()
    client.force_login(cast.dic_hub)
    page_queries(client, case)
    with django_assert_max_num_queries(MAX_CASE_PAGE_QUERIES):
        response = client.get(reverse("cases:detail", args=[case.reference]))
    assert 'data-outcome="unfounded"' in response.content.decode()
