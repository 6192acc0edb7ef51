"""A party's report: its figures (live while a draft, frozen once submitted), its sections, its moves, versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from phoihop.core.errors import DomainError

from ..choices import ReportStatus
from ..forms import SectionsForm, apply_errors, section_label
from ..models import PartyReport
from ..permissions import Action, can_report, reports_for
from ..render.text import figure_lines
from ..selectors.figures import party_figures
from ..selectors.sections import missing_sections, report_sections
from ..services import REPORT_WORKFLOW, report_amend, report_save
from .common import ctx, fetch, move_forms, run_move


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, pk: int):
    user = request.user
    report = fetch(request, PartyReport, pk=pk)
    obligation, period = report.obligation, report.obligation.period
    sections = report_sections(report)
    writable = can_report(user, Action.WRITE, report)
    form = SectionsForm(
        request.POST if request.method == "POST" and writable else None, sections=sections, initial=report.sections
    )
    status = 200
    if request.method == "POST" and writable:
        if form.is_valid():
            try:
                report_save(report=report, sections=form.cleaned_data, ctx=ctx(request))
            except DomainError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The report was saved."))
                return redirect("reporting:report", pk=report.pk)
        status = 400
    live = report.status != ReportStatus.SUBMITTED
    figures = party_figures(obligation.organisation_id, period.starts_on, period.ends_on) if live else report.figures
    versions = reports_for(user).filter(obligation=obligation).order_by("-version")
    context = {
        "report": report,
        "obligation": obligation,
        "period": period,
        "figures": figures,
        "figure_lines": figure_lines(figures),
        "live": live,
        "form": form,
        "writable": writable,
        "sections": [(s, section_label(s), report.sections.get(s["code"], "")) for s in sections],
        "missing": [section_label(s) for s in missing_sections(report)],
        "moves": move_forms(REPORT_WORKFLOW, user, report),
        "versions": versions,
        "can_amend": report.status == ReportStatus.SUBMITTED
        and not versions.filter(version__gt=report.version).exists()
        and user.organisation_id == obligation.organisation_id,
    }
    return render(request, "reporting/report.html", context, status=status)


@login_required
@require_POST
def report_move(request, pk: int, move: str):
    report = fetch(request, PartyReport, pk=pk)
    return run_move(request, REPORT_WORKFLOW, report, move, back=reverse("reporting:report", args=[report.pk]))


@login_required
@require_POST
def report_amend_view(request, pk: int):
    report = fetch(request, PartyReport, pk=pk)
    try:
        amendment = report_amend(report=report, ctx=ctx(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("reporting:report", pk=report.pk)
    return redirect("reporting:report", pk=amendment.pk)
