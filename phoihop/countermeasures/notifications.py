"""E-mail about countermeasures, through the outbox of phoihop.inbox (written in the business transaction, sent
afterwards, each message once by its deduplication key):

    countermeasure_notify(cm, event)   a request or a lift to the organisation asked (its focal points), an
                                       answer (executed, refused) to the requesting agency
    countermeasures_sweep()            the periodic run (PERIODIC_SWEEP_HOOK): a measure still pending the day
                                       after its deadline is recalled to the target's focal points, once; one
                                       still pending `escalate_after_working_days` later goes to its head,
                                       once (Đ3.4 order: the head never hears first)
The messages name the value to act on and the legal basis, never a reporter or a report's content.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from phoihop.core.workdays import add_working_days
from phoihop.directory.choices import Role
from phoihop.directory.models import Organisation, User
from phoihop.inbox.models import OutboxMessage
from phoihop.inbox.outbox import Outgoing, outbox_send, outbox_write

from .choices import PENDING
from .models import Countermeasure

KIND_PREFIX = "cm."
FOCAL_ROLES = (Role.FOCAL_POINT, Role.HUB_COORDINATOR, Role.ENTERPRISE_REPORTER)
HEAD_ROLES = (Role.HEAD,)
TO_TARGET = {"request", "lift", "lift_on_delisting", "reminder"}
TO_REQUESTER = {"execute", "refuse"}
DEFAULT_ESCALATION_DAYS = 1


def _addresses(org_id: int, roles, extra: list[str] | None = None) -> list[str]:
    """The people of `roles` in the organisation, else the organisation's own address."""
    found = set(
        User.objects.filter(organisation_id=org_id, role__in=roles, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    found.update(e for e in extra or [] if e)
    if not found:
        email = Organisation.objects.filter(pk=org_id).values_list("email", flat=True).first()
        if email:
            found.add(email)
    return sorted(found)


def _message(cm: Countermeasure, event: str, recipients: list[str]) -> Outgoing:
    from .selectors import action_label  # the label of the action in force, in the site's language

    with translation.override(settings.LANGUAGE_CODE):
        context = {"cm": cm, "event": event, "action": action_label(cm.action), "site_url": settings.SITE_URL}
        subject = " ".join(render_to_string("countermeasures/email/subject.txt", context).split())
        body = render_to_string("countermeasures/email/message.txt", context)
    return Outgoing(f"{KIND_PREFIX}{event}:{cm.pk}", f"{KIND_PREFIX}{event}"[:30], recipients, subject, body)


def countermeasure_notify(cm: Countermeasure, event: str) -> None:
    """Queue the e-mail of `event` on `cm` in the caller's transaction; it is sent once the change is committed."""
    if event in TO_TARGET:
        recipients = _addresses(cm.target_id, FOCAL_ROLES)
    elif event in TO_REQUESTER:
        requester = User.objects.filter(pk=cm.requested_by_id, is_active=True).values_list("email", flat=True).first()
        recipients = _addresses(cm.requesting_organisation_id, (Role.FOCAL_POINT, Role.HUB_COORDINATOR), [requester])
    else:
        return
    if not recipients:
        return
    outbox_write([_message(cm, event, recipients)])
    transaction.on_commit(_send_soon)


def _send_soon() -> None:
    from phoihop.inbox.tasks import send_outbox

    send_outbox.enqueue()


def _escalation_day(cm: Countermeasure, days_by_action: dict[str, int]):
    return add_working_days(cm.due_on, days_by_action.get(cm.action, DEFAULT_ESCALATION_DAYS))


def reminders_write(*, today=None) -> int:
    """Write the reminders and escalations that are due, each once (remembered on the measure); return how many."""
    from .rules import rules_in_force

    today = today or timezone.localdate()
    now = timezone.now()
    days_by_action = {code: r.escalate_after_working_days for code, r in rules_in_force().items()}
    written: list[Outgoing] = []
    with transaction.atomic():
        late = (
            Countermeasure.objects.filter(status__in=PENDING, due_on__lt=today)
            .filter(reminded_at__isnull=True)
            .select_for_update(skip_locked=True, of=("self",))
        )
        reminded = []
        for cm in late.select_related("target"):
            recipients = _addresses(cm.target_id, FOCAL_ROLES)
            if recipients:
                written.append(_message(cm, "reminder", recipients))
            reminded.append(cm.pk)
        Countermeasure.objects.filter(pk__in=reminded).update(reminded_at=now)
        # Đ3.4 order: only after the focal points' reminder; the head hears of it once.
        candidates = (
            Countermeasure.objects.filter(status__in=PENDING, escalated_at__isnull=True, reminded_at__isnull=False)
            .exclude(pk__in=reminded)
            .select_for_update(skip_locked=True, of=("self",))
        )
        escalated = []
        by_target: dict[int, list[Countermeasure]] = defaultdict(list)
        for cm in candidates.select_related("target"):
            if today > _escalation_day(cm, days_by_action):
                by_target[cm.target_id].append(cm)
        for target_id, items in by_target.items():
            recipients = _addresses(target_id, HEAD_ROLES)
            for cm in items:
                if recipients:
                    written.append(_message(cm, "escalation", recipients))
                escalated.append(cm.pk)
        Countermeasure.objects.filter(pk__in=escalated).update(escalated_at=now)
        outbox_write(written)
    return len(written)


def countermeasures_sweep() -> int:
    """PERIODIC_SWEEP_HOOK: write what is due, then send every countermeasure message still waiting; returns how
    many the SMTP server did not take (they wait in the outbox for the next run)."""
    reminders_write()
    waiting = list(
        OutboxMessage.objects.filter(kind__startswith=KIND_PREFIX, sent_at__isnull=True).values_list("pk", flat=True)
    )
    if not waiting:
        return 0
    return outbox_send(ids=waiting, limit=len(waiting)).failed
