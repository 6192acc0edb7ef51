"""HTML pages of the intake app: the report forms, tracking, the inbox and the report page.

Views stay thin: forms shape the input, services write (always with AuditContext.from_request),
selectors and permissions read. Every report is fetched through the permission scope, so one out of
reach is a 404 that does not reveal it exists (Đ3.1, Đ17.1: confidential, need to know).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.audit.services import AuditContext, audit_record, client_ip
from phoihop.core.errors import NotAllowed as RefusedByService
from phoihop.core.permissions import can as core_can
from phoihop.core.permissions import scope
from phoihop.directory.models import AdministrativeUnit
from phoihop.inbox.models import Delivery
from phoihop.inbox.permissions import DeliveryAction, may_acknowledge
from phoihop.inbox.selectors import ack_deadline, inbox_counts, inbox_for
from phoihop.inbox.services import delivery_acknowledge
from phoihop.indicators import normalise as ind
from phoihop.routing.engine import Router, RoutingInput
from phoihop.taxonomy.selectors import sectors_with_behaviours

from .choices import Channel, PublicStatus, ReportStatus
from .forms import (
    FollowUpForm,
    ReportChoices,
    ReportForm,
    RevealContactForm,
    TrackForm,
    behaviour_choices,
    indicator_kind_choices,
)
from .models import Report
from .permissions import Action, can, visible_reports
from .selectors import Correlation, correlations_for, is_restricted, report_for
from .services import (
    CONSENT_VERSION,
    REFERENCE_ALPHABET,
    IntakeContext,
    ReportInvalid,
    Submitted,
    contact_reveal,
    reference_new,
    report_follow_up,
    report_prepare,
    report_submit,
    report_track,
)

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
RECEIPT_SESSION_KEY = "intake:receipt"


# --- Rate limits per client address -----------------------------------------------------------------
# The same rates as the API's throttles (settings.REST_FRAMEWORK), so a deployment sets them once.

RATE_DEFAULTS = {"public_report": "10/hour", "track": "30/hour"}
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _rate(scope: str) -> tuple[int, int]:
    rates = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
    count, _sep, period = (rates.get(scope) or RATE_DEFAULTS[scope]).partition("/")
    return int(count), _PERIODS[period.strip()[:1] or "h"]


def rate_limit_spent(request, scope: str) -> bool:
    """Count this request against its address's budget for `scope`; True once the budget is spent."""
    limit, window = _rate(scope)
    key = f"intake:rate:{scope}:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=window)
    try:
        used = cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=window)
        used = 1
    return used > limit


def _too_many(request, scope: str) -> HttpResponse:
    _limit, window = _rate(scope)
    response = render(request, "intake/rate_limited.html", {"minutes": max(window // 60, 1)}, status=429)
    response["Retry-After"] = str(window)
    return response


# --- Reporting: the public form and the signed-in form -------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def public_report(request):
    """Anyone may report, without an account and anonymously if they wish (Đ2: organisations and individuals)."""
    if request.user.is_authenticated:
        return redirect("intake:new_report")  # their identity is their account
    return _report_form(request, signed_in=False)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def new_report(request):
    """Officers (Đ3.4, Đ10.3) and enterprise reporters (Đ11.5) report for their organisation."""
    if not request.user.organisation_id:
        raise PermissionDenied
    return _report_form(request, signed_in=True)


def _report_form(request, *, signed_in: bool):
    choices = ReportChoices.load()
    if request.method != "POST":
        return _render_form(request, ReportForm(signed_in=signed_in, choices=choices))
    if not signed_in and rate_limit_spent(request, "public_report"):
        return _too_many(request, "public_report")
    form = ReportForm(request.POST, request.FILES, signed_in=signed_in, choices=choices)
    if form.is_robot:
        return _pretend_accepted(request, form)
    if form.is_valid() and not form.has_errors:
        try:
            submitted = report_submit(
                data=form.report_input(),
                channel=Channel.SIGNED_IN if signed_in else Channel.WEB,
                ctx=AuditContext.from_request(request),
            )
        except ReportInvalid as exc:
            form.add_service_errors(exc.errors)
        else:
            return _accepted(request, submitted)
    else:
        # The form found problems of shape; ask the service about the rest, so that the page lists every
        # problem at once instead of one round at a time. report_prepare writes nothing.
        try:
            report_prepare(data=form.report_input(), ictx=IntakeContext())
        except ReportInvalid as exc:
            form.add_service_errors(exc.errors)
    return _render_form(request, form, files_dropped=bool(request.FILES))


def _render_form(request, form: ReportForm, *, files_dropped: bool = False) -> HttpResponse:
    return render(
        request,
        "intake/report_form.html",
        {
            "form": form,
            "indicator_kinds": indicator_kind_choices(),
            "banks": ind.bank_choices(),
            "files_dropped": files_dropped,
            "consent_version": CONSENT_VERSION,
        },
    )


@require_GET
def behaviour_options(request):
    """htmx partial: the violation select narrowed to one sector (the form works without it)."""
    sectors = list(sectors_with_behaviours())
    form = ReportForm(
        initial={"behaviour": request.GET.get("behaviour", "")}, choices=ReportChoices(sectors=sectors, areas=[])
    )
    form.fields["behaviour"].choices = behaviour_choices(sectors, only=request.GET.get("sector") or None)
    return render(request, "intake/partials/behaviour_select.html", {"form": form})


def _accepted(request, submitted: Submitted) -> HttpResponse:
    report = submitted.report
    if not submitted.created:
        # The organisation's own reference was sent before: nothing new was created (idempotent).
        messages.info(
            request,
            _("A report with your reference %(ref)s was already received as %(code)s.")
            % {"ref": report.external_ref, "code": report.reference},
        )
        if can(request.user, Action.VIEW, report):
            return redirect("intake:detail", reference=report.reference)
    deliveries = report.deliveries.select_related("organisation").order_by("pk")
    _keep_receipt(
        request,
        reference=report.reference,
        secret=submitted.secret,
        received_at=report.created_at,
        recipients=[(d.organisation.name, d.articles) for d in deliveries],
        can_view=request.user.is_authenticated and can(request.user, Action.VIEW, report),
    )
    return redirect("intake:receipt")


def _pretend_accepted(request, form: ReportForm) -> HttpResponse:
    """The honeypot was filled: answer exactly as for a real report, and save nothing."""
    logger.info("intake: honeypot filled from %s, nothing saved", client_ip(request))
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    area = AdministrativeUnit.objects.filter(code=data["area"]).first() if data.get("area") else None
    recipients = Router().route(RoutingInput(behaviour=data.get("behaviour") or None, area=area))
    _keep_receipt(
        request,
        reference=reference_new(),
        secret=_decoy_secret(),
        received_at=timezone.now(),
        recipients=[(r.organisation.name, ", ".join(r.articles)) for r in recipients],
    )
    return redirect("intake:receipt")


def _decoy_secret() -> str:
    """Looks like a real secret, so a bot cannot tell its report was dropped."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(12))


def _keep_receipt(
    request, *, reference: str, secret: str | None, received_at: dt.datetime, recipients, can_view: bool = False
) -> None:
    # Post/redirect/get, so reloading the receipt cannot send the report twice. The receipt waits in the
    # reporter's own session and is removed the first time it is shown.
    request.session[RECEIPT_SESSION_KEY] = {
        "reference": reference,
        "secret": secret,
        "received_at": received_at.isoformat(),
        "recipients": [list(r) for r in recipients],
        "can_view": can_view,
    }


@never_cache
@require_GET
def receipt(request):
    """The tracking code and the secret, shown once."""
    data = request.session.pop(RECEIPT_SESSION_KEY, None)
    if not data:
        messages.info(
            request, _("A receipt is shown only once. Use your tracking code and secret to follow your report.")
        )
        return redirect("intake:track")
    return render(
        request,
        "intake/receipt.html",
        {
            "reference": data["reference"],
            "secret": data["secret"],
            "received_at": dt.datetime.fromisoformat(data["received_at"]),
            "recipients": [{"name": name, "articles": articles} for name, articles in data["recipients"]],
            "status": PublicStatus.RECEIVED,
            "can_view": data.get("can_view", False),
        },
    )


# --- Tracking: the public's view of its own report -----------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    """Status by tracking code and secret (POSTed, so the secret stays out of URLs and logs)."""
    form = TrackForm(request.POST or None)
    follow_up = FollowUpForm()
    report = None
    if request.method == "POST":
        if rate_limit_spent(request, "track"):
            return _too_many(request, "track")
        if form.is_valid():
            report = report_track(reference=form.cleaned_data["reference"], secret=form.cleaned_data["secret"])
            if report is None:
                # One answer for a wrong code and a wrong secret: the page confirms nothing.
                form.add_error(None, _("No report matches this tracking code and secret. Check both and try again."))
            elif "add_information" in request.POST:
                follow_up = FollowUpForm(request.POST)
                follow_up.is_valid()
                try:
                    report_follow_up(
                        report=report,
                        text=follow_up.cleaned_data.get("text", ""),
                        ctx=AuditContext.from_request(request),
                    )
                except ReportInvalid as exc:
                    for message in exc.errors.get("text", []) or [m for ms in exc.errors.values() for m in ms]:
                        follow_up.add_error("text", message)
                else:
                    messages.success(request, _("Thank you: your information was added to the report."))
                    follow_up = FollowUpForm()
    return render(
        request,
        "intake/track.html",
        {
            "form": form,
            "report": report,
            "follow_up": follow_up,
            "closed": report is not None and report.status == ReportStatus.CLOSED,
        },
    )


# --- Staff pages ---------------------------------------------------------------------------------------


def _report_or_404(user, reference: str) -> Report:
    report = report_for(user, reference)
    if report is None:
        raise Http404
    return report


@login_required
@require_GET
def inbox(request):
    """The reports delivered to the user's organisation, the unacknowledged first."""
    user = request.user
    counts = inbox_counts(user)
    paginator = Paginator(inbox_for(user).select_related("acknowledged_by"), PAGE_SIZE)
    paginator.count = counts.total  # counted from the index, see selectors.inbox_counts
    page = paginator.get_page(request.GET.get("page"))
    deliveries = list(page.object_list)
    # Beyond seeing the report, the right to acknowledge depends only on the role, so it is asked once
    # per page rather than once per row (the view of a single delivery asks again, for that report).
    can_acknowledge = bool(deliveries) and may_acknowledge(user)
    return render(
        request,
        "intake/inbox.html",
        {
            "page": page,
            "deliveries": deliveries,
            "can_acknowledge": can_acknowledge,
            "deadline": ack_deadline(),
            "waiting": counts.waiting,
        },
    )


@login_required
@require_GET
def my_reports(request):
    """The reports the user's organisation made (an enterprise's view of what it reported, Đ11.5)."""
    user = request.user
    qs = (
        visible_reports(user)
        .filter(reporter_organisation_id=user.organisation_id)
        .select_related("behaviour", "area")
        .order_by("-created_at")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "intake/my_reports.html", {"page": page, "reports": list(page.object_list)})


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


def _reason_line(reason: dict, *, english: bool) -> dict:
    """A routing reason in the page's language; the article is shown once, as a citation."""
    article = reason.get("article", "")
    text = ((reason.get("description_en") if english else None) or reason.get("description_vi", "")).strip()
    if article and text.startswith(f"{article}:"):
        text = text[len(article) + 1 :].strip()
    return {"article": article, "description": text}


def _detail(
    request, report: Report, *, reveal_form=None, revealed: bool = False, contact=None, status: int = 200
) -> HttpResponse:
    user = request.user
    english = (get_language() or "vi").startswith("en")
    deliveries = list(report.deliveries.select_related("organisation", "acknowledged_by").order_by("pk"))
    for d in deliveries:
        d.reason_lines = [_reason_line(r, english=english) for r in d.reasons]
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
