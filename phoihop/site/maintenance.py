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
