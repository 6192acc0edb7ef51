"""The inbox index: a focal point's page is the newest unacknowledged deliveries first.

The ORDER BY is `acknowledged_at ASC NULLS FIRST, delivered_at DESC`. SQLite sorts NULL first in an
ascending index, so the model's index serves it as it is; PostgreSQL sorts NULL last by default, so there
the index is rebuilt with NULLS FIRST (same name, so Django's state still matches).
"""

from django.conf import settings
from django.db import migrations, models

PG_NULLS_FIRST = (
    "DROP INDEX IF EXISTS delivery_inbox;"
    " CREATE INDEX delivery_inbox ON intake_delivery (organisation_id, acknowledged_at ASC NULLS FIRST, delivered_at DESC)"
)
PG_PLAIN = (
    "DROP INDEX IF EXISTS delivery_inbox;"
    " CREATE INDEX delivery_inbox ON intake_delivery (organisation_id, acknowledged_at, delivered_at DESC)"
)


def nulls_first(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_NULLS_FIRST)


def plain(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_PLAIN)


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0001_initial'),
        ('intake', '0002_search_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='delivery',
            name='intake_deli_organis_f8ed42_idx',
        ),
        migrations.AddIndex(
            model_name='delivery',
            index=models.Index(fields=['organisation', 'acknowledged_at', '-delivered_at'], name='delivery_inbox'),
        ),
        migrations.RunPython(nulls_first, plain),
    ]
