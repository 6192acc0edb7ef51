"""Keeping the dashboards' counts up to date (Đ18.1: figures the DIC aggregates every six months).

Written incrementally, inside the transaction of the write that changes them, so a count is never ahead
of or behind the rows it counts:
- intake's REPORTS_WRITTEN_HOOK: each new report adds one to the province's DayCount rows of its day (total,
  sector, behaviour, area), and to those of every organisation it was delivered to (and to the province's
  row of that recipient);
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

from .models import AckDelay, DayCount

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


DIMS = (("s", "sector_id"), ("b", "behaviour_id"), ("a", "area_id"))
DAY_COUNT_KEYS = ("organisation_id", "dim", "day", "key")


def _rows_of(counts: Counter, org_id: int, day: dt.date, report_values) -> None:
    counts[(org_id, "t", day, 0)] += 1
    for dim, field in DIMS:
        counts[(org_id, dim, day, report_values(field) or 0)] += 1


def record_reports(*, reports: Iterable[Report], deliveries: Iterable[Delivery], **_ignored) -> None:
    """Đ18: count newly written reports and their deliveries (intake's REPORTS_WRITTEN_HOOK, in its transaction)."""
    counts: Counter = Counter()
    for report in reports:
        _rows_of(counts, 0, local_day(report.created_at), lambda f, r=report: getattr(r, f))
    for delivery in deliveries:
        report = delivery.report
        day = local_day(report.created_at)
        _rows_of(counts, delivery.organisation_id, day, lambda f, r=report: getattr(r, f))
        counts[(0, "o", day, delivery.organisation_id)] += 1
    _upsert(DayCount, DAY_COUNT_KEYS, counts)


def record_acknowledgement(*, delivery: Delivery, at: dt.datetime, **_ignored) -> None:
    """Đ3.4: count how long the delivery waited (inbox's ACKNOWLEDGED_HOOK, once per delivery, in its transaction)."""
    received = Report.objects.values_list("created_at", flat=True).get(pk=delivery.report_id)
    seconds = max(0.0, (at - delivery.delivered_at).total_seconds())
    key = (delivery.organisation_id, local_day(received), delay_bucket(seconds))
    _upsert(AckDelay, ("organisation_id", "day", "bucket"), Counter({key: 1}))


def aggregates_rebuild() -> dict[str, int]:
    """Recount every aggregate from the reports and deliveries (one transaction); returns the rows written."""
    tz = timezone.get_current_timezone()
    counts: Counter = Counter()
    with transaction.atomic():
        DayCount.objects.all().delete()
        AckDelay.objects.all().delete()
        for _dim, field in (("t", None), *DIMS):
            group = ("d", field) if field else ("d",)
            rows = Report.objects.annotate(d=TruncDate("created_at", tzinfo=tz)).values(*group).annotate(n=Count("pk"))
            for r in rows.order_by():
                counts[(0, _dim, r["d"], (r[field] or 0) if field else 0)] += r["n"]
            group = ("organisation_id", "d", f"report__{field}") if field else ("organisation_id", "d")
            rows = (
                Delivery.objects.annotate(d=TruncDate("report__created_at", tzinfo=tz))
                .values(*group)
                .annotate(n=Count("pk"))
            )
            for r in rows.order_by():
                key = (r[f"report__{field}"] or 0) if field else 0
                counts[(r["organisation_id"], _dim, r["d"], key)] += r["n"]
                if not field:
                    counts[(0, "o", r["d"], r["organisation_id"])] += r["n"]
        DayCount.objects.bulk_create(
            [DayCount(organisation_id=o, dim=m, day=d, key=k, count=n) for (o, m, d, k), n in counts.items()],
            batch_size=5000,
        )
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
            [AckDelay(organisation_id=o, day=d, bucket=b, count=n) for (o, d, b), n in delays.items()], batch_size=5000
        )
    return {"day_counts": len(counts), "delay_buckets": len(delays)}
