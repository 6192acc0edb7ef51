"""Keeping the dashboards' counts up to date (Đ18.1: figures the DIC aggregates every six months).

Written incrementally, inside the transaction of the write that changes them, so a count is never ahead
of or behind the rows it counts:
- intake's REPORTS_WRITTEN_HOOK: each new report adds one to the province's DayCount rows of its day (total,
  sector, behaviour, area), and to those of every organisation it was delivered to (and to the province's
  row of that recipient), and each pair of its recipients to their "together" rows (dim r);
- intake's hook also adds each new delivery to its organisation's "waiting" row (dim w) of its day;
- inbox's ACKNOWLEDGED_HOOK: each first acknowledgement adds one to the AckDelay bucket of its delay (and to
  the AckDelayMonth row of that bucket and month), and
  takes the delivery off its "waiting" row (Đ3.4: what still waits is then a sum of small rows, not a count
  over every unacknowledged delivery).
Each addition is one multi-row upsert ("INSERT ... ON CONFLICT DO UPDATE SET count = count + excluded.count"), so two
writers adding to the same row at once both count (SQLite and PostgreSQL).

`aggregates_rebuild()` recounts everything from the rows (after a bulk load that bypassed the services,
e.g. the benchmark's seeding, or to check the counts), the counts of what restricted cases hide too
(restricted.py); `manage.py dashboards_rebuild` runs it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from phoihop.inbox.models import Delivery
from phoihop.intake.models import Report, ReportIndicator

from .models import AckDelay, AckDelayMonth, DayCount, IndicatorDay
from .restricted import restricted_rebuild
from .rows import MADE, MADE_DELIVERED, WAITING, WITH, upsert
from .sweep import first_kept_day

# A delay bucket is ~5% wide: bucket 0 is under a minute, bucket b ≥ 1 holds [60·q^(b-1), 60·q^b) seconds.
BUCKET_RATIO = 1.05
MAX_BUCKET = 400  # 60·1.05^400 s is far beyond any delay


def delay_bucket(seconds: float) -> int:
    if seconds < 60:
        return 0
    return min(MAX_BUCKET, 1 + int(math.log(seconds / 60) / math.log(BUCKET_RATIO)))


def bucket_seconds(bucket: int) -> float:
    """The delay a bucket stands for: the geometric middle of its bounds (30 s for bucket 0)."""
    if bucket <= 0:
        return 30.0
    return 60 * BUCKET_RATIO ** (bucket - 0.5)


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


DIMS = (("s", "sector_id"), ("b", "behaviour_id"), ("a", "area_id"))


def _made_rows(counts: Counter, dims: dict[str, str], org_id: int, day: dt.date, keys: tuple) -> None:
    sector_id, behaviour_id, area_id = keys
    counts[(org_id, dims["t"], day, 0)] += 1
    counts[(org_id, dims["s"], day, sector_id or 0)] += 1
    counts[(org_id, dims["b"], day, behaviour_id or 0)] += 1
    counts[(org_id, dims["a"], day, area_id or 0)] += 1


DAY_COUNT_KEYS = ("organisation_id", "dim", "day", "key")


def _with_rows(counts: Counter, day: dt.date, organisation_ids: list[int]) -> None:
    for org_id in organisation_ids:
        for other_id in organisation_ids:
            counts[(org_id, WITH, day, other_id)] += 1


def _rows_of(counts: Counter, org_id: int, day: dt.date, report_values) -> None:
    counts[(org_id, "t", day, 0)] += 1
    for dim, field in DIMS:
        counts[(org_id, dim, day, report_values(field) or 0)] += 1


def record_reports(
    *, reports: Iterable[Report], deliveries: Iterable[Delivery], links: Iterable | None = None, **_ignored
) -> None:
    """Đ18: count newly written reports and their deliveries (intake's REPORTS_WRITTEN_HOOK, in its transaction)."""
    counts: Counter = Counter()
    reports = list(reports)
    day_of = {id(report): local_day(report.created_at) for report in reports}  # one time-zone look-up a report
    for report in reports:
        day = day_of[id(report)]
        _rows_of(counts, 0, day, lambda f, r=report: getattr(r, f))
        if report.reporter_organisation_id:
            keys = (report.sector_id, report.behaviour_id, report.area_id)
            _made_rows(counts, MADE, report.reporter_organisation_id, day, keys)
    recipients: dict[int, list[int]] = defaultdict(list)
    for delivery in deliveries:
        report = delivery.report
        recipients[id(report)].append(delivery.organisation_id)
        day = day_of.get(id(report)) or local_day(report.created_at)
        _rows_of(counts, delivery.organisation_id, day, lambda f, r=report: getattr(r, f))
        counts[(0, "o", day, delivery.organisation_id)] += 1
        if delivery.acknowledged_at is None:
            counts[(delivery.organisation_id, WAITING, day, 0)] += 1
        if delivery.organisation_id == report.reporter_organisation_id:
            keys = (report.sector_id, report.behaviour_id, report.area_id)
            _made_rows(counts, MADE_DELIVERED, delivery.organisation_id, day, keys)
    for report in reports:
        # A new report comes with all its deliveries (intake writes them together).
        _with_rows(counts, day_of[id(report)], recipients.get(id(report), []))
    upsert(DayCount, DAY_COUNT_KEYS, counts)
    _record_links(reports, links)


def _record_links(reports, links) -> None:
    """Đ5.2: the indicator links of the new reports, by day (IndicatorDay). `links`: intake's new ReportIndicator
    rows when it passes them, else read back (one statement)."""
    day_of = {report.pk: local_day(report.created_at) for report in reports}
    if links is None:
        pairs = ReportIndicator.objects.filter(report_id__in=list(day_of)).values_list("report_id", "indicator_id")
    else:
        pairs = [(link.report_id, link.indicator_id) for link in links]
    counts: Counter = Counter()
    for report_id, indicator_id in pairs:
        counts[(day_of[report_id], indicator_id)] += 1
    upsert(IndicatorDay, ("day", "indicator_id"), counts)


def record_acknowledgement(*, delivery: Delivery, at: dt.datetime, **_ignored) -> None:
    """Đ3.4: count how long the delivery waited, and that it waits no more (inbox's ACKNOWLEDGED_HOOK, once per
    delivery, in its transaction)."""
    received = Report.objects.values_list("created_at", flat=True).get(pk=delivery.report_id)
    seconds = max(0.0, (at - delivery.delivered_at).total_seconds())
    day = local_day(received)
    bucket = delay_bucket(seconds)
    upsert(AckDelay, ("organisation_id", "day", "bucket"), Counter({(delivery.organisation_id, day, bucket): 1}))
    month = (delivery.organisation_id, month_of(day), bucket)
    upsert(AckDelayMonth, ("organisation_id", "month", "bucket"), Counter({month: 1}))
    # The row exists: the delivery was counted on it when it was written (the rebuild counts it likewise).
    DayCount.objects.filter(organisation_id=delivery.organisation_id, dim=WAITING, day=day, key=0, count__gt=0).update(
        count=F("count") - 1
    )


class _LocalDays:
    """Moment → local day, computed once per hour of UTC time (a rebuild reads millions of moments)."""

    def __init__(self):
        self.days: dict[dt.datetime, dt.date] = {}

    def __call__(self, moment: dt.datetime) -> dt.date:
        hour = moment.replace(minute=0, second=0, microsecond=0)
        day = self.days.get(hour)
        if day is None:
            # Time zones whose offset is not whole hours: the hour's first moment may fall on another day.
            day = local_day(hour)
            if local_day(hour + dt.timedelta(minutes=59, seconds=59, microseconds=999999)) != day:
                return local_day(moment)
            self.days[hour] = day
        return day


def aggregates_rebuild() -> dict[str, int]:
    """Recount every aggregate from the reports and deliveries (one transaction); returns the rows written.

    One pass over the reports and one over the deliveries (with their report's day and keys), counted in
    Python: a local day computed in SQL is a Python function per row on SQLite, and grouping the deliveries
    once per dimension would read them five times."""
    counts: Counter = Counter()
    delays: Counter = Counter()
    day_of = _LocalDays()
    with transaction.atomic():
        DayCount.objects.all().delete()
        AckDelay.objects.all().delete()
        AckDelayMonth.objects.all().delete()
        IndicatorDay.objects.all().delete()
        reports = Report.objects.order_by().values_list(
            "created_at", "sector_id", "behaviour_id", "area_id", "reporter_organisation_id"
        )
        for created_at, sector_id, behaviour_id, area_id, reporter_id in reports.iterator(chunk_size=20000):
            day = day_of(created_at)
            counts[(0, "t", day, 0)] += 1
            counts[(0, "s", day, sector_id or 0)] += 1
            counts[(0, "b", day, behaviour_id or 0)] += 1
            counts[(0, "a", day, area_id or 0)] += 1
            if reporter_id:
                _made_rows(counts, MADE, reporter_id, day, (sector_id, behaviour_id, area_id))
        deliveries = Delivery.objects.order_by("report_id").values_list(
            "report_id",
            "organisation_id",
            "report__created_at",
            "report__sector_id",
            "report__behaviour_id",
            "report__area_id",
            "delivered_at",
            "acknowledged_at",
            "report__reporter_organisation_id",
        )
        current, together, together_day = None, [], None
        for (
            report_id,
            org_id,
            created_at,
            sector_id,
            behaviour_id,
            area_id,
            delivered,
            acked,
            reporter_id,
        ) in deliveries.iterator(chunk_size=20000):
            day = day_of(created_at)
            if report_id != current:
                if together:
                    _with_rows(counts, together_day, together)
                current, together, together_day = report_id, [], day
            together.append(org_id)
            counts[(org_id, "t", day, 0)] += 1
            counts[(org_id, "s", day, sector_id or 0)] += 1
            counts[(org_id, "b", day, behaviour_id or 0)] += 1
            counts[(org_id, "a", day, area_id or 0)] += 1
            counts[(0, "o", day, org_id)] += 1
            if reporter_id == org_id:
                _made_rows(counts, MADE_DELIVERED, org_id, day, (sector_id, behaviour_id, area_id))
            if acked is None:
                counts[(org_id, WAITING, day, 0)] += 1
            else:
                delays[(org_id, day, delay_bucket(max(0.0, (acked - delivered).total_seconds())))] += 1
        if together:
            _with_rows(counts, together_day, together)
        DayCount.objects.bulk_create(
            [DayCount(organisation_id=o, dim=m, day=d, key=k, count=n) for (o, m, d, k), n in counts.items()],
            batch_size=5000,
        )
        AckDelay.objects.bulk_create(
            [AckDelay(organisation_id=o, day=d, bucket=b, count=n) for (o, d, b), n in delays.items()], batch_size=5000
        )
        linked: Counter = Counter()
        # Only the days the periodic sweep keeps (sweep.first_kept_day): older ones would be trimmed again.
        kept = timezone.make_aware(dt.datetime.combine(first_kept_day(), dt.time.min))
        links = ReportIndicator.objects.filter(report__created_at__gte=kept).order_by()
        links = links.values_list("report__created_at", "indicator_id")
        for created_at, indicator_id in links.iterator(chunk_size=20000):
            linked[(day_of(created_at), indicator_id)] += 1
        IndicatorDay.objects.bulk_create(
            [IndicatorDay(day=d, indicator_id=i, count=n) for (d, i), n in linked.items()], batch_size=5000
        )
        months: Counter = Counter()
        for (o, d, b), n in delays.items():
            months[(o, month_of(d), b)] += n
        AckDelayMonth.objects.bulk_create(
            [AckDelayMonth(organisation_id=o, month=m, bucket=b, count=n) for (o, m, b), n in months.items()],
            batch_size=5000,
        )
        hidden = restricted_rebuild()
    return {
        "day_counts": len(counts),
        "restricted_counts": hidden,
        "delay_buckets": len(delays),
        "delay_months": len(months),
        "indicator_days": len(linked),
    }
