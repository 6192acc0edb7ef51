"""The reporting cycle's periodic sweep (PERIODIC_SWEEP_HOOK, run by the worker's digest): the current and the
previous six-monthly periods are opened with their obligations; the focal points of a party that has not
submitted are reminded before the due date (Đ18.2), its head is told once it is late; the owners of a review
meeting's follow-ups are reminded before their deadline and their head told when it passes (Đ18.1).

Each reminder is written once (ReminderSent, unique key) with its e-mail in the outbox in one transaction, then
sent; what the SMTP server refused stays in the outbox and is retried by the outbox's own sender."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from phoihop.audit.services import SYSTEM
from phoihop.core.errors import DomainError
from phoihop.directory.choices import Role
from phoihop.directory.models import User
from phoihop.inbox.models import OutboxMessage
from phoihop.inbox.outbox import Outgoing, outbox_send, outbox_write

from .choices import FollowUpStatus, ReportStatus
from .models import Conclusion, Obligation, ReminderSent, ReportingSchedule
from .services.periods import period_ensure, period_for_day, previous_code

log = logging.getLogger(__name__)
FOCAL_ROLES = (Role.FOCAL_POINT, Role.HUB_COORDINATOR)
KIND = "reporting_reminder"


def _emails(organisation_id: int, roles) -> list[str]:
    people = User.objects.filter(organisation_id=organisation_id, role__in=roles, is_active=True).exclude(email="")
    return sorted(set(people.values_list("email", flat=True)))


def _queue(key: str, recipients: list[str], template: str, context: dict, obligation=None) -> bool:
    """Write one reminder (once per key) with its e-mail; False when it was written before or has no recipient."""
    if not recipients or ReminderSent.objects.filter(key=key).exists():
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {**context, "site_url": settings.SITE_URL}
        subject = render_to_string(f"reporting/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"reporting/email/{template}.txt", context)
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=key, obligation=obligation, recipients=recipients)
            outbox_write([Outgoing(dedup_key=key, kind=KIND, recipients=recipients, subject=subject, body=body)])
    except IntegrityError:  # another sweep wrote it meanwhile
        return False
    return True


def open_periods(today: dt.date) -> None:
    """The current and the previous six-monthly periods exist, with their obligations (idempotent)."""
    current = period_for_day(today)
    for code in (previous_code(current), current):
        period_ensure(code=code, ctx=SYSTEM)


def obligation_reminders(today: dt.date) -> list[str]:
    """Reminders before the due date to the focal points, and the late notice to the head, each once."""
    keys: list[str] = []
    schedules = {s.ruleset_id: s for s in ReportingSchedule.objects.all()}
    waiting = (
        Obligation.objects.exclude(reports__status=ReportStatus.SUBMITTED)
        .filter(due_on__gte=today - dt.timedelta(days=366))
        .select_related("period", "organisation")
    )
    for ob in waiting:
        schedule = schedules.get(ob.period.ruleset_id)
        days_before = list(schedule.reminder_days) if schedule else [7, 1]
        escalate_after = schedule.escalate_after_days if schedule else 0
        context = {"obligation": ob, "period": ob.period, "organisation": ob.organisation}
        left = (ob.due_on - today).days
        if left >= 0:
            due_now = [d for d in days_before if left <= d]
            if due_now:  # the nearest reminder only, should the sweep have missed the earlier ones
                key = f"reporting:remind:{ob.pk}:{min(due_now)}"
                if _queue(key, _emails(ob.organisation_id, FOCAL_ROLES), "reminder", {**context, "days": left}, ob):
                    keys.append(key)
        elif -left > escalate_after:
            key = f"reporting:late:{ob.pk}"
            if _queue(key, _emails(ob.organisation_id, (Role.HEAD,)), "late", {**context, "days": -left}, ob):
                keys.append(key)
    return keys


def follow_up_reminders(today: dt.date) -> list[str]:
    """A meeting's follow-ups: their owners reminded the day before the deadline, their head once it passed."""
    keys: list[str] = []
    open_items = Conclusion.objects.filter(
        status=FollowUpStatus.OPEN, owner_organisation__isnull=False, due_on__isnull=False
    ).select_related("meeting__period", "owner")
    for item in open_items:
        left = (item.due_on - today).days
        context = {"item": item, "days": abs(left)}
        if 0 <= left <= 1:
            to = (
                [item.owner.email]
                if item.owner and item.owner.email
                else _emails(item.owner_organisation_id, FOCAL_ROLES)
            )
            key = f"reporting:follow-up:{item.pk}:due"
            if _queue(key, to, "follow_up", context):
                keys.append(key)
        elif left < 0:
            key = f"reporting:follow-up:{item.pk}:late"
            if _queue(key, _emails(item.owner_organisation_id, (Role.HEAD,)), "follow_up_late", context):
                keys.append(key)
    return keys


def reporting_sweep(today: dt.date | None = None) -> int:
    """The periodic sweep; returns how many reminder e-mails the outbox could not send (retried later)."""
    today = today or timezone.localdate()
    try:
        open_periods(today)
    except DomainError as exc:  # no schedule in the rule set in force: nothing to open, the rest still runs
        log.warning("reporting: periods not opened: %s", exc.message)
    keys = obligation_reminders(today) + follow_up_reminders(today)
    if not keys:
        return 0
    ids = list(OutboxMessage.objects.filter(dedup_key__in=keys, sent_at__isnull=True).values_list("pk", flat=True))
    return outbox_send(ids=ids).failed if ids else 0
