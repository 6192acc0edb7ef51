"""Đ18: for each recipient organisation, the reports of each day it received by every organisation they were
delivered to (DayCount dim r, "together"), counted from the deliveries already written; intake's hook keeps them
from now on (see aggregates.py)."""

from collections import Counter

from django.db import migrations
from django.utils import timezone

WITH = "r"


def _add(counts, day, organisation_ids):
    for org_id in organisation_ids:
        for other_id in organisation_ids:
            counts[(org_id, WITH, day, other_id)] += 1


def count_together(apps, schema_editor):
    Delivery = apps.get_model("inbox", "Delivery")
    DayCount = apps.get_model("dashboards", "DayCount")
    DayCount.objects.filter(dim=WITH).delete()
    counts = Counter()
    current, together, day = None, [], None
    rows = Delivery.objects.order_by("report_id").values_list("report_id", "organisation_id", "report__created_at")
    for report_id, org_id, created_at in rows.iterator(chunk_size=20000):
        if report_id != current:
            if together:
                _add(counts, day, together)
            current, together, day = report_id, [], timezone.localdate(created_at)
        together.append(org_id)
    if together:
        _add(counts, day, together)
    DayCount.objects.bulk_create(
        [DayCount(organisation_id=o, dim=m, day=d, key=k, count=n) for (o, m, d, k), n in counts.items()],
        batch_size=5000,
    )


def forget_together(apps, schema_editor):
    apps.get_model("dashboards", "DayCount").objects.filter(dim=WITH).delete()


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0008_ack_delay_months")]

    operations = [migrations.RunPython(count_together, forget_together)]
