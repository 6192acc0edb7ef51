"""`phoihop audit verify [--checkpoint FILE]`: check the keyed chain and the newest checkpoint of its head."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from phoihop.audit.checkpoints import audit_verify_against, checkpoint_read, newest_checkpoint
from phoihop.core.errors import DomainError


class Command(BaseCommand):
    help = "Verify the audit log's keyed hash chain and that the checkpointed head is still there."

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", type=Path, help="checkpoint file (default: the newest in var)")
        parser.add_argument("--no-checkpoint", action="store_true", help="check the chain only")

    def handle(self, *args, **options):
        path = None if options["no_checkpoint"] else options["checkpoint"] or newest_checkpoint()
        try:
            checkpoint = checkpoint_read(path) if path else None
        except DomainError as exc:
            raise CommandError(f"audit checkpoint REFUSED: {exc}") from exc
        report = audit_verify_against(checkpoint=checkpoint)
        if not report.ok:
            raise CommandError(f"audit chain BROKEN at event #{report.first_bad_seq}: {report.problem}")
        against = f"; head matches checkpoint {checkpoint.name} (event #{checkpoint.seq})" if checkpoint else ""
        self.stdout.write(f"audit chain OK: {report.checked} events verified{against}")
        if path is None and not options["no_checkpoint"]:
            self.stderr.write("no checkpoint found: a removed tail cannot be detected (run `phoihop audit checkpoint`)")
