"""Đ11.5, Đ18.2: the reports an organisation made itself are counted from the "made" aggregates (not from its
reports' rows), and the figure stays the one of counting what the user may see, before and after new reports,
for staff (their own reports delivered to them or not) and for an enterprise (a report of it hidden by a
restricted case)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from phoihop.cases.choices import AccessLevel
from phoihop.cases.tests.factories import open_case, submit_report
from phoihop.core.permissions import scope
from phoihop.dashboards.aggregates import aggregates_rebuild
from phoihop.dashboards.models import AckDelay, DayCount
from phoihop.dashboards.statistics import GROUP_BY, report_statistics
from phoihop.intake.models import Report

from .test_statistics import as_counter, counted

pytestmark = pytest.mark.django_db
WHO = ["dic_focal", "police_focal", "vc_officer", "doit_focal", "viettel", "vnpt"]


def snapshot():
    return (
        sorted(DayCount.objects.values_list("organisation_id", "dim", "day", "key", "count")),
        sorted(AckDelay.objects.values_list("organisation_id", "day", "bucket", "count")),
    )


def counted_today(user, group_by):
    today = timezone.localdate()
    qs = scope(user, Report.objects.all())
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    qs = qs.filter(created_at__gte=start, created_at__lt=start + dt.timedelta(days=1))
    return counted(qs, group_by, period=None)


@pytest.fixture
def made(world):
    cast, _reports = world
    cast = cast.fresh()
    made = {
        "vc_here": submit_report(by=cast.vc_officer, phone="0988 100 001"),  # delivered to Vĩnh Châu police too
        "vc_away": submit_report(by=cast.vc_officer, area="st-soc-trang-p1", phone="0988 100 002"),
        "doit": submit_report(by=cast.doit_focal, behaviour="12.L1", phone=None, description="Phát tán tin giả"),
        "viettel": submit_report(by=cast.viettel, phone="0988 100 003"),
        "viettel_hidden": submit_report(by=cast.viettel, phone="0988 100 004"),
    }
    open_case(cast.dic_focal, made["viettel_hidden"], access_level=AccessLevel.RESTRICTED)
    return cast, made


@pytest.mark.parametrize("group_by", GROUP_BY)
@pytest.mark.parametrize("who", WHO)
def test_own_reports_count_like_the_scope(made, who, group_by):
    cast, _made = made
    user = cast[who]
    today = timezone.localdate()
    stats = report_statistics(user=user, date_from=today, date_to=today, group_by=group_by)
    total, groups = counted_today(user, group_by)
    assert stats["total"] == total
    assert as_counter(stats) == groups


def test_an_enterprise_counts_its_own_reports_less_the_hidden_one(made):
    cast, _made = made
    today = timezone.localdate()
    stats = report_statistics(user=cast.viettel, date_from=today, date_to=today, group_by="behaviour")
    assert stats["total"] == 1
    assert as_counter(stats) == Counter({"13.4": 1})


def test_made_rows_written_by_intake_match_a_rebuild(made):
    incremental = snapshot()
    assert DayCount.objects.filter(dim="T").exists() and DayCount.objects.filter(dim="U").exists()
    aggregates_rebuild()
    assert snapshot() == incremental
