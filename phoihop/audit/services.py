"""Writing and verifying the audit log."""

from __future__ import annotations

import getpass
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


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


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps({"prev": prev_hash, **fields}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def _fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "summary": event.summary,
        "data": event.data,
        "ip_address": event.ip_address,
    }


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
    with transaction.atomic():
        AuditChainHead.objects.get_or_create(id=1)
        head = AuditChainHead.objects.select_for_update().get(id=1)
        now = timezone.now()
        prev, seq, rows = head.hash, head.seq, []
        for pending in events:
            seq += 1
            event = AuditEvent(
                seq=seq,
                created_at=now,
                actor=ctx.actor if ctx.actor is not None and getattr(ctx.actor, "pk", None) else None,
                actor_label=ctx.actor_label,
                action=pending.action,
                object_type=pending.object_type,
                object_id=str(pending.object_id),
                summary=pending.summary[:500],
                data=json.loads(json.dumps(pending.data or {}, default=str)),
                ip_address=ctx.ip_address,
                prev_hash=prev,
            )
            event.hash = _digest(prev, _fields(event))
            prev = event.hash
            rows.append(event)
        AuditEvent.objects.bulk_create(rows)
        AuditChainHead.objects.filter(id=1).update(seq=seq, hash=prev)
    return rows


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


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def audit_verify(*, batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order and name the first event that was altered, inserted or removed."""
    prev, expected_seq, checked = GENESIS, 1, 0
    qs = AuditEvent.objects.order_by("seq")
    last_seq = 0
    while True:
        batch = list(qs.filter(seq__gt=last_seq)[:batch_size])
        if not batch:
            break
        for event in batch:
            if event.seq != expected_seq:
                return ChainReport(False, checked, expected_seq, f"event #{expected_seq} is missing")
            if event.prev_hash != prev:
                return ChainReport(False, checked, event.seq, f"event #{event.seq} does not follow the one before")
            if _digest(prev, _fields(event)) != event.hash:
                return ChainReport(False, checked, event.seq, f"event #{event.seq} was altered")
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

