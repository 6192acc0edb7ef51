"""Backups and restores: one archive holding the database, the evidence files, the keys and a manifest.

Layout of an archive (tar, gzip): the paths are those of a var directory, so a restore lays them out
as they were, and a restored install needs only PHOIHOP_VAR_DIR (and DATABASE_URL on PostgreSQL).

    db/phoihop.sqlite3       SQLite: a consistent copy taken through SQLite's online backup API
    db/phoihop.pgdump        PostgreSQL: pg_dump --format=custom of the snapshot the row counts were read in
    secret_key               the Django secret key: tracking secrets are HMACs under it
    audit_key                the audit chain's HMAC key, when kept as a file
    audit-checkpoints/...    the audit chain's checkpoints, when present
    evidence/...             the evidence files, when they are kept on the local disk
    manifest.json            version, commit, vendor, time, row counts, SHA-256 of every other file (last)

Safe while the app runs and writes: the database is copied first, from one snapshot (SQLite's backup
API holds a read transaction, which WAL lets writers work beside; pg_dump reads an exported snapshot),
then the files. Evidence is written before its report commits, so every evidence row of the snapshot
finds its file; a file that arrives later is copied too and is harmless.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages

from phoihop.audit.checkpoints import checkpoint_dir
from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import Invalid, Unavailable

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "db/phoihop.sqlite3"
PGDUMP_MEMBER = "db/phoihop.pgdump"
SQLITE_NAME = "phoihop.sqlite3"  # where config/settings.py looks when DATABASE_URL is not set
KEY_FILES = ("secret_key", "audit_key")
CHECKPOINTS = "audit-checkpoints"  # restored into DIR/audit-checkpoints, where audit.checkpoints looks
EVIDENCE = "evidence"
# The tables whose row counts a manifest records and a restore checks.
COUNTED = {
    "reports": "intake.Report",
    "deliveries": "inbox.Delivery",
    "cases": "cases.Case",
    "audit_events": "audit.AuditEvent",
}
HEAD = "audit_head_seq"
CHUNK = 1 << 20


class BackupError(Invalid):
    """The archive or the target cannot be used; the message says which and why."""

    def __init__(self, message: str):
        super().__init__(message=message)


def _queries() -> dict[str, str]:
    """The row counts of the main tables, and the audit chain's last sequence number (same SQL on both)."""
    tables = {name: apps.get_model(label)._meta.db_table for name, label in COUNTED.items()}
    queries = {name: f'SELECT COUNT(*) FROM "{table}"' for name, table in tables.items()}  # noqa: S608 - model names
    queries[HEAD] = f'SELECT COALESCE(MAX(seq), 0) FROM "{tables["audit_events"]}"'  # noqa: S608
    return queries


# --- the database ---------------------------------------------------------------------------------


def pg_params(db: Mapping[str, Any]) -> dict[str, str]:
    """libpq's environment for a Django database entry: no password on a command line (`ps` shows those)."""
    env = {
        "PGDATABASE": db.get("NAME") or "",
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
        "PGSSLMODE": (db.get("OPTIONS") or {}).get("sslmode", ""),
    }
    return {k: v for k, v in env.items() if v}


def pg_connect(db: Mapping[str, Any], **kwargs):
    import psycopg

    keys = {"PGDATABASE": "dbname", "PGUSER": "user", "PGPASSWORD": "password", "PGHOST": "host", "PGPORT": "port"}
    params: dict[str, Any] = {keys.get(k, "sslmode"): v for k, v in pg_params(db).items()}
    return psycopg.connect(**params, **kwargs)


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise Unavailable(
            f"{name} was not found on PATH: install PostgreSQL's client programs "
            f"(Debian: apt-get install postgresql-client) in the version of the server or newer."
        )
    return path


def sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {name: conn.execute(query).fetchone()[0] for name, query in _queries().items()}


def pg_counts(conn) -> dict[str, int]:
    return {name: conn.execute(query).fetchone()[0] for name, query in _queries().items()}


def _sqlite_snapshot(source: str, into: Path) -> dict[str, int]:
    """Copy the live database in one step of the online backup API; return the copy's row counts."""
    source = str(source or "")
    if not source or source == ":memory:" or not Path(source).exists():
        raise Unavailable(f"the SQLite database {source or '(unnamed)'} does not exist: nothing to back up")
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(into)
    try:
        # pages=-1: the whole database in one step, so it is one snapshot; a step-by-step copy restarts
        # whenever the app writes, and might never end on a busy day.
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()
    return sqlite_counts(into)


def _pg_snapshot(db: Mapping[str, Any], into: Path) -> dict[str, int]:
    """pg_dump of an exported snapshot, counted in that same snapshot: the counts match the dump exactly."""
    pg_dump = pg_tool("pg_dump")
    with pg_connect(db) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts = pg_counts(conn)
        result = subprocess.run(  # noqa: S603 - a fixed program and our own arguments, no shell
            [pg_dump, "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={into}"],
            env={**os.environ, **pg_params(db)},
            capture_output=True,
            text=True,
        )
        conn.rollback()
    if result.returncode != 0:
        raise Unavailable(f"pg_dump failed: {result.stderr.strip()}")
    return counts


# --- what goes into the archive ---------------------------------------------------------------------


def _files_under(root: Path, prefix: str) -> Iterator[tuple[str, Path]]:
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield str(PurePosixPath(prefix, path.relative_to(root).as_posix())), path


def _evidence(notes: list[str]) -> tuple[dict[str, Any], Path | None]:
    storage = storages["evidence"]
    if isinstance(storage, FileSystemStorage):
        return {"storage": "local", "copied": True}, Path(storage.location)
    bucket = getattr(storage, "bucket_name", None)
    kind = "s3" if bucket else type(storage).__name__
    notes.append(
        f"Evidence lives in the object store ({kind}{': bucket ' + bucket if bucket else ''}) and is NOT "
        "in this archive: back the bucket up with its own tools (versioning, replication)."
    )
    return {"storage": kind, "bucket": bucket, "copied": False}, None


def _keys(notes: list[str]) -> dict[str, str]:
    var = Path(settings.VAR_DIR)
    keys = {}
    for name, env in (("secret_key", "DJANGO_SECRET_KEY"), ("audit_key", "AUDIT_HMAC_KEY")):
        if os.environ.get(env):
            keys[name] = f"environment ({env})"
            notes.append(
                f"{name} comes from the environment variable {env} and is not in this archive: a restore "
                f"needs {env} supplied again, from where it is kept apart."
            )
        elif (var / name).is_file():
            keys[name] = "file"
        else:
            keys[name] = "absent"
    return keys


def _checkpoints(head: int, notes: list[str]) -> Iterator[tuple[str, Path]]:
    """The audit checkpoints up to the snapshot's last event: one made after it would not match the copy."""
    for name, file in _files_under(checkpoint_dir(), CHECKPOINTS):
        try:
            seq = int(json.loads(file.read_text()).get("seq", 0))
        except (OSError, ValueError, AttributeError, TypeError):
            seq = 0  # not ours to judge: `audit verify` will say what it is
        if seq > head:
            notes.append(f"{name} vouches for event #{seq}, after the snapshot's last (#{head}): left out")
        else:
            yield name, file


def _version() -> dict[str, str]:
    try:
        version = metadata.version("phoihop")
    except metadata.PackageNotFoundError:
        version = "unknown"
    commit = os.environ.get("PHOIHOP_COMMIT", "")
    git = shutil.which("git")
    if not commit and git:
        found = subprocess.run(  # noqa: S603 - a fixed program and our own arguments, no shell
            [git, "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"], capture_output=True, text=True
        )
        commit = found.stdout.strip() if found.returncode == 0 else ""
    return {"version": version, "commit": commit or "unknown"}


class _Hashing:
    """A reader that hashes what passes through it, so the checksum is of exactly the bytes archived."""

    def __init__(self, fh: IO[bytes]):
        self.fh, self.sha = fh, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.sha.update(data)
        return data


def _add(tar: tarfile.TarFile, name: str, path: Path, mtime: float) -> str:
    info = tarfile.TarInfo(name)
    with path.open("rb") as fh:
        info.size, info.mode, info.mtime = os.fstat(fh.fileno()).st_size, 0o600, int(mtime)
        reader = _Hashing(fh)
        tar.addfile(info, reader)
    return reader.sha.hexdigest()


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    sha256: str = ""
    skipped: list[str] = field(default_factory=list)


def backup_create(*, path: Path, ctx: AuditContext) -> BackupResult:
    """Write one archive of everything a restore needs to `path` (temp file, then renamed; mode 0600).

    The audit log records who took the copy (it holds every report): the event is written after the
    snapshot, so it is in the live log, not in the archive.
    """
    path = Path(path).resolve()
    if path.is_dir():
        raise BackupError(f"{path} is a directory: give the archive's file name, e.g. {path / 'phoihop.tar.gz'}")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} does not exist or is not a directory")
    db = settings.DATABASES["default"]
    vendor = "sqlite" if "sqlite" in db["ENGINE"] else ""  # Django's backend or phoihop.core.sqlite
    vendor = vendor or ("postgresql" if "postgresql" in db["ENGINE"] else db["ENGINE"])
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"backups know SQLite and PostgreSQL, not {vendor}")
    notes: list[str] = []
    evidence, evidence_root = _evidence(notes)
    if evidence_root and path.is_relative_to(evidence_root.resolve()):
        raise BackupError(f"{path} is inside the evidence folder {evidence_root}: write the archive elsewhere")
    keys = _keys(notes)
    started = dt.datetime.now(dt.UTC)
    hashes: dict[str, dict[str, Any]] = {}
    result = BackupResult(path=path, manifest={})
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".phoihop-backup-") as work:
        dump = Path(work) / ("db.sqlite3" if vendor == "sqlite" else "db.pgdump")
        counts = _sqlite_snapshot(db["NAME"], dump) if vendor == "sqlite" else _pg_snapshot(db, dump)
        head = counts.pop(HEAD)
        taken = dt.datetime.now(dt.UTC)
        partial = Path(work) / "archive.tar.gz"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz") as tar:

                def put(name: str, file: Path) -> None:
                    try:
                        stat = file.stat()
                        hashes[name] = {"sha256": _add(tar, name, file, stat.st_mtime), "bytes": stat.st_size}
                    except FileNotFoundError:  # removed while we walked: it is no longer data
                        result.skipped.append(name)

                put(SQLITE_MEMBER if vendor == "sqlite" else PGDUMP_MEMBER, dump)
                var = Path(settings.VAR_DIR)
                for name in KEY_FILES:
                    if keys.get(name) == "file":
                        put(name, var / name)
                for name, file in _checkpoints(head, notes):
                    put(name, file)
                if evidence_root is not None:
                    for name, file in _files_under(evidence_root, EVIDENCE):
                        put(name, file)
                    evidence["files"] = sum(1 for n in hashes if n.startswith(EVIDENCE + "/"))
                manifest = {
                    "format": FORMAT,
                    "product": "phoihop",
                    **_version(),
                    "created_at": started.isoformat(),
                    "database_snapshot_at": taken.isoformat(),
                    "database": {"vendor": vendor, "file": SQLITE_MEMBER if vendor == "sqlite" else PGDUMP_MEMBER},
                    "counts": counts,
                    HEAD: head,
                    "evidence": evidence,
                    "keys": keys,
                    "notes": notes,
                    "files": hashes,
                }
                body = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(body), 0o600, int(taken.timestamp())
                tar.addfile(info, io.BytesIO(body))
            raw.flush()
            os.fsync(raw.fileno())
        result.sha256 = _sha256_of(partial)
        os.replace(partial, path)
    result.manifest = manifest
    audit_record(
        ctx=ctx,
        action="backup.create",
        summary=path.name,
        data={"path": str(path), "sha256": result.sha256, "counts": counts, "files": len(hashes)},
    )
    return result


def _sha256_of(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()
