"""Issue 9, bytes per report: the lone index on every delivery's time becomes a partial one on the deliveries not
yet acknowledged (the escalation sweep and the pending lists, the only look-ups by time without the organisation).
The old index is dropped by name, as in 0007: Django's field alteration would rebuild the table on SQLite."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inbox", "0007_lean_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="delivery",
                    name="delivered_at",
                    field=models.DateTimeField(verbose_name="delivered"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    ["DROP INDEX IF EXISTS inbox_delivery_delivered_at_5c5b65c2"],
                    ["CREATE INDEX inbox_delivery_delivered_at_5c5b65c2 ON inbox_delivery (delivered_at)"],
                )
            ],
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                condition=models.Q(("acknowledged_at__isnull", True)),
                fields=["delivered_at"],
                name="delivery_unacknowledged",
            ),
        ),
    ]
