"""Đ5.2: the indicator links of each day's reports (IndicatorDay), counted from the links already written; intake's
hook keeps them from now on (see aggregates.py)."""

from collections import Counter

from django.db import migrations, models
from django.utils import timezone


def count_links(apps, schema_editor):
    ReportIndicator = apps.get_model("intake", "ReportIndicator")
    IndicatorDay = apps.get_model("dashboards", "IndicatorDay")
    counts = Counter()
    rows = ReportIndicator.objects.order_by().values_list("report__created_at", "indicator_id")
    for created_at, indicator_id in rows.iterator(chunk_size=20000):
        counts[(timezone.localdate(created_at), indicator_id)] += 1
    IndicatorDay.objects.bulk_create(
        [IndicatorDay(day=d, indicator_id=i, count=n) for (d, i), n in counts.items()], batch_size=5000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0009_together_counts"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndicatorDay",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(verbose_name="day")),
                ("indicator_id", models.PositiveIntegerField()),
                ("count", models.PositiveIntegerField(default=0)),
            ],
            options={
                "verbose_name": "indicator links of a day",
                "indexes": [models.Index(fields=["day", "indicator_id", "count"], name="indicator_day_sum")],
                "constraints": [models.UniqueConstraint(fields=("day", "indicator_id"), name="uniq_indicator_day")],
            },
        ),
        migrations.RunPython(count_links, migrations.RunPython.noop),
    ]
