"""`phoihop restore FILE DIR [--database-url URL]`: a backup archive into a fresh var directory.

Every checksum of the manifest is checked first: a damaged archive is refused and nothing is written.
Then the keys, audit checkpoints and evidence go into DIR (files 0600, folders 0700), the database is
restored (SQLite: DIR/phoihop.sqlite3; PostgreSQL: pg_restore into an empty database), its row counts are
compared with the manifest, and `migrate` and `audit verify` run against the restored data in a process
of its own (PHOIHOP_VAR_DIR=DIR), as the restored install will. Last, what to set to start from it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import IO, Any

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from phoihop.core.errors import DomainError, Unavailable
from phoihop.site import backup
from phoihop.site.backup import (
    CHUNK,
    FORMAT,
    MANIFEST,
    PGDUMP_MEMBER,
    SQLITE_MEMBER,
    SQLITE_NAME,
    BackupError,
    pg_connect,
    pg_counts,
    pg_params,
    pg_tool,
    sqlite_counts,
)

# Run against the restored data, in this order; createcachetable makes the cache table if the source had none.
CHECKS = (["migrate", "--no-input"], ["createcachetable"], ["audit", "verify"])
ENV_KEYS = (("secret_key", "DJANGO_SECRET_KEY"), ("audit_key", "AUDIT_HMAC_KEY"))


# --- reading an archive (twice: checked first, then laid out) ----------------------------------------


def safe_name(name: str) -> str:
    posix = PurePosixPath(name)
    if posix.is_absolute() or ".." in posix.parts or not posix.parts or name != posix.as_posix():
        raise BackupError(f"the archive holds an unsafe path {name!r}: refused")
    return name


def members(archive: Path) -> Iterator[tuple[tarfile.TarInfo, IO[bytes]]]:
    """Each regular file of the archive with a reader, in order; anything else (links, devices) is refused.

    The gzip stream is read to its end, so its CRC is checked too: a damaged byte anywhere is found.
    """
    with gzip.open(archive, "rb") as gz:
        with tarfile.open(fileobj=gz, mode="r|") as tar:
            for info in tar:
                if info.isdir():
                    continue
                if not info.isfile():
                    raise BackupError(f"the archive holds {info.name!r}, which is not a plain file: refused")
                reader = tar.extractfile(info)
                assert reader is not None
                yield info, reader
        while gz.read(CHUNK):
            pass


def archive_verify(archive: Path) -> dict[str, Any]:
    """Every checksum of the manifest, checked before anything is written; returns the manifest."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist or is not a file")
    seen: dict[str, str] = {}
    manifest_bytes = None
    try:
        for info, reader in members(archive):
            name = safe_name(info.name)
            if name in seen or (name == MANIFEST and manifest_bytes is not None):
                raise BackupError(f"{archive}: {name} appears twice: refused")
            if name == MANIFEST:
                manifest_bytes = reader.read()
                continue
            sha = hashlib.sha256()
            while chunk := reader.read(CHUNK):
                sha.update(chunk)
            seen[name] = sha.hexdigest()
    except (tarfile.TarError, zlib.error, EOFError, OSError, ValueError) as exc:
        raise BackupError(f"{archive} is damaged ({exc}): nothing was restored") from exc
    if manifest_bytes is None:
        raise BackupError(f"{archive} has no {MANIFEST}: not a phoihop backup, or cut short")
    try:
        manifest = json.loads(manifest_bytes)
        listed = {name: entry["sha256"] for name, entry in manifest["files"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackupError(f"{archive}: {MANIFEST} is damaged ({exc}): nothing was restored") from exc
    if manifest.get("format") != FORMAT or manifest.get("product") != "phoihop":
        raise BackupError(f"{archive} is not a phoihop backup of format {FORMAT}")
    for name in sorted(set(listed) | set(seen)):
        if name not in seen:
            raise BackupError(f"{archive}: {name} is listed in the manifest but missing: nothing was restored")
        if name not in listed:
            raise BackupError(f"{archive}: {name} is not listed in the manifest: refused, nothing was restored")
        if seen[name] != listed[name]:
            raise BackupError(f"{archive}: {name} does not match its SHA-256 in the manifest: nothing was restored")
    return manifest


# --- laying it out --------------------------------------------------------------------------------


def target_check(target: Path) -> None:
    """A restore goes into a fresh var directory only: nothing of another install is overwritten."""
    if target.resolve() == Path(settings.VAR_DIR).resolve():
        raise BackupError(
            f"{target} is this command's own var directory (PHOIHOP_VAR_DIR): run the restore without "
            "PHOIHOP_VAR_DIR pointing at the target"
        )
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} is not empty: restore into a new, empty directory")


def pg_target_check(db: Mapping[str, Any]) -> None:
    """The target database exists and holds nothing yet (a restore never merges into live data)."""
    try:
        with pg_connect(db) as conn:
            used = conn.execute(
                "SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
                " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%%'"
            ).fetchone()[0]
    except Exception as exc:  # psycopg.Error: the message names what is wrong (no such database, auth)
        raise Unavailable(f"cannot open the target database {db.get('NAME')}: {exc}") from exc
    if used:
        raise BackupError(
            f"the database {db.get('NAME')} is not empty ({used} tables, views or sequences): "
            "restore into a new, empty database"
        )


def _write(dest: Path, reader: IO[bytes], root: Path) -> str:
    for parent in reversed(dest.relative_to(root).parents[:-1]):
        (root / parent).mkdir(mode=0o700, exist_ok=True)
    sha = hashlib.sha256()
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := reader.read(CHUNK):
            sha.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return sha.hexdigest()


def _pg_restore(reader: IO[bytes], db: Mapping[str, Any]) -> str:
    """Feed the dump to pg_restore in one transaction: on any error the target database stays empty."""
    command = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    sha = hashlib.sha256()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(  # noqa: S603 - a fixed program and our own arguments, no shell
            [*command, f"--dbname={db['NAME']}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env={**os.environ, **pg_params(db)},
        )
        assert proc.stdin is not None
        try:
            while chunk := reader.read(CHUNK):
                sha.update(chunk)
                proc.stdin.write(chunk)
            proc.stdin.close()
        except BrokenPipeError:
            pass
        code = proc.wait()
        errors.seek(0)
        if code != 0:
            raise Unavailable(f"pg_restore failed: {errors.read().decode(errors='replace').strip()}")
    return sha.hexdigest()


def archive_restore(
    *, archive: Path, manifest: dict[str, Any], target: Path, db: Mapping[str, Any] | None
) -> dict[str, int]:
    """Lay a verified archive out in `target` (files 0600, folders 0700) and restore its database.

    SQLite: the database becomes target/phoihop.sqlite3. PostgreSQL: pg_restore into `db`, checked empty
    by the caller. Returns the row counts of the restored database, to compare with the manifest.
    """
    listed = {name: entry["sha256"] for name, entry in manifest["files"].items()}
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(target, 0o700)
    try:
        for info, reader in members(archive):
            name = info.name
            if name == MANIFEST:
                continue
            if name == PGDUMP_MEMBER:
                if db is None:
                    raise BackupError("this archive holds a PostgreSQL dump: give --database-url")
                sha = _pg_restore(reader, db)
            else:
                sha = _write(target / (SQLITE_NAME if name == SQLITE_MEMBER else safe_name(name)), reader, target)
            if sha != listed.get(name):  # the file changed on disk since it was checked
                raise BackupError(f"{archive}: {name} changed while it was restored: the restore is incomplete")
    except (tarfile.TarError, zlib.error, EOFError, OSError) as exc:
        raise BackupError(f"{archive} could not be read ({exc}): the restore into {target} is incomplete") from exc
    if manifest["database"]["vendor"] == "sqlite":
        return sqlite_counts(target / SQLITE_NAME)
    assert db is not None
    with pg_connect(db) as conn:
        return pg_counts(conn)


def _masked(url: str) -> str:
    db = dj_database_url.parse(url)
    return url.replace(f":{db['PASSWORD']}@", ":***@") if db.get("PASSWORD") else url


class Command(BaseCommand):
    help = "Restore a backup archive into a new, empty var directory (and, for PostgreSQL, an empty database)."
    requires_system_checks: list[str] = []  # the restored install is checked by `migrate` in its own process

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the archive written by `phoihop backup`")
        parser.add_argument("dir", type=Path, help="a new, empty var directory for the restored install")
        parser.add_argument(
            "--database-url", help="PostgreSQL archives: the empty database to restore into (default: DATABASE_URL)"
        )

    def handle(self, *args, file: Path, dir: Path, database_url: str | None, **options):
        target = dir.absolute()
        try:
            target_check(target)
            manifest = archive_verify(file)
            url, db = self._database(manifest, database_url)
            keys = manifest.get("keys", {})
            for name, env in ENV_KEYS:
                # Without it the chain cannot be checked, or a new secret key would be made in DIR unnoticed.
                if keys.get(name, "").startswith("environment") and not os.environ.get(env):
                    raise BackupError(
                        f"this archive's {name} came from {env} and is not inside it: set {env} to the key "
                        "kept apart, then run the restore again"
                    )
            counts = archive_restore(archive=file, manifest=manifest, target=target, db=db)
        except DomainError as exc:
            raise CommandError(str(exc.message), returncode=exc.exit_code) from exc
        head = counts.pop(backup.HEAD)
        if counts != manifest["counts"] or head != manifest[backup.HEAD]:
            raise CommandError(f"restored into {target}, but the row counts {counts} differ from the manifest's")
        self.stdout.write(f"restored {file} (taken {manifest['created_at']}, {manifest['version']}) into {target}")
        self.stdout.write(
            "rows as in the manifest: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items())
        )
        self._check(target, url, keys)
        self._next_steps(target, url, manifest)

    def _database(self, manifest: dict, database_url: str | None) -> tuple[str | None, Mapping[str, Any] | None]:
        vendor = manifest["database"]["vendor"]
        if vendor == "sqlite":
            if database_url:
                raise BackupError(
                    f"this archive holds an SQLite database, restored into DIR/{SQLITE_NAME}: "
                    "--database-url is for PostgreSQL archives"
                )
            return None, None
        url = database_url or os.environ.get("DATABASE_URL")
        if not url:
            raise BackupError(
                "this archive holds a PostgreSQL database: give --database-url (or DATABASE_URL) of a "
                "new, empty database"
            )
        db = dj_database_url.parse(url)
        if "postgresql" not in db["ENGINE"]:
            raise BackupError(f"this archive holds a PostgreSQL database; {_masked(url)} is not PostgreSQL")
        pg_target_check(db)
        return url, db

    def _check(self, target: Path, url: str | None, keys: dict[str, Any]) -> None:
        env = {"LOG_LEVEL": "WARNING", **os.environ, "PHOIHOP_VAR_DIR": str(target)}
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        if keys.get("audit_key") == "file":
            env.pop("AUDIT_HMAC_KEY", None)  # the restored key file, not this shell's key
        if keys.get("secret_key") == "file":
            env.pop("DJANGO_SECRET_KEY", None)
        for step in CHECKS:
            done = subprocess.run(  # noqa: S603 - this same program, fixed arguments, no shell
                [sys.executable, "-m", "phoihop.cli", *step], env=env, capture_output=True, text=True
            )
            if done.returncode != 0:
                raise CommandError(
                    f"restored into {target}, but `phoihop {' '.join(step)}` failed there:\n"
                    f"{(done.stderr or done.stdout).strip()}"
                )
        self.stdout.write(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "audit chain checked")
        for line in done.stderr.strip().splitlines():  # e.g. that no checkpoint was there to compare with
            self.stdout.write(self.style.WARNING(f"audit verify: {line}"))

    def _next_steps(self, target: Path, url: str | None, manifest: dict) -> None:
        lines = [f"export PHOIHOP_VAR_DIR={target}"]
        if url:
            lines.append(f"export DATABASE_URL={_masked(url)}")
        else:
            lines.append(f"unset DATABASE_URL   # the database is {target / SQLITE_NAME}")
        for name, env in ENV_KEYS:
            if manifest.get("keys", {}).get(name, "").startswith("environment"):
                lines.append(f"export {env}=...   # the key kept apart: it is not in the archive")
        if not manifest["evidence"].get("copied"):
            lines.append(f"# evidence stays in the object store ({manifest['evidence'].get('bucket') or 'bucket'})")
        lines.append("phoihop serve")
        self.stdout.write("To start from it:\n  " + "\n  ".join(lines))
        for note in manifest.get("notes", []):
            self.stdout.write(self.style.WARNING(f"note: {note}"))
