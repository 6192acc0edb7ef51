"""Load rule-set folders (idempotent): `phoihop load-rules [soctrang-2013 ...]`."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from phoihop.rulesets.loader import RuleSetInvalid
from phoihop.rulesets.services import ruleset_load


class Command(BaseCommand):
    help = "Load or reload rule sets (reference data). Loading unchanged files changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="rule-set codes or folders (default: PHOIHOP_RULESETS)")
        parser.add_argument("--verbose-changes", action="store_true", help="list every record changed")

    def handle(self, *args, codes, verbose_changes, **options):
        for code in codes or settings.PHOIHOP_RULESETS:
            try:
                result = ruleset_load(code_or_path=code)
            except RuleSetInvalid as exc:
                raise CommandError(f"rule set {code} refused, nothing loaded:\n{exc}") from exc
            if result.changed:
                self.stdout.write(
                    f"{result.code} v{result.version}: {result.created} created, {result.updated} updated"
                )
                if verbose_changes:
                    for line in result.changes:
                        self.stdout.write(f"  {line}")
            else:
                self.stdout.write(f"{result.code} v{result.version}: unchanged")
