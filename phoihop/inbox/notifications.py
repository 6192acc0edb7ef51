"""E-mail to the focal points of each receiving organisation, and escalation to its head (Đ3.3, Đ3.4).

Nothing is written for it in the report's transaction but the deliveries themselves (and, for urgent
ones, one task). Afterwards:

    deliveries_notify_urgent   an urgent delivery's notice, written and sent at once (Đ3.1 "kịp thời")
    digests_write              every few minutes: one message per organisation listing its new reports
    escalations_write          deliveries unacknowledged past the deadline, one message per organisation
                               to its head(s), only once the focal points' notice went (Đ3.4 order)

Each message records the deliveries it covers (Delivery.notice, Delivery.escalation_notice) in the
transaction that writes it, so no delivery is ever in two; the outbox (phoihop.inbox.outbox) sends it and,
once the SMTP server has accepted it, marks them e-mailed (notified_at) or escalated (escalated_at and
the audit event). Messages never carry the reporter's contact details.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from phoihop.directory.choices import Role
from phoihop.directory.models import Organisation, User

from .models import Delivery, OutboxMessage
from .outbox import CHUNK, Outgoing, SendResult, deliveries_mark_escalated, outbox_send, outbox_write

FOCAL_ROLES = (Role.FOCAL_POINT, Role.HUB_COORDINATOR)
LISTED = 50  # reports listed in one message; the rest are counted ("and N more") and wait in the inbox
URGENT_BATCH = 500  # waiting urgent deliveries an urgent notice covers per transaction (deliveries_notify_urgent)


@dataclass(frozen=True)
class SweepResult:
    digests: int
    escalations: int
    escalated: int  # deliveries recorded as escalated (without e-mail: their organisation has no address)
    sent: int
    failed: int


def digest_minutes() -> int:
    return int(getattr(settings, "PHOIHOP_DIGEST_MINUTES", 5))


def _addresses(org_ids: set[int], roles) -> dict[int, list[str]]:
    """Whom to write to in each organisation: the people in `roles`, else the organisation's address."""
    emails: dict[int, set[str]] = defaultdict(set)
    for org_id, email in (
        User.objects.filter(organisation_id__in=org_ids, role__in=roles, is_active=True)
        .exclude(email="")
        .values_list("organisation_id", "email")
    ):
        emails[org_id].add(email)
    missing = org_ids - set(emails)
    if missing:
        for org_id, email in Organisation.objects.filter(pk__in=missing).exclude(email="").values_list("pk", "email"):
            emails[org_id].add(email)
    return {org_id: sorted(found) for org_id, found in emails.items()}


def _render(template: str, context: dict) -> tuple[str, str]:
    """Subject and body in the site's language (Vietnamese first)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"inbox/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"inbox/email/{template}.txt", context)
    return " ".join(subject.split()), body


def _grouped(rows) -> dict[int, list[int]]:
    by_org: dict[int, list[int]] = defaultdict(list)
    for pk, org_id in rows:
        by_org[org_id].append(pk)
    return by_org


def _compose(
    pending: dict[int, list[int]], *, kind: str, template: str, roles
) -> tuple[list[tuple[Outgoing, list[int]]], list[int]]:
    """One message per organisation covering its `pending` deliveries (ids ascending), rendered, with the
    deliveries it covers; and the deliveries of organisations with nobody to write to (no message)."""
    addresses = _addresses(set(pending), roles)
    to_list = [pk for org_id, ids in pending.items() if org_id in addresses for pk in ids[:LISTED]]
    listed = Delivery.objects.filter(pk__in=to_list).select_related("report__behaviour", "report__area")
    items = {d.pk: d for d in listed.order_by("pk")}
    organisations = Organisation.objects.in_bulk(list(addresses))
    outgoing: list[tuple[Outgoing, list[int]]] = []
    nobody: list[int] = []
    for org_id, ids in pending.items():
        if org_id not in addresses:
            nobody += ids
            continue
        shown = [items[pk] for pk in ids[:LISTED]]
        context = {
            "organisation": organisations[org_id],
            "items": shown,
            "count": len(ids),
            "more": len(ids) - len(shown),
            "urgent": kind == OutboxMessage.Kind.NEW_REPORT,
            "site_url": settings.SITE_URL,
        }
        subject, body = _render(template, context)
        # The first delivery it covers names the message: a delivery is covered once, so the key is new,
        # and a write retried with the same deliveries queues nothing twice.
        outgoing.append((Outgoing(f"{kind}:{org_id}:{ids[0]}", kind, addresses[org_id], subject, body), ids))
    return outgoing, nobody


def _record(outgoing: list[tuple[Outgoing, list[int]]], *, cover: str) -> list[int]:
    """Queue the messages and record each on the deliveries it covers, in `cover` (notice /
    escalation_notice). Returns the messages' ids."""
    if not outgoing:
        return []
    outbox_write([m for m, _ids in outgoing])
    pks = dict(
        OutboxMessage.objects.filter(dedup_key__in=[m.dedup_key for m, _ids in outgoing]).values_list("dedup_key", "pk")
    )
    for message, ids in outgoing:
        for start in range(0, len(ids), CHUNK):
            Delivery.objects.filter(pk__in=ids[start : start + CHUNK]).update(**{cover: pks[message.dedup_key]})
    return sorted(pks.values())


def _write(
    pending: dict[int, list[int]], *, kind: str, template: str, roles, cover: str
) -> tuple[list[int], list[int]]:
    """_compose then _record, in the caller's transaction: the messages' ids, and the deliveries of
    organisations with nobody to write to."""
    outgoing, nobody = _compose(pending, kind=kind, template=template, roles=roles)
    return _record(outgoing, cover=cover), nobody


def _pending(qs, limit: int) -> list[tuple[int, int]]:
    """The first `limit` rows to cover, by id, unlocked: _locked takes them again in the transaction."""
    return list(qs.order_by("pk").values_list("pk", "organisation_id")[:limit])


def _locked(qs, limit: int | None = None):
    """The rows to cover, locked (PostgreSQL) so that two sweeps never take the same delivery."""
    rows = qs.order_by("pk").select_for_update(skip_locked=True, of=("self",)).values_list("pk", "organisation_id")
    return list(rows[:limit] if limit is not None else rows)


def deliveries_notify_urgent(*, delivery_ids: list[int]) -> SendResult:
    """Đ3.1: the focal points' notice of urgent deliveries, one message per organisation, sent now.

    It covers every urgent delivery still waiting for its notice, these first, then the others oldest first,
    URGENT_BATCH at a time: a report's urgent deliveries queue no second task while one waits
    (services.deliveries_enqueue_urgent), so under load one task sends one message per organisation listing
    the reports that came meanwhile, and the queue cannot fall behind.
    """
    unnoticed = Delivery.objects.filter(notice__isnull=True, notified_at__isnull=True)
    # Also what an earlier run wrote but could not send (a retried task sends nothing twice: sent_at).
    pending = OutboxMessage.objects.filter(noticed_deliveries__in=delivery_ids, sent_at__isnull=True).distinct()
    written = set(pending.values_list("pk", flat=True))
    own, after = list(delivery_ids), 0
    compose = partial(_compose, kind=OutboxMessage.Kind.NEW_REPORT, template="notice", roles=FOCAL_ROLES)
    while True:
        # Chosen and rendered before the write transaction (issue 9): on SQLite that transaction holds the one
        # write lock every report waits on, and rendering the messages took 15 ms of it at the median.
        rows = list(unnoticed.filter(pk__in=own).values_list("pk", "organisation_id")) if own else []
        others = _pending(unnoticed.filter(urgent=True, pk__gt=after).exclude(pk__in=own), URGENT_BATCH)
        chosen = sorted(rows + others)
        outgoing, _nobody = compose(_grouped(chosen))
        with transaction.atomic():
            # What is still uncovered, locked (PostgreSQL); another sweep may have covered some meanwhile, and
            # then the messages are written again for the rest, so no delivery is ever in two.
            still = _locked(unnoticed.filter(pk__in=[pk for pk, _org in chosen])) if chosen else []
            if still != chosen:
                outgoing, _nobody = compose(_grouped(still))
            ids = _record(outgoing, cover="notice")
        written.update(ids)
        if len(others) < URGENT_BATCH:
            break
        # More were waiting: the next batch starts after the last one taken (one with nobody to write to
        # stays uncovered and is not taken again by this run).
        own, after = [], others[-1][0]
    if not written:
        return SendResult(0, 0)
    return outbox_send(ids=sorted(written), limit=len(written))


def digests_write() -> list[int]:
    """One digest per organisation of the deliveries no message covers yet (the urgent ones have theirs)."""
    with transaction.atomic():
        rows = _locked(Delivery.objects.filter(notice__isnull=True, notified_at__isnull=True, urgent=False))
        ids, _nobody = _write(
            _grouped(rows), kind=OutboxMessage.Kind.DIGEST, template="notice", roles=FOCAL_ROLES, cover="notice"
        )
    return ids


def escalations_write(*, now: dt.datetime | None = None) -> tuple[list[int], int]:
    """Đ3.4 "báo ngay": deliveries unacknowledged past the deadline go to the head, one message per
    organisation. Only once the focal points' notice was accepted (or they have no address): the head
    never hears first, even after an outage. Where the head has no address either, the delivery is
    recorded as escalated at once (the head sees it in the inbox). Returns the messages and that count."""
    now = now or timezone.now()
    deadline = now - dt.timedelta(minutes=settings.PHOIHOP_ACK_DEADLINE_MINUTES)
    with transaction.atomic():
        overdue = Delivery.objects.filter(
            acknowledged_at__isnull=True,
            escalated_at__isnull=True,
            escalation_notice__isnull=True,
            delivered_at__lte=deadline,
        )
        unnotified = set(overdue.filter(notified_at__isnull=True).values_list("organisation_id", flat=True).distinct())
        waiting = set(_addresses(unnotified, FOCAL_ROLES)) if unnotified else set()
        rows = _locked(overdue.filter(Q(notified_at__isnull=False) | ~Q(organisation_id__in=waiting)))
        ids, nobody = _write(
            _grouped(rows),
            kind=OutboxMessage.Kind.ESCALATION,
            template="escalation",
            roles=(Role.HEAD,),
            cover="escalation_notice",
        )
        recorded = deliveries_mark_escalated(delivery_ids=nobody, at=now, emailed=False) if nobody else 0
    return ids, recorded


def notifications_sweep() -> SweepResult:
    """The periodic run: write and send the digests, then the escalations that may now go."""
    digests = digests_write()
    first = outbox_send(ids=digests, limit=max(len(digests), 1)) if digests else SendResult(0, 0)
    escalations, recorded = escalations_write()
    second = outbox_send(ids=escalations, limit=max(len(escalations), 1)) if escalations else SendResult(0, 0)
    return SweepResult(len(digests), len(escalations), recorded, first.sent + second.sent, first.failed + second.failed)
