"""Assertions shared by the normalisation tests."""

from __future__ import annotations

from phoihop.indicators.normalise import IndicatorKind, normalise
from phoihop.indicators.normalise.base import _luhn_ok


def luhn_digit(payload: str) -> str:
    """The Luhn check digit to append to ``payload``."""
    for digit in "0123456789":
        if _luhn_ok(payload + digit):
            return digit
    raise AssertionError("unreachable")


def assert_invalid(kind: IndicatorKind, raw: str, error_code: str) -> None:
    ind = normalise(kind, raw)
    assert not ind.valid, ind
    assert ind.error_code == error_code
    assert ind.value == ind.raw == raw.strip()


def assert_idempotent(kind: IndicatorKind, raw: str, **kwargs: str) -> None:
    first = normalise(kind, raw, **kwargs)
    assert first.valid, first
    again = normalise(kind, first.value)
    assert again.valid and again.value == first.value
