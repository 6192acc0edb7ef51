"""What config/settings.py asks of the database connections."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_postgresql_connections_do_not_jit_compile_the_pages_queries():
    # Issue 12: JIT compilation of a dashboard's short scoped queries cost ~450 ms each at 1M reports.
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
