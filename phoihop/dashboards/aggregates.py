"""Keeping the dashboards' counts up to date (Đ18.1: figures the DIC aggregates every six months).

Written incrementally, inside the transaction of the write that changes them, so a count is never ahead
of or behind the rows it counts:
- intake's REPORTS_WRITTEN_HOOK: each new report adds one to its ReportDay row and one to the DeliveryDay
  row of every organisation it was delivered to;
- inbox's ACKNOWLEDGED_HOOK: each first acknowledgement adds one to the AckDelay bucket of its delay.
Each is one multi-row upsert ("INSERT ... ON CONFLICT DO UPDATE SET count = count + excluded.count"), so two
writers adding to the same row at once both count (SQLite and PostgreSQL).

`aggregates_rebuild()` recounts everything from the rows (after a bulk load that bypassed the services,
e.g. the benchmark's seeding, or to check the counts); `manage.py dashboards_rebuild` runs it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from phoihop.inbox.models import Delivery
from phoihop.intake.models import Report

from .models import AckDelay, DeliveryDay, ReportDay

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


def _upsert(model, keys: tuple[str, ...], counts: Counter) -> None:
    """Add `counts` ({key tuple: n}) to `model`'s rows, creating the missing ones (one statement)."""
    if not counts:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    cols = (*keys, "count")
    col_sql = ", ".join(connection.ops.quote_name(c) for c in cols)
    key_sql = ", ".join(connection.ops.quote_name(c) for c in keys)
    quoted_count = connection.ops.quote_name("count")
    rows = [(*key, n) for key, n in counts.items()]
    # Only quoted table and column names of this module's models are formatted in; the values are parameters.
    placeholders = ", ".join(["%s"] * len(cols))
    sql = (
        f"INSERT INTO {table} ({col_sql}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT ({key_sql}) DO UPDATE SET {quoted_count} = {table}.{quoted_count} + excluded.{quoted_count}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _dims(report: Report) -> tuple[int, int, int]:
    return (report.sector_id or 0, report.behaviour_id or 0, report.area_id or 0)


def record_reports(*, reports: Iterable[Report], deliveries: Iterable[Delivery], **_ignored) -> None:
    """Đ18: count newly written reports and their deliveries (intake's REPORTS_WRITTEN_HOOK, in its transaction)."""
    by_report: dict[int, tuple] = {}
    report_counts: Counter = Counter()
    for report in reports:
        key = (local_day(report.created_at), *_dims(report))
        by_report[id(report)] = key
        report_counts[key] += 1
    delivery_counts: Counter = Counter()
    for delivery in deliveries:
        day, *dims = by_report.get(id(delivery.report)) or (
            local_day(delivery.report.created_at),
            *_dims(delivery.report),
        )
        delivery_counts[(delivery.organisation_id, day, *dims)] += 1
    _upsert(ReportDay, ("day", "sector_id", "behaviour_id", "area_id"), report_counts)
    _upsert(DeliveryDay, ("organisation_id", "day", "sector_id", "behaviour_id", "area_id"), delivery_counts)


def record_acknowledgement(*, delivery: Delivery, at: dt.datetime, **_ignored) -> None:
    """Đ3.4: count how long the delivery waited (inbox's ACKNOWLEDGED_HOOK, once per delivery, in its transaction)."""
    received = Report.objects.values_list("created_at", flat=True).get(pk=delivery.report_id)
    seconds = max(0.0, (at - delivery.delivered_at).total_seconds())
    key = (delivery.organisation_id, local_day(received), delay_bucket(seconds))
    _upsert(AckDelay, ("organisation_id", "day", "bucket"), Counter({key: 1}))


def aggregates_rebuild() -> dict[str, int]:
    """Recount every aggregate from the reports and deliveries (one transaction); returns the rows written."""
    tz = timezone.get_current_timezone()
    with transaction.atomic():
        ReportDay.objects.all().delete()
        DeliveryDay.objects.all().delete()
        AckDelay.objects.all().delete()
        report_rows = [
            ReportDay(
                day=r["d"],
                sector_id=r["sector_id"] or 0,
                behaviour_id=r["behaviour_id"] or 0,
                area_id=r["area_id"] or 0,
                count=r["n"],
            )
            for r in Report.objects.annotate(d=TruncDate("created_at", tzinfo=tz))
            .values("d", "sector_id", "behaviour_id", "area_id")
            .annotate(n=Count("pk"))
            .order_by()
        ]
        ReportDay.objects.bulk_create(report_rows, batch_size=2000)
        delivery_rows = [
            DeliveryDay(
                day=r["d"],
                organisation_id=r["organisation_id"],
                sector_id=r["report__sector_id"] or 0,
                behaviour_id=r["report__behaviour_id"] or 0,
                area_id=r["report__area_id"] or 0,
                count=r["n"],
            )
            for r in Delivery.objects.annotate(d=TruncDate("report__created_at", tzinfo=tz))
            .values("organisation_id", "d", "report__sector_id", "report__behaviour_id", "report__area_id")
            .annotate(n=Count("pk"))
            .order_by()
        ]
        DeliveryDay.objects.bulk_create(delivery_rows, batch_size=2000)
        delays: Counter = Counter()
        acknowledged = (
            Delivery.objects.filter(acknowledged_at__isnull=False)
            .values_list("organisation_id", "report__created_at", "delivered_at", "acknowledged_at")
            .iterator(chunk_size=5000)
        )
        for org_id, received, delivered, acked in acknowledged:
            seconds = max(0.0, (acked - delivered).total_seconds())
            delays[(org_id, local_day(received), delay_bucket(seconds))] += 1
        AckDelay.objects.bulk_create(
            [AckDelay(organisation_id=o, day=d, bucket=b, count=n) for (o, d, b), n in delays.items()], batch_size=2000
        )
    return {"report_days": len(report_rows), "delivery_days": len(delivery_rows), "delay_buckets": len(delays)}
