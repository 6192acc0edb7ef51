"""A small province of reports for the dashboards tests: a cast, reports of several kinds, places and days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from phoihop.cases.choices import AccessLevel
from phoihop.cases.tests.factories import built_once, make_cast, open_case, submit_report
from phoihop.intake.models import Report

TODAY = dt.date(2026, 5, 20)


def at_day(report: Report, day: dt.date, hour: int = 10) -> None:
    """Move a report (and the counts) to another day: reports carry their receipt time, the aggregates its day.

    The aggregates are rebuilt by the caller afterwards (the services never back-date a report)."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    Report.objects.filter(pk=report.pk).update(created_at=moment)
    report.deliveries.update(delivered_at=moment)


def build_world():
    from phoihop.dashboards.aggregates import aggregates_rebuild

    cast = make_cast()
    reports = {
        # Đ13.4 fraud calls in Vĩnh Châu (coastal: DIC, police, Vĩnh Châu police, border posts)
        "call1": submit_report(),
        "call2": submit_report(phone="0912 000 111"),
        # an enterprise's own report (Đ11.5)
        "viettel1": submit_report(by=cast.viettel, phone="0933 111 222"),
        # a different behaviour and place
        "other": submit_report(behaviour="12.L1", area="st-soc-trang-p1", phone=None, description="Phát tán tin giả"),
        "noarea": submit_report(area=None, phone="0933 555 444"),
        "old": submit_report(phone="0944 555 666"),
        "late": submit_report(phone="0955 555 666"),
    }
    days = {"call1": TODAY, "call2": TODAY - dt.timedelta(days=1), "viettel1": TODAY, "other": TODAY}
    days |= {"noarea": TODAY - dt.timedelta(days=3), "old": dt.date(2025, 12, 31), "late": dt.date(2026, 7, 1)}
    for name, day in days.items():
        at_day(reports[name], day, hour=0 if name == "late" else 10)
    # a restricted case hides call2 from everyone not named on it (Đ3.1)
    open_case(cast.dic_focal, reports["call2"], access_level=AccessLevel.RESTRICTED)
    aggregates_rebuild()
    return cast, reports


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, build_world) as built:
        yield built
