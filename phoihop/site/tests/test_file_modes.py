"""Nobody but the service reads what it keeps: the database file is 0640, evidence 0600 (or 0640)."""

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.test import override_settings

from phoihop.site.maintenance import var_files_restrict

ROOT = Path(__file__).resolve().parents[3]


def test_a_world_readable_database_file_is_restricted(tmp_path):
    db = tmp_path / "phoihop.sqlite3"
    db.write_bytes(b"")
    db.chmod(0o644)
    wal = tmp_path / "phoihop.sqlite3-wal"
    wal.write_bytes(b"")
    wal.chmod(0o666)
    databases = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(db)}}
    with override_settings(DATABASES=databases):
        assert set(var_files_restrict()) == {str(db), str(wal)}
    assert stat.S_IMODE(db.stat().st_mode) == 0o640 and stat.S_IMODE(wal.stat().st_mode) == 0o640


def test_the_phoihop_command_creates_files_for_its_own_user_and_group(tmp_path):
    env = {**os.environ, "PHOIHOP_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "phoihop.cli", "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True)
    db = tmp_path / "phoihop.sqlite3"
    assert stat.S_IMODE(db.stat().st_mode) & 0o037 == 0, oct(db.stat().st_mode)
