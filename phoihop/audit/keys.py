"""The audit log's secret key, kept outside the database so a copy of the database cannot re-forge the chain.

AUDIT_HMAC_KEY from the environment, else a key generated once and kept in var/audit_key (mode 0600),
the way config/settings.py keeps var/secret_key. Read lazily (first audit write or verify), never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ENV_NAME = "AUDIT_HMAC_KEY"
FILE_NAME = "audit_key"
MIN_LENGTH = 32


def audit_key() -> bytes:
    """The HMAC key of the audit chain (bytes); the environment wins over the file."""
    return _load(os.environ.get(ENV_NAME) or "", str(Path(settings.VAR_DIR) / FILE_NAME))


def key_id(key: bytes | None = None) -> str:
    """A short public fingerprint of the key, so a checkpoint can say which key made it (reveals nothing)."""
    return hmac.new(key or audit_key(), b"phoihop-audit-key-id", hashlib.sha256).hexdigest()[:16]


@lru_cache(maxsize=8)
def _load(env_value: str, path: str) -> bytes:
    if env_value:
        if len(env_value) < MIN_LENGTH:
            raise ImproperlyConfigured(f"{ENV_NAME} must be at least {MIN_LENGTH} characters long.")
        return env_value.encode()
    file = Path(path)
    if not file.exists():
        # Written aside and linked into place, so a concurrent reader never sees a half-written key.
        spare = file.with_name(f".{FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
            os.link(spare, file)
        except FileExistsError:  # another process created it first: use theirs
            pass
        finally:
            spare.unlink()
    value = file.read_text().strip()
    if len(value) < MIN_LENGTH:
        raise ImproperlyConfigured(f"{file} holds no usable audit key; restore it from the backup.")
    return value.encode()
