"""The signing key of each organisation: a PKCS#12 file or a PKCS#11 token named in PHOIHOP_SIGNING_KEYS, else
its DEMO key when the demo made one (demo.py). Passphrases and PINs are read from the environment variables
the configuration names, never from the file itself, and never logged.

PHOIHOP_SIGNING_KEYS (JSON):
    {"st-dic":    {"pkcs12": "/etc/phoihop/keys/st-dic.p12", "passphrase_env": "PHOIHOP_KEY_ST_DIC"},
     "st-police": {"pkcs11": {"module": "/usr/lib/libeTPkcs11.so", "token_label": "CONG AN TINH",
                              "key_label": "ky so", "cert_label": "ky so", "pin_env": "PHOIHOP_PIN_ST_POLICE"}}}
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from phoihop.core.errors import Conflict, Unavailable

from ..conf import signing_keys_file
from . import demo


@dataclass(frozen=True)
class KeySource:
    """Where one organisation's key is (what `describe` shows an operator: never a secret)."""

    kind: str  # "pkcs12" | "pkcs11" | "demo"
    location: str
    config: dict[str, Any]


def configured_keys() -> dict[str, dict[str, Any]]:
    path = signing_keys_file()
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise Unavailable(
            _("The signing key configuration %(path)s cannot be read: %(error)s") % {"path": path, "error": exc}
        ) from exc
    if not isinstance(data, dict):
        raise Unavailable(
            _("The signing key configuration %(path)s must map organisation codes to keys.") % {"path": path}
        )
    return data


def key_source(organisation) -> KeySource | None:
    """Where `organisation`'s key is, or None when it has none."""
    entry = configured_keys().get(organisation.code)
    if isinstance(entry, dict) and entry.get("pkcs12"):
        return KeySource("pkcs12", str(entry["pkcs12"]), entry)
    if isinstance(entry, dict) and isinstance(entry.get("pkcs11"), dict):
        p11 = entry["pkcs11"]
        return KeySource("pkcs11", f"{p11.get('module')} [{p11.get('token_label') or p11.get('slot')}]", p11)
    path = demo.key_path(organisation.code)
    if path.exists() and organisation.code in demo.passphrases():
        return KeySource("demo", str(path), {})
    return None


_cache: dict[tuple, Any] = {}
_lock = threading.Lock()


def _secret(config: dict[str, Any], key: str, what: str, organisation) -> bytes | None:
    name = config.get(key)
    if not name:
        return None
    value = os.environ.get(str(name))
    if value is None:
        raise Unavailable(
            _(
                "The %(what)s of the key of %(organisation)s is expected in the environment variable %(name)s,"
                " which is not set."
            )
            % {"what": what, "organisation": organisation.name_vi, "name": name}
        )
    return value.encode()


def _load_pkcs12(path: Path, passphrase: bytes | None, organisation):
    from pyhanko.sign import signers

    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise Unavailable(
            _("The key file of %(organisation)s cannot be read: %(error)s")
            % {"organisation": organisation.name_vi, "error": exc.strerror}
        ) from exc
    cache_key = ("p12", str(path), stamp)
    with _lock:
        signer = _cache.get(cache_key)
        if signer is None:
            signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=passphrase)
            if signer is None:
                raise Unavailable(
                    _("The key file of %(organisation)s cannot be opened (wrong passphrase or not a PKCS#12 file).")
                    % {"organisation": organisation.name_vi}
                )
            _cache[cache_key] = signer
    return signer


def _load_pkcs11(config: dict[str, Any], organisation):
    from pyhanko.sign import pkcs11

    pin = _secret(config, "pin_env", _("PIN"), organisation)
    try:
        session = pkcs11.open_pkcs11_session(
            config["module"],
            slot_no=config.get("slot"),
            token_label=config.get("token_label"),
            user_pin=pin.decode() if pin is not None else None,
        )
        return pkcs11.PKCS11Signer(session, cert_label=config.get("cert_label"), key_label=config.get("key_label"))
    except Exception as exc:  # the token is absent, locked, or the PIN is wrong: the module says which
        raise Unavailable(
            _("The token of %(organisation)s cannot be used: %(error)s")
            % {"organisation": organisation.name_vi, "error": exc}
        ) from exc


def signer_for(organisation):
    """The pyHanko signer of `organisation`; refused (naming it) when it has no key configured."""
    source = key_source(organisation)
    if source is None:
        raise Conflict(
            _("%(organisation)s has no signing key configured (PHOIHOP_SIGNING_KEYS, see docs/documents.md).")
            % {"organisation": organisation.name_vi},
            code="no_signing_key",
        )
    if source.kind == "pkcs11":
        return _load_pkcs11(source.config, organisation)
    if source.kind == "pkcs12":
        passphrase = _secret(source.config, "passphrase_env", _("passphrase"), organisation)
        return _load_pkcs12(Path(source.location), passphrase, organisation)
    return _load_pkcs12(Path(source.location), demo.passphrases()[organisation.code].encode(), organisation)
