"""The DEMO certificate authority and one DEMO key per organisation, made once under var/signing/demo/.

Never for real use: the CA's own key sits beside it on disk. Every file is mode 0600; the PKCS#12
passphrases are in passphrases.json (0600) so the service can open the keys without a person.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ..conf import demo_dir

CA_NAME = "phoihop DEMO CA - NOT FOR REAL USE"
VALID_DAYS = 3650


def _write(path: Path, data: bytes) -> None:
    """Write `data` to `path` readable by the service's user only (0600), replacing it atomically."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def ca_cert_path() -> Path:
    return demo_dir() / "demo-ca.pem"


def _ca_key_path() -> Path:
    return demo_dir() / "demo-ca.key"


def key_path(code: str) -> Path:
    return demo_dir() / f"DEMO-{code}.p12"


def _passphrase_path() -> Path:
    return demo_dir() / "passphrases.json"


def passphrases() -> dict[str, str]:
    path = _passphrase_path()
    return json.loads(path.read_text()) if path.exists() else {}


def _cut(text: str, limit: int = 64) -> str:
    """At most `limit` UTF-8 bytes (X.520's upper bound for these attributes), cut between characters."""
    return text.encode()[:limit].decode(errors="ignore").strip()


def _name(common: str, org: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _cut(org)),
            x509.NameAttribute(NameOID.COMMON_NAME, _cut(common)),
        ]
    )


def ca_ensure() -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """The DEMO CA (made on first use)."""
    cert_path, key_file = ca_cert_path(), _ca_key_path()
    if cert_path.exists() and key_file.exists():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        return cert, key
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(CA_NAME, "phoihop DEMO")
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )  # keyCertSign, cRLSign
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write(
        key_file,
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )
    _write(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def key_ensure(code: str, name: str) -> Path:
    """The DEMO PKCS#12 key of organisation `code` (made once, certified by the DEMO CA)."""
    path, known = key_path(code), passphrases()
    if path.exists() and code in known:
        return path
    ca_cert, ca_key = ca_ensure()
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(f"DEMO - {name}", name))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=VALID_DAYS - 1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )  # digitalSignature, nonRepudiation
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    passphrase = secrets.token_urlsafe(18)
    blob = pkcs12.serialize_key_and_certificates(
        f"DEMO {code}".encode(),
        key,
        cert,
        [ca_cert],
        # PBES2 (AES-256, SHA-256) with few KDF rounds: the passphrase lies beside it anyway (DEMO only).
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(2048)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(passphrase.encode()),
    )
    _write(path, blob)
    _write(_passphrase_path(), json.dumps({**known, code: passphrase}, indent=1).encode())
    return path


def keys_ensure(organisations) -> int:
    """A DEMO key for each organisation that lacks one; returns how many were made."""
    made = 0
    known = passphrases()
    for org in organisations:
        if not (key_path(org.code).exists() and org.code in known):
            key_ensure(org.code, org.name_vi)
            made += 1
    return made
