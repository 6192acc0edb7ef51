"""The permission matrix again, answered inside a request.

In a request the report scope reads the restricted cases hidden from the user once (as ids) and `can()`
answers from small memoised facts instead of the scope; outside a request both stay lazy subqueries. Each
cell must come out the same either way, and the scope, `can()` and `report_for` must still agree.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from phoihop.core.permissions import PermissionMemoMiddleware

from .factories import ACTORS
from .test_permissions import EXPECTED, ROWS, observe, world  # noqa: F401  (world is a fixture)

pytestmark = pytest.mark.django_db


def in_a_request(fn):
    """Run `fn` as a view would: with a fresh permission memo, as PermissionMemoMiddleware gives it."""
    return PermissionMemoMiddleware(lambda _request: fn())(None)


@pytest.mark.parametrize(("obj", "action"), ROWS, ids=[f"{o}/{a}" for o, a in ROWS])
def test_the_matrix_inside_a_request(world, obj, action):  # noqa: F811
    wrong = []
    for actor in ACTORS:
        expected = EXPECTED[(actor, obj, action)]
        got, disagreement = in_a_request(lambda actor=actor: observe(world, actor, obj, action))
        if got != expected or disagreement:
            wrong.append(f"  {actor} / {obj} / {action}: expected {expected}, got {got} {disagreement}")
    assert not wrong, "permission matrix cells differ inside a request:\n" + "\n".join(wrong)


def test_a_memoised_request_reads_the_hidden_cases_once(world):  # noqa: F811
    """Ten scopes built in one request read the hidden restricted cases once: one query more per list."""
    from phoihop.intake.permissions import visible_reports

    user = world.cast["vc_officer"]  # two restricted cases are hidden from the Vĩnh Châu police

    def lists(n):
        return [list(visible_reports(user).values_list("pk", flat=True)) for _ in range(n)]

    in_a_request(lambda: lists(1))  # the hubs' ids come into the cache
    with CaptureQueriesContext(connection) as one:
        in_a_request(lambda: lists(1))
    with CaptureQueriesContext(connection) as ten:
        got = in_a_request(lambda: lists(10))
    assert len(ten) == len(one) + 9
    outside = sorted(visible_reports(user).values_list("pk", flat=True))
    assert all(sorted(ids) == outside for ids in got)
    assert world.reports["report:restricted"].pk not in outside
    assert world.reports["report:public"].pk in outside
