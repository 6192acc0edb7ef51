"""Figures that apps below reporting record: information requests answered on time (exchange, Đ17.1, Đ11.8)
and countermeasures executed (countermeasures, Đ4.2). Read from their rows for one organisation and period,
each figure saying what it counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from phoihop.countermeasures.choices import Status as CountermeasureStatus
from phoihop.countermeasures.models import Countermeasure
from phoihop.exchange.choices import RecipientStatus
from phoihop.exchange.models import Recipient


def requests_answered(org_id: int, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """Requests to the organisation whose deadline fell in the period: answered by the deadline, late, open."""
    first, last = timezone.localdate(start), timezone.localdate(end - dt.timedelta(microseconds=1))
    rows = (
        Recipient.objects.filter(organisation_id=org_id, due_date__gte=first, due_date__lte=last)
        .exclude(status__in=[RecipientStatus.DRAFT, RecipientStatus.WITHDRAWN])
        .values_list("due_date", "answered_at")
    )
    total = done = late = 0
    for due, answered_at in rows:
        total += 1
        if answered_at is None:
            continue
        if timezone.localdate(answered_at) <= due:
            done += 1
        else:
            late += 1
    return {"total": total, "done": done, "late": late, "open": total - done - late}


def countermeasures_executed(org_id: int, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """Countermeasures asked of the organisation in the period: executed (by their deadline or late), refused."""
    rows = Countermeasure.objects.filter(target_id=org_id, created_at__gte=start, created_at__lt=end).values_list(
        "status", "executed_at", "due_on"
    )
    total = done = late = refused = 0
    for status, executed_at, due_on in rows:
        total += 1
        if executed_at is not None:
            if timezone.localdate(executed_at) <= due_on:
                done += 1
            else:
                late += 1
        elif status == CountermeasureStatus.REFUSED:
            refused += 1
    return {"total": total, "done": done, "late": late, "refused": refused}


def extra_figures(org_id: int, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    return {
        "requests": requests_answered(org_id, start, end),
        "countermeasures": countermeasures_executed(org_id, start, end),
    }
