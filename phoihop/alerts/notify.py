"""E-mail of the alerts app, written through the inbox's outbox in the business transaction and sent after it.

    advisory_notify_sent       an advisory was sent: one message to each recipient organisation
    advisory_reminders_sweep   the periodic sweep (PERIODIC_SWEEP_HOOK): reminder n of an unacknowledged
                               advisory is due n intervals after it was sent; each is written once (its
                               number is kept on the recipient row and in the message's dedup key)
    warning_notify_newsrooms   a warning was published: one message to each subscribed newsroom, once
    subscription_confirm_mail  the double opt-in message of a newsroom's subscription

A restricted advisory's message names only its number and the link (need to know: the content is read
after signing in).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from phoihop.directory.choices import Role
from phoihop.directory.models import Organisation, User
from phoihop.inbox.models import OutboxMessage
from phoihop.inbox.outbox import Outgoing, outbox_send, outbox_write
from phoihop.inbox.tasks import send_outbox

from .choices import AdvisoryStatus
from .models import Advisory, AdvisoryKindRule, AdvisoryRecipient, NewsroomSubscription, PublicWarning

NOTICE_ROLES = (Role.FOCAL_POINT, Role.HUB_COORDINATOR, Role.ENTERPRISE_REPORTER)
SWEEP_BATCH = 500


def _addresses(org_ids: set[int]) -> dict[int, list[str]]:
    """The focal points (an enterprise's reporters) of each organisation, else the organisation's address."""
    emails: dict[int, set[str]] = defaultdict(set)
    people = User.objects.filter(organisation_id__in=org_ids, role__in=NOTICE_ROLES, is_active=True).exclude(email="")
    for org_id, email in people.values_list("organisation_id", "email"):
        emails[org_id].add(email)
    missing = org_ids - set(emails)
    for org_id, email in Organisation.objects.filter(pk__in=missing).exclude(email="").values_list("pk", "email"):
        emails[org_id].add(email)
    return {org_id: sorted(found) for org_id, found in emails.items()}


def _render(template: str, context: dict) -> tuple[str, str]:
    """Subject and body in the site's language (Vietnamese first)."""
    context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"alerts/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"alerts/email/{template}.txt", context)
    return " ".join(subject.split())[:255], body


def _send_after_commit() -> None:
    transaction.on_commit(lambda: send_outbox.enqueue())


def _advisory_messages(advisory: Advisory, rows: list[AdvisoryRecipient], *, reminder: bool) -> list[Outgoing]:
    addresses = _addresses({r.organisation_id for r in rows})
    out = []
    for row in rows:
        if row.organisation_id not in addresses:
            continue
        number = row.reminders_sent if reminder else 0
        context = {
            "advisory": advisory,
            "reminder": number,
            "path": reverse("alerts:advisory", args=[advisory.reference]),
        }
        subject, body = _render("advisory", context)
        key = f"alerts.advisory:{advisory.pk}:{row.organisation_id}:{number}"
        out.append(Outgoing(key, "alerts.advisory", addresses[row.organisation_id], subject, body))
    return out


def advisory_notify_sent(*, advisory: Advisory) -> None:
    """Đ6.2: the recipients are told promptly; inside the send's transaction."""
    rows = list(advisory.recipients.all())
    outbox_write(_advisory_messages(advisory, rows, reminder=False))
    _send_after_commit()


def advisory_reminders_due(now: dt.datetime | None = None):
    """Recipients of sent advisories who have not acknowledged and whose next reminder is due: one interval
    after the advisory was sent, then one interval after the last reminder (a sweep that missed several
    intervals sends one, not all the missed ones). The interval and the number of reminders are those of the
    advisory's kind (alerts.yaml); a kind with no rule is not reminded."""
    now = now or timezone.now()
    due = Q(pk__in=[])
    for rule in AdvisoryKindRule.objects.filter(max_reminders__gt=0):
        since = now - dt.timedelta(hours=rule.reminder_hours)
        due |= Q(advisory__kind=rule.kind, reminders_sent__lt=rule.max_reminders) & (
            Q(last_reminded_at__isnull=True, advisory__sent_at__lte=since) | Q(last_reminded_at__lte=since)
        )
    return AdvisoryRecipient.objects.filter(due, advisory__status=AdvisoryStatus.SENT, acknowledged_at__isnull=True)


def advisory_reminders_write(now: dt.datetime | None = None) -> list[str]:
    """Write the reminders due now (one transaction per batch); returns the dedup keys written."""
    now = now or timezone.now()
    keys: list[str] = []
    with transaction.atomic():
        rows = list(
            advisory_reminders_due(now)
            .select_related("advisory")
            .select_for_update(of=("self",))
            .order_by("pk")[:SWEEP_BATCH]
        )
        if not rows:
            return keys
        AdvisoryRecipient.objects.filter(pk__in=[r.pk for r in rows]).update(
            reminders_sent=F("reminders_sent") + 1, last_reminded_at=now
        )
        by_advisory: dict[int, list[AdvisoryRecipient]] = defaultdict(list)
        for row in rows:
            row.reminders_sent += 1
            by_advisory[row.advisory_id].append(row)
        messages: list[Outgoing] = []
        for group in by_advisory.values():
            messages += _advisory_messages(group[0].advisory, group, reminder=True)
        outbox_write(messages)
        keys = [m.dedup_key for m in messages]
    return keys


def advisory_reminders_sweep() -> int:
    """PERIODIC_SWEEP_HOOK: write the reminders due and send them; the number the outbox could not send."""
    keys = advisory_reminders_write()
    if not keys:
        return 0
    ids = list(OutboxMessage.objects.filter(dedup_key__in=keys, sent_at__isnull=True).values_list("pk", flat=True))
    return outbox_send(ids=ids).failed if ids else 0


def warning_notify_newsrooms(*, warning: PublicWarning) -> None:
    """Đ9: each subscribed newsroom gets the published warning once (the key names the warning and the address)."""
    subscriptions = NewsroomSubscription.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
    messages = []
    for sub in subscriptions:
        context = {
            "warning": warning,
            "subscription": sub,
            "path": reverse("alerts:public_warning", args=[warning.slug]),
            "unsubscribe": reverse("alerts:newsroom_unsubscribe", args=[sub.token]),
        }
        subject, body = _render("warning_published", context)
        messages.append(Outgoing(f"alerts.warning:{warning.pk}:{sub.pk}", "alerts.warning", [sub.email], subject, body))
    if messages:
        outbox_write(messages)
        _send_after_commit()


def subscription_confirm_mail(*, subscription: NewsroomSubscription) -> None:
    """The double opt-in message: the address receives nothing else until it is confirmed."""
    context = {
        "subscription": subscription,
        "confirm": reverse("alerts:newsroom_confirm", args=[subscription.token]),
        "unsubscribe": reverse("alerts:newsroom_unsubscribe", args=[subscription.token]),
    }
    subject, body = _render("newsroom_confirm", context)
    key = f"alerts.newsroom-confirm:{subscription.pk}:{subscription.token[:16]}"
    outbox_write([Outgoing(key, "alerts.newsroom", [subscription.email], subject, body)])
    _send_after_commit()
