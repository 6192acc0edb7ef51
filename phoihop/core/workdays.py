"""Working days in Viet Nam: the calendar every deadline counted "in working days" is measured on.

A day is a working day unless it falls on a weekend (Saturday, Sunday) or a public holiday of the Labour Code
(art. 112): New Year, the lunar New Year (Tết, five days or more, moved by the lunar calendar), the Hùng Kings'
day (10/3 lunar), 30/4, 1/5 and National Day, with the days "observed" when a holiday falls on a weekend. The
Government also swaps days around a holiday (a Monday off, a Saturday worked instead): the `holidays` package
knows those swaps, so a Saturday made a working day counts as one.

    is_working_day(d)                 is `d` a working day?
    next_working_day(d)               `d` itself when it is a working day, else the first one after it
    add_working_days(start, n)        the day `n` working days after `start` (before it when `n` < 0)
    working_days_between(a, b)        how many working days lie after `a`, up to and including `b`
    holiday_name(d)                   the holiday's name, or "" on a day that is not one

Counting rule (Civil Code 2015, art. 147: the first day of a period counted in days is not counted): "answer
within 5 working days" of a request received on a Friday means by the fifth working day after that Friday.
The calendar of one year is built once per process and kept (it never changes).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.utils import timezone

# A deadline is never set further than this: ten years of working days. Beyond it the input is wrong.
MAX_WORKING_DAYS = 2600

DateLike = dt.date | dt.datetime


@lru_cache(maxsize=64)
def _calendar(year: int) -> holidays.HolidayBase:
    """The public holidays of one year in Viet Nam (the lunar ones computed by the package)."""
    return holidays.Vietnam(years=year)


def _as_date(value: DateLike) -> dt.date:
    """A date from a date or a datetime (an aware datetime read in the project's time zone)."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            return timezone.localdate(value)
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"a date is needed, not {type(value).__name__}")


@lru_cache(maxsize=64)
def _days_off(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """The public holidays of `year` and the weekend days the Government made working days, as plain sets."""
    calendar = _calendar(year)
    return frozenset(calendar), frozenset(getattr(calendar, "weekend_workdays", ()) or ())


def is_working_day(day: DateLike) -> bool:
    """Is `day` a working day (not a weekend unless swapped to a working day, not a public holiday)?"""
    d = _as_date(day)
    holidays_of_year, swapped = _days_off(d.year)
    if d.weekday() >= 5:  # Saturday, Sunday
        return d in swapped
    return d not in holidays_of_year


def holiday_name(day: DateLike) -> str:
    """The name of the public holiday on `day` (as the package gives it), or ""."""
    d = _as_date(day)
    return str(_calendar(d.year).get(d) or "")


def next_working_day(day: DateLike) -> dt.date:
    """`day` when it is a working day, otherwise the first working day after it."""
    d = _as_date(day)
    for _i in range(MAX_WORKING_DAYS):
        if is_working_day(d):
            return d
        d += dt.timedelta(days=1)
    raise ValueError("no working day found")  # pragma: no cover - a calendar without working days


def add_working_days(start: DateLike, n: int) -> dt.date:
    """The day `n` working days after `start` (`start` itself not counted); before it when `n` is negative.

    With `n` == 0 the answer is `start` itself, whatever day it is.
    """
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError("the number of working days must be an integer")
    if abs(n) > MAX_WORKING_DAYS:
        raise ValueError(f"at most {MAX_WORKING_DAYS} working days")
    d = _as_date(start)
    step = dt.timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    while remaining:
        d += step
        if is_working_day(d):
            remaining -= 1
    return d


def working_days_between(a: DateLike, b: DateLike) -> int:
    """The working days after `a` up to and including `b` (negative when `b` is before `a`).

    So `working_days_between(a, add_working_days(a, n)) == n`, and a request due on `b` that is looked at on
    day `a` has that many working days left (0 on the due day, negative once overdue).
    """
    start, end = _as_date(a), _as_date(b)
    if end < start:
        return -working_days_between(end, start)
    if (end - start).days > MAX_WORKING_DAYS * 2:
        raise ValueError(f"at most {MAX_WORKING_DAYS * 2} days apart")
    count = 0
    d = start
    while d < end:
        d += dt.timedelta(days=1)
        if is_working_day(d):
            count += 1
    return count
