"""`phoihop serve` on SQLite: a process of its own copies the log into the database (issue 9)."""

from __future__ import annotations

import os
import sys
import time

from django.conf import settings

from phoihop.core.tests.test_sqlite_checkpoint import PAGE, _write, _writer
from phoihop.site.management.commands.serve import Command


def test_serve_starts_it_for_a_sqlite_database_file_and_it_copies_the_log(tmp_path, monkeypatch):
    path = str(tmp_path / "db.sqlite3")
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "phoihop.core.sqlite")
    monkeypatch.setitem(settings.DATABASES["default"], "NAME", path)
    monkeypatch.setattr(settings, "EMAIL_HOST_CONFIGURED", True)
    (child,) = [c for c in Command()._children(no_worker=True) if c.name == "SQLite checkpoints"]
    assert child.argv == [sys.executable, "-m", "phoihop.core.sqlite.checkpoint", path]
    con = _writer(path)
    _write(con, 20)
    before = os.path.getsize(path)
    child.start()
    try:
        deadline = time.monotonic() + 20
        while os.path.getsize(path) < before + 20 * 2 * PAGE and time.monotonic() < deadline:
            time.sleep(0.05)
        assert os.path.getsize(path) >= before + 20 * 2 * PAGE  # the rows' pages are in the database file
    finally:
        child.process.terminate()
        child.process.wait(timeout=10)
        con.close()


def test_serve_starts_none_for_postgresql(monkeypatch):
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.postgresql")
    monkeypatch.setattr(settings, "EMAIL_HOST_CONFIGURED", True)
    assert "SQLite checkpoints" not in [c.name for c in Command()._children(no_worker=True)]
