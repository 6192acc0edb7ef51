"""Count the reports, deliveries and acknowledgements that existed before the aggregates did."""

from django.db import migrations


def count_existing(apps, schema_editor):
    from django.db.models import Count
    from django.db.models.functions import TruncDate
    from django.utils import timezone

    from phoihop.dashboards.aggregates import delay_bucket

    Report = apps.get_model("intake", "Report")
    Delivery = apps.get_model("inbox", "Delivery")
    ReportDay = apps.get_model("dashboards", "ReportDay")
    DeliveryDay = apps.get_model("dashboards", "DeliveryDay")
    AckDelay = apps.get_model("dashboards", "AckDelay")
    tz = timezone.get_current_timezone()
    ReportDay.objects.bulk_create(
        ReportDay(
            day=r["d"],
            sector_id=r["sector_id"] or 0,
            behaviour_id=r["behaviour_id"] or 0,
            area_id=r["area_id"] or 0,
            count=r["n"],
        )
        for r in Report.objects.annotate(d=TruncDate("created_at", tzinfo=tz))
        .values("d", "sector_id", "behaviour_id", "area_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    DeliveryDay.objects.bulk_create(
        DeliveryDay(
            day=r["d"],
            organisation_id=r["organisation_id"],
            sector_id=r["report__sector_id"] or 0,
            behaviour_id=r["report__behaviour_id"] or 0,
            area_id=r["report__area_id"] or 0,
            count=r["n"],
        )
        for r in Delivery.objects.annotate(d=TruncDate("report__created_at", tzinfo=tz))
        .values("organisation_id", "d", "report__sector_id", "report__behaviour_id", "report__area_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    delays = {}
    for org_id, received, delivered, acked in (
        Delivery.objects.filter(acknowledged_at__isnull=False)
        .values_list("organisation_id", "report__created_at", "delivered_at", "acknowledged_at")
        .iterator(chunk_size=5000)
    ):
        key = (org_id, timezone.localdate(received), delay_bucket(max(0.0, (acked - delivered).total_seconds())))
        delays[key] = delays.get(key, 0) + 1
    AckDelay.objects.bulk_create(
        AckDelay(organisation_id=o, day=d, bucket=b, count=n) for (o, d, b), n in delays.items()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_initial"),
        ("intake", "0002_search_index"),
        ("inbox", "0005_delivery_rule_codes"),
    ]

    operations = [migrations.RunPython(count_existing, migrations.RunPython.noop)]
