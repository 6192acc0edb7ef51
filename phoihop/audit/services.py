"""Writing and verifying the audit log."""

from __future__ import annotations

import getpass
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from phoihop.core.bulk import insert_objects

from .chain import GENESIS, SCHEME, link, normalise_ip, plain_json, truncate_time
from .keys import audit_key
from .models import AuditChainHead, AuditEvent


@dataclass(frozen=True)
class AuditContext:
    """Where a change came from: the acting user (None for the public or the system) and their address."""

    actor: Any = None
    ip_address: str | None = None
    label: str | None = None

    @property
    def actor_label(self) -> str:
        if self.label:
            return self.label
        if self.actor is not None and getattr(self.actor, "pk", None):
            return self.actor.get_username()
        return "system"

    @classmethod
    def from_request(cls, request, *, label: str | None = None) -> AuditContext:
        user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        return cls(actor=user, ip_address=client_ip(request), label=label or (None if user else "public"))


SYSTEM = AuditContext(label="system")


def client_ip(request) -> str | None:
    """The client's address as the server saw it (REMOTE_ADDR; a proxy must be configured to set it)."""
    return request.META.get("REMOTE_ADDR") or None


@dataclass(frozen=True)
class PendingEvent:
    action: str
    object_type: str = ""
    object_id: str = ""
    summary: str = ""
    data: dict | None = None


def audit_record_many(*, ctx: AuditContext, events: list[PendingEvent]) -> list[AuditEvent]:
    """Append events to the chain in one locked step (the bulk path: one lock, one insert)."""
    if not events:
        return []
    # Inside the caller's transaction no savepoint is taken: an event that cannot be written fails the
    # whole business write, which is what the log must guarantee anyway (and saves two statements).
    with transaction.atomic(savepoint=False):
        head = _chain_head_locked()
        if head is None:  # the first event ever
            AuditChainHead.objects.get_or_create(id=1)
            head = _chain_head_locked()
            assert head is not None
        key, now = audit_key(), truncate_time(timezone.now())
        (seq, prev), rows = head, []
        for pending in events:
            seq += 1
            # Every value is cut to what its column keeps, so the hash covers what a copy will hold.
            event = AuditEvent(
                scheme=SCHEME,
                seq=seq,
                created_at=now,
                actor=ctx.actor if ctx.actor is not None and getattr(ctx.actor, "pk", None) else None,
                actor_label=ctx.actor_label[:200],
                action=pending.action[:64],
                object_type=pending.object_type[:64],
                object_id=str(pending.object_id)[:64],
                summary=pending.summary[:500],
                data=plain_json(pending.data),
                ip_address=normalise_ip(ctx.ip_address),
                prev_hash=prev,
            )
            event.hash = link(prev, event, key=key)
            prev = event.hash
            rows.append(event)
        insert_objects(rows)
        with connection.cursor() as cursor:
            cursor.execute(_HEAD_UPDATE, [seq, prev])
    return rows


# The chain head is read and written on every audited write: plain SQL (two fixed statements) rather than
# the ORM, whose query building cost more than the statements themselves.
_HEAD_TABLE = AuditChainHead._meta.db_table  # the model's own table name: nothing from input reaches the SQL
_HEAD_SELECT = f"SELECT seq, hash FROM {_HEAD_TABLE} WHERE id = 1"  # noqa: S608
_HEAD_UPDATE = f"UPDATE {_HEAD_TABLE} SET seq = %s, hash = %s WHERE id = 1"  # noqa: S608


def _chain_head_locked() -> tuple[int, str] | None:
    """(seq, hash) of the chain head, locked until the transaction ends (SQLite: the write transaction
    already holds the database)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(_HEAD_SELECT + lock)
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def audit_record(
    *, ctx: AuditContext, action: str, obj=None, summary: str = "", data: dict | None = None
) -> AuditEvent:
    """Append one event: `action` done by `ctx` to `obj`."""
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    return audit_record_many(
        ctx=ctx,
        events=[PendingEvent(action, object_type, object_id, summary or (str(obj) if obj else ""), data)],
    )[0]


def audit_reads(
    *, ctx: AuditContext, action: str, objs: Iterable[Any], via: str, data: dict | None = None
) -> list[AuditEvent]:
    """Record that `ctx` read restricted objects (one event each, in one append), e.g. a restricted case
    shown on a page (via="web") or returned by the API (via="api"). Call it only for objects whose reading
    must leave a trace; the caller decides which (its own restriction rules)."""
    events = [
        PendingEvent(action, obj._meta.label_lower, str(obj.pk), str(obj), {**(data or {}), "via": via}) for obj in objs
    ]
    return audit_record_many(ctx=ctx, events=events)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def audit_verify(*, batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order and name the first event that was altered, inserted or removed.

    Each hash is recomputed with the key, so a chain rewritten by someone without the key fails at its
    first rewritten event; a truncated tail with a mended head needs a checkpoint (audit.checkpoints).
    """
    key, prev, expected_seq, checked = audit_key(), GENESIS, 1, 0
    qs = AuditEvent.objects.order_by("seq")
    last_seq = 0
    while True:
        batch = list(qs.filter(seq__gt=last_seq)[:batch_size])
        if not batch:
            break
        for event in batch:
            if event.seq != expected_seq:
                return ChainReport(False, checked, expected_seq, f"event #{expected_seq} is missing")
            if event.scheme != SCHEME:
                return ChainReport(False, checked, event.seq, f"event #{event.seq} uses unknown scheme {event.scheme}")
            if event.prev_hash != prev:
                return ChainReport(False, checked, event.seq, f"event #{event.seq} does not follow the one before")
            if link(prev, event, key=key) != event.hash:
                problem = f"event #{event.seq} was altered (its hash was not made by the audit key from this chain)"
                return ChainReport(False, checked, event.seq, problem)
            prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
        last_seq = batch[-1].seq
    head = AuditChainHead.objects.filter(id=1).first()
    if head and (head.seq != checked or head.hash != prev):
        return ChainReport(False, checked, checked + 1, f"events after #{checked} were removed")
    return ChainReport(True, checked)


def operator_label(verb: str) -> str:
    """Who ran the command, for the audit log (the machine account when the OS cannot tell)."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return f"cli:{verb}:{who}"
