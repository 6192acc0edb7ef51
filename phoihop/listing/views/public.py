"""Public pages (no account, phone-friendly, Vietnamese first): the look-up, the appeal form and its tracking.

Nothing here shows personal data: the look-up answers listed / reported / unknown (lookup.py), the appeal
page names the listed value, its category and date only.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import get_usage

from phoihop.audit.services import AuditContext
from phoihop.core.errors import DomainError
from phoihop.indicators.normalise import KIND_LABELS, bank_choices

from ..choices import ListingStatus
from ..forms import AppealForm, LookupForm
from ..lookup import HINT, lookup
from ..models import Listing
from ..services import appeal_submit, appeal_track

APPEAL_RATE_SCOPE = "public_report"  # the public form's budget of accepted submissions per address


def _rate_wait(request, *, count: bool) -> int | None:
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][APPEAL_RATE_SCOPE]
    usage = get_usage(request, group="listing:appeal", key="ip", rate=rate, increment=count)
    if usage and usage["count"] >= usage["limit"] + (1 if count else 0):
        return max(usage["time_left"], 1)
    return None


@require_GET
def lookup_page(request):
    """Đ9: "Số này / trang này có lừa đảo không?" — anyone looks a value up; the answer never names anyone."""
    form = LookupForm(request.GET or None)
    answer = hint = None
    if form.is_bound and form.is_valid():
        answer = lookup(form.cleaned_data["q"], form.cleaned_data.get("bank"))
        if answer is None:
            hint = HINT
    elif form.is_bound:
        hint = HINT
    context = {
        "form": form,
        "answer": answer,
        "hint": hint,
        "kind_label": KIND_LABELS.get(answer.kind, "") if answer else "",  # type: ignore[call-overload]
        "banks": bank_choices(),
    }
    return render(request, "listing/lookup.html", context)


def _listed(reference: str) -> Listing:
    listing = (
        Listing.objects.select_related("indicator", "category")
        .filter(reference=reference.upper(), status=ListingStatus.LISTED)
        .first()
    )
    if listing is None:
        raise Http404
    return listing


@never_cache
@require_http_methods(["GET", "POST"])
def appeal(request, reference: str):
    """The owner of a listed value asks for it to be delisted (contact, explanation, proof)."""
    listing = _listed(reference)
    if request.method != "POST":
        return render(request, "listing/appeal.html", {"listing": listing, "form": AppealForm()})
    wait = _rate_wait(request, count=False)
    if wait:
        response = render(request, "listing/appeal.html", {"listing": listing, "form": AppealForm(), "wait": wait})
        response.status_code = 429
        response["Retry-After"] = str(wait)
        return response
    form = AppealForm(request.POST, request.FILES)
    form.service_fields = {"contact": "email"}
    if form.is_valid():
        data = form.cleaned_data
        try:
            submitted = appeal_submit(
                listing=listing,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                explanation=data["explanation"],
                proof=data.get("proof"),
                ctx=AuditContext.from_request(request),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            _rate_wait(request, count=True)
            request.session["listing:appeal_new"] = submitted.appeal.reference
            return redirect(submitted.track_path)
    return render(request, "listing/appeal.html", {"listing": listing, "form": form}, status=400)


@never_cache
@require_GET
def appeal_status(request, reference: str, secret: str):
    """The appellant's tracking page: the link is the secret (shown once, sent by e-mail)."""
    found = appeal_track(reference=reference, secret=secret)
    if found is None:
        raise Http404
    new = request.session.pop("listing:appeal_new", None) == found.reference
    response = render(request, "listing/appeal_status.html", {"appeal": found, "new": new})
    response["Referrer-Policy"] = "no-referrer"  # the secret is in the address
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def appeal_lookup(request) -> HttpResponse:
    """Open an appeal from its code and the tracking link (or its secret) pasted in."""
    error = ""
    if request.method == "POST":
        code = (request.POST.get("reference") or "").strip()
        secret = (request.POST.get("secret") or "").strip().rstrip("/").rsplit("/", 1)[-1]
        if appeal_track(reference=code, secret=secret) is not None:
            return redirect("listing:appeal_status", reference=code.upper(), secret=secret)
        error = "not_found"
    return render(request, "listing/appeal_lookup.html", {"error": error}, status=404 if error else 200)
