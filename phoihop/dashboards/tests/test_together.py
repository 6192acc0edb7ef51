"""Đ18: the "together" rows (DayCount dim r: the reports an organisation received, by every organisation they were
delivered to) written by intake equal a recount from the deliveries and a rebuild."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from phoihop.cases.tests.factories import submit_report
from phoihop.dashboards.aggregates import WITH, aggregates_rebuild
from phoihop.dashboards.models import DayCount
from phoihop.inbox.models import Delivery

pytestmark = pytest.mark.django_db


def together_rows() -> Counter:
    return Counter(
        {
            (o, d, k): n
            for o, d, k, n in DayCount.objects.filter(dim=WITH).values_list("organisation_id", "day", "key", "count")
        }
    )


def recounted() -> Counter:
    by_report: dict[int, list[tuple[int, object]]] = {}
    rows = Delivery.objects.values_list("report_id", "organisation_id", "report__created_at")
    for report_id, org_id, created_at in rows:
        by_report.setdefault(report_id, []).append((org_id, timezone.localdate(created_at)))
    counts: Counter = Counter()
    for recipients in by_report.values():
        for org_id, day in recipients:
            for other_id, _day in recipients:
                counts[(org_id, day, other_id)] += 1
    return counts


def test_together_rows_follow_intake_and_equal_a_recount_and_a_rebuild(world):
    before = together_rows()
    submit_report(phone="0977 423 456")
    submit_report(area="st-soc-trang-p1", phone="0977 423 457")
    incremental = together_rows()
    assert incremental != before
    assert incremental == recounted()
    aggregates_rebuild()
    assert together_rows() == incremental
