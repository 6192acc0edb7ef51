"""Triage of one report: open a case from it, attach it to a case, or close it with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from phoihop.audit.services import audit_reads
from phoihop.core.errors import DomainError
from phoihop.intake.choices import ReportStatus
from phoihop.intake.models import Report
from phoihop.intake.selectors import is_restricted

from .. import services
from ..templatetags.cases_tags import build_triage
from .common import _ctx, _go, _report_or_404

# --- Triage of one report ---------------------------------------------------------------------------------


@login_required
@require_GET
def triage(request, reference: str):
    """The triage panel on a page of its own (the report page includes the same panel)."""
    report = _report_or_404(request.user, reference)
    if is_restricted(report):  # Đ3.1: as on the report page, reading a restricted report leaves a trace
        audit_reads(ctx=_ctx(request), action="report.view", objs=[report], via="triage")
    return render(request, "cases/triage.html", {"report": report})


def _triage_refused(request, report: Report, data, which: str, exc: DomainError | None = None):
    state = build_triage(report, request.user, data=data, errors_in=which)
    form = {"open": state.open_form, "attach": state.attach_form, "close": state.close_form}[which]
    if exc is not None and form is not None:
        form.add_domain_error(exc)
    context = {"report": report, "triage_state": state}
    if request.htmx:
        return render(request, "cases/partials/report_triage.html", context)
    status = exc.status_code if exc is not None else 400
    return render(request, "cases/triage.html", context, status=status)


def _triage_state(request, reference: str, which: str):
    """The report and its triage panel with the posted form bound; refused when the user may not triage."""
    report = _report_or_404(request.user, reference)
    state = build_triage(report, request.user, data=request.POST, errors_in=which)
    if not state.can_triage:
        if state.in_case or report.status == ReportStatus.CLOSED:
            # Someone triaged it meanwhile: show what happened to it.
            if request.htmx:
                return report, None, HttpResponseClientRefresh()
            return report, None, render(request, "cases/triage.html", {"report": report}, status=409)
        raise PermissionDenied
    return report, state, None


@login_required
@require_POST
def triage_open(request, reference: str):
    """Open a case from this report; the user's organisation leads it."""
    report, state, refused = _triage_state(request, reference, "open")
    if refused:
        return refused
    form = state.open_form
    if not form.is_valid():
        return _triage_refused(request, report, request.POST, "open")
    try:
        case = services.case_open(reports=[report], ctx=_ctx(request), **form.service_kwargs())
    except DomainError as exc:
        return _triage_refused(request, report, request.POST, "open", exc)
    messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
    return _go(request, reverse("cases:detail", args=[case.reference]))


@login_required
@require_POST
def triage_attach(request, reference: str):
    """Attach this report to an open case (a suggested one, or one named by its number)."""
    report, state, refused = _triage_state(request, reference, "attach")
    if refused:
        return refused
    form = state.attach_form
    if not form.is_valid():
        return _triage_refused(request, report, request.POST, "attach")
    case = form.cleaned_data["target"]
    try:
        services.case_attach_reports(case=case, reports=[report], ctx=_ctx(request))
    except DomainError as exc:
        return _triage_refused(request, report, request.POST, "attach", exc)
    messages.success(
        request,
        _("Report %(report)s attached to case %(case)s.") % {"report": report.reference, "case": case.reference},
    )
    return _go(request, reverse("cases:detail", args=[case.reference]))


@login_required
@require_POST
def triage_close(request, reference: str):
    """Close this report without a case: unfounded, duplicate or outside jurisdiction, with a reason."""
    report, state, refused = _triage_state(request, reference, "close")
    if refused:
        return refused
    form = state.close_form
    if not form.is_valid():
        return _triage_refused(request, report, request.POST, "close")
    try:
        services.report_close(
            report=report, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"], ctx=_ctx(request)
        )
    except DomainError as exc:
        return _triage_refused(request, report, request.POST, "close", exc)
    messages.success(request, _("Report %(report)s closed.") % {"report": report.reference})
    return _go(request, reverse("intake:detail", args=[report.reference]))
