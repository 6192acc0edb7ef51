"""report_statistics: the same number as counting the reports a caller may see, for every way of grouping."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from phoihop.core.errors import Invalid
from phoihop.core.permissions import scope
from phoihop.dashboards.aggregates import aggregates_rebuild
from phoihop.dashboards.models import AckDelay, DayCount
from phoihop.dashboards.statistics import GROUP_BY, Period, area_rollup, report_statistics
from phoihop.directory.models import Organisation
from phoihop.inbox.models import Delivery
from phoihop.intake.models import Report

from .conftest import TODAY

pytestmark = pytest.mark.django_db
FIRST_HALF = {"date_from": dt.date(2026, 1, 1), "date_to": dt.date(2026, 6, 30)}


HALF = Period(FIRST_HALF["date_from"], FIRST_HALF["date_to"])


def counted(qs, group_by, period: Period | None = HALF):
    """Count a queryset of reports the slow, obvious way (in the first half of 2026 unless `period` is None)."""
    if period is not None:
        qs = qs.filter(period.received())
    if group_by == "organisation":
        rows = Delivery.objects.filter(report__in=qs).select_related("organisation")
        return qs.count(), Counter(d.organisation.code for d in rows)
    if group_by == "area":
        rollup = area_rollup()
        return qs.count(), Counter(rollup[r.area_id].code if r.area_id else "" for r in qs)
    return qs.count(), Counter(getattr(r, group_by).code if getattr(r, group_by) else "" for r in qs)


def as_counter(stats):
    return Counter({g["key"]: g["count"] for g in stats["groups"]})


@pytest.mark.parametrize("group_by", GROUP_BY)
def test_province_wide_equals_counting_every_report(world, group_by):
    stats = report_statistics(**FIRST_HALF, group_by=group_by)
    total, groups = counted(Report.objects.all(), group_by)
    assert stats["total"] == total == 5  # "old" is in 2025, "late" in the second half
    assert as_counter(stats) == groups


@pytest.mark.parametrize("group_by", GROUP_BY)
@pytest.mark.parametrize(
    "who", ["dic_focal", "dic_head", "police_focal", "vc_officer", "doit_focal", "viettel", "vnpt", "investigator"]
)
def test_a_user_counts_exactly_what_they_may_see(world, who, group_by):
    cast, _reports = world
    user = cast.fresh()[who]
    stats = report_statistics(user=user, **FIRST_HALF, group_by=group_by)
    total, groups = counted(scope(user, Report.objects.all()), group_by)
    assert stats["total"] == total
    assert as_counter(stats) == groups


def test_restricted_reports_are_not_counted_by_those_they_are_hidden_from(world):
    cast, _reports = world
    cast = cast.fresh()
    assert report_statistics(user=cast.dic_focal, **FIRST_HALF)["total"] == 5  # named on the case
    assert report_statistics(user=cast.police_focal, **FIRST_HALF)["total"] == 4  # hidden from the police


def test_an_enterprise_counts_only_its_own_reports(world):
    cast, _reports = world
    cast = cast.fresh()
    stats = report_statistics(user=cast.viettel, **FIRST_HALF, group_by="behaviour")
    assert stats["total"] == 1
    assert as_counter(stats) == Counter({"13.4": 1})
    assert report_statistics(user=cast.vnpt, **FIRST_HALF)["total"] == 0
    assert report_statistics(user=cast.outsider, **FIRST_HALF)["total"] == 0
    assert report_statistics(user=cast.sysadmin, **FIRST_HALF)["total"] == 0


def test_an_organisation_counts_what_was_delivered_to_it(world):
    police = Organisation.objects.get(code="st-police-vinh-chau")
    stats = report_statistics(organisation=police, **FIRST_HALF, group_by="sector")
    expected = Report.objects.filter(deliveries__organisation=police, created_at__year=2026, created_at__month__lte=6)
    assert stats["total"] == expected.count() >= 2


def test_days_are_local_days_and_both_ends_are_included(world):
    one_day = report_statistics(date_from=TODAY, date_to=TODAY)
    assert one_day["total"] == 3  # call1, viettel1, other
    # "late" was received at 00:00 on 1 July, local time (17:00 UTC on 30 June): it belongs to July.
    july = report_statistics(date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 7, 1))
    assert july["total"] == 1
    assert report_statistics(date_from=dt.date(2026, 6, 30), date_to=dt.date(2026, 6, 30))["total"] == 0


def test_labels_name_the_group_and_unknown_is_not_given(world):
    stats = report_statistics(**FIRST_HALF, group_by="area")
    keys = {g["key"]: g["label"] for g in stats["groups"]}
    assert keys["st-vinh-chau"] == "Thị xã Vĩnh Châu"
    assert keys["st-soc-trang"] == "Thành phố Sóc Trăng"  # a ward counted in its city
    assert keys[""] == "Not given"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"date_from": None, "date_to": dt.date(2026, 1, 1)}, "from"),
        ({"date_from": dt.date(2026, 1, 1), "date_to": None}, "to"),
        ({"date_from": dt.date(2026, 2, 1), "date_to": dt.date(2026, 1, 1)}, "to"),
        ({"date_from": dt.date(1800, 1, 1), "date_to": dt.date(2026, 1, 1)}, "from"),
        ({**FIRST_HALF, "group_by": "colour"}, "group_by"),
    ],
)
def test_bad_input_names_the_field(world, kwargs, field):
    with pytest.raises(Invalid) as refused:
        report_statistics(**kwargs)
    assert field in refused.value.errors


def test_counts_follow_each_new_report_and_match_a_rebuild(world):
    from phoihop.cases.tests.factories import submit_report

    today = dt.date.today()
    before = report_statistics(date_from=today, date_to=today)["total"]
    submit_report(phone="0966 777 888")
    submit_report(behaviour="13.1", phone="0966 777 889")
    assert report_statistics(date_from=today, date_to=today)["total"] == before + 2
    incremental = (
        sorted(DayCount.objects.values_list("organisation_id", "dim", "day", "key", "count")),
        sorted(AckDelay.objects.values_list("organisation_id", "day", "bucket", "count")),
    )
    aggregates_rebuild()
    rebuilt = (
        sorted(DayCount.objects.values_list("organisation_id", "dim", "day", "key", "count")),
        sorted(AckDelay.objects.values_list("organisation_id", "day", "bucket", "count")),
    )
    assert incremental == rebuilt
