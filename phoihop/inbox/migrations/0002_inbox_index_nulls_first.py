"""The inbox index: a focal point's page is the newest unacknowledged deliveries first.

The ORDER BY is `acknowledged_at ASC NULLS FIRST, delivered_at DESC`. SQLite sorts NULL first in an
ascending index, so the model's index serves it as it is; PostgreSQL sorts NULL last by default, so there
the index is rebuilt with NULLS FIRST (same name, so Django's state still matches).
"""

from django.db import migrations

PG_NULLS_FIRST = (
    "DROP INDEX IF EXISTS delivery_inbox;"
    " CREATE INDEX delivery_inbox ON inbox_delivery (organisation_id, acknowledged_at ASC NULLS FIRST, delivered_at DESC)"
)
PG_PLAIN = (
    "DROP INDEX IF EXISTS delivery_inbox;"
    " CREATE INDEX delivery_inbox ON inbox_delivery (organisation_id, acknowledged_at, delivered_at DESC)"
)


def nulls_first(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_NULLS_FIRST)


def plain(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_PLAIN)


class Migration(migrations.Migration):
    dependencies = [("inbox", "0001_initial")]
    operations = [migrations.RunPython(nulls_first, plain)]
