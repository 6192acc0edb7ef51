"""`phoihop audit checkpoint [--out FILE]`: write a signed checkpoint of the audit chain's head."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from phoihop.audit.checkpoints import audit_checkpoint
from phoihop.audit.services import AuditContext, operator_label
from phoihop.core.errors import DomainError


class Command(BaseCommand):
    help = "Verify the audit chain and write a signed checkpoint of its head (var/audit-checkpoints/)."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, help="write the checkpoint to this file instead")

    def handle(self, *args, **options):
        try:
            path = audit_checkpoint(ctx=AuditContext(label=operator_label("audit-checkpoint")), out=options["out"])
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"audit checkpoint written: {path}")
