"""The dashboards' periodic sweep (PERIODIC_SWEEP_HOOK, every PHOIHOP_DIGEST_MINUTES): trim the daily indicator
counts (IndicatorDay) to the days the hub's "most reported indicators of the week" can still read (Đ5.2).

IndicatorDay gains one row per day and indicator linked that day: at 1M reports, about as many rows as reports.
The hub reads only the last 7 days, so rows older than the retention (PHOIHOP_INDICATOR_DAY_RETENTION_DAYS,
default 14: the week read plus a margin for a clock or time-zone edge) are deleted, in batches. The report
links themselves (intake's ReportIndicator) are never touched: `manage.py dashboards_rebuild` recounts the
retained days from them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from phoihop.audit.services import SYSTEM, audit_record

from .models import IndicatorDay
from .periods import today

RETENTION_DAYS = 14  # settings.PHOIHOP_INDICATOR_DAY_RETENTION_DAYS overrides; at least 8 (the window is 7 days)
MIN_RETENTION_DAYS = 8
TRIM_BATCH = 5000


def indicator_day_retention() -> int:
    """Days of IndicatorDay rows kept, today included; never fewer than the hub's window needs."""
    days = int(getattr(settings, "PHOIHOP_INDICATOR_DAY_RETENTION_DAYS", RETENTION_DAYS))
    return max(days, MIN_RETENTION_DAYS)


def first_kept_day(day: dt.date | None = None) -> dt.date:
    """The oldest day whose IndicatorDay rows are kept."""
    return (day or today()) - dt.timedelta(days=indicator_day_retention() - 1)


def indicator_days_trim(*, day: dt.date | None = None) -> int:
    """Delete the IndicatorDay rows of the days before the retention, in batches (by the (day, indicator)
    index); one audit event per run that deleted any. Returns the rows deleted."""
    before = first_kept_day(day)
    old = IndicatorDay.objects.filter(day__lt=before)
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(old.order_by("day", "indicator_id").values_list("pk", flat=True)[:TRIM_BATCH])
            if not ids:
                break
            deleted += IndicatorDay.objects.filter(pk__in=ids).delete()[0]
    if deleted:
        audit_record(
            ctx=SYSTEM,
            action="dashboards.indicator_days_trim",
            summary=str(deleted),
            data={"count": deleted, "before": before.isoformat()},
        )
    return deleted


def dashboards_sweep() -> int:
    """PERIODIC_SWEEP_HOOK: the trim. It sends no message, so nothing is left for the outbox: 0."""
    indicator_days_trim()
    return 0
