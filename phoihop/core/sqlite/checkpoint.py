"""Copying SQLite's write-ahead log back into the database, beside the writers instead of inside them.

Left to itself, SQLite checkpoints in the connection whose commit took the log past 1,000 pages: that commit
then copies the log into the database and flushes it to disk before it returns. A report's create writes
about 60 pages, so one create in sixteen paid 6-8 ms more, all of it while it held the write lock
(phoihop.core.sqlite.base) that every other writer waits on (issue 9: the p99 at eight clients).

`phoihop serve` runs this module as a child process of its own (`python -m phoihop.core.sqlite.checkpoint
PATH`), supervised like the worker: every `--interval` it runs a PASSIVE checkpoint, which copies what no
reader still needs and never waits on or blocks a writer (with nothing new in the log it copies and flushes
nothing). The app's connections keep SQLite's own checkpoint at a larger log (settings' `wal_autocheckpoint`),
a bound for when this process is not running: `runserver`, a management command, the seconds before the
supervisor restarts it. Standard library only: the process stays a few megabytes.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from dataclasses import dataclass

# What SQLite's own checkpoint waits for in the web processes and the worker: 4,096 pages of 4 KB (16 MB)
# instead of 1,000. settings.py sets it on every connection; this process keeps the log well below it (at 150
# creates a second the log grows by about 1,800 pages between two of its turns).
AUTOCHECKPOINT_PAGES = 4096
REPORT_EVERY_S = 60.0  # the same failure is written to stderr (serve's log) at most once a minute


@dataclass
class Checkpointer:
    path: str
    connection: sqlite3.Connection | None = None
    failure: str = ""
    reported_at: float = float("-inf")

    def _connect(self) -> sqlite3.Connection:
        if self.connection is None:
            # mode=rw: never create an empty database where the real one is missing. Autocommit, so this
            # connection holds no snapshot that would keep the log from starting over.
            uri = f"file:{self.path}?mode=rw"
            self.connection = sqlite3.connect(uri, uri=True, timeout=0.1, isolation_level=None)
        return self.connection

    def once(self) -> tuple[int, int] | None:
        """One PASSIVE checkpoint: (frames in the log, frames copied into the database), None if it could not."""
        try:
            busy, log, copied = self._connect().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error as exc:
            # Unreadable, gone, read-only, disk full: said, and the next turn opens the database again.
            self.close()
            self._report(f"{type(exc).__name__}: {exc}")
            return None
        self.failure = ""
        if busy:  # another checkpoint was running (a connection's own, past its bound): the next turn
            return None
        return log, copied

    def _report(self, failure: str) -> None:
        now = time.monotonic()
        if failure != self.failure or now - self.reported_at >= REPORT_EVERY_S:
            print(f"SQLite checkpoints of {self.path}: {failure}", file=sys.stderr, flush=True)
            self.failure, self.reported_at = failure, now

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("path", help="the SQLite database file")
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between two checkpoints")
    args = parser.parse_args(argv)
    checkpointer = Checkpointer(args.path)
    try:
        while True:
            checkpointer.once()
            time.sleep(args.interval)
    except KeyboardInterrupt:
        pass
    finally:
        checkpointer.close()


if __name__ == "__main__":
    main()
