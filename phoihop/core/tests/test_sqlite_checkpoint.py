"""SQLite's log copied into the database by a process of its own (phoihop.core.sqlite.checkpoint), issue 9."""

from __future__ import annotations

import os
import sqlite3
import time

import pytest

from phoihop.core.sqlite.checkpoint import Checkpointer

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


@pytest.fixture
def log(tmp_path):
    """A database in WAL mode, a writer on it, and a checkpointer for it."""
    path = str(tmp_path / "db.sqlite3")
    con, checkpointer = _writer(path), Checkpointer(path)
    yield path, con, checkpointer
    checkpointer.close()
    con.close()


def test_the_log_stays_small_while_writers_go_on(log):
    path, con, checkpointer = log
    _write(con)
    one = os.path.getsize(f"{path}-wal")
    for _ in range(100):
        _write(con)
        checkpointer.once()
    # Each write starts the log again once the previous one was copied: it never holds more than a few.
    assert os.path.getsize(f"{path}-wal") <= 3 * one
    assert con.execute("SELECT count(*) FROM t").fetchone() == (101,)
    _write(con, 100)  # nobody copies: the log grows with every write, as it would without the process
    assert os.path.getsize(f"{path}-wal") > 50 * one


def test_each_turn_copies_what_was_written_since_the_last(log):
    path, con, checkpointer = log
    _write(con, 3)
    log_frames, copied = checkpointer.once()
    assert log_frames == copied > 0
    size = os.path.getsize(path)
    assert checkpointer.once() == (log_frames, copied)  # nothing new: nothing copied again
    assert os.path.getsize(path) == size
    _write(con)
    log_frames, copied = checkpointer.once()
    assert log_frames == copied > 0
    assert os.path.getsize(path) >= size + 2 * PAGE  # the new row's pages are in the database file


def test_a_reader_on_an_old_snapshot_is_neither_waited_for_nor_broken(log):
    path, con, checkpointer = log
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        _write(con, 2)
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM t").fetchone() == (2,)  # its snapshot starts here
        _write(con, 5)
        started = time.monotonic()
        log_frames, copied = checkpointer.once()
        assert time.monotonic() - started < 1
        assert copied < log_frames  # what the reader may still need stays in the log
        assert reader.execute("SELECT count(*) FROM t").fetchone() == (2,)
        reader.execute("COMMIT")
        log_frames, copied = checkpointer.once()
        assert log_frames == copied
    finally:
        reader.close()


def test_a_missing_database_is_said_once_not_created_and_found_again(tmp_path, capsys):
    path = str(tmp_path / "db.sqlite3")
    checkpointer = Checkpointer(path)
    try:
        assert checkpointer.once() is None
        assert checkpointer.once() is None
        assert not os.path.exists(path)  # no empty database where the real one should be
        said = capsys.readouterr().err.splitlines()
        assert len(said) == 1 and path in said[0] and "unable to open" in said[0]
        con = _writer(path)  # the database is back (restored, say)
        _write(con)
        log_frames, copied = checkpointer.once()
        assert log_frames == copied > 0
        con.close()
    finally:
        checkpointer.close()
