"""Đ3.4: what waits for acknowledgement and what is overdue, read from the "waiting" aggregate, is the same
figure as counting the deliveries (the inbox's count), before and after acknowledgements and new reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from phoihop.cases.tests.factories import ctx, submit_report
from phoihop.core.permissions import scope
from phoihop.dashboards.aggregates import WAITING, aggregates_rebuild
from phoihop.dashboards.models import AckDelay, DayCount
from phoihop.dashboards.selectors import deliveries_waiting, timeliness
from phoihop.directory.models import Organisation
from phoihop.inbox.models import Delivery
from phoihop.inbox.selectors import ack_deadline, inbox_counts
from phoihop.inbox.services import delivery_acknowledge

pytestmark = pytest.mark.django_db
YEAR = {"date_from": dt.date(2025, 1, 1), "date_to": dt.date(2026, 12, 31)}


def snapshot():
    return (
        sorted(DayCount.objects.values_list("organisation_id", "dim", "day", "key", "count")),
        sorted(AckDelay.objects.values_list("organisation_id", "day", "bucket", "count")),
    )


def recounted(org: Organisation) -> tuple[int, int]:
    waiting = Delivery.objects.filter(organisation=org, acknowledged_at__isnull=True)
    return waiting.count(), waiting.filter(delivered_at__lt=ack_deadline()).count()


def test_waiting_rows_follow_reports_and_acknowledgements_and_match_a_rebuild(world):
    cast, reports = world
    cast = cast.fresh()
    dic = cast.dic_focal.organisation
    assert DayCount.objects.filter(organisation_id=dic.pk, dim=WAITING).exists()
    fresh = submit_report(phone="0977 123 456")  # received now: waiting, not yet overdue
    for name in ("call1", "other"):
        delivery = Delivery.objects.get(report=reports[name], organisation=dic)
        delivery_acknowledge(delivery=delivery, ctx=ctx(cast.dic_focal))
    delivery_acknowledge(
        delivery=Delivery.objects.get(report=reports["call1"], organisation=dic), ctx=ctx(cast.dic_focal)
    )
    assert Delivery.objects.filter(report=fresh, organisation=dic, acknowledged_at__isnull=True).exists()
    incremental = snapshot()
    aggregates_rebuild()
    assert snapshot() == incremental


def test_timeliness_counts_what_waits_and_what_is_overdue_like_the_deliveries(world):
    cast, reports = world
    cast = cast.fresh()
    orgs = list(Organisation.objects.filter(deliveries__isnull=False).distinct())
    before = {t.organisation.pk: (t.waiting, t.overdue) for t in timeliness(organisations=orgs, **YEAR)}
    assert before == {o.pk: recounted(o) for o in orgs}
    submit_report(phone="0977 123 457")
    dic = cast.dic_focal.organisation
    delivery_acknowledge(
        delivery=Delivery.objects.get(report=reports["old"], organisation=dic), ctx=ctx(cast.dic_focal)
    )
    after = {t.organisation.pk: (t.waiting, t.overdue) for t in timeliness(organisations=orgs, **YEAR)}
    assert after == {o.pk: recounted(o) for o in orgs}
    # the new report's deliveries wait but are within the deadline; one old one less is overdue at the DIC
    assert after[dic.pk] == (before[dic.pk][0], before[dic.pk][1] - 1)


@pytest.mark.parametrize("who", ["dic_focal", "vc_officer", "dic_head", "viettel"])
def test_my_work_counts_equal_the_inbox_counts(world, who):
    cast, _reports = world
    user = cast.fresh()[who]
    submit_report(phone="0977 123 458")
    rows, waiting, overdue = deliveries_waiting(user)
    assert waiting == inbox_counts(user).waiting
    visible = scope(user, Delivery.objects.filter(acknowledged_at__isnull=True))
    assert waiting == visible.count()
    assert overdue == visible.filter(delivered_at__lt=ack_deadline()).count()
    assert [d.pk for d in rows] == list(visible.order_by("delivered_at").values_list("pk", flat=True)[:10])
    if who == "vc_officer":  # the restricted case's report is hidden from this officer, and not counted
        assert waiting < Delivery.objects.filter(organisation=user.organisation, acknowledged_at__isnull=True).count()


def test_a_delivery_received_within_the_deadline_is_not_overdue(world):
    cast, _reports = world
    user = cast.fresh().dic_focal
    _rows, waiting, overdue = deliveries_waiting(user)
    report = submit_report(phone="0977 123 459")
    _rows, waiting2, overdue2 = deliveries_waiting(user)
    assert (waiting2, overdue2) == (waiting + 1, overdue)
    Delivery.objects.filter(report=report).update(delivered_at=timezone.now() - dt.timedelta(days=1))
    _rows, waiting3, overdue3 = deliveries_waiting(user)
    assert (waiting3, overdue3) == (waiting + 1, overdue + 1)
