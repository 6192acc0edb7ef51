"""Issue 9, bytes per report: the lone indexes of a report's indicator links go (uniq_report_indicator starts with
the report, the (indicator, report) index with the indicator). Dropped by name, as in 0005: Django's field
alteration would rebuild the table on SQLite."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("intake", "0006_sector_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="reportindicator",
                    name="report",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="indicator_links",
                        to="intake.report",
                    ),
                ),
                migrations.AlterField(
                    model_name="reportindicator",
                    name="indicator",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="links",
                        to="indicators.indicator",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    [
                        "DROP INDEX IF EXISTS intake_reportindicator_report_id_32895af9",
                        "DROP INDEX IF EXISTS intake_reportindicator_indicator_id_f3116f59",
                    ],
                    [
                        "CREATE INDEX intake_reportindicator_report_id_32895af9 ON intake_reportindicator (report_id)",
                        "CREATE INDEX intake_reportindicator_indicator_id_f3116f59 "
                        "ON intake_reportindicator (indicator_id)",
                    ],
                )
            ],
        ),
    ]
