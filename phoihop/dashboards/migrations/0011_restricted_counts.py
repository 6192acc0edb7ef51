from django.db import migrations, models


def count_hidden(apps, schema_editor):
    """Đ3.1: count what the restricted cases already hide; from now on the cases' and inbox's hooks keep it."""
    from phoihop.dashboards.restricted import restricted_rebuild

    restricted_rebuild(apps.get_model)


def forget_hidden(apps, schema_editor):
    for name in ("RestrictedCount", "RestrictedReport", "RestrictedAudience"):
        apps.get_model("dashboards", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0010_indicator_days"),
        ("cases", "0006_evidence_task_cancelled"),
        ("inbox", "0007_lean_indexes"),
        ("intake", "0006_sector_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="RestrictedReport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("report_id", models.PositiveIntegerField(unique=True)),
                ("case_id", models.PositiveIntegerField(db_index=True)),
            ],
            options={
                "verbose_name": "counted hidden report",
            },
        ),
        migrations.CreateModel(
            name="RestrictedAudience",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("case_id", models.PositiveIntegerField()),
                ("organisation_id", models.PositiveIntegerField()),
            ],
            options={
                "verbose_name": "counted audience of a hidden case",
                "constraints": [
                    models.UniqueConstraint(fields=("case_id", "organisation_id"), name="uniq_restricted_audience")
                ],
            },
        ),
        migrations.CreateModel(
            name="RestrictedCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("audience_id", models.PositiveIntegerField()),
                ("organisation_id", models.PositiveIntegerField()),
                ("dim", models.CharField(max_length=1)),
                ("day", models.DateField(verbose_name="day")),
                ("key", models.PositiveIntegerField(default=0)),
                ("count", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "hidden reports of a day",
                "indexes": [
                    models.Index(
                        fields=["audience_id", "organisation_id", "dim", "day", "key", "count"],
                        name="restricted_count_sum",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("audience_id", "organisation_id", "dim", "day", "key"), name="uniq_restricted_count"
                    )
                ],
            },
        ),
        migrations.RunPython(count_hidden, forget_hidden),
    ]
