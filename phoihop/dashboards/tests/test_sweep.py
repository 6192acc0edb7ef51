"""Đ5.2: the periodic sweep trims the daily indicator counts (IndicatorDay) to the retention, so they no longer
grow with every report; the hub's "most reported indicators of the week" shows the same thing before and after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from phoihop.audit.models import AuditEvent
from phoihop.cases.tests.factories import submit_report
from phoihop.core.registry import PERIODIC_SWEEP_HOOK, hook_handlers
from phoihop.dashboards.aggregates import aggregates_rebuild
from phoihop.dashboards.models import IndicatorDay
from phoihop.dashboards.selectors import top_indicators
from phoihop.dashboards.sweep import dashboards_sweep, first_kept_day, indicator_days_trim
from phoihop.inbox.models import Delivery
from phoihop.intake.models import Report

pytestmark = pytest.mark.django_db


def days() -> set[dt.date]:
    return set(IndicatorDay.objects.values_list("day", flat=True))


def moved(report: Report, days_ago: int) -> None:
    moment = timezone.now() - dt.timedelta(days=days_ago)
    Report.objects.filter(pk=report.pk).update(created_at=moment)
    Delivery.objects.filter(report=report).update(delivered_at=moment)


def test_the_sweep_deletes_the_days_before_the_retention_and_keeps_the_week(world, settings):
    cast, _reports = world
    settings.PHOIHOP_INDICATOR_DAY_RETENTION_DAYS = 10
    today = timezone.localdate()
    fresh = [submit_report(phone=f"0977 623 45{i}") for i in range(4)]
    for report, ago in zip(fresh, (0, 3, 9, 40), strict=True):
        moved(report, ago)
    # the rows a long-running site has: every day since the first report (the rebuild keeps only the retention)
    IndicatorDay.objects.bulk_create(
        [IndicatorDay(day=today - dt.timedelta(days=n), indicator_id=1, count=1) for n in (10, 40, 400)]
    )
    week_before = top_indicators(cast.fresh().dic_focal, since=timezone.now() - dt.timedelta(days=7))
    assert week_before

    assert dashboards_sweep() == 0  # nothing for the outbox

    assert first_kept_day() == today - dt.timedelta(days=9)
    assert min(days()) >= today - dt.timedelta(days=9)
    assert today - dt.timedelta(days=10) not in days()
    assert top_indicators(cast.fresh().dic_focal, since=timezone.now() - dt.timedelta(days=7)) == week_before
    event = AuditEvent.objects.filter(action="dashboards.indicator_days_trim").latest("pk")
    assert event.data["before"] == (today - dt.timedelta(days=9)).isoformat()
    assert event.data["count"] >= 3

    # run again: nothing left to delete, no new event
    events = AuditEvent.objects.filter(action="dashboards.indicator_days_trim").count()
    assert indicator_days_trim() == 0
    assert AuditEvent.objects.filter(action="dashboards.indicator_days_trim").count() == events


def test_the_retention_never_falls_below_the_week(settings):
    settings.PHOIHOP_INDICATOR_DAY_RETENTION_DAYS = 2
    assert first_kept_day(dt.date(2026, 5, 20)) == dt.date(2026, 5, 13)  # 8 days kept, today included


def test_a_rebuild_counts_only_the_retained_days(world, settings):
    settings.PHOIHOP_INDICATOR_DAY_RETENTION_DAYS = 10
    old, new = submit_report(phone="0977 623 499"), submit_report(phone="0977 623 498")
    moved(old, 30)
    moved(new, 2)
    aggregates_rebuild()
    assert min(days()) == timezone.localdate() - dt.timedelta(days=2)  # the old report's day is not counted


def test_the_sweep_is_registered():
    assert dashboards_sweep in hook_handlers(PERIODIC_SWEEP_HOOK)
