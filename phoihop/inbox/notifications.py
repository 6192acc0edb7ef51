"""E-mail to the focal points of each receiving organisation, and escalation to its head (Đ3.3, Đ3.4).

Messages go through the outbox (phoihop.inbox.outbox): written in the transaction that calls for them,
marked sent (and the delivery e-mailed or escalated) only once the SMTP server has accepted them.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from phoihop.directory.choices import Role
from phoihop.directory.models import User

from .models import Delivery, OutboxMessage
from .outbox import Outgoing, SendResult, deliveries_mark_escalated, outbox_send, outbox_write

FOCAL_ROLES = (Role.FOCAL_POINT, Role.HUB_COORDINATOR)


def _recipients(org_ids: set[int], roles) -> dict[int, list[str]]:
    emails: dict[int, list[str]] = defaultdict(list)
    for org_id, email in (
        User.objects.filter(organisation_id__in=org_ids, role__in=roles, is_active=True)
        .exclude(email="")
        .values_list("organisation_id", "email")
    ):
        emails[org_id].append(email)
    return emails


def _render(delivery: Delivery, template: str) -> tuple[str, str]:
    """Subject and body in the site's language. Never includes the reporter's contact details."""
    context = {"delivery": delivery, "report": delivery.report, "site_url": settings.SITE_URL}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"inbox/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"inbox/email/{template}.txt", context)
    return " ".join(subject.split()), body


def _messages(deliveries: list[Delivery], addresses: dict[int, list[str]], kind: str) -> list[Outgoing]:
    """One message per delivery with somebody to write to (the people, else the organisation's address)."""
    out = []
    for d in deliveries:
        to = addresses.get(d.organisation_id) or ([d.organisation.email] if d.organisation.email else [])
        if to:
            subject, body = _render(d, kind)
            out.append(Outgoing(f"delivery:{d.pk}:{kind}", kind, sorted(set(to)), subject, body, d.pk))
    return out


def _deliveries(**filters):
    return Delivery.objects.filter(**filters).select_related("organisation", "report__behaviour", "report__area")


def notifications_write(*, delivery_ids: list[int]) -> int:
    """Đ3.3: the focal points' e-mail about new deliveries, into the outbox (in the caller's transaction)."""
    deliveries = list(_deliveries(pk__in=delivery_ids, notified_at__isnull=True))
    if not deliveries:
        return 0
    kind = OutboxMessage.Kind.NEW_REPORT
    messages = _messages(deliveries, _recipients({d.organisation_id for d in deliveries}, FOCAL_ROLES), kind)
    outbox_write(messages)
    return len(messages)


def deliveries_notify(*, delivery_ids: list[int]) -> SendResult:
    """Send the focal points' e-mail of these deliveries (written now if the caller did not)."""
    with transaction.atomic():
        notifications_write(delivery_ids=delivery_ids)
    pending = OutboxMessage.objects.filter(
        delivery_id__in=delivery_ids, kind=OutboxMessage.Kind.NEW_REPORT, sent_at__isnull=True
    ).values_list("pk", flat=True)
    return outbox_send(ids=list(pending))


def deliveries_escalate(*, delivery_ids: list[int]) -> tuple[int, SendResult]:
    """Đ3.4 "report immediately": deliveries still unacknowledged at their deadline go to the head.

    A delivery counts as escalated (escalated_at, audit event) once the head's e-mail is accepted; one
    whose organisation has no address to write to is recorded as escalated at once (the head sees it in
    the inbox). Returns the number escalated now, and how the sending went.
    """
    kind = OutboxMessage.Kind.ESCALATION
    with transaction.atomic():
        due = list(
            _deliveries(pk__in=delivery_ids, acknowledged_at__isnull=True, escalated_at__isnull=True).select_for_update(
                of=("self",)
            )
        )
        if not due:
            return 0, SendResult(0, 0)
        messages = _messages(due, _recipients({d.organisation_id for d in due}, (Role.HEAD,)), kind)
        outbox_write(messages)
        nobody = [d.pk for d in due if d.pk not in {m.delivery_id for m in messages}]
        recorded = deliveries_mark_escalated(delivery_ids=nobody, at=timezone.now(), emailed=False)
    pending = OutboxMessage.objects.filter(delivery__in=due, kind=kind, sent_at__isnull=True)
    result = outbox_send(ids=list(pending.values_list("pk", flat=True)))
    return recorded + result.sent, result
