"""Print a routing decision as JSON, so rule administrators can check a rule without filing a report."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from phoihop.routing.engine import ReporterType, Router, RoutingInput, find_area
from phoihop.taxonomy.models import Behaviour


class Command(BaseCommand):
    help = 'Show who a report would go to: phoihop route --behaviour 13.4 --district "Vĩnh Châu"'

    def add_arguments(self, parser):
        parser.add_argument("--behaviour", help="behaviour code, e.g. 13.4 (omit for 'not sure')")
        parser.add_argument("--district", "--area", dest="area", help="area name or code")
        parser.add_argument("--reporter-type", choices=ReporterType.ALL, default=ReporterType.PUBLIC)
        parser.add_argument("--indicator", action="append", default=[], help="indicator kind, repeatable")
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, behaviour, area, reporter_type, indicator, date, **options):
        if behaviour and not Behaviour.objects.filter(code=behaviour).exists():
            raise CommandError(f"unknown behaviour '{behaviour}'")
        day = dt.date.fromisoformat(date) if date else None
        unit = find_area(area, day) if area else None
        if area and unit is None:
            raise CommandError(f"unknown area '{area}'")
        router = Router(day=day)
        recipients = router.route(
            RoutingInput(
                behaviour=behaviour,
                area=unit,
                reporter_type=reporter_type,
                indicator_kinds=frozenset(indicator),
                day=router.day,
            )
        )
        out = {
            "ruleset": router.ruleset.code if router.ruleset else None,
            "date": router.day.isoformat(),
            "behaviour": behaviour,
            "sector": router.sector_of(behaviour),
            "area": {"code": unit.code, "name": unit.name, "coastal": unit.coastal} if unit else None,
            "reporter_type": reporter_type,
            "recipients": [r.as_dict() for r in recipients],
        }
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
