"""The periods the dashboards and the statistics show by default (Đ18.2: reports every six months)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()


def default_period(day: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """From the first day of the half-year of `day` (today) to `day`."""
    day = day or today()
    return dt.date(day.year, 1 if day.month <= 6 else 7, 1), day


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())
