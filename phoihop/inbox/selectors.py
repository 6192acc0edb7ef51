"""Reads of the inbox: an organisation's deliveries, their counts and deadlines (Đ3.4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from phoihop.core.permissions import memo, scope

from .models import Delivery

HIDDEN_REPORTS_HOOK = "inbox.hidden_report_ids"


def ack_deadline() -> dt.datetime:
    """Deliveries received before this and still unacknowledged are overdue (Đ3.4: "immediately")."""
    return timezone.now() - dt.timedelta(minutes=settings.PHOIHOP_ACK_DEADLINE_MINUTES)


def inbox_for(user) -> QuerySet[Delivery]:
    """The deliveries to the user's organisation: unacknowledged first, then newest."""
    return (
        scope(user, Delivery.objects.all())
        .select_related("report__behaviour", "report__area", "report__sector")
        .order_by(F("acknowledged_at").asc(nulls_first=True), "-delivered_at")
    )


@dataclass(frozen=True)
class InboxCounts:
    total: int
    waiting: int  # not yet acknowledged


def inbox_counts(user) -> InboxCounts:
    """How many deliveries the inbox holds, and how many wait for acknowledgement.

    Counted as "all deliveries to the organisation" minus "those hidden from the user" (reports of
    restricted cases, registered by the cases app), both index-only counts: counting the filtered inbox
    directly would test every row against the cases.
    """
    from .permissions import may_have_inbox

    if not may_have_inbox(user):
        return InboxCounts(0, 0)
    base = Delivery.objects.filter(organisation_id=user.organisation_id)
    total, waiting = base.count(), base.filter(acknowledged_at__isnull=True).count()
    ids = hidden_report_ids(user) or []
    for start in range(0, len(ids), 5000):
        hidden = base.filter(report_id__in=ids[start : start + 5000]).aggregate(
            all=Count("pk"), waiting=Count("pk", filter=Q(acknowledged_at__isnull=True))
        )
        total -= hidden["all"]
        waiting -= hidden["waiting"]
    return InboxCounts(total, waiting)


def hidden_report_ids(user) -> list[int] | None:
    """Ids of the reports hidden from `user` (from the app that hides them), memoised for the request."""
    from phoihop.core.registry import first_result

    return memo(user, "inbox.hidden_report_ids", lambda: first_result(HIDDEN_REPORTS_HOOK, user=user))
