"""Đ3.4: the acknowledgement delays added up by month (AckDelayMonth) follow every acknowledgement, equal a
rebuild, and a period read from whole months and edge days gives the same timeliness as its day rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest

from phoihop.cases.tests.factories import ctx, submit_report
from phoihop.dashboards.aggregates import aggregates_rebuild
from phoihop.dashboards.models import AckDelay, AckDelayMonth
from phoihop.dashboards.selectors import delay_buckets, timeliness
from phoihop.directory.models import Organisation
from phoihop.inbox.models import Delivery
from phoihop.inbox.services import delivery_acknowledge

pytestmark = pytest.mark.django_db


def months() -> list[tuple]:
    return sorted(AckDelayMonth.objects.values_list("organisation_id", "month", "bucket", "count"))


def months_of_days() -> list[tuple]:
    sums: Counter = Counter()
    for org_id, day, bucket, n in AckDelay.objects.values_list("organisation_id", "day", "bucket", "count"):
        sums[(org_id, day.replace(day=1), bucket)] += n
    return sorted((*key, n) for key, n in sums.items())


def from_days(ids: list[int], date_from: dt.date, date_to: dt.date) -> dict[int, list[tuple[int, int]]]:
    sums: Counter = Counter()
    rows = AckDelay.objects.filter(organisation_id__in=ids, day__gte=date_from, day__lte=date_to)
    for org_id, bucket, n in rows.values_list("organisation_id", "bucket", "count"):
        sums[(org_id, bucket)] += n
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (org_id, bucket), n in sorted(sums.items()):
        out[org_id].append((bucket, n))
    return dict(out)


def test_month_rows_follow_acknowledgements_and_equal_a_rebuild(world):
    cast, reports = world
    cast = cast.fresh()
    dic, police = cast.dic_focal.organisation, cast.police_focal.organisation
    fresh = submit_report(phone="0977 223 456")
    acknowledged = [
        (reports["old"], dic, cast.dic_focal),  # 2025-12
        (reports["late"], dic, cast.dic_focal),  # 2026-07, received at midnight
        (reports["call1"], police, cast.police_focal),
        (fresh, dic, cast.dic_focal),  # today
    ]
    before = months()
    for report, org, user in acknowledged:
        delivery = Delivery.objects.filter(report=report, organisation=org, acknowledged_at__isnull=True).first()
        if delivery is not None:
            delivery_acknowledge(delivery=delivery, ctx=ctx(user))
    incremental = months()
    assert incremental != before
    assert incremental == months_of_days()
    aggregates_rebuild()
    assert months() == incremental


@pytest.mark.parametrize(
    ("date_from", "date_to"),
    [
        (dt.date(2025, 1, 1), dt.date(2026, 12, 31)),  # whole months only
        (dt.date(2025, 12, 31), dt.date(2026, 7, 1)),  # an edge day on each side
        (dt.date(2026, 5, 2), dt.date(2026, 5, 30)),  # inside one month
        (dt.date(2026, 5, 1), dt.date(2026, 5, 31)),  # exactly one month
        (dt.date(2026, 5, 20), dt.date(2026, 5, 20)),  # one day
        (dt.date(2026, 2, 15), dt.date(2026, 6, 10)),  # partial, whole, partial
    ],
)
def test_a_period_reads_the_same_delays_as_its_day_rows(world, date_from, date_to):
    cast, reports = world
    cast = cast.fresh()
    for user in (cast.dic_focal, cast.police_focal, cast.doit_focal):
        waiting = Delivery.objects.filter(organisation=user.organisation, acknowledged_at__isnull=True)
        for delivery in waiting.filter(report__in=list(reports.values())):
            delivery_acknowledge(delivery=delivery, ctx=ctx(user))
    ids = list(Organisation.objects.values_list("pk", flat=True))
    assert AckDelay.objects.exists()
    assert dict(delay_buckets(ids, date_from, date_to)) == from_days(ids, date_from, date_to)
    orgs = list(Organisation.objects.filter(pk__in=ids))
    for t in timeliness(date_from=date_from, date_to=date_to, organisations=orgs):
        own = from_days([t.organisation.pk], date_from, date_to).get(t.organisation.pk, [])
        assert t.acknowledged == sum(n for _b, n in own)
