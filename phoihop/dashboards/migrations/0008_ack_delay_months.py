"""Đ3.4: the acknowledgement delays added up by month (AckDelayMonth), counted from the day rows already written;
the acknowledgement hook keeps them from now on (see aggregates.py)."""

from collections import Counter

from django.db import migrations, models


def count_months(apps, schema_editor):
    AckDelay = apps.get_model("dashboards", "AckDelay")
    AckDelayMonth = apps.get_model("dashboards", "AckDelayMonth")
    months = Counter()
    rows = AckDelay.objects.order_by().values_list("organisation_id", "day", "bucket", "count")
    for org_id, day, bucket, n in rows.iterator(chunk_size=20000):
        months[(org_id, day.replace(day=1), bucket)] += n
    AckDelayMonth.objects.bulk_create(
        [AckDelayMonth(organisation_id=o, month=m, bucket=b, count=n) for (o, m, b), n in months.items()],
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0007_made_counts"),
    ]

    operations = [
        migrations.CreateModel(
            name="AckDelayMonth",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(verbose_name="month")),
                ("organisation_id", models.PositiveIntegerField()),
                ("bucket", models.PositiveSmallIntegerField()),
                ("count", models.PositiveIntegerField(default=0)),
            ],
            options={
                "verbose_name": "acknowledgement delays of a month",
                "indexes": [
                    models.Index(fields=["organisation_id", "month", "bucket", "count"], name="ack_delay_month_sum")
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("organisation_id", "month", "bucket"), name="uniq_ack_delay_month")
                ],
            },
        ),
        migrations.RunPython(count_months, migrations.RunPython.noop),
    ]
