"""Signed checkpoints of the chain's head: a truncated or re-keyed tail is caught against them.

The keyed chain stops a rewrite by someone without the key; it cannot see events cut off the end (the
head row can be mended without the key) nor a rewrite by someone who stole the key. A checkpoint is a
small JSON file (sequence number, head hash, time, HMAC with the audit key, and an Ed25519 signature when
the `cryptography` package is installed) written daily under var/audit-checkpoints/ (mode 0600). Copy
them off the machine: a checkpoint the attacker cannot reach is what proves the log was longer.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from phoihop.core.errors import Conflict, Invalid

from .chain import SCHEME, truncate_time
from .keys import audit_key, key_id
from .models import AuditChainHead, AuditEvent
from .services import AuditContext, ChainReport, audit_record, audit_verify

FORMAT = "phoihop-audit-checkpoint/1"
DIR_NAME = "audit-checkpoints"
SIGNED_FIELDS = ("format", "scheme", "seq", "hash", "created_at", "key_id")


@dataclass(frozen=True)
class Checkpoint:
    """A checkpoint as read from its file (already authenticated)."""

    seq: int
    hash: str
    created_at: str
    name: str


def checkpoint_dir() -> Path:
    """settings.AUDIT_CHECKPOINT_DIR if set, else var/audit-checkpoints."""
    return Path(getattr(settings, "AUDIT_CHECKPOINT_DIR", None) or Path(settings.VAR_DIR) / DIR_NAME)


def _signed_bytes(doc: dict[str, Any]) -> bytes:
    body = {name: doc.get(name) for name in SIGNED_FIELDS}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _mac(key: bytes, doc: dict[str, Any]) -> str:
    return hmac.new(key, _signed_bytes(doc), hashlib.sha256).hexdigest()


def _ed25519_private(key: bytes):
    """The signing key, derived from the audit key (None without the `cryptography` package)."""
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    except ImportError:
        return None
    return Ed25519PrivateKey.from_private_bytes(hmac.new(key, b"phoihop-audit-ed25519", hashlib.sha256).digest())


def _ed25519_public_hex(private) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.chmod(path, 0o600)  # an existing file given with --out keeps no wider mode


def audit_checkpoint(*, ctx: AuditContext, out: Path | str | None = None) -> Path:
    """Verify the chain, then write a signed checkpoint of its head; refuses to bless a broken chain."""
    report = audit_verify()
    if not report.ok:
        raise Conflict(f"audit chain BROKEN at event #{report.first_bad_seq}: {report.problem}", code="audit_broken")
    with transaction.atomic():
        AuditChainHead.objects.get_or_create(id=1)
        head = AuditChainHead.objects.select_for_update().get(id=1)
        key, now = audit_key(), truncate_time(timezone.now())
        doc: dict[str, Any] = {
            "format": FORMAT,
            "scheme": SCHEME,
            "seq": head.seq,
            "hash": head.hash,
            "created_at": now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "key_id": key_id(key),
        }
        doc["hmac"] = _mac(key, doc)
        private = _ed25519_private(key)
        if private is not None:
            signature = private.sign(_signed_bytes(doc)).hex()
            doc["ed25519"] = {"public_key": _ed25519_public_hex(private), "signature": signature}
        path = Path(out) if out else checkpoint_dir() / f"checkpoint-{now:%Y%m%dT%H%M%S%f}Z-{head.seq}.json"
        _write_private(path, json.dumps(doc, indent=2, sort_keys=True) + "\n")
        # The log keeps its own copy of every checkpoint: which head was vouched for, when, in which file.
        audit_record(
            ctx=ctx,
            action="audit.checkpoint",
            summary=f"checkpoint of event #{head.seq}",
            data={"seq": head.seq, "hash": head.hash, "file": path.name},
        )
    return path


def newest_checkpoint() -> Path | None:
    """The newest file under var/audit-checkpoints (names sort by time)."""
    folder = checkpoint_dir()
    files = sorted(folder.glob("checkpoint-*.json")) if folder.is_dir() else []
    return files[-1] if files else None


def checkpoint_read(path: Path | str) -> Checkpoint:
    """Read a checkpoint and check it was made with this installation's key; Invalid if not."""
    try:
        doc = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise Invalid(message=f"checkpoint {path} cannot be read: {exc}", code="checkpoint_unreadable") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise Invalid(message=f"{path} is not an audit checkpoint", code="checkpoint_format")
    key = audit_key()
    if doc.get("key_id") != key_id(key):
        raise Invalid(message=f"checkpoint {path} was made with another audit key", code="checkpoint_key")
    if not hmac.compare_digest(str(doc.get("hmac", "")), _mac(key, doc)):
        raise Invalid(message=f"checkpoint {path} was altered (its HMAC does not match)", code="checkpoint_forged")
    signed = doc.get("ed25519")
    private = _ed25519_private(key)
    if signed is not None and private is not None:
        from cryptography.exceptions import InvalidSignature

        try:
            if signed.get("public_key") != _ed25519_public_hex(private):
                raise InvalidSignature
            private.public_key().verify(bytes.fromhex(signed["signature"]), _signed_bytes(doc))
        except (InvalidSignature, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise Invalid(message=f"checkpoint {path} has a bad signature", code="checkpoint_forged") from exc
    if not isinstance(doc.get("seq"), int) or not isinstance(doc.get("hash"), str):
        raise Invalid(message=f"{path} is not an audit checkpoint", code="checkpoint_format")
    return Checkpoint(seq=doc["seq"], hash=doc["hash"], created_at=str(doc["created_at"]), name=Path(path).name)


def audit_verify_against(*, checkpoint: Checkpoint | None) -> ChainReport:
    """Verify the chain, then that the checkpointed event still exists with the hash the checkpoint holds."""
    report = audit_verify()
    if not report.ok or checkpoint is None or checkpoint.seq == 0:
        return report
    where = f"checkpoint {checkpoint.name} of {checkpoint.created_at} vouched for event #{checkpoint.seq}"
    event = AuditEvent.objects.filter(seq=checkpoint.seq).only("hash").first()
    if event is None:
        first = report.checked + 1
        missing = f"event #{first}" if first == checkpoint.seq else f"events #{first} to #{checkpoint.seq}"
        return dataclasses.replace(report, ok=False, first_bad_seq=first, problem=f"{missing} removed; {where}")
    if not hmac.compare_digest(event.hash, checkpoint.hash):
        problem = f"event #{checkpoint.seq} or one before it was rewritten; {where} with another hash"
        return dataclasses.replace(report, ok=False, first_bad_seq=checkpoint.seq, problem=problem)
    return report
