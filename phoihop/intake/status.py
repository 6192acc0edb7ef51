"""The report's own status, declared once with the engine of phoihop.core.workflow.

    received --acknowledge--> acknowledged        the first receiving organisation acknowledges (Đ3.4)
    received | acknowledged --attach--> in_case   a case is opened from it, or it joins one (Đ4.4)
    received | acknowledged --close--> closed     a handling officer closes it with a reason (Đ4.4)
    in_case --case_closed--> closed               its case was closed
    closed --case_reopened--> in_case             its case was re-opened

The public sees only three of these (PublicStatus: received, being handled, closed). Each move says who
makes it; REPORT_WORKFLOW.moves_from(state) and .available(user, report) are what a page can offer.
Intake makes the acknowledge move itself (report_mark_acknowledged); the case moves are made by the cases
app, which owns the case workflow, and are declared here so that the report's machine is read in one place.
No code writes Report.status but these moves: one report through services.report_status_move, a case's
reports at once through services.report_status_move_many (one UPDATE and one audit append for them all).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.audit.services import audit_record
from phoihop.core.errors import Invalid
from phoihop.core.workflow import Move, Workflow

from .choices import PUBLIC_STATUS, CloseReason
from .choices import ReportStatus as S
from .models import Report
from .permissions import Action, can, visible_reports

__all__ = ["PUBLIC_STATUS", "REPORT_WORKFLOW", "status_table"]


class ReportMove(Move):
    """A move of the report's status: refusals in the report's words."""

    def conflict_message(self, obj) -> str:
        return _("'%(move)s' is not possible while the report is '%(status)s'.") % {
            "move": self.label,
            "status": S(obj.status).label,
        }

    def stale_message(self, obj) -> str:
        return _("The report was changed by someone else; reload it.")

    def allowed_many(self, user, reports: Sequence[Report]) -> bool:
        """May `user` make this move on every one of `reports` (the bulk form's actor check)?"""
        return all(self.allowed(user, r) for r in reports)


def _acknowledged_by(user, report) -> bool:
    # Đ3.4: the report counts as acknowledged once any organisation it was delivered to has acknowledged it.
    return bool(user is not None and report.deliveries.filter(acknowledged_by=user).exists())


def _may_triage(user, report) -> bool:
    return bool(user is not None and can(user, Action.TRIAGE, report))


def _may_triage_all(user, reports: Sequence[Report]) -> bool:
    """_may_triage for many reports in two queries: the rule on the first, then all of them visible."""
    if not reports or not _may_triage(user, reports[0]):
        return False
    pks = {r.pk for r in reports}
    return visible_reports(user).filter(pk__in=pks).count() == len(pks)


def _the_system(user, report) -> bool:
    """A move that follows from another one (its case's), never asked for by a person."""
    return user is None


class Acknowledge(ReportMove):
    name, label, article = "acknowledge", gettext_lazy("Acknowledged"), "Đ3.4"
    sources, target = frozenset({S.RECEIVED}), S.ACKNOWLEDGED
    actor = _acknowledged_by
    audit_action = "report.acknowledged"


class Attach(ReportMove):
    name, label, article = "attach", gettext_lazy("Put in a case"), "Đ4.4"
    sources, target = frozenset({S.RECEIVED, S.ACKNOWLEDGED}), S.IN_CASE
    actor = _may_triage

    def allowed_many(self, user, reports: Sequence[Report]) -> bool:
        return _may_triage_all(user, reports)


class Close(ReportMove):
    name, label, article = "close", gettext_lazy("Close"), "Đ4.4"
    sources, target = frozenset({S.RECEIVED, S.ACKNOWLEDGED}), S.CLOSED
    actor = _may_triage
    requires = ("reason",)
    audit_action = "report.close"

    def allowed_many(self, user, reports: Sequence[Report]) -> bool:
        return _may_triage_all(user, reports)

    def validate(self, user, obj, data) -> None:
        if data["reason"] not in CloseReason.values or data["reason"] == CloseReason.CASE_CLOSED:
            raise Invalid({"reason": [_("Choose a reason from the list.")]})

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.close_reason, obj.close_note = data["reason"], str(data.get("note") or "").strip()
        return ["close_reason", "close_note"]


class CaseClosed(ReportMove):
    name, label = "case_closed", gettext_lazy("Its case was closed")
    sources, target = frozenset({S.IN_CASE}), S.CLOSED
    actor = _the_system

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.close_reason = CloseReason.CASE_CLOSED
        return ["close_reason"]


class CaseReopened(ReportMove):
    name, label = "case_reopened", gettext_lazy("Its case was re-opened")
    sources, target = frozenset({S.CLOSED}), S.IN_CASE
    actor = _the_system

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.close_reason = ""
        return ["close_reason"]


def _record(ctx, report, action: str, summary: str, data: dict) -> None:
    audit_record(ctx=ctx, action=action, obj=report, summary=f"{report.reference}: {summary}", data=data)


REPORT_WORKFLOW = Workflow("report", [Acknowledge(), Attach(), Close(), CaseClosed(), CaseReopened()], record=_record)


def status_table() -> list[dict]:
    """The machine as plain data (for a page or the API): each move, where from, where to, its article."""
    return [
        {
            "name": m.name,
            "label": str(m.label),
            "from": sorted(str(s) for s in m.sources),
            "to": str(m.target),
            "public_to": str(PUBLIC_STATUS[m.target]),
            "article": m.article,
        }
        for m in REPORT_WORKFLOW
    ]
