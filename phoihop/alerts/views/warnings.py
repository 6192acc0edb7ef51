"""Staff pages of public warnings: the list (drafts, the head's approval queue), drafting from a case or from
scratch, correcting a draft, the moves (submit, approve, return, withdraw) and a preview of an image."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.cases.selectors import case_for
from phoihop.core.errors import DomainError

from .. import permissions as perm
from .. import selectors, services
from ..forms import CommentForm, ReasonForm, WarningForm
from ..models import WarningImage
from ..services.indicators import indicators_text
from ..workflow import WARNING_WORKFLOW
from .common import ctx_of, file_response, go, warning_or_404

PAGE_SIZE = 25
MOVE_FIELDS = {"return": "comment", "withdraw": "reason"}


@login_required
@require_GET
def warning_list(request):
    user = request.user
    if user.role not in perm.STAFF_ROLES:
        raise PermissionDenied
    page = Paginator(selectors.warnings_for_staff(user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "warnings": list(page.object_list),
        "awaiting": list(selectors.warnings_awaiting(user)) if user.is_head else [],
        "can_draft": perm.may_draft_warning(user),
    }
    return render(request, "alerts/warning_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def warning_new(request):
    """A new draft; `?case=<number>` pre-fills it from that case (which the user must see)."""
    user = request.user
    if not perm.may_draft_warning(user):
        raise PermissionDenied
    case = None
    reference = request.GET.get("case") or request.POST.get("case") or ""
    if reference:
        case = case_for(user, reference)
        if case is None:
            raise Http404
    initial = selectors.warning_initial_from_case(case) if case else {}
    form = WarningForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                warning = services.warning_create(data=form.to_input(), ctx=ctx_of(request), case=case)
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status_code
            else:
                messages.success(request, _("Draft saved. Submit it for approval when it is ready."))
                return redirect("alerts:warning", pk=warning.pk)
        else:
            status = 400
    return render(request, "alerts/warning_form.html", {"form": form, "case": case}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def warning_edit(request, pk: int):
    warning = warning_or_404(request.user, pk)
    if not perm.can_warning(request.user, perm.Action.EDIT, warning):
        raise PermissionDenied
    initial = {
        "title": warning.title,
        "summary": warning.summary,
        "method": warning.method,
        "protection": warning.protection,
        "indicators": indicators_text(warning.indicators.order_by("kind", "value")),
    }
    form = WarningForm(request.POST or None, request.FILES or None, initial=initial, warning=warning)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.warning_update(warning=warning, data=form.to_input(), ctx=ctx_of(request))
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status_code
            else:
                messages.success(request, _("Changes saved."))
                return redirect("alerts:warning", pk=warning.pk)
        else:
            status = 400
    return render(request, "alerts/warning_form.html", {"form": form, "warning": warning}, status=status)


@login_required
@require_GET
def warning_detail(request, pk: int):
    user = request.user
    warning = warning_or_404(user, pk)
    context = {
        "warning": warning,
        "images": list(warning.images.defer("data")),
        "indicators": list(warning.indicators.order_by("kind", "value")),
        "listed": {listing.indicator_id for listing in selectors.listed_of(warning)},
        "moves": WARNING_WORKFLOW.available(user, warning),
        "can_edit": perm.can_warning(user, perm.Action.EDIT, warning),
        "comment_form": CommentForm(),
        "reason_form": ReasonForm(),
    }
    return render(request, "alerts/warning_detail.html", context)


@login_required
@require_POST
def warning_move(request, pk: int, name: str):
    warning = warning_or_404(request.user, pk)
    if name not in WARNING_WORKFLOW:
        raise Http404
    data = {MOVE_FIELDS[name]: request.POST.get(MOVE_FIELDS[name], "")} if name in MOVE_FIELDS else {}
    try:
        warning = services.warning_move(warning=warning, move=name, ctx=ctx_of(request), **data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if warning.is_public:
            messages.success(request, _("Published: the warning is on the public site."))
        else:
            messages.success(request, _("Done: %(move)s.") % {"move": WARNING_WORKFLOW.get(name).label})
    return go(request, reverse("alerts:warning", args=[warning.pk]))


@login_required
@require_GET
def warning_image(request, pk: int, image: int):
    warning = warning_or_404(request.user, pk)
    stored = get_object_or_404(WarningImage, warning=warning, pk=image)
    return file_response(stored, inline=True)
