"""Đ11.5, Đ18.2: the reports each organisation made itself (DayCount dims T, S, B, A), and of those the ones
delivered to it too (U, V, X, Y), counted from the rows already written; intake's hook keeps them from now on
(see aggregates.py)."""

from collections import Counter

from django.db import migrations
from django.db.models import F
from django.utils import timezone

MADE = {"t": "T", "s": "S", "b": "B", "a": "A"}
MADE_DELIVERED = {"t": "U", "s": "V", "b": "X", "a": "Y"}


def _add(counts, dims, org_id, day, sector_id, behaviour_id, area_id):
    counts[(org_id, dims["t"], day, 0)] += 1
    counts[(org_id, dims["s"], day, sector_id or 0)] += 1
    counts[(org_id, dims["b"], day, behaviour_id or 0)] += 1
    counts[(org_id, dims["a"], day, area_id or 0)] += 1


def count_made(apps, schema_editor):
    Report = apps.get_model("intake", "Report")
    Delivery = apps.get_model("inbox", "Delivery")
    DayCount = apps.get_model("dashboards", "DayCount")
    letters = [*MADE.values(), *MADE_DELIVERED.values()]
    DayCount.objects.filter(dim__in=letters).delete()
    counts = Counter()
    made = Report.objects.filter(reporter_organisation__isnull=False).order_by()
    for org_id, created_at, *keys in made.values_list(
        "reporter_organisation_id", "created_at", "sector_id", "behaviour_id", "area_id"
    ).iterator(chunk_size=20000):
        _add(counts, MADE, org_id, timezone.localdate(created_at), *keys)
    own = Delivery.objects.filter(organisation_id=F("report__reporter_organisation_id")).order_by()
    for org_id, created_at, *keys in own.values_list(
        "organisation_id", "report__created_at", "report__sector_id", "report__behaviour_id", "report__area_id"
    ).iterator(chunk_size=20000):
        _add(counts, MADE_DELIVERED, org_id, timezone.localdate(created_at), *keys)
    DayCount.objects.bulk_create(
        [DayCount(organisation_id=o, dim=m, day=d, key=k, count=n) for (o, m, d, k), n in counts.items()],
        batch_size=5000,
    )


def forget_made(apps, schema_editor):
    letters = [*MADE.values(), *MADE_DELIVERED.values()]
    apps.get_model("dashboards", "DayCount").objects.filter(dim__in=letters).delete()


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0006_covering_indexes")]

    operations = [migrations.RunPython(count_made, forget_made)]
