"""Template tags of the cases app: the triage panel of a report page, and readable timeline labels."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template
from django.utils.translation import gettext_lazy as _

from phoihop.intake.choices import ReportStatus
from phoihop.intake.models import Report
from phoihop.intake.permissions import Action as ReportAction
from phoihop.intake.permissions import can as can_report

from ..choices import CaseStatus
from ..forms import AttachToCaseForm, CaseOpenForm, ReportCloseForm
from ..models import Case, CaseReport
from ..permissions import visible_cases
from ..selectors import suggested_cases
from ..workflow import MOVES

register = template.Library()

OPEN_PREFIX, ATTACH_PREFIX, CLOSE_PREFIX = "triage-open", "triage-attach", "triage-close"


@dataclass
class Triage:
    """What a focal point may do with a report: open a case from it, attach it to one, or close it."""

    report: Report
    case: Case | None = None  # the case the report is in, when the user may see that case
    in_case: bool = False
    can_triage: bool = False
    suggested: list[Case] = field(default_factory=list)
    open_form: CaseOpenForm | None = None
    attach_form: AttachToCaseForm | None = None
    close_form: ReportCloseForm | None = None
    errors_in: str = ""  # which form was sent back with errors ("open", "attach", "close"), to show it open


def default_title(report: Report) -> str:
    parts = [report.behaviour.help if report.behaviour else "", report.area.name if report.area else ""]
    return " — ".join(p for p in parts if p)[:300]


def build_triage(report: Report, user, *, data=None, errors_in: str = "") -> Triage:
    """The triage panel's state; `data` re-binds the form that was sent (`errors_in`) to show its errors."""
    link = CaseReport.objects.filter(report=report).first()
    triage = Triage(report=report, in_case=link is not None, errors_in=errors_in)
    if link is not None:
        triage.case = visible_cases(user).filter(pk=link.case_id).first()
        return triage
    if report.status == ReportStatus.CLOSED or not can_report(user, ReportAction.TRIAGE, report):
        return triage
    triage.can_triage = True
    triage.suggested = list(suggested_cases(user, report))

    def bound(name):
        return data if errors_in == name else None

    triage.open_form = CaseOpenForm(
        bound("open"), user=user, prefix=OPEN_PREFIX, initial={"title": default_title(report)}
    )
    triage.attach_form = AttachToCaseForm(bound("attach"), user=user, suggested=triage.suggested, prefix=ATTACH_PREFIX)
    triage.close_form = ReportCloseForm(bound("close"), prefix=CLOSE_PREFIX)
    for form in (triage.open_form, triage.attach_form, triage.close_form):
        if form.is_bound:
            form.is_valid()
    return triage


@register.simple_tag(takes_context=True)
def report_triage(context, report: Report, user) -> Triage:
    """`{% report_triage report request.user as triage %}`; a view that re-renders the panel with errors
    puts its own state in the context as `triage_state`, which wins."""
    state = context.get("triage_state")
    if isinstance(state, Triage) and state.report.pk == report.pk:
        return state
    return build_triage(report, user)


# --- The timeline -----------------------------------------------------------------------------------------

ACTION_LABELS = {
    "case.open": _("Opened the case"),
    "case.attach": _("Attached reports"),
    "case.participant_add": _("Added an organisation"),
    "case.participant_remove": _("Removed an organisation"),
    "case.evidence_add": _("Added files"),
    "case.evidence_download": _("Downloaded a file"),
    "case.member_add": _("Named a person on the case"),
    "case.access": _("Changed who may see the case"),
    "case.secret_dossier": _("Registered a state-secret dossier"),
    "case.note": _("Added a note"),
    "case.task_create": _("Created a task"),
    "case.task_complete": _("Completed a task"),
    "case.link": _("Linked a case"),
    "case.view": _("Viewed the restricted case"),
    "case.export": _("Exported the case list"),
}


@register.filter
def case_action_label(action: str) -> str:
    """A readable, translated label for an audit action code on a case."""
    if action.startswith("case.move."):
        move = MOVES.get(action.removeprefix("case.move."))
        if move is not None:
            return str(move.label)
    return str(ACTION_LABELS.get(action, action))


@register.filter
def status_label(status: str) -> str:
    try:
        return str(CaseStatus(status).label)
    except ValueError:
        return status
