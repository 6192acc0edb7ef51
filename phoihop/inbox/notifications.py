"""E-mail to the focal points of each receiving organisation, and escalation to its head (Đ3.3, Đ3.4)."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from phoihop.audit.services import SYSTEM, PendingEvent, audit_record_many
from phoihop.directory.choices import Role
from phoihop.directory.models import User

from .models import Delivery

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


def _send(deliveries: list[Delivery], addresses: dict[int, list[str]], template: str) -> list[Delivery]:
    """One message per delivery, over one SMTP connection. Never includes the reporter's contact details."""
    sent, messages = [], []
    with translation.override(settings.LANGUAGE_CODE):
        for d in deliveries:
            to = addresses.get(d.organisation_id) or ([d.organisation.email] if d.organisation.email else [])
            if not to:
                continue
            context = {"delivery": d, "report": d.report, "site_url": settings.SITE_URL}
            subject = render_to_string(f"inbox/email/{template}_subject.txt", context).strip()
            body = render_to_string(f"inbox/email/{template}.txt", context)
            messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to))
            sent.append(d)
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    return sent


def deliveries_notify(*, delivery_ids: list[int]) -> int:
    """E-mail each organisation's focal points about its new deliveries (skips ones already e-mailed)."""
    deliveries = list(
        Delivery.objects.filter(pk__in=delivery_ids, notified_at__isnull=True).select_related(
            "organisation", "report__behaviour", "report__area"
        )
    )
    if not deliveries:
        return 0
    sent = _send(deliveries, _recipients({d.organisation_id for d in deliveries}, FOCAL_ROLES), "new_report")
    Delivery.objects.filter(pk__in=[d.pk for d in sent]).update(notified_at=timezone.now())
    return len(sent)


def deliveries_escalate(*, delivery_ids: list[int]) -> int:
    """Đ3.4 "report immediately": deliveries still unacknowledged at their deadline go to the head."""
    with transaction.atomic():
        due = list(
            Delivery.objects.select_for_update(of=("self",))
            .filter(pk__in=delivery_ids, acknowledged_at__isnull=True, escalated_at__isnull=True)
            .select_related("organisation", "report__behaviour", "report__area")
        )
        if not due:
            return 0
        now = timezone.now()
        Delivery.objects.filter(pk__in=[d.pk for d in due]).update(escalated_at=now)
        audit_record_many(
            ctx=SYSTEM,
            events=[
                PendingEvent(
                    "delivery.escalate",
                    "inbox.delivery",
                    str(d.pk),
                    f"{d.report.reference} → {d.organisation.code}",
                    {"report": d.report.reference},
                )
                for d in due
            ],
        )
    _send(due, _recipients({d.organisation_id for d in due}, (Role.HEAD,)), "escalation")
    return len(due)
