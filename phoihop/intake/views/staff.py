"""Staff pages: our reports, the report page, contact reveal, acknowledgement, evidence download (the inbox:
views/triage.py).

Every report is fetched through the permission scope, so one out of reach is a 404 that does not reveal
it exists (Đ3.1, Đ17.1: confidential, need to know).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import NotAllowed as RefusedByService
from phoihop.core.permissions import can as core_can
from phoihop.core.permissions import scope
from phoihop.inbox.models import Delivery
from phoihop.inbox.permissions import DeliveryAction
from phoihop.inbox.selectors import ack_deadline
from phoihop.inbox.services import delivery_acknowledge
from phoihop.indicators import normalise as ind
from phoihop.routing.models import RoutingRule

from ..forms import (
    RevealContactForm,
)
from ..models import Report
from ..permissions import Action, can, reports_of_my_organisation
from ..selectors import (
    Correlation,
    correlations_for,
    is_restricted,
    list_page,
    report_for,
    reports_in_order,
)
from ..services import (
    ReportInvalid,
    contact_reveal,
)

PAGE_SIZE = 50


# --- Staff pages ---------------------------------------------------------------------------------------


def _report_or_404(user, reference: str) -> Report:
    report = report_for(user, reference)
    if report is None:
        raise Http404
    return report


@login_required
@require_GET
def my_reports(request):
    """The reports the user's organisation made (an enterprise's view of what it reported, Đ11.5)."""
    user = request.user
    # One way of the scope (made by my organisation): its own index, newest first; the count stops at 1,000.
    mine = reports_of_my_organisation(user)
    try:
        number = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        number = 1
    page = list_page([mine], number=number, size=PAGE_SIZE)
    if number > 1 and not page.ids:
        raise Http404
    reports = reports_in_order(page.ids, Report.objects.select_related("behaviour", "area").defer("search_text"))
    return render(request, "intake/my_reports.html", {"page": page, "reports": reports})


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator of the report as the page shows it, with how often it was reported."""

    correlation: Correlation
    kind_label: str
    message: str

    @property
    def link(self):
        return self.correlation.link


def _indicator_lines(user, report: Report) -> list[IndicatorLine]:
    lines = []
    for corr in correlations_for(user, report):
        link = corr.link
        try:
            kind = ind.IndicatorKind(link.indicator.kind)
        except ValueError:
            lines.append(IndicatorLine(corr, link.indicator.kind, ""))
            continue
        message = ""
        if not link.valid:
            message = str(
                ind.Indicator(
                    kind=kind, raw=link.raw, value=link.indicator.value, valid=False, error_code=link.error_code or None
                ).message
            )
        lines.append(IndicatorLine(corr, str(ind.KIND_LABELS.get(kind, kind.value)), message))
    return lines


def _reason_line(code: str, rule: RoutingRule | None, *, english: bool) -> dict:
    """A routing reason in the page's language; the article is shown once, as a citation.

    A rule later dropped from its rule set is shown by its code (the delivery keeps its articles)."""
    if rule is None:
        return {"article": "", "description": code}
    article = rule.article
    text = ((rule.description_en if english else "") or rule.description_vi).strip()
    if article and text.startswith(f"{article}:"):
        text = text[len(article) + 1 :].strip()
    return {"article": article, "description": text}


def _rules_of(report: Report, deliveries) -> dict[str, RoutingRule]:
    """The routing rules named by the deliveries, from the report's rule set (one query)."""
    codes = {c for d in deliveries for c in d.rules.split(",") if c}
    if not codes:
        return {}
    return {r.code: r for r in RoutingRule.objects.filter(ruleset_id=report.ruleset_id, code__in=codes)}


def _detail(
    request, report: Report, *, reveal_form=None, revealed: bool = False, contact=None, status: int = 200
) -> HttpResponse:
    user = request.user
    english = (get_language() or "vi").startswith("en")
    deliveries = list(report.deliveries.select_related("organisation", "acknowledged_by").order_by("pk"))
    rules = _rules_of(report, deliveries)
    for d in deliveries:
        d.reason_lines = [_reason_line(c, rules.get(c), english=english) for c in d.rules.split(",") if c]
    own = next((d for d in deliveries if d.organisation_id == user.organisation_id), None)
    response = render(
        request,
        "intake/detail.html",
        {
            "report": report,
            "deliveries": deliveries,
            "own_delivery": own,
            "can_acknowledge": own is not None
            and own.acknowledged_at is None
            and can(user, Action.ACKNOWLEDGE, report),
            "deadline": ack_deadline(),
            "indicators": _indicator_lines(user, report),
            "evidence": list(report.evidence.all()),
            "can_download": can(user, Action.DOWNLOAD, report),
            "can_reveal": can(user, Action.REVEAL_CONTACT, report),
            "reveal_form": reveal_form or RevealContactForm(),
            "revealed": revealed,
            "contact": contact,
            "follow_ups": list(report.follow_ups.all()),
        },
        status=status,
    )
    return response


@login_required
@require_GET
def detail(request, reference: str):
    """Everything a receiving organisation needs to act on a report, and why it received it."""
    report = _report_or_404(request.user, reference)
    if is_restricted(report):
        audit_record(ctx=AuditContext.from_request(request), action="report.view", obj=report, summary=reference)
    return _detail(request, report)


@never_cache
@login_required
@require_POST
def reveal_contact(request, reference: str):
    """A hub focal point sees who reported, giving a reason; shown on this response only, never stored."""
    report = _report_or_404(request.user, reference)
    if not can(request.user, Action.REVEAL_CONTACT, report):
        raise PermissionDenied
    form = RevealContactForm(request.POST)
    form.is_valid()
    try:
        contact = contact_reveal(
            report=report, ctx=AuditContext.from_request(request), reason=form.cleaned_data.get("reason", "")
        )
    except ReportInvalid as exc:
        for message in exc.errors.get("reason", []):
            form.add_error("reason", message)
        return _detail(request, report, reveal_form=form)
    except RefusedByService as exc:
        raise PermissionDenied(str(exc.message)) from exc
    return _detail(request, report, revealed=True, contact=contact)


@login_required
@require_POST
def acknowledge(request, reference: str):
    """The user's organisation acknowledges its delivery: the "report immediately" clock stops (Đ3.4)."""
    report = _report_or_404(request.user, reference)
    delivery = (
        scope(request.user, Delivery.objects.filter(report=report), DeliveryAction.VIEW)
        .select_related("organisation", "report__behaviour", "report__area", "report__sector")
        .first()
    )
    if delivery is None:
        raise Http404
    if not core_can(request.user, DeliveryAction.ACKNOWLEDGE, delivery):
        raise PermissionDenied
    try:
        delivery = delivery_acknowledge(delivery=delivery, ctx=AuditContext.from_request(request))
    except RefusedByService as exc:
        raise PermissionDenied(str(exc.message)) from exc
    if request.htmx:
        return render(
            request,
            "intake/partials/inbox_row.html",
            {
                "d": delivery,
                "can_acknowledge": True,
                "deadline": ack_deadline(),
            },
        )
    messages.success(request, _("Report %(code)s acknowledged.") % {"code": report.reference})
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("intake:detail", reference=report.reference)


@login_required
@require_GET
def evidence_download(request, reference: str, evidence_id: int):
    """Stream one evidence file to someone who may see the report; every download is audit-logged."""
    report = _report_or_404(request.user, reference)
    evidence = report.evidence.filter(pk=evidence_id).first()
    if evidence is None or not can(request.user, Action.DOWNLOAD, report):
        raise Http404
    try:
        handle = evidence.file.storage.open(evidence.file.name, "rb")
    except OSError as exc:
        raise Http404 from exc
    audit_record(
        ctx=AuditContext.from_request(request),
        action="evidence.download",
        obj=evidence,
        summary=f"{report.reference}: {evidence.original_name}",
        data={"report": report.reference, "sha256": evidence.sha256, "size": evidence.size},
    )
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    # Never rendered by the browser as a page of ours: a file is data, whatever it claims to be.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
