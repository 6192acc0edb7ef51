"""Reads of the indicators app."""

from __future__ import annotations

from .models import Indicator


def indicator_lookup(kind: str, value: str) -> Indicator | None:
    """One indicator by its normalised value (an index lookup)."""
    return Indicator.objects.filter(kind=kind, value=value).first()
