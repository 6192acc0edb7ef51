"""`phoihop audit verify|checkpoint [options]`: the audit verbs under one name (see audit_verify, audit_checkpoint)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Audit log: `verify [--checkpoint FILE | --no-checkpoint]` or `checkpoint [--out FILE]`."

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["verify", "checkpoint"])
        parser.add_argument("--checkpoint", help="verify: checkpoint file (default: the newest in var)")
        parser.add_argument("--no-checkpoint", action="store_true", help="verify: check the chain only")
        parser.add_argument("--out", help="checkpoint: write to this file instead")

    def handle(self, *args, **options):
        io = {"stdout": self.stdout, "stderr": self.stderr}
        if options["verb"] == "verify":
            extra = {"checkpoint": options["checkpoint"], "no_checkpoint": options["no_checkpoint"]}
            call_command("audit_verify", **{k: v for k, v in extra.items() if v}, **io)
        else:
            call_command("audit_checkpoint", **({"out": options["out"]} if options["out"] else {}), **io)
