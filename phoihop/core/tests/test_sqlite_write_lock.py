"""The SQLite backend queues write transactions on a lock the kernel hands over (issue 9: p99 at 8 clients)."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time

import pytest

from phoihop.core.sqlite.base import DatabaseWrapper, _WriteLock


def _wrapper(path) -> DatabaseWrapper:
    return DatabaseWrapper(
        {
            "ENGINE": "phoihop.core.sqlite",
            "NAME": str(path),
            "OPTIONS": {"transaction_mode": "IMMEDIATE"},
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        },
        alias="lock-test",
    )


def _taken_elsewhere(lock_path) -> bool:
    """Whether another holder (another open file, as another process would have) finds the lock taken."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@pytest.mark.parametrize("end", ["commit", "rollback", "close"])
def test_a_write_transaction_holds_the_lock_until_it_ends(tmp_path, end, django_db_blocker):
    db = _wrapper(tmp_path / "db.sqlite3")
    with django_db_blocker.unblock():  # a database of the test's own, not the test database
        _write_then(db, tmp_path, end)


def _write_then(db, tmp_path, end):
    db.ensure_connection()
    db.cursor().execute("CREATE TABLE t (x)")
    db._start_transaction_under_autocommit()
    db.cursor().execute("INSERT INTO t VALUES (1)")
    assert _taken_elsewhere(tmp_path / "db.sqlite3.writelock")
    getattr(db, end)()
    assert not _taken_elsewhere(tmp_path / "db.sqlite3.writelock")
    if end == "commit":
        assert sqlite3.connect(tmp_path / "db.sqlite3").execute("SELECT count(*) FROM t").fetchone() == (1,)
    db.close()


def test_a_second_thread_waits_for_the_first_then_goes_on(tmp_path):
    lock = _WriteLock(str(tmp_path / "x.writelock"))
    lock.acquire()
    got = threading.Event()

    def second():
        lock.acquire()
        got.set()
        lock.release()

    t = threading.Thread(target=second)
    t.start()
    assert not got.wait(0.2)  # still held by the first
    lock.release()
    assert got.wait(5)
    t.join(5)


def test_the_lock_of_a_process_that_died_is_free(tmp_path):
    path = str(tmp_path / "x.writelock")
    pid = os.fork()
    if pid == 0:  # the child takes the lock and dies without giving it back
        try:
            _WriteLock(path).acquire()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    lock = _WriteLock(path)
    lock.acquire(timeout=2)
    lock.release()


def test_a_lock_held_too_long_gives_the_usual_error_and_is_not_kept(tmp_path):
    path = tmp_path / "x.writelock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another process writing
    lock = _WriteLock(str(path))
    start = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        lock.acquire(timeout=0.1)
    assert time.monotonic() - start < 5
    os.close(fd)  # the other writer is done
    lock.acquire(timeout=2)  # the thread lock was given back too
    lock.release()
