"""The periods list, a period's page (obligations, consolidation), ad-hoc requests, consolidated report files."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.audit.services import audit_record
from phoihop.core.errors import DomainError
from phoihop.core.permissions import scope

from ..forms import AdHocForm, apply_errors
from ..models import Consolidation, Obligation, Period
from ..permissions import is_convenor, may_manage, obligations_for, reports_for
from ..selectors.consolidation import consolidated_figures, obligation_rows
from ..services import adhoc_request, period_ensure, period_for_day
from ..services.consolidation import consolidation_docx, consolidation_make, previous_period
from .common import ctx, fetch


@login_required
@require_GET
def period_list(request):
    """Đ18.2: the periods, and where the user's organisation stands in each."""
    user = request.user
    periods = list(fetch_periods(request))
    mine = {
        ob.period_id: ob
        for ob in obligations_for(user).filter(organisation_id=user.organisation_id).select_related("period")
    }
    latest = {}
    for report in reports_for(user).filter(obligation__organisation_id=user.organisation_id).order_by("version"):
        latest[report.obligation_id] = report
    rows = [(p, mine.get(p.pk), latest.get(getattr(mine.get(p.pk), "pk", None))) for p in periods]
    current = None
    with contextlib.suppress(DomainError):  # no schedule in the rule set in force: nothing to open
        current = period_for_day(timezone.localdate())
    return render(
        request,
        "reporting/periods.html",
        {
            "rows": rows,
            "manage": may_manage(user),
            "convenor": is_convenor(user),
            "current_code": current,
            "current_open": Period.objects.filter(code=current).exists() if current else True,
        },
    )


def fetch_periods(request):
    return scope(request.user, Period).order_by("-ends_on", "code")


@login_required
@require_POST
def period_open(request):
    """The DIC opens the current six-monthly period (the worker's sweep also does, idempotently)."""
    if not may_manage(request.user):
        raise Http404
    try:
        period = period_ensure(code=period_for_day(timezone.localdate()), ctx=ctx(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("reporting:periods")
    return redirect("reporting:period", code=period.code)


@login_required
@require_GET
def period_detail(request, code: str):
    """A period: for the DIC every obligation and where it stands (late and missing named), the consolidations;
    for a party its own obligation and report."""
    user = request.user
    period = fetch(request, Period, code=code)
    context = {"period": period, "manage": may_manage(user), "convenor": is_convenor(user)}
    if is_convenor(user):
        rows = obligation_rows(period)
        context |= {
            "rows": rows,
            "counts": {
                s: sum(1 for r in rows if r["state"] == s)
                for s in ("submitted", "late_submitted", "missing", "due", "awaiting_head")
            },
            "consolidations": Consolidation.objects.filter(period=period).select_related("created_by", "document"),
            "meetings": period.meetings.all(),
        }
    own = obligations_for(user).filter(period=period, organisation_id=user.organisation_id).first()
    if own is not None:
        context["own"] = own
        context["own_reports"] = reports_for(user).filter(obligation=own).order_by("-version")
    return render(request, "reporting/period.html", context)


@login_required
@require_POST
def report_begin(request, obligation_id: int):
    """Start the organisation's report for a period (or open the one already started)."""
    from ..services import report_start

    obligation = fetch(request, Obligation, pk=obligation_id)
    existing = reports_for(request.user).filter(obligation=obligation).order_by("-version").first()
    if existing is not None:
        return redirect("reporting:report", pk=existing.pk)
    try:
        report = report_start(obligation=obligation, ctx=ctx(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("reporting:period", code=obligation.period.code)
    return redirect("reporting:report", pk=report.pk)


@login_required
@require_http_methods(["GET", "POST"])
def adhoc_new(request):
    """Đ18.2: an ad-hoc report request of the DIC, with its own deadline."""
    if not may_manage(request.user):
        raise Http404
    form = AdHocForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = adhoc_request(**form.cleaned_data, ctx=ctx(request))
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The request was sent to %(n)d parties.") % {"n": period.obligations.count()})
            return redirect("reporting:period", code=period.code)
    return render(request, "reporting/adhoc_new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def consolidate(request, code: str):
    """Đ18.1: freeze the period's consolidated figures (signed PDF when the head does it)."""
    period = fetch(request, Period, code=code)
    try:
        item = consolidation_make(period=period, ctx=ctx(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Consolidated report version %(v)d made.") % {"v": item.version})
    return redirect("reporting:period", code=period.code)


@login_required
@require_GET
def consolidation_preview(request, code: str):
    """The consolidated figures as they would be now (nothing is written)."""
    period = fetch(request, Period, code=code)
    if not is_convenor(request.user):
        raise Http404
    figures = consolidated_figures(period, previous_period(period))
    return render(request, "reporting/consolidation.html", {"period": period, "figures": figures, "item": None})


@login_required
@require_GET
def consolidation_detail(request, pk: int):
    item = fetch(request, Consolidation, pk=pk)
    return render(
        request, "reporting/consolidation.html", {"period": item.period, "figures": item.figures, "item": item}
    )


@login_required
@require_GET
def consolidation_file(request, pk: int, fmt: str):
    """The consolidated report as an editable DOCX, or the signed PDF of its document."""
    item = fetch(request, Consolidation, pk=pk)
    name = f"bao-cao-tong-hop-{item.period.code}-v{item.version}"
    if fmt == "docx":
        signer = item.document.signer_name if item.document_id and item.document.signer_name else ""
        data = consolidation_docx(figures=item.figures, reference=item.document_number, signer_name=signer)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "pdf" and item.document_id and item.document.has_pdf and item.document.signed_at:
        data, content_type = bytes(item.document.pdf), "application/pdf"
    else:
        raise Http404
    audit_record(ctx=ctx(request), action="reporting.consolidation_download", obj=item, data={"format": fmt})
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
