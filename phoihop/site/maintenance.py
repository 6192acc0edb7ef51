"""Database upkeep the product does itself, so a single-machine install needs no cron.

SQLite keeps no statistics unless asked: without them its planner guesses, and at a million reports
it can pick an index that reads every report of an organisation instead of the one row wanted. PRAGMA
optimize gathers statistics where they are missing or stale (a couple of seconds at 1M reports).
PostgreSQL's autovacuum does the same on its own.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

INTERVAL = dt.timedelta(hours=1)


def database_optimize() -> str:
    """Refresh the query planner's statistics where the database needs us to (SQLite)."""
    if connection.vendor != "sqlite":
        return "nothing to do"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA optimize")
    return "optimized"


def next_run() -> dt.datetime:
    return timezone.now() + INTERVAL


def var_files_restrict() -> list[str]:
    """The database file (and its WAL journal) readable by the service's user and group only (0640).

    New files get that mode from the umask `phoihop` sets; this mends a database created before, or by
    another tool. Returns the files whose mode changed.
    """
    import stat
    from pathlib import Path

    from django.conf import settings

    db = settings.DATABASES["default"]
    if "sqlite" not in db["ENGINE"]:  # Django's backend or phoihop.core.sqlite
        return []
    changed = []
    for path in (Path(str(db["NAME"])), Path(f"{db['NAME']}-wal"), Path(f"{db['NAME']}-shm")):
        if path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o037:
            path.chmod(0o640)
            changed.append(str(path))
    return changed
