"""`phoihop audit verify`: walk the hash chain and name the first event altered or removed."""

from django.core.management.base import BaseCommand, CommandError

from phoihop.audit.services import audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain."

    def handle(self, *args, **options):
        report = audit_verify()
        if not report.ok:
            raise CommandError(f"audit chain BROKEN at event #{report.first_bad_seq}: {report.problem}")
        self.stdout.write(f"audit chain OK: {report.checked} events verified")
