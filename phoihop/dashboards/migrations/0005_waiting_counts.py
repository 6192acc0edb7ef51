"""Đ3.4: the deliveries not yet acknowledged, per organisation and day (DayCount rows of dim w), counted from
the rows already written; from now on intake's and inbox's hooks keep them (see aggregates.py)."""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone


def count_waiting(apps, schema_editor):
    Delivery = apps.get_model("inbox", "Delivery")
    DayCount = apps.get_model("dashboards", "DayCount")
    DayCount.objects.filter(dim="w").delete()
    rows = (
        Delivery.objects.filter(acknowledged_at__isnull=True)
        .annotate(d=TruncDate("report__created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("organisation_id", "d")
        .annotate(n=Count("pk"))
        .order_by()
    )
    DayCount.objects.bulk_create(
        [DayCount(organisation_id=org_id, dim="w", day=day, key=0, count=n) for org_id, day, n in rows],
        batch_size=5000,
    )


def forget_waiting(apps, schema_editor):
    apps.get_model("dashboards", "DayCount").objects.filter(dim="w").delete()


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0004_day_counts")]

    operations = [migrations.RunPython(count_waiting, forget_waiting)]
