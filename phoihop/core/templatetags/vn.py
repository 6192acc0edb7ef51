"""Amounts as Vietnamese officials write them: `{{ fine|money }}` → "7.500.000 đ" (in English "7,500,000 VND").

Django's own number localisation would group every number of every page (years, ids, counts) once
USE_THOUSAND_SEPARATOR is on; an amount of money is grouped here, where it is shown, instead.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import get_language

register = template.Library()


def _grouped(whole: int, separator: str) -> str:
    return f"{whole:,}".replace(",", separator)


@register.filter
def money(value) -> str:
    """An amount in đồng, grouped by thousands, with its unit; "" for no amount, the value itself if not a number."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    english = (get_language() or "vi").startswith("en")
    sign = "-" if amount < 0 else ""
    whole = int(abs(amount).to_integral_value())  # the đồng has no subunit in use
    if english:
        return f"{sign}{_grouped(whole, ',')} VND"
    return f"{sign}{_grouped(whole, '.')}\u00a0đ"
