"""Writes of the indicators app: the shared rows that reports of the same scam meet on."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Mapping

from django.db import connection
from django.db.models import F
from django.utils import timezone

from .models import Indicator

CHUNK = 500  # rows per statement (5 parameters each: well under SQLite's and PostgreSQL's limits)


def indicators_record(counts: Mapping[tuple[str, str], int]) -> dict[tuple[str, str], Indicator]:
    """Count `n` more reports for each `(kind, value)`, creating the rows that do not exist yet.

    One statement per 500 values: an INSERT ... ON CONFLICT DO UPDATE ... RETURNING, atomic against a
    concurrent report naming the same value, which returns every row with its new count (so the answer
    to "reported N times" needs no further query). The caller holds the transaction (a report's write).
    """
    if not counts:
        return {}
    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 35):
        return _record_without_returning(counts)
    table = Indicator._meta.db_table
    now = timezone.now()
    out: dict[tuple[str, str], Indicator] = {}
    keys = sorted(counts)  # one order for every writer: no deadlock between two batches on PostgreSQL
    for start in range(0, len(keys), CHUNK):
        part = keys[start : start + CHUNK]
        params: list[str | int | dt.datetime] = []
        for kind, value in part:
            params += [kind, value, counts[(kind, value)], now, now]
        rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(part))
        # Table and column names are the model's own; every value is a parameter.
        sql = (
            f"INSERT INTO {table} (kind, value, report_count, first_seen, last_seen) VALUES {rows} "  # noqa: S608
            f"ON CONFLICT (kind, value) DO UPDATE SET report_count = {table}.report_count + excluded.report_count, "
            "last_seen = excluded.last_seen "
            "RETURNING id, kind, value, report_count, first_seen, last_seen"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for pk, kind, value, report_count, first_seen, last_seen in cursor.fetchall():
                out[(kind, value)] = Indicator(
                    pk=pk,
                    kind=kind,
                    value=value,
                    report_count=report_count,
                    first_seen=_aware(first_seen),
                    last_seen=_aware(last_seen),
                )
    return out


def _aware(value):
    """SQLite returns timestamps as text from a raw cursor; the ORM's converters are not applied there."""
    if isinstance(value, str):
        from django.utils.dateparse import parse_datetime

        parsed = parse_datetime(value)
        return timezone.make_aware(parsed, dt.UTC) if parsed and timezone.is_naive(parsed) else parsed
    return value


def _record_without_returning(counts: Mapping[tuple[str, str], int]) -> dict[tuple[str, str], Indicator]:
    """The same for SQLite before 3.35 (no RETURNING): create the missing rows, count, read them back."""
    by_kind: dict[str, set[str]] = defaultdict(set)
    for kind, value in counts:
        by_kind[kind].add(value)
    Indicator.objects.bulk_create([Indicator(kind=k, value=v) for k, v in counts], ignore_conflicts=True)
    by_n: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for key, n in counts.items():
        by_n[n].append(key)
    now = timezone.now()
    rows: dict[tuple[str, str], Indicator] = {}
    for kind, values in by_kind.items():
        for row in Indicator.objects.filter(kind=kind, value__in=values):
            rows[(row.kind, row.value)] = row
    for n, keys in by_n.items():
        Indicator.objects.filter(pk__in=[rows[k].pk for k in keys]).update(
            report_count=F("report_count") + n, last_seen=now
        )
    for key, row in rows.items():
        row.report_count += counts[key]
    return rows
