"""The periodic sweep of requests (PERIODIC_SWEEP_HOOK, run by the worker's digest every few minutes):

- a reminder to the recipient's focal points when the due date is `remind_before` working days away or less
  (rule-set data, per kind and urgency);
- once the due date has passed unanswered, an escalation to the recipient's head (Đ3.2, Đ3.4), after the
  reminder (the head never hears first).

Each is written once per recipient and due date (Recipient.reminded_for / escalated_for, set in the same
transaction as the outbox row, whose key is unique), so a sweep run twice, or by two workers at once, sends
nothing twice; a request returned for more has a new due date, so a new reminder. Messages are sent through the
outbox; what the SMTP server refuses waits there and is retried. Returns the number of messages that failed.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from phoihop.audit.services import SYSTEM

from . import events
from .choices import AWAITING_ANSWER, RequestStatus
from .models import Recipient, RequestPeriod
from .notifications import FOCAL_ROLES, HEAD_ROLES, notice_write
from .periods import working_days_left
from .tasks import send_keys

LOOKAHEAD = dt.timedelta(days=62)  # the longest reminder (30 working days) with holidays, and a margin
BATCH = 500


def _remind_before(recipient: Recipient, cache: dict) -> int:
    request = recipient.request
    key = (request.kind, request.urgency)
    if key not in cache:
        from phoihop.routing.reference import active_ruleset

        ruleset = active_ruleset()
        period = RequestPeriod.objects.filter(ruleset=ruleset, kind=key[0], urgency=key[1]).first()
        cache[key] = period.remind_before if period else 1
    return cache[key]


def _due(today: dt.date):
    return Recipient.objects.filter(
        status__in=list(AWAITING_ANSWER),
        request__status=RequestStatus.SENT,
        due_date__isnull=False,
        due_date__lte=today + LOOKAHEAD,
    )


def reminders_write(*, today: dt.date | None = None) -> list[str]:
    """Write the reminders that are due now; their outbox keys."""
    today = today or timezone.localdate()
    keys: list[str] = []
    cache: dict = {}
    with transaction.atomic():
        rows = list(
            _due(today)
            .exclude(reminded_for=F("due_date"))
            .select_related("request__sender", "organisation")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("due_date", "pk")[:BATCH]
        )
        for r in rows:
            left = working_days_left(r.due_date, today=today)
            if left > _remind_before(r, cache):
                continue
            key = notice_write(
                key=f"request.remind:{r.pk}:{r.due_date.isoformat()}",
                kind="request_reminder",
                request=r.request,
                org_id=r.organisation_id,
                roles=FOCAL_ROLES,
                template="reminder",
                context={"due_date": r.due_date, "days_left": max(left, 0)},
                extra_users=[r.assignee_id] if r.assignee_id else [],
            )
            Recipient.objects.filter(pk=r.pk).update(reminded_for=r.due_date)
            events.record(SYSTEM, r.request, "remind", r.organisation.code, due=str(r.due_date), emailed=bool(key))
            if key:
                keys.append(key)
    return keys


def escalations_write(*, today: dt.date | None = None) -> list[str]:
    """Write the escalations of overdue answers to the recipients' heads; their outbox keys."""
    today = today or timezone.localdate()
    keys: list[str] = []
    with transaction.atomic():
        rows = list(
            _due(today)
            .filter(due_date__lt=today, reminded_for=F("due_date"))
            .exclude(escalated_for=F("due_date"))
            .select_related("request__sender", "organisation")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("due_date", "pk")[:BATCH]
        )
        for r in rows:
            key = notice_write(
                key=f"request.escalate:{r.pk}:{r.due_date.isoformat()}",
                kind="request_escalation",
                request=r.request,
                org_id=r.organisation_id,
                roles=HEAD_ROLES,
                template="escalation",
                context={"due_date": r.due_date, "organisation": r.organisation},
            )
            Recipient.objects.filter(pk=r.pk).update(escalated_for=r.due_date)
            events.record(SYSTEM, r.request, "escalate", r.organisation.code, due=str(r.due_date), emailed=bool(key))
            if key:
                keys.append(key)
    return keys


def requests_sweep(*, today: dt.date | None = None) -> int:
    """The periodic run: reminders, then escalations, then sending them; the number of messages that failed."""
    keys = reminders_write(today=today)
    keys += escalations_write(today=today)
    return send_keys(keys).failed if keys else 0


def periodic_sweep() -> int:
    """The function registered under PERIODIC_SWEEP_HOOK (called with no argument)."""
    return requests_sweep()
