"""Đ5.2: the hub's most reported indicators of the last 7 days, read from the daily indicator counts (IndicatorDay)
and the rows of the day the window starts in, are the same as counting the week's deliveries and their links; the
counts written by intake equal a rebuild."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from phoihop.cases.choices import AccessLevel
from phoihop.cases.tests.factories import open_case, submit_report
from phoihop.dashboards.aggregates import aggregates_rebuild
from phoihop.dashboards.models import IndicatorDay
from phoihop.dashboards.selectors import top_indicators
from phoihop.inbox.models import Delivery
from phoihop.indicators.models import Indicator
from phoihop.intake.models import Report, ReportIndicator

pytestmark = pytest.mark.django_db


def recounted(user, since: dt.datetime, hidden: list[int]) -> list[dict]:
    """The obvious count: every link of every report delivered to the organisation since `since`, not hidden."""
    week = Delivery.objects.filter(organisation_id=user.organisation_id, delivered_at__gte=since)
    reports = set(week.values_list("report_id", flat=True)) - set(hidden)
    counts = Counter(ReportIndicator.objects.filter(report_id__in=reports).values_list("indicator_id", flat=True))
    top = sorted(((n, pk) for pk, n in counts.items()), key=lambda t: (-t[0], t[1]))[:10]
    found = Indicator.objects.in_bulk([pk for _n, pk in top])
    return [{"kind": found[pk].kind, "value": found[pk].value, "count": n} for n, pk in top]


def rows() -> list[tuple]:
    return sorted(IndicatorDay.objects.values_list("day", "indicator_id", "count"))


def moved(report: Report, moment: dt.datetime) -> None:
    Report.objects.filter(pk=report.pk).update(created_at=moment)
    Delivery.objects.filter(report=report).update(delivered_at=moment)


def test_the_week_from_daily_counts_equals_counting_the_deliveries(world):
    cast, _reports = world
    cast = cast.fresh()
    now = timezone.now()
    since = now - dt.timedelta(days=7)
    fresh = [submit_report(phone=f"0977 523 45{i % 3}") for i in range(5)]
    intake_rows = rows()
    aggregates_rebuild()
    assert rows() == intake_rows  # intake's hook wrote what a rebuild counts
    # one report on the day the window starts in but before it, one after it, one in the window's whole days
    edge_day_start = timezone.make_aware(dt.datetime.combine(timezone.localdate(since), dt.time.min))
    moved(fresh[0], max(edge_day_start, since - dt.timedelta(minutes=1)))
    moved(fresh[1], since + dt.timedelta(minutes=1))
    moved(fresh[2], now - dt.timedelta(days=3))
    # a restricted case hides one of them from the police's focal point, not from the DIC's (named on it)
    open_case(cast.dic_focal, fresh[3], access_level=AccessLevel.RESTRICTED)
    aggregates_rebuild()
    for user in (cast.dic_focal, cast.police_focal):
        hidden = [fresh[3].pk] if user == cast.police_focal else []
        shown = top_indicators(user, since=since)
        assert shown == recounted(user, since, hidden)
        assert shown  # the phone numbers of the fresh reports


def test_a_report_received_before_midnight_and_delivered_after_it_counts_once(world):
    """The edge day is read from the deliveries before the boundary alone only while every delivery since it is of
    a report received since (the day rows' count); one delivered across midnight is counted all the same."""
    cast, _reports = world
    cast = cast.fresh()
    now = timezone.now()
    since = now - dt.timedelta(days=7)
    boundary = timezone.make_aware(dt.datetime.combine(timezone.localdate(since) + dt.timedelta(days=1), dt.time.min))
    across = submit_report(phone="0977 823 451")
    plain = submit_report(phone="0977 823 452")
    moved(plain, since + dt.timedelta(minutes=5))
    moved(across, boundary - dt.timedelta(seconds=1))
    Delivery.objects.filter(report=across).update(delivered_at=boundary + dt.timedelta(seconds=1))
    aggregates_rebuild()
    shown = top_indicators(cast.dic_focal, since=since)
    assert shown == recounted(cast.dic_focal, since, [])
