"""Periods from the rule set's schedule (Đ18.2): boundaries, due dates on working days, obliged parties."""

from __future__ import annotations

import datetime as dt

import pytest

from phoihop.core.errors import Invalid, NotAllowed
from phoihop.reporting.models import Obligation, Period
from phoihop.reporting.services import adhoc_request, period_ensure
from phoihop.reporting.services.periods import period_dates, period_for_day, previous_code

from .conftest import ctx

pytestmark = pytest.mark.django_db


def test_halves_of_the_year_from_the_schedule():
    h1, h2 = period_dates("2026-H1"), period_dates("2026-H2")
    assert (h1.starts_on, h1.ends_on, h1.due_on) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30), dt.date(2026, 7, 10))
    # H2 is due on 10 January of the next year (a Sunday in 2027: the next working day, Monday 11).
    assert (h2.starts_on, h2.ends_on) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert h2.due_on == dt.date(2027, 1, 11)
    assert period_for_day(dt.date(2026, 11, 30)) == "2026-H2"
    assert previous_code("2026-H1") == "2025-H2"


@pytest.mark.parametrize("code", ["2026", "2026-H3", "26-H1", "1999-H1", ""])
def test_a_period_that_does_not_exist_is_refused_naming_the_field(code):
    with pytest.raises(Invalid) as err:
        period_dates(code)
    assert "period" in err.value.errors


def test_obliged_parties_are_those_of_article_18_2(period):
    codes = set(period.obligations.values_list("organisation__code", flat=True))
    # Đ18.2: police, DoIT, Border Guard, newspaper, radio-TV, district People's Committees, ICT enterprises.
    assert {"st-police", "st-doit", "st-border-guard", "st-newspaper", "st-radio-tv"} <= codes
    assert {"st-pc-vinh-chau", "st-pc-tran-de", "st-viettel", "st-vnpt"} <= codes
    # The convenor receives the reports and owes none; district police and border posts are not named.
    assert "st-dic" not in codes and "st-police-vinh-chau" not in codes and "st-bp-vinh-hai" not in codes
    assert set(period.obligations.values_list("due_on", flat=True)) == {dt.date(2026, 7, 10)}


def test_opening_a_period_twice_changes_nothing(period, people):
    count = Obligation.objects.count()
    again = period_ensure(code="2026-H1", ctx=ctx(people["dic_focal"]))
    assert again.pk == period.pk and Obligation.objects.count() == count


def test_ad_hoc_request_by_the_dic_only(people, today):
    pc = people["pc_focal"].organisation
    kwargs = {
        "title": "Tình hình lừa đảo qua mạng dịp Tết",
        "request_text": "Số vụ, thủ đoạn mới",
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2026, 6, 30),
        "due_on": dt.date(2026, 7, 20),
        "organisations": [pc],
    }
    with pytest.raises(NotAllowed):
        adhoc_request(**kwargs, ctx=ctx(people["pc_focal"]))
    with pytest.raises(Invalid) as err:
        adhoc_request(**{**kwargs, "due_on": dt.date(2026, 1, 1), "organisations": []}, ctx=ctx(people["dic_focal"]))
    assert {"due_on", "organisations"} <= set(err.value.errors)
    assert not Period.objects.filter(kind="ad_hoc").exists()
    period = adhoc_request(**kwargs, ctx=ctx(people["dic_focal"]))
    assert period.code == "2026-AH1" and list(period.obligations.values_list("organisation", flat=True)) == [pc.pk]
