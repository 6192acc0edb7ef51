"""What config/settings.py asks of the database connections."""

from __future__ import annotations

import pytest

from phoihop.core.sqlite.checkpoint import AUTOCHECKPOINT_PAGES


@pytest.mark.django_db
def test_postgresql_connections_do_not_jit_compile_the_pages_queries():
    # Issue 12: JIT compilation of a dashboard's short scoped queries cost ~450 ms each at 1M reports.
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.django_db
def test_sqlite_connections_leave_the_log_to_the_checkpoint_process_up_to_a_bound():
    # Issue 9: phoihop.core.sqlite.checkpoint copies the log; a connection does it itself only past the bound.
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == AUTOCHECKPOINT_PAGES
