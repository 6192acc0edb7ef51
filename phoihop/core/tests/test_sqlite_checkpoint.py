"""SQLite's log copied into the database by a process of its own (phoihop.core.sqlite.checkpoint), issue 9."""

from __future__ import annotations

import os
import sqlite3
import time

import pytest

from phoihop.core.sqlite.checkpoint import AUTOCHECKPOINT_PAGES, Checkpointer

PAGE = 4096


def _writer(path) -> sqlite3.Connection:
    """A connection that never checkpoints by itself, as a web process between two of its own bounds."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA wal_autocheckpoint=0")
    con.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body BLOB)")
    return con


def _write(con: sqlite3.Connection, n: int = 1) -> None:
    for _ in range(n):
        con.execute("INSERT INTO t (body) VALUES (randomblob(?))", (2 * PAGE,))


def _wal_size(path) -> int:
    return os.path.getsize(f"{path}-wal")


def test_the_log_stays_small_while_writers_go_on(tmp_path):
    path = str(tmp_path / "db.sqlite3")
    con, checkpointer = _writer(path), Checkpointer(path)
    try:
        _write(con)
        one = _wal_size(path)
        for _ in range(100):
            _write(con)
            checkpointer.once()
        # Each write starts the log again once the previous one was copied: it never holds more than a few.
        assert _wal_size(path) <= 3 * one
        assert con.execute("SELECT count(*) FROM t").fetchone() == (101,)
        _write(con, 100)  # nobody copies: the log grows with every write, as it would without the process
        assert _wal_size(path) > 50 * one
    finally:
        checkpointer.close()
        con.close()


def test_it_looks_at_the_log_again_only_when_a_writer_appended(tmp_path):
    path = str(tmp_path / "db.sqlite3")
    con, checkpointer = _writer(path), Checkpointer(path)
    try:
        _write(con, 3)
        log, copied = checkpointer.once()
        assert log == copied > 0
        assert checkpointer.once() is None
        _write(con)
        assert checkpointer.once() is not None
    finally:
        checkpointer.close()
        con.close()


def test_a_reader_on_an_old_snapshot_is_neither_waited_for_nor_broken(tmp_path):
    path = str(tmp_path / "db.sqlite3")
    con, checkpointer = _writer(path), Checkpointer(path)
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        _write(con, 2)
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM t").fetchone() == (2,)  # its snapshot starts here
        _write(con, 5)
        started = time.monotonic()
        log, copied = checkpointer.once()
        assert time.monotonic() - started < 1
        assert copied < log  # what the reader may still need stays in the log
        assert reader.execute("SELECT count(*) FROM t").fetchone() == (2,)
        reader.execute("COMMIT")
        log, copied = checkpointer.once()
        assert log == copied
    finally:
        reader.close()
        checkpointer.close()
        con.close()


@pytest.mark.django_db
def test_the_apps_connections_leave_the_log_to_it_up_to_a_bound():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == AUTOCHECKPOINT_PAGES
