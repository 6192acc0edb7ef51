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
        ("intake", "0004_import_job"),
        ("taxonomy", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="report",
                    name="area",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reports",
                        to="directory.administrativeunit",
                        verbose_name="where",
                    ),
                ),
                migrations.AlterField(
                    model_name="report",
                    name="behaviour",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reports",
                        to="taxonomy.behaviour",
                        verbose_name="behaviour",
                    ),
                ),
                migrations.AlterField(
                    model_name="report",
                    name="reporter_organisation",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reports_made",
                        to="directory.organisation",
                        verbose_name="reporting organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="report",
                    name="submitted_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="submitted by",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    [
                        "DROP INDEX IF EXISTS intake_report_area_id_40e15a13",
                        "DROP INDEX IF EXISTS intake_report_behaviour_id_a04059ce",
                        "DROP INDEX IF EXISTS intake_report_reporter_organisation_id_4f3c8f4c",
                        "DROP INDEX IF EXISTS intake_report_submitted_by_id_f5f2d374",
                    ],
                    [
                        "CREATE INDEX intake_report_area_id_40e15a13 ON intake_report (area_id)",
                        "CREATE INDEX intake_report_behaviour_id_a04059ce ON intake_report (behaviour_id)",
                        "CREATE INDEX intake_report_reporter_organisation_id_4f3c8f4c ON intake_report (reporter_organisation_id)",  # noqa: E501
                        "CREATE INDEX intake_report_submitted_by_id_f5f2d374 ON intake_report (submitted_by_id)",
                    ],
                )
            ],
        ),
    ]
