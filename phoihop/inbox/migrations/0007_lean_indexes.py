"""Issue 9, bytes per report: drop the lone indexes that a composite index already starts with, and (inbox) index
the mostly-empty links only where set.

The fields' `db_index=False` is told to the migration state only. The database gets a plain `DROP INDEX` by the
index's known name: on SQLite, Django would otherwise rebuild the whole table for each field (a copy of every
report) and the rebuild would drop the triggers that keep the reports' full-text index up to date.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_area_code_organisation_contact"),
        ("inbox", "0006_delivery_organisation_no_lone_index"),
        ("intake", "0004_import_job"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="delivery",
                    name="acknowledged_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="delivery",
                    name="escalation_notice",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="escalated_deliveries",
                        to="inbox.outboxmessage",
                    ),
                ),
                migrations.AlterField(
                    model_name="delivery",
                    name="notice",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="noticed_deliveries",
                        to="inbox.outboxmessage",
                    ),
                ),
                migrations.AlterField(
                    model_name="delivery",
                    name="report",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="intake.report",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    [
                        "DROP INDEX IF EXISTS inbox_delivery_report_id_43384ad2",
                        "DROP INDEX IF EXISTS inbox_delivery_acknowledged_by_id_25f70a19",
                        "DROP INDEX IF EXISTS inbox_delivery_notice_id_2bc71592",
                        "DROP INDEX IF EXISTS inbox_delivery_escalation_notice_id_0ae1e1f0",
                    ],
                    [
                        "CREATE INDEX inbox_delivery_report_id_43384ad2 ON inbox_delivery (report_id)",
                        "CREATE INDEX inbox_delivery_acknowledged_by_id_25f70a19 ON inbox_delivery (acknowledged_by_id)",  # noqa: E501
                        "CREATE INDEX inbox_delivery_notice_id_2bc71592 ON inbox_delivery (notice_id)",
                        "CREATE INDEX inbox_delivery_escalation_notice_id_0ae1e1f0 ON inbox_delivery (escalation_notice_id)",  # noqa: E501
                    ],
                )
            ],
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                condition=models.Q(("acknowledged_by__isnull", False)),
                fields=["acknowledged_by"],
                name="delivery_ack_by",
            ),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                condition=models.Q(("notice__isnull", False)), fields=["notice"], name="delivery_notice"
            ),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                condition=models.Q(("escalation_notice__isnull", False)),
                fields=["escalation_notice"],
                name="delivery_escalation_notice",
            ),
        ),
    ]
