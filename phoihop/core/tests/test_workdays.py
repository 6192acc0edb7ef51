"""Working days: weekends, public holidays (lunar ones included), the Government's swapped days."""

import datetime as dt

import pytest
from django.utils import timezone

from phoihop.core.workdays import (
    add_working_days,
    holiday_name,
    is_working_day,
    next_working_day,
    working_days_between,
)

D = dt.date


def test_weekend_is_not_a_working_day():
    assert is_working_day(D(2026, 11, 27))  # Friday
    assert not is_working_day(D(2026, 11, 28))  # Saturday
    assert not is_working_day(D(2026, 11, 29))  # Sunday
    assert is_working_day(D(2026, 11, 30))  # Monday


def test_tet_2027_is_off_from_the_29th_to_the_fifth_day():
    # Tết Đinh Mùi: the first day of the lunar year is Saturday 2027-02-06; the holiday runs 2027-02-04..10.
    assert "Lunar New Year" in holiday_name(D(2027, 2, 6))
    for day in range(4, 11):
        assert not is_working_day(D(2027, 2, day)), day
    assert is_working_day(D(2027, 2, 3))
    assert is_working_day(D(2027, 2, 11))


def test_add_working_days_across_tet_and_a_weekend():
    # Requested on Wednesday 2027-02-03, the last day worked before Tết: 5 working days skip the seven days
    # of Tết and the weekend after it: Thu 11, Fri 12, Mon 15, Tue 16, Wed 17.
    assert add_working_days(D(2027, 2, 3), 1) == D(2027, 2, 11)
    assert add_working_days(D(2027, 2, 3), 5) == D(2027, 2, 17)
    assert working_days_between(D(2027, 2, 3), D(2027, 2, 17)) == 5
    # and backwards: five working days before 2027-02-17 is the day before Tết
    assert add_working_days(D(2027, 2, 17), -5) == D(2027, 2, 3)


def test_add_working_days_over_a_plain_weekend():
    friday = D(2026, 12, 4)
    assert add_working_days(friday, 1) == D(2026, 12, 7)  # Monday
    assert add_working_days(friday, 5) == D(2026, 12, 11)
    assert add_working_days(D(2026, 12, 5), 1) == D(2026, 12, 7)  # from a Saturday: Monday
    assert add_working_days(friday, 0) == friday


def test_lunar_holiday_moves_with_the_moon():
    # Hùng Kings' day (10th of the 3rd lunar month): 2027-04-16, 2026-04-26 (a Sunday, observed Monday 27)
    assert not is_working_day(D(2027, 4, 16))
    assert is_working_day(D(2026, 4, 16))
    assert not is_working_day(D(2026, 4, 27))
    assert add_working_days(D(2026, 4, 24), 1) == D(2026, 4, 28)


def test_swapped_saturday_is_a_working_day():
    # 2026: Monday 31 August off, Saturday 22 August worked instead (the Government's swap).
    assert is_working_day(D(2026, 8, 22))
    assert not is_working_day(D(2026, 8, 31))
    assert add_working_days(D(2026, 8, 21), 1) == D(2026, 8, 22)


def test_working_days_between_signs_and_bounds():
    monday, next_monday = D(2026, 12, 7), D(2026, 12, 14)
    assert working_days_between(monday, monday) == 0
    assert working_days_between(monday, next_monday) == 5
    assert working_days_between(next_monday, monday) == -5
    for n in range(0, 40):
        start = D(2027, 1, 25)
        assert working_days_between(start, add_working_days(start, n)) == n


def test_next_working_day():
    assert next_working_day(D(2027, 2, 6)) == D(2027, 2, 11)
    assert next_working_day(D(2026, 12, 7)) == D(2026, 12, 7)


def test_aware_datetime_is_read_in_the_local_time_zone():
    # 2026-12-04 18:00 UTC is Saturday 01:00 in Viet Nam: not a working day
    moment = dt.datetime(2026, 12, 4, 18, 0, tzinfo=dt.UTC)
    assert timezone.localdate(moment) == D(2026, 12, 5)
    assert not is_working_day(moment)


def test_bad_input_is_refused():
    with pytest.raises(TypeError):
        add_working_days(D(2026, 1, 1), 1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        add_working_days(D(2026, 1, 1), 100_000)
    with pytest.raises(TypeError):
        is_working_day("2026-01-01")  # type: ignore[arg-type]
