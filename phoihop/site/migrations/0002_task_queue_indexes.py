"""Indexes on django-tasks-db's table for the queue's upkeep (issue 9: the sweep read every finished row).

The package indexes only the READY rows (its claim query). The sweep reads the RUNNING rows (expired
leases) and the FAILED ones (retries, dead letters) every minute, and the purge the finished rows older
than the retention: without an index each read walks the whole table, which holds every task finished in
the retention period (hundreds of thousands on a busy day). Partial indexes keep them to the rows they
want; both SQLite and PostgreSQL have them. The table is another app's, so plain SQL on its known name.
"""

from django.db import migrations

TABLE = "django_tasks_database_dbtaskresult"

# One index per state the upkeep reads, each holding only that state's rows (a query names one state).
INDEXES = {
    "phoihop_tasks_running_idx": ("started_at", "RUNNING"),  # the sweep: leases past their time
    "phoihop_tasks_failed_idx": ("finished_at", "FAILED"),  # the sweep's retries, dead letters, the purge
    "phoihop_tasks_succeeded_idx": ("finished_at", "SUCCESSFUL"),  # the purge
}
FORWARD = [
    f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} ({column}) WHERE status = '{status}'"
    for name, (column, status) in INDEXES.items()
]
BACKWARD = [f"DROP INDEX IF EXISTS {name}" for name in INDEXES]


class Migration(migrations.Migration):
    dependencies = [
        ("phoihop_site", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
