"""The chain's arithmetic: the canonical bytes of an event and the keyed link to the one before.

Scheme 2: hash = HMAC-SHA256(key, prev_hash || canonical(event)). The canonical form survives any
faithful copy of the database (dumpdata/loaddata, pg_dump/restore): times are cut to milliseconds when
written (dumpdata keeps no more) and rendered in UTC at a fixed precision; JSON has sorted keys and fixed
separators; addresses are rendered in their one compressed form. Verification accepts no other scheme, so
a rewrite cannot fall back to an unkeyed one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
from typing import Any

from .keys import audit_key

SCHEME = 2
GENESIS = "0" * 64


def truncate_time(when: dt.datetime) -> dt.datetime:
    """The instant as stored: UTC, to the millisecond (what every faithful copy keeps)."""
    return when.astimezone(dt.UTC).replace(microsecond=when.microsecond // 1000 * 1000)


def normalise_ip(value: str | None) -> str | None:
    """The one spelling of an address (None for an empty or unparseable one)."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        return None


def _stable(value: Any) -> Any:
    """Numbers as PostgreSQL's jsonb gives them back: 1e20 returns as an integer, so integral floats are ints."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _stable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def _render_time(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(event: Any) -> bytes:
    """The bytes the chain covers for one event (every column but the two hashes)."""
    fields = {
        "scheme": event.scheme,
        "seq": event.seq,
        "created_at": _render_time(event.created_at),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "summary": event.summary,
        "data": _stable(event.data),
        "ip_address": normalise_ip(event.ip_address),
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def link(prev_hash: str, event: Any, *, key: bytes | None = None) -> str:
    """The event's hash: keyed over the previous hash and the event's canonical bytes."""
    return hmac.new(key or audit_key(), prev_hash.encode("ascii") + canonical(event), hashlib.sha256).hexdigest()


def plain_json(data: Any) -> Any:
    """Details as the database will give them back (tuples become lists, dates strings), so hashes agree."""
    return json.loads(json.dumps(data or {}, default=str, allow_nan=False))
