"""SQLite with its writers queued on a lock the kernel hands over, rather than polling.

SQLite lets one writer at a time in; a transaction that finds the write lock taken (`BEGIN IMMEDIATE`) is
retried by SQLite's busy handler, which sleeps 1, 2, 5, 10... up to 100 ms between tries. With the web
processes' threads and the task worker writing at once, a report's creation waited up to ~0.8 s for a lock
free most of that time (issue 9: p99 at 8 clients). Here each write transaction first takes, in this
order, a lock shared by the process's threads (handed over as soon as it is released) and an exclusive
`flock` on `<database>.writelock` shared by the processes (polled every half millisecond to 2 ms), then
runs `BEGIN IMMEDIATE`, and gives both back when it commits, rolls back or its connection closes. A
process that dies loses its `flock` with it. After `busy_timeout` (10 s) without the lock, the same
"database is locked" error as before is raised and nothing is written.

Only the outermost transaction is concerned; statements outside one (autocommit) still rely on SQLite's
own busy handler: they are single, short writes.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from functools import lru_cache

from django.db.backends.sqlite3 import base

LOCK_TIMEOUT_S = 10.0


class _WriteLock:
    """The process's view of one database's write lock: a thread lock and, per process, the lock file."""

    def __init__(self, path: str):
        self.path = path
        self.threads = threading.Lock()
        self.fd: int | None = None
        self.pid = 0

    def _file(self) -> int:
        # Opened in each process (after a fork, the parent's descriptor would share its lock with the child).
        if self.fd is None or self.pid != os.getpid():
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self.pid = os.getpid()
        return self.fd

    def acquire(self, timeout: float = LOCK_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        if not self.threads.acquire(timeout=timeout):
            raise sqlite3.OperationalError("database is locked")
        try:
            fd, pause = self._file(), 0.0005
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise sqlite3.OperationalError("database is locked") from None
                    time.sleep(pause)
                    pause = min(pause * 2, 0.002)
        except BaseException:
            self.threads.release()
            raise

    def release(self) -> None:
        try:
            if self.fd is not None and self.pid == os.getpid():
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            self.threads.release()


_locks: dict[str, _WriteLock] = {}
_locks_guard = threading.Lock()


def _lock_for(name: str) -> _WriteLock:
    with _locks_guard:
        lock = _locks.get(name)
        if lock is None:
            lock = _locks[name] = _WriteLock(f"{name}.writelock")
        return lock


# Statements whose "%s" → "?" conversion is kept (the report's path runs the same dozen statements every time).
_MAX_CACHED_LENGTH = 4096  # a longer one (an IN list of hundreds of ids, say) is converted each time


@lru_cache(maxsize=512)
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CursorWrapper(base.SQLiteCursorWrapper):
    """Django's cursor, with the conversion of a statement's placeholders (a regular expression over its whole
    text, run for every statement: 2-3 % of an API create's CPU) remembered per statement text."""

    def convert_query(self, query, *, param_names=None):
        if param_names is None and len(query) <= _MAX_CACHED_LENGTH:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    _held: _WriteLock | None = None

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CursorWrapper)

    def _write_lock(self) -> _WriteLock | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or not name:
            return None
        return _lock_for(os.path.abspath(name))

    def _start_transaction_under_autocommit(self):
        lock = self._write_lock()
        if lock is not None and self._held is None:
            lock.acquire()
            self._held = lock
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._give_back()
            raise

    def _give_back(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            held.release()

    def _commit(self):
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._give_back()

    def _rollback(self):
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._give_back()

    def _close(self):
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._give_back()
