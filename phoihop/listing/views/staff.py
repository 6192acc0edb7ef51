"""Staff pages: the proposals queue of the deciders, a listing with its history, proposing from a case, the
appeals queue and decisions. Every object comes through its permission scope (out of scope: 404); every
write goes through a service with the request's AuditContext."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import AuditContext
from phoihop.cases.permissions import visible_cases
from phoihop.core.errors import DomainError
from phoihop.core.permissions import scope

from ..choices import AppealStatus, ListingStatus
from ..forms import DecideAppealForm, ProposeForm
from ..models import Appeal, AppealProof, Listing
from ..permissions import may_decide, may_propose
from ..selectors import listing_history
from ..services import appeal_decide, listing_move, listing_propose
from ..services.listings import case_indicators
from ..workflow import LISTING_WORKFLOW


def _listing(request, reference: str) -> Listing:
    qs = scope(request.user, Listing.objects.select_related("indicator", "category", "case", "proposed_by"))
    return get_object_or_404(qs, reference=reference.upper())


@login_required
@require_GET
def queue(request):
    """Proposals waiting for a decision, listings coming up for review, and what the user's cases proposed."""
    visible = scope(request.user, Listing.objects.select_related("indicator", "category", "case", "proposed_by"))
    proposals = list(visible.filter(status=ListingStatus.PROPOSED).order_by("created_at")[:200])
    review = list(visible.filter(status=ListingStatus.LISTED).order_by("review_on")[:50])
    recent = list(visible.exclude(status=ListingStatus.PROPOSED).order_by("-updated_at")[:50])
    context = {
        "proposals": proposals,
        "review": review,
        "recent": recent,
        "decider": may_decide(request.user),
        "open_appeals": scope(request.user, Appeal).filter(status=AppealStatus.OPEN).count(),
    }
    return render(request, "listing/queue.html", context)


@login_required
@require_GET
def detail(request, reference: str):
    listing = _listing(request, reference)
    moves = LISTING_WORKFLOW.available(request.user, listing)
    forms = [(m, m.form(obj=listing, user=request.user)) for m in moves]
    events = AuditEvent.objects.filter(object_type="listing.listing", object_id=str(listing.pk)).order_by("seq")
    context = {
        "listing": listing,
        "moves": forms,
        "history": listing_history(listing.indicator).filter(pk__in=scope(request.user, Listing).values("pk")),
        "events": events,
        "appeals": scope(request.user, Appeal).filter(listing=listing),
    }
    return render(request, "listing/detail.html", context)


@login_required
@require_POST
def move(request, reference: str, name: str):
    listing = _listing(request, reference)
    spec = LISTING_WORKFLOW.moves.get(name)
    if spec is None:
        raise Http404
    form = spec.form(obj=listing, user=request.user, data=request.POST)
    if form.is_valid():
        try:
            listing_move(listing=listing, move=name, ctx=AuditContext.from_request(request), **form.params())
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Done: %(move)s.") % {"move": spec.label})
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("listing:detail", reference=listing.reference)


@login_required
@require_http_methods(["GET", "POST"])
def propose(request, case_reference: str):
    """Đ4.1, Đ9: an officer of the case's lead proposes one of the case's values for listing."""
    case = get_object_or_404(visible_cases(request.user), reference=case_reference.upper())
    if not may_propose(request.user, case):
        raise PermissionDenied
    indicators = list(case_indicators(case))
    initial = {"indicator": request.GET.get("indicator", "")}
    form = ProposeForm(request.POST or None, indicators=indicators, initial=initial)
    form.service_fields = {}
    if request.method == "POST" and form.is_valid():
        try:
            listing = listing_propose(
                case=case,
                indicator=form.indicators.get(form.cleaned_data["indicator"]),
                category=form.cleaned_data["category"],
                reason=form.cleaned_data["reason"],
                ctx=AuditContext.from_request(request),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Proposed for listing: %(ref)s.") % {"ref": listing.reference})
            return redirect("listing:detail", reference=listing.reference)
    status = 400 if request.method == "POST" else 200
    return render(request, "listing/propose.html", {"case": case, "form": form}, status=status)


@login_required
@require_GET
def appeals(request):
    if not may_decide(request.user):
        raise PermissionDenied
    qs = scope(request.user, Appeal.objects.select_related("listing__indicator", "listing__category"))
    context = {
        "open": list(qs.filter(status=AppealStatus.OPEN).order_by("created_at")[:200]),
        "decided": list(qs.exclude(status=AppealStatus.OPEN).order_by("-decided_at")[:50]),
    }
    return render(request, "listing/appeals.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def appeal_detail(request, reference: str):
    found = get_object_or_404(
        scope(request.user, Appeal.objects.select_related("listing__indicator", "listing__category", "listing__case")),
        reference=reference.upper(),
    )
    form = DecideAppealForm(request.POST or None)
    if request.method == "POST" and found.status == AppealStatus.OPEN and form.is_valid():
        try:
            appeal_decide(
                appeal=found,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                ctx=AuditContext.from_request(request),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The appeal was decided; the appellant is told."))
            return redirect("listing:appeal_detail", reference=found.reference)
    status = 400 if request.method == "POST" else 200
    return render(request, "listing/appeal_detail.html", {"appeal": found, "form": form}, status=status)


@login_required
@require_GET
def appeal_proof(request, reference: str, pk: int) -> HttpResponse:
    found = get_object_or_404(scope(request.user, Appeal), reference=reference.upper())
    proof = get_object_or_404(AppealProof, appeal=found, pk=pk)
    response = HttpResponse(bytes(proof.content), content_type=proof.content_type)
    response["Content-Disposition"] = f'attachment; filename="proof-{found.reference}-{proof.pk}"'
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
