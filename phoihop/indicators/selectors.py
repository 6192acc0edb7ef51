"""Reads of the indicators app."""

from __future__ import annotations

from phoihop.api.prepared import PreparedRead

from .models import Indicator


def indicator_lookup(kind: str, value: str) -> Indicator | None:
    """One indicator by its normalised value (an index lookup)."""
    return Indicator.objects.filter(kind=kind, value=value).first()


# The API's look-up asks this of every number a caller checks: its statement is built once (api.prepared).
_COUNTS = PreparedRead(
    lambda kind, value: Indicator.objects.filter(kind=kind, value=value).order_by().values_list("pk", "report_count")
)


def indicator_report_count(kind: str, value: str) -> tuple[int, int] | None:
    """The key of the indicator with this normalised value and how many reports named it; None if none did."""
    found = _COUNTS.rows(kind, value)
    return (found[0][0], found[0][1]) if found else None
