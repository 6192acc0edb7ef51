"""The outbox: e-mail written with the business change, sent afterwards, marked sent once accepted.

    outbox_write(...)   in the caller's transaction: one OutboxMessage per dedup key (a second write of
                        the same key changes nothing), and the in-app notice of each person it goes to
                        (phoihop.notices: one per person and key, with the message's link)
    outbox_purge()      the periodic sweep: sent messages older than the retention are deleted
    outbox_send(...)    outside any transaction: claims unsent rows, sends each over SMTP, and only when
                        the server has accepted it sets `sent_at` and does what the message stands for
                        (the deliveries it covers are marked e-mailed, or escalated with their audit
                        events), in one transaction. A refused or failed message keeps `sent_at`
                        empty, counts an attempt and its error, and is sent again by the next run.

A message accepted by the server is never sent again: `sent_at` is set right after acceptance. (If the
process died in between, the next run would send it once more; the Message-ID, derived from the dedup
key, lets the receiving side recognise the copy.)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from phoihop.audit.services import SYSTEM, PendingEvent, audit_record, audit_record_many
from phoihop.notices.services import Mail, notices_from_mail

from .models import Delivery, OutboxMessage

logger = logging.getLogger(__name__)

CLAIM = dt.timedelta(minutes=5)
BATCH = 200
CHUNK = 500  # ids per IN (...) list
RETENTION_DAYS = 180  # sent messages kept this long (settings.PHOIHOP_OUTBOX_RETENTION_DAYS overrides)
PURGE_BATCH = 500
# The server refused this one message; the others may still go. (Every other error, all OSErrors like
# smtplib's own, means the connection failed: the rest of the batch would fail alike, so it waits.)
_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


@dataclass(frozen=True)
class Outgoing:
    dedup_key: str
    kind: str
    recipients: list[str]
    subject: str
    body: str
    delivery_id: int | None = None
    link: str = ""  # where to look, on this site; else the notice takes the body's first link to the site


@dataclass(frozen=True)
class SendResult:
    sent: int
    failed: int


def outbox_write(messages: list[Outgoing]) -> None:
    """Queue the messages in the caller's transaction; a key already queued (or sent) is left alone."""
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                dedup_key=m.dedup_key,
                kind=m.kind,
                recipients=m.recipients,
                subject=m.subject[:255],
                body=m.body,
                delivery_id=m.delivery_id,
            )
            for m in messages
        ],
        ignore_conflicts=True,
    )
    # Every e-mail to a person is also waiting in their bell, in the same transaction (no duplicate on retry).
    notices_from_mail([Mail(m.dedup_key, m.kind, m.recipients, m.subject, m.body, m.link) for m in messages])


def _claim(ids: list[int] | None, limit: int) -> list[int]:
    now = timezone.now()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    pending = OutboxMessage.objects.filter(free, sent_at__isnull=True)
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    claimed = []
    for pk in pending.order_by("pk").values_list("pk", flat=True)[:limit]:
        # One conditional update per row: of two senders racing for it, exactly one gets it.
        if OutboxMessage.objects.filter(free, pk=pk, sent_at__isnull=True).update(claimed_until=now + CLAIM):
            claimed.append(pk)
    return claimed


def _email(message: OutboxMessage) -> EmailMessage:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "phoihop.local"
    digest = hashlib.sha256(message.dedup_key.encode()).hexdigest()[:32]
    return EmailMessage(
        message.subject,
        message.body,
        settings.DEFAULT_FROM_EMAIL,
        message.recipients,
        headers={"Message-ID": f"<{digest}@{domain}>"},
    )


def _failed(pks: list[int], error: Exception | str) -> None:
    OutboxMessage.objects.filter(pk__in=pks, sent_at__isnull=True).update(
        attempts=F("attempts") + 1, last_error=str(error)[:2000] or type(error).__name__, claimed_until=None
    )


def _accepted(message: OutboxMessage) -> None:
    """The server took the message: mark it sent and do what it stands for, in one transaction."""
    with transaction.atomic():
        now = timezone.now()
        OutboxMessage.objects.filter(pk=message.pk).update(
            sent_at=now, attempts=F("attempts") + 1, last_error="", claimed_until=None
        )
        if message.kind in (OutboxMessage.Kind.NEW_REPORT, OutboxMessage.Kind.DIGEST):
            # Every delivery the message covers (a digest's, an urgent notice's) is e-mailed now.
            covered = Q(notice=message.pk) | Q(pk=message.delivery_id) if message.delivery_id else Q(notice=message.pk)
            Delivery.objects.filter(covered, notified_at__isnull=True).update(notified_at=now)
        elif message.kind == OutboxMessage.Kind.ESCALATION:
            ids = list(Delivery.objects.filter(escalation_notice=message.pk).values_list("pk", flat=True))
            if message.delivery_id:
                ids.append(message.delivery_id)
            deliveries_mark_escalated(delivery_ids=ids, at=now, emailed=True)


def deliveries_mark_escalated(*, delivery_ids: list[int], at: dt.datetime, emailed: bool) -> int:
    """Đ3.4: record that the head was told (once per delivery), with its audit event."""
    changed: list[Delivery] = []
    for start in range(0, len(delivery_ids), CHUNK):
        # Locked as read (PostgreSQL): of two markers, the second sees them escalated and records nothing.
        due = list(
            Delivery.objects.filter(pk__in=delivery_ids[start : start + CHUNK], escalated_at__isnull=True)
            .select_related("organisation", "report")
            .select_for_update(of=("self",))
        )
        Delivery.objects.filter(pk__in=[d.pk for d in due]).update(escalated_at=at)
        changed += due
    if changed:
        audit_record_many(
            ctx=SYSTEM,
            events=[
                PendingEvent(
                    "delivery.escalate",
                    "inbox.delivery",
                    str(d.pk),
                    f"{d.report.reference} → {d.organisation.code}",
                    {"report": d.report.reference, "emailed": emailed},
                )
                for d in changed
            ],
        )
    return len(changed)


def outbox_send(*, ids: list[int] | None = None, limit: int = BATCH) -> SendResult:
    """Send unsent messages (these `ids`, or the oldest `limit`) over one SMTP connection."""
    claimed = _claim(ids, limit)
    if not claimed:
        return SendResult(0, 0)
    sent = failed = 0
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except OSError as exc:
        logger.warning("outbox: SMTP unavailable, %d message(s) wait: %s", len(claimed), exc)
        _failed(claimed, exc)
        return SendResult(0, len(claimed))
    try:
        messages = list(OutboxMessage.objects.filter(pk__in=claimed, sent_at__isnull=True).order_by("pk"))
        for i, message in enumerate(messages):
            try:
                accepted = connection.send_messages([_email(message)])
            except _REFUSED as exc:
                _failed([message.pk], exc)
                failed += 1
                continue
            except OSError as exc:
                logger.warning("outbox: SMTP connection lost, %d message(s) wait: %s", len(messages) - i, exc)
                _failed([m.pk for m in messages[i:]], exc)
                failed += len(messages) - i
                break
            if not accepted:
                _failed([message.pk], "not accepted by the SMTP server")
                failed += 1
                continue
            _accepted(message)
            sent += 1
    finally:
        with contextlib.suppress(OSError):
            connection.close()
    return SendResult(sent, failed)


def outbox_send_keys(keys: list[str]) -> SendResult:
    """Send the messages written under `keys` that are not sent yet (outside any transaction)."""
    ids = list(OutboxMessage.objects.filter(dedup_key__in=keys, sent_at__isnull=True).values_list("pk", flat=True))
    if not ids:
        return SendResult(0, 0)
    return outbox_send(ids=ids, limit=len(ids))


def outbox_retry_delay() -> dt.timedelta | None:
    """When to try the unsent messages again (backing off with their attempts), None when none wait."""
    oldest = OutboxMessage.objects.filter(sent_at__isnull=True).order_by("attempts").values("attempts").first()
    if oldest is None:
        return None
    return dt.timedelta(minutes=min(2 ** max(oldest["attempts"] - 1, 0), 60))


def retention_days() -> int:
    return int(getattr(settings, "PHOIHOP_OUTBOX_RETENTION_DAYS", RETENTION_DAYS))


def outbox_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the messages sent more than the retention ago, in batches; one audit event per run.

    Issue 9: a sent message's text was kept forever (0.2-0.7 KB per report). Once sent, what it stood for is
    recorded on the deliveries (notified_at, escalated_at, with their audit events), so the text goes, like a
    read notice's. Unsent and failed messages are kept whatever their age: they are still to be sent or looked
    at. A deleted message's deliveries keep their times; their link to it is emptied (SET_NULL)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days())
    # Ids follow creation, so the first message created since the cutoff bounds the look-up: a sweep reads
    # only the old rows (those it deletes, and the few unsent it keeps), never the whole outbox.
    first_recent = (
        OutboxMessage.objects.filter(created_at__gte=cutoff).order_by("pk").values_list("pk", flat=True).first()
    )
    old = OutboxMessage.objects.filter(sent_at__isnull=False, sent_at__lt=cutoff)
    if first_recent is not None:
        old = old.filter(pk__lt=first_recent)
    purged = 0
    while ids := list(old.order_by("pk").values_list("pk", flat=True)[:PURGE_BATCH]):
        with transaction.atomic():
            purged += OutboxMessage.objects.filter(pk__in=ids).delete()[1].get(OutboxMessage._meta.label, 0)
    if purged:
        audit_record(
            ctx=SYSTEM, action="outbox.purge", summary=str(purged), data={"count": purged, "before": cutoff.isoformat()}
        )
    return purged


def outbox_sweep() -> int:
    """PERIODIC_SWEEP_HOOK: the retention purge. It sends nothing, so no message failed: 0."""
    outbox_purge()
    return 0
