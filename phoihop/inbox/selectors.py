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


# Đ3.4: a focal point needs to know whether a handful or "more than a thousand" reports wait, not the exact
# figure: counting a hub's million deliveries on every page view is what made the inbox slow. Counts stop here.
COUNT_CAP = 1000


@dataclass(frozen=True)
class InboxCounts:
    """The inbox's size and its unacknowledged part, each exact up to COUNT_CAP and COUNT_CAP + 1 beyond."""

    total: int
    waiting: int  # not yet acknowledged
    cap: int = COUNT_CAP

    @property
    def total_capped(self) -> bool:
        return self.total > self.cap

    @property
    def waiting_capped(self) -> bool:
        return self.waiting > self.cap


def inbox_counts(user) -> InboxCounts:
    """How many deliveries the inbox holds, and how many wait for acknowledgement, capped at COUNT_CAP.

    One query over the first COUNT_CAP + 1 rows of the inbox in its own order (unacknowledged first), through
    the same permission scope as the list: it walks the delivery_inbox index and stops there. As the
    unacknowledged rows come first, `waiting` is exact whenever it is at most COUNT_CAP (and then so is
    `total` when the inbox is that small); beyond, each is reported as COUNT_CAP + 1 ("more than 1,000").
    """
    from .permissions import may_have_inbox

    if not may_have_inbox(user):
        return InboxCounts(0, 0, COUNT_CAP)
    first = inbox_for(user).select_related(None)[: COUNT_CAP + 1]
    row = first.aggregate(total=Count("pk"), waiting=Count("pk", filter=Q(acknowledged_at__isnull=True)))
    return InboxCounts(row["total"] or 0, row["waiting"] or 0, COUNT_CAP)


def hidden_report_ids(user) -> list[int] | None:
    """Ids of the reports hidden from `user` (from the app that hides them), memoised for the request."""
    from phoihop.core.registry import first_result

    return memo(user, "inbox.hidden_report_ids", lambda: first_result(HIDDEN_REPORTS_HOOK, user=user))
