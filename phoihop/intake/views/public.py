"""Public pages: the report forms (public and signed-in), the receipt shown once, tracking by code and secret.

Views stay thin: forms shape the input, services write (always with AuditContext.from_request).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from phoihop.audit.services import AuditContext, client_ip
from phoihop.routing.engine import Router, RoutingInput
from phoihop.taxonomy.selectors import sectors_with_behaviours

from .. import held
from ..choices import Channel, PublicStatus, ReportStatus
from ..forms import (
    FollowUpForm,
    ReportChoices,
    ReportForm,
    TrackForm,
    behaviour_choices,
)
from ..forms.indicators import indicator_formset_prefilled
from ..permissions import Action, can
from ..services import (
    CONSENT_VERSION,
    MAX_FILES,
    REFERENCE_ALPHABET,
    IntakeContext,
    ReportInvalid,
    Submitted,
    reference_new,
    report_follow_up,
    report_prepare,
    report_submit,
    report_track,
)
from ..uploads import UploadRejected, check_upload
from .ratelimit import rate_limit_wait, too_many

logger = logging.getLogger(__name__)

RECEIPT_SESSION_KEY = "intake:receipt"
# The receipt stays in the reporter's own session this long, so a reload or a phone restoring its tabs shows it
# again; after that only the tracking page (code and secret) remains. It is never in a URL or a log.
RECEIPT_KEPT = dt.timedelta(hours=24)


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
        form = ReportForm(signed_in=signed_in, choices=choices)
        form.indicators = indicator_formset_prefilled(request.GET) or form.indicators  # e.g. from the look-up
        return _render_form(request, form)
    form = ReportForm(request.POST, request.FILES, signed_in=signed_in, choices=choices)
    if form.is_robot:
        return _pretend_accepted(request, form)
    kept = _kept_files(request, form)
    if not signed_in:
        # Every attempt counted against a generous bound before the body was read (phoihop.site.limits);
        # only an accepted report counts against the budget of reports (a citizen correcting a mistake is
        # not blocked by their own failed attempts).
        wait = rate_limit_wait(request, "public_report", count=False)
        if wait:
            # The form comes back with what the citizen wrote and the files they chose, and says when they
            # can send it.
            form.is_valid()
            form.add_error(
                None,
                _(
                    "This connection has sent many reports in the last hour. Your text is kept below: send it again "
                    "in %(minutes)d minutes, or call the police hotline 113 if it is urgent."
                )
                % {"minutes": max(wait // 60, 1)},
            )
            response = _render_form(request, form, kept=_hold_new_files(request, form, kept))
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
    if form.is_valid() and not form.has_errors:
        with _with_kept(form, kept) as data:
            try:
                submitted = report_submit(
                    data=data,
                    channel=Channel.SIGNED_IN if signed_in else Channel.WEB,
                    ctx=AuditContext.from_request(request),
                )
            except ReportInvalid as exc:
                form.add_service_errors(exc.errors)
                submitted = None
        if submitted is not None:
            held.release(kept)  # stored as evidence now: nothing stays in the temporary area
            if not signed_in:
                rate_limit_wait(request, "public_report")  # counts the accepted report
            return _accepted(request, submitted)
    else:
        # The form found problems of shape; ask the service about the rest, so that the page lists every
        # problem at once instead of one round at a time. report_prepare writes nothing.
        with _with_kept(form, kept) as data:
            try:
                report_prepare(data=data, ictx=IntakeContext())
            except ReportInvalid as exc:
                form.add_service_errors(exc.errors)
    return _render_form(request, form, kept=_hold_new_files(request, form, kept))


# --- Files kept across a redisplay (intake.held) ------------------------------------------------------------


def _kept_files(request, form: ReportForm) -> list[held.HeldFile]:
    """The files kept from the previous attempt (the signed token), less those the citizen ticked "remove"."""
    try:
        kept, gone = held.read_token(request, str(request.POST.get("held_token", "")))
    except held.HeldRefused as exc:
        form.add_error("files", str(exc))
        return []
    if gone:
        form.add_error(
            "files",
            _("These files were kept too long and removed: please choose them again: %(names)s.")
            % {"names": ", ".join(f.name for f in gone)},
        )
    removed = set(request.POST.getlist("held_remove"))
    held.release([f for f in kept if f.id in removed])
    return [f for f in kept if f.id not in removed]


@contextlib.contextmanager
def _with_kept(form: ReportForm, kept: list[held.HeldFile]):
    """The report input with the kept files opened after the newly chosen ones; they are closed afterwards."""
    data = form.report_input()
    opened = [f.as_upload() for f in kept]
    data.files = [*data.files, *opened]
    try:
        yield data
    finally:
        for upload in opened:
            upload.close()


def _hold_new_files(request, form: ReportForm, kept: list[held.HeldFile]) -> list[held.HeldFile]:
    """Keep the newly chosen files that pass the content check, so the redisplayed form still has them.

    A file that fails the check is not kept (its reason is on the page); a file already kept is not kept
    twice; no more than MAX_FILES are kept in all."""
    kept = list(kept)
    digests = {f.sha256 for f in kept}
    for upload in request.FILES.getlist("files"):
        if len(kept) >= MAX_FILES:
            break
        try:
            checked = check_upload(upload)
        except UploadRejected as exc:
            if str(exc) not in form.errors.get("files", []):
                form.add_error("files", str(exc))
            continue
        if checked.sha256 in digests:
            continue
        kept.append(held.hold(request, checked))
        digests.add(checked.sha256)
    return kept


def _render_form(request, form: ReportForm, *, kept: list[held.HeldFile] | None = None) -> HttpResponse:
    kept = kept or []
    return render(
        request,
        "intake/report_form.html",
        {
            "form": form,
            "kept_files": kept,
            "kept_token": held.token_for(request, kept),
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
        files=list(report.evidence.order_by("pk").values_list("original_name", "size")),
        can_view=request.user.is_authenticated and can(request.user, Action.VIEW, report),
    )
    return redirect("intake:receipt")


def _pretend_accepted(request, form: ReportForm) -> HttpResponse:
    """The honeypot was filled: answer exactly as for a real report, and save nothing."""
    logger.info("intake: honeypot filled from %s, nothing saved", client_ip(request))
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    behaviour = data.get("behaviour")
    recipients = Router().route(RoutingInput(behaviour=behaviour.code if behaviour else None, area=data.get("area")))
    _keep_receipt(
        request,
        reference=reference_new(),
        secret=_decoy_secret(),
        received_at=timezone.now(),
        recipients=[(r.organisation.name, ", ".join(r.articles)) for r in recipients],
        files=[(f.name, f.size) for f in request.FILES.getlist("files")],
    )
    return redirect("intake:receipt")


def _decoy_secret() -> str:
    """Looks like a real secret, so a bot cannot tell its report was dropped."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(12))


def _keep_receipt(
    request,
    *,
    reference: str,
    secret: str | None,
    received_at: dt.datetime,
    recipients,
    files=(),
    can_view: bool = False,
) -> None:
    # Post/redirect/get, so reloading the receipt cannot send the report twice. The receipt waits in the
    # reporter's own session for RECEIPT_KEPT: a reload shows it again, another browser never does.
    request.session[RECEIPT_SESSION_KEY] = {
        "kept_until": (timezone.now() + RECEIPT_KEPT).isoformat(),
        "reference": reference,
        "secret": secret,
        "received_at": received_at.isoformat(),
        "recipients": [list(r) for r in recipients],
        "files": [list(f) for f in files],
        "can_view": can_view,
    }


def _kept_receipt(request) -> dict | None:
    """The receipt waiting in this browser's session, or None (never made here, or kept past RECEIPT_KEPT)."""
    data = request.session.get(RECEIPT_SESSION_KEY)
    if not data:
        return None
    if dt.datetime.fromisoformat(data.get("kept_until", "2000-01-01T00:00:00+00:00")) < timezone.now():
        del request.session[RECEIPT_SESSION_KEY]
        return None
    return data


@never_cache
@require_GET
def receipt(request):
    """The tracking code and the secret, shown again on reload in the same browser for RECEIPT_KEPT."""
    data = _kept_receipt(request)
    if not data:
        messages.info(
            request, _("The receipt is no longer shown here. Use your tracking code and secret to follow your report.")
        )
        return redirect("intake:track")
    track_url = request.build_absolute_uri(reverse("intake:track"))
    return render(
        request,
        "intake/receipt.html",
        {
            "reference": data["reference"],
            "secret": data["secret"],
            "received_at": dt.datetime.fromisoformat(data["received_at"]),
            "recipients": [{"name": name, "articles": articles} for name, articles in data["recipients"]],
            "files": [{"name": name, "size": size} for name, size in data.get("files", [])],
            "status": PublicStatus.RECEIVED,
            "can_view": data.get("can_view", False),
            "sms_text": _receipt_short_text(data, track_url),
        },
    )


def _receipt_short_text(data: dict, track_url: str) -> str:
    """The receipt in one SMS-sized text, to copy into a message to oneself or a note."""
    text = _("Report %(code)s") % {"code": data["reference"]}
    if data.get("secret"):
        text += ", " + _("secret %(secret)s") % {"secret": data["secret"]}
    return text + ". " + _("Follow it at %(url)s") % {"url": track_url}


@never_cache
@require_GET
def receipt_download(request):
    """The receipt as a text file to keep (same session, same lifetime as the page)."""
    data = _kept_receipt(request)
    if not data:
        return redirect("intake:receipt")
    received = timezone.localtime(dt.datetime.fromisoformat(data["received_at"]))
    lines = [
        _("Report received"),
        "",
        f"{_('Tracking code')}: {data['reference']}",
        *([f"{_('Secret')}: {data['secret']}"] if data.get("secret") else []),
        f"{_('Received')}: {received:%d/%m/%Y %H:%M}",
        f"{_('Track a report')}: {request.build_absolute_uri(reverse('intake:track'))}",
        "",
        _("Sent to:"),
        *[f"- {name} ({articles})" for name, articles in data["recipients"]],
        *(["", _("Files attached:"), *[f"- {name}" for name, _size in data["files"]]] if data.get("files") else []),
        "",
        _("Keep this file private: with the code and the secret anyone can read the status of your report."),
    ]
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{data["reference"]}.txt"'
    return response


# --- Tracking: the public's view of its own report -----------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    """Status by tracking code and secret (POSTed, so the secret stays out of URLs and logs)."""
    form = TrackForm(request.POST or None)
    follow_up = FollowUpForm()
    report = None
    if request.method == "POST":
        wait = rate_limit_wait(request, "track")
        if wait:
            return too_many(request, wait)
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
