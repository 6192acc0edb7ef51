"""The case list (filtered, searched, sorted, paged, exported) and opening a case from several reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from phoihop.audit.services import audit_record
from phoihop.core.errors import DomainError

from .. import exports, services
from ..choices import AccessLevel
from ..filters import CaseFilter
from ..forms import CaseNewForm
from ..permissions import may_act, may_export
from ..selectors import case_list_for
from .common import _ctx

PAGE_SIZE = 25
RESULTS_TARGET = "case-results"
MAX_NAMED_IN_EXPORT_RECORD = 1000


# --- The case list ------------------------------------------------------------------------------------------


@login_required
@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def case_list(request):
    """The cases the user may see, filtered, searched, sorted and paged; or the same list exported."""
    user = request.user
    filterset = CaseFilter(request.GET, queryset=case_list_for(user), request=request)
    fmt = request.GET.get("format", "")
    if fmt in {"csv", "xlsx"}:
        return _export(request, filterset, fmt)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "form": filterset.form,
        "page": page,
        "cases": list(page.object_list),
        "can_export": may_export(user),
        "can_open": may_act(user),
        "filtered": bool(filterset.active),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == RESULTS_TARGET and not htmx.history_restore_request:
        return render(request, "cases/partials/case_results.html", context)
    return render(request, "cases/list.html", context)


def _export(request, filterset: CaseFilter, fmt: str):
    if not may_export(request.user):
        raise PermissionDenied
    if not filterset.is_valid():
        # A filter that cannot be applied must not widen the export: refuse rather than export more.
        return HttpResponse(
            _("The filters of this list are not valid; correct them and export again."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    qs = filterset.qs
    rows = qs.count()
    # Restricted cases are named in the record: an export is a view of each of them (Đ3.1, Đ17.1).
    restricted = list(
        qs.filter(access_level=AccessLevel.RESTRICTED)
        .order_by("reference")
        .values_list("reference", flat=True)[:MAX_NAMED_IN_EXPORT_RECORD]
    )
    audit_record(
        ctx=_ctx(request),
        action="case.export",
        summary=_("Case list exported (%(format)s, %(rows)d rows)") % {"format": fmt.upper(), "rows": rows},
        data={"format": fmt, "filters": filterset.active, "rows": rows, "restricted": restricted},
    )
    return exports.csv_response(qs) if fmt == "csv" else exports.xlsx_response(qs)


# --- Opening a case from several reports ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    """Open one case from several reports of the inbox (`?reports=REF1,REF2` ticks them)."""
    user = request.user
    if not may_act(user):
        raise PermissionDenied
    preselected = [r.strip().upper() for r in request.GET.get("reports", "").split(",") if r.strip()]
    form = CaseNewForm(request.POST if request.method == "POST" else None, user=user, preselected=preselected)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                case = services.case_open(
                    reports=form.cleaned_data["reports"], ctx=_ctx(request), **form.service_kwargs()
                )
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status_code
            else:
                messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
                return redirect("cases:detail", reference=case.reference)
        else:
            status = 400
    return render(request, "cases/new.html", {"form": form}, status=status)
