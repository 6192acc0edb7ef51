"""Backups and restores through the real commands, on real files.

Each test builds an install of its own (a var directory, an SQLite file or a PostgreSQL database of its
own, evidence on disk), takes a backup while a second process keeps submitting reports, restores it into
a new directory and checks what an operator would: the counts, the files, the keys, the audit chain.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]
PHOIHOP = [sys.executable, "-m", "phoihop.cli"]
SEEDED = 5  # reports before the backup, one of them with an evidence file
DATABASE_URL = os.environ.get("DATABASE_URL", "")
TABLES = {
    "reports": "intake_report",
    "deliveries": "inbox_delivery",
    "cases": "cases_case",
    "audit_events": "audit_auditevent",
}

REPORTS = r"""
import sys, time
from pathlib import Path

import django

django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile

from phoihop.audit.services import AuditContext
from phoihop.intake.services import IndicatorInput, ReportInput, report_submit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def submit(with_file=False):
    data = ReportInput(
        description="Cuộc gọi giả danh công an yêu cầu chuyển tiền vào tài khoản.",
        behaviour="13.4",
        area="st-vinh-chau",
        indicators=[IndicatorInput("phone", "0162 345 6789")],
        files=[SimpleUploadedFile("screenshot.png", PNG)] if with_file else [],
    )
    report_submit(data=data, channel="web", ctx=AuditContext(label="public"))


if sys.argv[1] == "seed":
    submit(with_file=True)
    for _ in range(int(sys.argv[2]) - 1):
        submit()
else:  # keep writing until the stop file appears (two minutes at most)
    stop, deadline = Path(sys.argv[2]), time.monotonic() + 120
    while not stop.exists() and time.monotonic() < deadline:
        submit()
        print("written", flush=True)
"""


def environment(var: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PHOIHOP_", "PYTEST_"))}
    for name in ("DATABASE_URL", "REDIS_URL", "AUDIT_HMAC_KEY", "DJANGO_SECRET_KEY", "EVIDENCE_S3_BUCKET"):
        env.pop(name, None)
    env |= {"PHOIHOP_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_LEVEL": "WARNING"}
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def phoihop(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([*PHOIHOP, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if check:
        assert done.returncode == 0, f"phoihop {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def row_counts(db) -> dict[str, int]:
    """The main tables' row counts through a DB-API connection (sqlite3 or psycopg)."""
    query = "SELECT COUNT(*) FROM {}"
    return {name: db.execute(query.format(table)).fetchone()[0] for name, table in TABLES.items()}


def lines(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def backup_while_writing(tmp_path: Path, env: dict[str, str]) -> tuple[Path, dict]:
    """An install with reports and one evidence file, backed up while another process submits reports."""
    for step in (["migrate", "--no-input"], ["createcachetable"], ["load-rules"]):
        phoihop(*step, env=env)
    subprocess.run([sys.executable, "-c", REPORTS, "seed", str(SEEDED)], cwd=ROOT, env=env, check=True, timeout=300)
    phoihop("audit", "checkpoint", env=env)  # a checkpoint of the head, which the restored chain must still match
    progress, stop = tmp_path / "writer.out", tmp_path / "writer.stop"
    with progress.open("w") as out:
        writer = subprocess.Popen([sys.executable, "-c", REPORTS, "write", str(stop)], cwd=ROOT, env=env, stdout=out)
    try:
        deadline = time.monotonic() + 120
        while lines(progress) < 3 and time.monotonic() < deadline and writer.poll() is None:
            time.sleep(0.1)
        before = lines(progress)
        assert before >= 3, "the writer never got going"
        archive = tmp_path / "backups" / "phoihop.tar.gz"
        archive.parent.mkdir()
        shown = phoihop("backup", str(archive), env=env).stdout
        after = lines(progress)
    finally:
        stop.touch()
        writer.wait(timeout=120)
    assert writer.returncode == 0, "the writer failed while the backup ran"
    assert after > before, "no report was written while the backup ran"
    assert f"backup written to {archive}" in shown
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert not [p.name for p in archive.parent.iterdir() if p != archive], "a temporary file was left behind"
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    # The snapshot holds every report committed before the backup began, and some written while it ran.
    assert SEEDED + before < manifest["counts"]["reports"] <= SEEDED + after + 1
    assert manifest["counts"]["audit_events"] >= manifest["counts"]["reports"]
    assert set(manifest["files"]) == names - {"manifest.json"}
    assert {"secret_key", "audit_key"} <= names and manifest["evidence"]["files"] == 1
    assert [n for n in names if n.startswith("audit-checkpoints/")], "the audit checkpoint is missing"
    return archive, manifest


def check_restored(target: Path, manifest: dict, source: Path) -> None:
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    for name in ("secret_key", "audit_key"):
        assert (target / name).read_bytes() == (source / name).read_bytes()
        assert stat.S_IMODE((target / name).stat().st_mode) == 0o600
    [evidence] = [p for p in (target / "evidence").rglob("*") if p.is_file()]
    assert evidence.read_bytes() == (source / evidence.relative_to(target)).read_bytes()
    assert stat.S_IMODE(evidence.stat().st_mode) == 0o600
    assert stat.S_IMODE(evidence.parent.stat().st_mode) == 0o700
    [checkpoint] = (target / "audit-checkpoints").iterdir()
    assert stat.S_IMODE(checkpoint.stat().st_mode) == 0o600


@pytest.fixture(scope="module")
def sqlite_backup(tmp_path_factory):
    """An SQLite install and its backup, taken while reports arrived (shared by the tests below)."""
    root = tmp_path_factory.mktemp("sqlite")
    env = environment(root / "var")
    archive, manifest = backup_while_writing(root, env)
    return root / "var", env, archive, manifest


def test_a_backup_taken_while_reports_arrive_restores_into_a_new_directory(sqlite_backup, tmp_path):
    source, env, archive, manifest = sqlite_backup
    assert manifest["database"]["vendor"] == "sqlite" and "db/phoihop.sqlite3" in manifest["files"]

    target = tmp_path / "restored"
    shown = phoihop("restore", str(archive), str(target), env=env).stdout
    assert f"export PHOIHOP_VAR_DIR={target}" in shown and "audit chain OK" in shown
    with sqlite3.connect(target / "phoihop.sqlite3") as db:
        restored = row_counts(db)
    assert restored == manifest["counts"]
    check_restored(target, manifest, source)
    verified = phoihop("audit", "verify", env=environment(target)).stdout
    assert "audit chain OK" in verified and "head matches checkpoint" in verified

    # A second restore into the same directory is refused: nothing of an install is overwritten.
    again = phoihop("restore", str(archive), str(target), env=env, check=False)
    assert again.returncode != 0 and f"{target} is not empty" in again.stderr


def test_a_damaged_archive_is_refused_and_nothing_is_written(sqlite_backup, tmp_path):
    _source, env, archive, _manifest = sqlite_backup
    content = bytearray(archive.read_bytes())
    content[len(content) // 2] ^= 0x01
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(bytes(content))

    target = tmp_path / "restored"
    target.mkdir()
    refused = phoihop("restore", str(damaged), str(target), env=env, check=False)
    assert refused.returncode != 0 and str(damaged) in refused.stderr and "nothing was restored" in refused.stderr
    assert list(target.iterdir()) == []


def test_a_restore_into_a_directory_in_use_is_refused(sqlite_backup, tmp_path):
    _source, env, archive, _manifest = sqlite_backup
    used = tmp_path / "used"
    used.mkdir()
    (used / "secret_key").write_text("someone else's key")
    refused = phoihop("restore", str(archive), str(used), env=env, check=False)
    assert refused.returncode != 0 and f"{used} is not empty" in refused.stderr
    assert [p.name for p in used.iterdir()] == ["secret_key"]
    assert (used / "secret_key").read_text() == "someone else's key"


def test_a_key_from_the_environment_and_evidence_in_a_bucket_are_named_not_copied(tmp_path):
    audit_key = "k" * 48
    env = environment(tmp_path / "var") | {"AUDIT_HMAC_KEY": audit_key, "EVIDENCE_S3_BUCKET": "phoihop-evidence"}
    phoihop("migrate", "--no-input", env=env)
    archive = tmp_path / "a.tar.gz"
    shown = phoihop("backup", str(archive), env=env).stdout
    assert "AUDIT_HMAC_KEY" in shown and "phoihop-evidence" in shown
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["keys"]["audit_key"].startswith("environment") and "audit_key" not in names
    assert manifest["evidence"] == {"storage": "s3", "bucket": "phoihop-evidence", "copied": False}
    assert not [n for n in names if n.startswith("evidence/")]

    # Without the key kept apart the restored chain could not be checked: refused before anything is written.
    target = tmp_path / "restored"
    without = {k: v for k, v in env.items() if k != "AUDIT_HMAC_KEY"}
    refused = phoihop("restore", str(archive), str(target), env=without, check=False)
    assert refused.returncode != 0 and "AUDIT_HMAC_KEY" in refused.stderr and not target.exists()
    shown = phoihop("restore", str(archive), str(target), env=env).stdout
    assert "audit chain OK" in shown and "export AUDIT_HMAC_KEY=" in shown and not (target / "audit_key").exists()


@pytest.fixture
def pg_databases():
    """Two databases of this test's own beside the one of DATABASE_URL: the source and the restore target."""
    import psycopg

    base = urlsplit(DATABASE_URL)
    name = base.path.lstrip("/") or "phoihop"
    urls = [base._replace(path=f"/{name}_bk_{role}").geturl() for role in ("src", "dst")]
    admin = base._replace(path="/postgres").geturl()

    def recreate(drop_only=False):
        with psycopg.connect(admin, autocommit=True) as conn:
            for url in urls:
                db = urlsplit(url).path.lstrip("/")
                conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
                if not drop_only:
                    conn.execute(f'CREATE DATABASE "{db}"')

    recreate()
    yield urls
    recreate(drop_only=True)


@pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")), reason="DATABASE_URL is not PostgreSQL"
)
def test_postgresql_backup_taken_while_reports_arrive_restores_into_an_empty_database(tmp_path, pg_databases):
    import psycopg

    source_url, target_url = pg_databases
    source = tmp_path / "var"
    env = environment(source, source_url)
    phoihop("migrate", "--no-input", env=env)
    missing = phoihop("backup", str(tmp_path / "x.tar.gz"), env=env | {"PATH": str(tmp_path)}, check=False)
    assert missing.returncode != 0 and "pg_dump was not found on PATH" in missing.stderr
    archive, manifest = backup_while_writing(tmp_path, env)
    assert manifest["database"]["vendor"] == "postgresql" and "db/phoihop.pgdump" in manifest["files"]

    target = tmp_path / "restored"
    shown = phoihop("restore", str(archive), str(target), "--database-url", target_url, env=env).stdout
    assert f"export PHOIHOP_VAR_DIR={target}" in shown and f"export DATABASE_URL={target_url}" in shown
    with psycopg.connect(target_url) as db:
        restored = row_counts(db)
    assert restored == manifest["counts"]
    check_restored(target, manifest, source)
    assert "audit chain OK" in phoihop("audit", "verify", env=environment(target, target_url)).stdout

    # The target database now holds data: a second restore into it is refused before anything is written.
    other = tmp_path / "other"
    refused = phoihop("restore", str(archive), str(other), "--database-url", target_url, env=env, check=False)
    assert refused.returncode != 0 and "is not empty" in refused.stderr
    assert not other.exists() or list(other.iterdir()) == []
