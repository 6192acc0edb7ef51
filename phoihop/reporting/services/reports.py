"""A party's report (Đ18.2): started from its obligation, written by its people, approved and signed by its
head as an official document (Đ3.2, kind báo cáo), submitted to the DIC with its figures frozen. A second
report for the same period is refused; an amendment is a new version that keeps the one before."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import Conflict, DomainError, Invalid, NotAllowed
from phoihop.core.workflow import Move, Workflow

from ..choices import ReportStatus as S
from ..models import Obligation, PartyReport
from ..permissions import Action, can_report, is_head_of, obligations_for, writes_for
from ..selectors.figures import party_figures
from ..selectors.sections import missing_sections, report_sections
from .signing import sign_party_report

MAX_SECTION = 20000


def _refuse_missing(report: PartyReport) -> None:
    """A required section left empty is refused, naming it (the first one, and every one by field)."""
    missing = missing_sections(report)
    if missing:
        errors = {s["code"]: [_("The section '%(name)s' is required.") % {"name": s["name_vi"]}] for s in missing}
        raise Invalid(errors, message=_("The section '%(name)s' is required.") % {"name": missing[0]["name_vi"]})


def report_start(*, obligation: Obligation, ctx: AuditContext) -> PartyReport:
    """Open the draft of an organisation's report for a period (once: a second report is refused)."""
    user = ctx.actor
    if not obligations_for(user).filter(pk=obligation.pk).exists() or not writes_for(user, obligation.organisation_id):
        raise NotAllowed(_("Only the organisation's own people write its report."))
    try:
        with transaction.atomic():
            report = PartyReport.objects.create(obligation=obligation, version=1, prepared_by=user, sections={})
            audit_record(ctx=ctx, action="reporting.report_start", obj=report, summary=str(obligation))
    except IntegrityError:
        raise Conflict(
            _("This organisation already has a report for %(period)s; amend it instead of starting another.")
            % {"period": obligation.period.code},
            field="obligation",
        ) from None
    return report


def report_save(*, report: PartyReport, sections: Mapping[str, str], ctx: AuditContext) -> PartyReport:
    """Write the narrative sections of a draft (the figures are the system's and are not written here)."""
    known = {s["code"] for s in report_sections(report)}
    unknown = sorted(set(sections) - known)
    if unknown:
        raise Invalid({unknown[0]: [_("No such section in this report.")]})
    too_long = [k for k, v in sections.items() if len(v or "") > MAX_SECTION]
    if too_long:
        raise Invalid({too_long[0]: [_("At most %(n)d characters.") % {"n": MAX_SECTION}]})
    with transaction.atomic():
        locked = PartyReport.objects.select_for_update().get(pk=report.pk)
        if not can_report(ctx.actor, Action.WRITE, locked):
            if locked.status != S.DRAFT:
                raise Conflict(
                    _("Only a draft can be changed; this report is '%(s)s'.") % {"s": S(locked.status).label}
                )
            raise NotAllowed(_("Only the organisation's own people write its report."))
        locked.sections = {**locked.sections, **{k: (v or "").strip() for k, v in sections.items()}}
        locked.save(update_fields=["sections", "updated_at"])
        audit_record(ctx=ctx, action="reporting.report_save", obj=locked, data={"sections": sorted(sections)})
    return locked


def report_amend(*, report: PartyReport, ctx: AuditContext) -> PartyReport:
    """A new draft version of a submitted report, with its sections; the submitted version stays as it is."""
    user = ctx.actor
    if not writes_for(user, report.obligation.organisation_id):
        raise NotAllowed(_("Only the organisation's own people amend its report."))
    with transaction.atomic():
        locked = PartyReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != S.SUBMITTED:
            raise Conflict(_("Only a submitted report can be amended."))
        if PartyReport.objects.filter(amends=locked).exists():
            raise Conflict(_("This version has already been amended; amend the latest version."))
        try:
            with transaction.atomic():
                amendment = PartyReport.objects.create(
                    obligation=locked.obligation,
                    version=locked.version + 1,
                    amends=locked,
                    prepared_by=user,
                    sections=dict(locked.sections),
                )
        except IntegrityError:
            raise Conflict(_("Another amendment was just started; reload the report.")) from None
        audit_record(ctx=ctx, action="reporting.report_amend", obj=amendment, data={"amends": locked.version})
    return amendment


# --- The report's workflow: draft -> awaiting the head -> submitted (signed) ---------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why it is returned"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, *, move=None, obj=None, user=None, **kwargs):
        super().__init__(data, **kwargs)


class ConfirmForm(forms.Form):
    def __init__(self, data=None, *, move=None, obj=None, user=None, **kwargs):
        super().__init__(data, **kwargs)


class ReportMove(Move):
    form_class = ConfirmForm

    def not_allowed_message(self, obj) -> str:
        return _("You may not '%(move)s' on this report.") % {"move": self.label}

    def conflict_message(self, obj) -> str:
        return _("'%(move)s' is not possible while the report is '%(status)s'.") % {
            "move": self.label,
            "status": S(obj.status).label,
        }

    def refusal(self, user, obj) -> DomainError | None:
        if not can_report(user, Action.VIEW, obj):
            return NotAllowed(self.not_allowed_message(obj))
        return super().refusal(user, obj)


class SendToHead(ReportMove):
    """The report is complete: its people send it to the head for approval."""

    name, label, article = "send", gettext_lazy("Send to the head for approval"), "Đ3.2"
    sources, target = frozenset({S.DRAFT}), S.AWAITING_HEAD

    def allowed(self, user, obj) -> bool:
        return writes_for(user, obj.obligation.organisation_id)

    def validate(self, user, obj, data) -> None:
        _refuse_missing(obj)


class ReturnToDraft(ReportMove):
    """The head sends it back with the reason."""

    name, label, article = "return", gettext_lazy("Return for changes"), "Đ3.2"
    sources, target = frozenset({S.AWAITING_HEAD}), S.DRAFT
    requires = ("reason",)
    form_class = ReasonForm

    def allowed(self, user, obj) -> bool:
        return is_head_of(user, obj.obligation.organisation_id)

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.return_reason = str(data["reason"]).strip()
        return ["return_reason"]


class SignAndSubmit(ReportMove):
    """Đ3.2, Đ18.2: the head approves and signs the report as an official document (báo cáo); it goes to the
    DIC, its figures frozen with the moment they were read. A report the head writes may be signed as a draft."""

    name, label, article = "sign", gettext_lazy("Approve, sign and submit to the DIC"), "Đ3.2, Đ18.2"
    sources, target = frozenset({S.DRAFT, S.AWAITING_HEAD}), S.SUBMITTED

    def allowed(self, user, obj) -> bool:
        return is_head_of(user, obj.obligation.organisation_id)

    def validate(self, user, obj, data) -> None:
        _refuse_missing(obj)
        earlier = PartyReport.objects.filter(obligation=obj.obligation, status=S.SUBMITTED, version__gte=obj.version)
        if earlier.exclude(pk=obj.pk).exists():
            raise Conflict(_("A report for this period has already been submitted; amend it instead."))

    def execute(self, *, obj, data, ctx) -> list[str]:
        period = obj.obligation.period
        now = timezone.now()
        obj.figures = party_figures(obj.obligation.organisation_id, period.starts_on, period.ends_on)
        obj.figures_as_of = now
        obj.signed_by, obj.signed_at, obj.submitted_at = ctx.actor, now, now
        obj.return_reason = ""
        obj.document = sign_party_report(report=obj, ctx=ctx)
        obj.document_number = obj.document.reference
        return [
            "figures",
            "figures_as_of",
            "signed_by",
            "signed_at",
            "submitted_at",
            "return_reason",
            "document",
            "document_number",
        ]


def _record(ctx, report: PartyReport, action: str, summary: str, data: dict) -> None:
    audit_record(ctx=ctx, action=action, obj=report, summary=f"{report}: {summary}", data=data)


REPORT_WORKFLOW = Workflow("reporting.report", [SendToHead(), ReturnToDraft(), SignAndSubmit()], record=_record)
