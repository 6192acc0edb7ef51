"""Writes of the indicators app: the shared rows that reports of the same scam meet on."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import F
from django.utils import timezone

from .models import Indicator


def indicator_upsert_many(keys: set[tuple[str, str]]) -> dict[tuple[str, str], Indicator]:
    """The Indicator rows for `(kind, value)` keys, creating the missing ones (safe against concurrent creation).

    The caller holds the transaction (it is part of a report's write).
    """
    if not keys:
        return {}
    by_kind: dict[str, set[str]] = defaultdict(set)
    for kind, value in keys:
        by_kind[kind].add(value)

    def fetch() -> dict[tuple[str, str], Indicator]:
        out = {}
        for kind, values in by_kind.items():
            for row in Indicator.objects.filter(kind=kind, value__in=values):
                out[(row.kind, row.value)] = row
        return out

    rows = fetch()
    missing = keys - rows.keys()
    if missing:
        Indicator.objects.bulk_create([Indicator(kind=k, value=v) for k, v in missing], ignore_conflicts=True)
        rows = fetch()
    return rows


def indicator_count_reports(counts: Counter[int] | dict[int, int]) -> None:
    """Add `n` new reports to each indicator's counter (one UPDATE per distinct n, usually one)."""
    by_count: dict[int, list[int]] = defaultdict(list)
    for pk, n in counts.items():
        by_count[n].append(pk)
    now = timezone.now()
    for n, pks in by_count.items():
        Indicator.objects.filter(pk__in=pks).update(report_count=F("report_count") + n, last_seen=now)
