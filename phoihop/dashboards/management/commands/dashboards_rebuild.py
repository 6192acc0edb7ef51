"""Recount the dashboards' aggregates from the reports, deliveries and acknowledgements (after a bulk load
that bypassed the services, or to check the incremental counts)."""

from django.core.management.base import BaseCommand

from phoihop.dashboards.aggregates import aggregates_rebuild


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        rows = aggregates_rebuild()
        self.stdout.write(
            f"{rows['day_counts']} day counts, {rows['delay_buckets']} delay buckets, "
            f"{rows['delay_months']} monthly delay buckets, {rows['restricted_counts']} hidden-report counts"
        )
