"""More restricted cases hidden from a person than the report scope reads out as ids (MAX_INLINE_IDS): the
scope then keeps them as a subquery, reading no more than MAX_INLINE_IDS + 1 of them to find that out, and
still hides and shows the same reports (Đ3.1, Đ17.1: a report in a restricted case stays hidden)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from phoihop.cases import permissions as case_perm

from .factories import ACTORS
from .test_permissions import EXPECTED, REPORTS, observe, world  # noqa: F401  (world is a fixture)
from .test_permissions_in_request import in_a_request

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("limit", [0, 1])
@pytest.mark.parametrize("report", REPORTS)
def test_the_report_rows_of_the_matrix_with_few_ids_read_out(world, monkeypatch, limit, report):  # noqa: F811
    """0: every hidden case stays a subquery; 1: the people with one hidden case read it out, the others not."""
    monkeypatch.setattr(case_perm, "MAX_INLINE_IDS", limit)
    wrong = []
    for actor in ACTORS:
        expected = EXPECTED[(actor, report, "view")]
        got, disagreement = in_a_request(lambda actor=actor: observe(world, actor, report, "view"))
        if got != expected or disagreement:
            wrong.append(f"  {actor} / {report}: expected {expected}, got {got} {disagreement}")
    assert not wrong, f"report visibility differs with MAX_INLINE_IDS = {limit}:\n" + "\n".join(wrong)


def test_a_large_hidden_set_is_read_bounded_and_still_hides_its_reports(world, monkeypatch):  # noqa: F811
    from phoihop.intake.permissions import visible_reports

    user = world.cast["vc_officer"]  # the restricted and the secret case are hidden from the Vĩnh Châu police
    assert len(case_perm.hidden_case_ids(user)) == 2  # every id, for the callers that want them all
    monkeypatch.setattr(case_perm, "MAX_INLINE_IDS", 1)
    with CaptureQueriesContext(connection) as read:
        seen = in_a_request(lambda: set(visible_reports(user).values_list("pk", flat=True)))
    assert world.reports["report:restricted"].pk not in seen
    assert world.reports["report:secret"].pk not in seen
    assert world.reports["report:public"].pk in seen
    # The ids of the hidden cases are read once, at most MAX_INLINE_IDS + 1 of them (then kept as a subquery).
    sqls = [q["sql"] for q in read.captured_queries]
    id_reads = [s for s in sqls if s.startswith('SELECT "cases_case"."id"') and 'FROM "cases_case" WHERE' in s]
    assert len(id_reads) == 1 and id_reads[0].endswith("LIMIT 2")
    assert in_a_request(lambda: len(case_perm.hidden_case_ids(user))) == 2
