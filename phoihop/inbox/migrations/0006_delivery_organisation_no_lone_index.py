"""Delivery.organisation loses its own index: delivery_inbox, (organisation, delivered_at) and delivery_unnoticed
all start with it, and with stale statistics PostgreSQL chose the lone index and read every delivery of a hub
(1.2 s at 240,000 deliveries) instead of walking delivery_inbox to the 1,001st row (13 ms). The index has the
same generated name on both databases, so it is dropped by name; Django's state follows with db_index=False.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "inbox_delivery_organisation_id_736cb881"


class Migration(migrations.Migration):
    dependencies = [("inbox", "0005_delivery_rule_codes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {INDEX}",
                    f"CREATE INDEX IF NOT EXISTS {INDEX} ON inbox_delivery (organisation_id)",
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="delivery",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="deliveries",
                        to="directory.organisation",
                    ),
                )
            ],
        )
    ]
