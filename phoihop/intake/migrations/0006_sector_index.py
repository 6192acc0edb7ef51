"""The report list's sector filter, newest first, through an index (issue 13: at 1M reports SQLite sorted a
third of a million telecom reports). The lone sector index goes, by name, as in 0005 (no table rebuild on SQLite,
so the full-text triggers stay)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0005_lean_indexes"),
        ("taxonomy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="report",
                    name="sector",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="taxonomy.sector",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    ["DROP INDEX IF EXISTS intake_report_sector_id_675337dc"],
                    ["CREATE INDEX intake_report_sector_id_675337dc ON intake_report (sector_id)"],
                )
            ],
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["sector", "created_at"], name="intake_repo_sector__6533c7_idx"),
        ),
    ]
