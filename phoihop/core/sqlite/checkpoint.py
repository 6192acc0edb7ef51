"""Copying SQLite's write-ahead log back into the database, beside the writers instead of inside them.

Left to itself, SQLite checkpoints in the connection whose commit took the log past 1,000 pages: that commit
then copies the log into the database and flushes it to disk before it returns. A report's create writes
about 60 pages, so one create in sixteen paid 6-8 ms more, all of it while it held the write lock
(phoihop.core.sqlite.base) that every other writer waits on (issue 9: the p99 at eight clients).

`phoihop serve` runs this module as a child process of its own (`python -m phoihop.core.sqlite.checkpoint
PATH`): each time the log has grown it runs a PASSIVE checkpoint, which copies what no reader still needs
and never waits on or blocks a writer. The web processes and the worker keep SQLite's own checkpoint at a
much larger log (settings' `wal_autocheckpoint`), a bound for when this process is not running (a
`runserver`, `--no-worker` tests, a crash before the supervisor restarts it). Standard library only: the
process stays a few megabytes.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import time
from dataclasses import dataclass

# What SQLite's own checkpoint waits for in the web processes and the worker: 16,384 pages of 4 KB (64 MB)
# instead of 1,000. settings.py sets it on every connection; this process keeps the log well below it.
AUTOCHECKPOINT_PAGES = 16384


@dataclass
class Checkpointer:
    path: str
    connection: sqlite3.Connection | None = None
    seen: tuple[int, int] | None = None  # the log's (size, mtime_ns) at the last checkpoint that completed

    def _wal(self) -> tuple[int, int] | None:
        try:
            st = os.stat(f"{self.path}-wal")
        except FileNotFoundError:
            return None
        return st.st_size, st.st_mtime_ns

    def _connect(self) -> sqlite3.Connection:
        if self.connection is None:
            # Autocommit, so this connection never holds a snapshot that would keep the log from restarting.
            self.connection = sqlite3.connect(self.path, timeout=0.1, isolation_level=None)
        return self.connection

    def once(self) -> tuple[int, int] | None:
        """Checkpoint if the log changed since the last complete one: (frames in the log, frames copied)."""
        wal = self._wal()
        if wal is None or wal == self.seen or wal[0] == 0:
            return None
        try:
            busy, log, copied = self._connect().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.OperationalError:  # another checkpoint runs (a connection's own): try at the next turn
            return None
        if not busy and log == copied:
            self.seen = wal  # all copied: nothing to do until a writer appends again
        return log, copied

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="the SQLite database file")
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between looks at the log")
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
