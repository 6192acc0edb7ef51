"""Deadlines of requests, in working days (phoihop.core.workdays), from the periods of the rule set in force."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from phoihop.core.workdays import add_working_days, working_days_between
from phoihop.routing.reference import active_ruleset

from .models import RequestPeriod


def period_for(kind: str, urgency: str, *, day: dt.date | None = None) -> RequestPeriod | None:
    """The default period of `kind` at `urgency` in the rule set in force on `day` (None when it has none)."""
    ruleset = active_ruleset(day)
    if ruleset is None:
        return None
    return RequestPeriod.objects.filter(ruleset=ruleset, kind=kind, urgency=urgency).first()


def due_after(start: dt.date, working_days: int) -> dt.date:
    """The due date `working_days` working days after `start` (the day of sending is not counted)."""
    return add_working_days(start, working_days)


def working_days_left(due: dt.date, *, today: dt.date | None = None) -> int:
    """Working days from today to the due date (0 on the due date, negative once overdue)."""
    return working_days_between(today or timezone.localdate(), due)
