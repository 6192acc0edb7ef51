"""What the pages of the cases app share: the audit context, fetching through the permission scope (one out
of reach is a 404 that does not reveal it exists, Đ3.1, Đ17.1), recording views of restricted cases."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from phoihop.audit.services import AuditContext, audit_record
from phoihop.intake.models import Report
from phoihop.intake.selectors import report_for

from ..choices import AccessLevel
from ..models import Case
from ..selectors import case_for


def _ctx(request) -> AuditContext:
    return AuditContext.from_request(request)


def _case_or_404(user, reference: str) -> Case:
    case = case_for(user, reference)
    if case is None:
        raise Http404
    return case


def _report_or_404(user, reference: str) -> Report:
    report = report_for(user, reference)
    if report is None:
        raise Http404
    return report


def _audit_view(request, case: Case) -> None:
    """Every view of a restricted case is recorded: who looked, when, from where (Đ3.1, Đ17.1)."""
    if case.access_level == AccessLevel.RESTRICTED:
        audit_record(ctx=_ctx(request), action="case.view", obj=case, summary=case.reference)


def _go(request, url: str):
    """After a write: a full page change (htmx follows it with a client-side redirect)."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
