"""`phoihop reporting ...`: the reporting cycle from the command line.

    phoihop reporting consolidate --period 2026-H2 --out FILE.docx
        the consolidated report of the period (Đ18.1) as read now, an editable DOCX in the Decree-30 layout;
    phoihop reporting consolidate --period 2026-H2 --out FILE.pdf --as dic.head
        consolidated, frozen and signed by the head of the DIC through the documents app: the signed PDF;
    phoihop reporting consolidate --period 2026-H2 --out FILE.pdf
        the signed PDF of the period's latest consolidation already signed;
    phoihop reporting sweep
        open the current periods and send the reminders that are due (what the worker does periodically).

The total of reports printed is the statistics API's (dashboards' report_statistics) for the same days.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from phoihop.audit.services import AuditContext, operator_label
from phoihop.core.errors import Invalid, NotAllowed, Unavailable
from phoihop.directory.models import User

from ...models import Consolidation, Period
from ...reminders import reporting_sweep
from ...selectors.consolidation import consolidated_figures
from ...services import period_ensure
from ...services.consolidation import consolidation_docx, consolidation_make, previous_period


class Command(BaseCommand):
    help = "The six-monthly reporting cycle (Đ18): consolidate a period into DOCX or signed PDF; run the sweep."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        cons = sub.add_parser("consolidate", help="the consolidated report of a period to the PPC")
        cons.add_argument("--period", required=True, help="e.g. 2026-H2")
        cons.add_argument("--out", required=True, help="FILE.docx or FILE.pdf")
        cons.add_argument("--as", dest="username", default="", help="the DIC head who signs (for a new signed PDF)")
        sub.add_parser("sweep", help="open the current periods and send the reminders that are due")

    def handle(self, *args, verb: str, **options) -> None:
        if verb == "sweep":
            failed = reporting_sweep()
            self.stdout.write(f"sweep done; {failed} message(s) wait in the outbox")
            return
        self.consolidate(options["period"], Path(options["out"]), options["username"])

    def consolidate(self, code: str, out: Path, username: str) -> None:
        suffix = out.suffix.lower()
        if suffix not in (".docx", ".pdf"):
            raise Invalid({"out": ["The output must end in .docx or .pdf."]})
        label = operator_label("reporting consolidate")
        period = Period.objects.filter(code=code).first() or period_ensure(code=code, ctx=AuditContext(label=label))
        if suffix == ".docx":
            figures = consolidated_figures(period, previous_period(period))
            data = consolidation_docx(figures=figures)
        else:
            item = self._signed(period, username)
            figures, data = item.figures, bytes(item.document.pdf)
        out.write_bytes(data)
        missing = figures["missing"]
        self.stdout.write(
            f"{out}: {period.code} total={figures['province']['total']} "
            f"submitted={figures['submitted']}/{figures['obliged']}"
        )
        if missing:
            self.stdout.write(f"missing ({len(missing)}): " + "; ".join(missing))

    def _signed(self, period: Period, username: str) -> Consolidation:
        if username:
            user = User.objects.filter(username=username, is_active=True).select_related("organisation").first()
            if user is None:
                raise Invalid({"as": [f"No active user {username}."]})
            item = consolidation_make(period=period, ctx=AuditContext(actor=user, label=f"cli:{user.username}"))
            if not (item.document and item.document.signed_at):
                raise NotAllowed(f"{username} is not the head: the consolidation waits for the head's signature.")
            return item
        item = (
            Consolidation.objects.filter(period=period, document__signed_at__isnull=False)
            .select_related("document")
            .order_by("-version")
            .first()
        )
        if item is None:
            raise Unavailable("No signed consolidation of this period yet: give --as the head of the DIC.")
        return item
