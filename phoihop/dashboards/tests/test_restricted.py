"""Đ3.1: the counts of what restricted cases hide follow every change of a case and every acknowledgement (they
equal a recount), and every user's figures built on them equal counting what the user may see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from phoihop.cases.choices import AccessLevel
from phoihop.cases.services import (
    case_add_member,
    case_add_participant,
    case_attach_reports,
    case_set_access,
    remove_participant,
)
from phoihop.cases.tests.factories import ctx, make_cast, make_user, open_case, org, submit_report
from phoihop.core.permissions import scope
from phoihop.dashboards.models import RestrictedAudience, RestrictedCount, RestrictedReport
from phoihop.dashboards.restricted import restricted_rebuild
from phoihop.dashboards.selectors import ack_deadline, deliveries_waiting
from phoihop.dashboards.statistics import GROUP_BY, Period, report_statistics
from phoihop.directory.choices import Role
from phoihop.directory.models import User
from phoihop.inbox.models import Delivery
from phoihop.inbox.permissions import may_have_inbox
from phoihop.inbox.selectors import inbox_for
from phoihop.inbox.services import delivery_acknowledge
from phoihop.intake.models import Report

from .test_statistics import as_counter, counted

pytestmark = pytest.mark.django_db

WHO = ["dic_focal", "dic_head", "police_focal", "vc_officer", "vc_head", "investigator", "viettel", "vnpt"]


def snapshot():
    return (
        sorted(
            RestrictedCount.objects.exclude(count=0).values_list(
                "audience_id", "organisation_id", "dim", "day", "key", "count"
            )
        ),
        sorted(RestrictedReport.objects.values_list("report_id", "case_id")),
        sorted(RestrictedAudience.objects.values_list("case_id", "organisation_id")),
    )


def assert_counts_match_a_recount() -> None:
    kept = snapshot()
    restricted_rebuild()
    assert snapshot() == kept


def assert_everyone_counts_what_they_see(people) -> None:
    today = timezone.localdate()
    period = Period(today, today)
    deadline = ack_deadline()
    for who in WHO:
        user = people[who]
        for group_by in GROUP_BY:
            stats = report_statistics(user=user, date_from=today, date_to=today, group_by=group_by)
            total, groups = counted(scope(user, Report.objects.all()), group_by, period)
            assert (who, group_by, stats["total"]) == (who, group_by, total)
            assert as_counter(stats) == groups, (who, group_by)
        if may_have_inbox(user):
            _rows, waiting, overdue = deliveries_waiting(user)
            inbox = inbox_for(user).filter(acknowledged_at__isnull=True)
            assert (who, waiting, overdue) == (who, inbox.count(), inbox.filter(delivered_at__lt=deadline).count())


def test_hidden_counts_follow_every_change_and_figures_equal_what_each_user_sees():
    cast = make_cast()
    people = dict(cast.items())
    people["vc_head"] = make_user("vc.head", "st-police-vinh-chau", Role.HEAD)
    reports = [submit_report(phone=f"0912 000 10{i}") for i in range(5)]
    own = submit_report(by=cast.viettel, phone="0933 111 299")
    # Some deliveries wait beyond the deadline (Đ3.4: overdue), the others are recent.
    Delivery.objects.filter(report__in=reports[:2]).update(delivered_at=timezone.now() - dt.timedelta(days=2))

    def fresh():
        return dict(cast.fresh().items()) | {"vc_head": User.objects.get(pk=people["vc_head"].pk)}

    first = open_case(cast.dic_focal, reports[0], access_level=AccessLevel.RESTRICTED)
    second = open_case(cast.police_focal, [reports[1], own], access_level=AccessLevel.RESTRICTED)
    third = open_case(cast.police_focal, reports[2], access_level=AccessLevel.RESTRICTED)
    open_case(cast.police_focal, reports[3])  # not restricted: nothing counted
    assert RestrictedReport.objects.count() == 4
    assert_counts_match_a_recount()
    assert_everyone_counts_what_they_see(fresh())

    case_attach_reports(case=first, reports=[reports[4]], ctx=ctx(cast.dic_focal))
    case_add_participant(case=first, organisation=org("st-police-vinh-chau"), ctx=ctx(cast.dic_focal))
    # the officer named on the first case: one seen, two hidden (read from the counts, less the one seen)
    case_add_member(case=first, user=cast.vc_officer, ctx=ctx(cast.dic_focal))
    assert_counts_match_a_recount()
    assert_everyone_counts_what_they_see(fresh())

    for delivery in Delivery.objects.filter(
        report__in=[reports[0], reports[4]], organisation=cast.dic_focal.organisation
    ):
        delivery_acknowledge(delivery=delivery, ctx=ctx(cast.dic_focal))
    for delivery in Delivery.objects.filter(report=reports[1], organisation=cast.police_focal.organisation):
        delivery_acknowledge(delivery=delivery, ctx=ctx(cast.police_focal))
    assert_counts_match_a_recount()
    assert_everyone_counts_what_they_see(fresh())

    remove_participant(
        case=first, organisation=org("st-police-vinh-chau"), reason="Không còn liên quan", ctx=ctx(cast.dic_focal)
    )
    case_set_access(case=third, level=AccessLevel.NORMAL, ctx=ctx(cast.police_focal))
    assert_counts_match_a_recount()
    assert_everyone_counts_what_they_see(fresh())

    case_set_access(case=second, level=AccessLevel.NORMAL, ctx=ctx(cast.police_focal))
    case_set_access(case=third, level=AccessLevel.RESTRICTED, ctx=ctx(cast.police_focal))
    assert_counts_match_a_recount()
    assert_everyone_counts_what_they_see(fresh())
    assert sorted(RestrictedReport.objects.values_list("report_id", flat=True)) == sorted(
        r.pk for r in (reports[0], reports[4], reports[2])
    )


def test_a_case_that_is_not_restricted_counts_nothing():
    cast = make_cast()
    report = submit_report()
    open_case(cast.dic_focal, report)
    assert not RestrictedCount.objects.exists()
    assert not RestrictedReport.objects.exists()
