"""Pages of advisories: the inbox of those to acknowledge, the sent list with who acknowledged, drafting,
one advisory (a view of a restricted one is recorded), acknowledging, sending and withdrawing."""

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

from phoihop.core.errors import DomainError

from .. import permissions as perm
from .. import selectors, services
from ..forms import AdvisoryForm, ReasonForm
from ..models import AdvisoryFile
from ..workflow import ADVISORY_WORKFLOW
from .common import advisory_or_404, ctx_of, file_response, go

PAGE_SIZE = 25


@login_required
@require_GET
def advisory_inbox(request):
    """Advisories sent to the user's organisation: those to acknowledge first."""
    page = Paginator(selectors.advisories_received(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "alerts/advisory_inbox.html",
        {"page": page, "advisories": list(page.object_list), "can_issue": perm.may_issue(request.user), "tab": "inbox"},
    )


@login_required
@require_GET
def advisory_sent(request):
    """The advisories of the user's organisation with how many recipients acknowledged."""
    page = Paginator(selectors.advisories_sent(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "alerts/advisory_sent.html",
        {"page": page, "advisories": list(page.object_list), "can_issue": perm.may_issue(request.user), "tab": "sent"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def advisory_new(request):
    if not perm.may_issue(request.user):
        raise PermissionDenied
    form = AdvisoryForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                send = bool(request.POST.get("send"))
                advisory = services.advisory_create(data=form.to_input(), ctx=ctx_of(request), send=send)
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status_code
            else:
                if advisory.status == "sent":
                    messages.success(request, _("Advisory %(ref)s sent.") % {"ref": advisory.reference})
                else:
                    messages.success(request, _("Draft %(ref)s saved.") % {"ref": advisory.reference})
                return redirect("alerts:advisory", reference=advisory.reference)
        else:
            status = 400
    return render(request, "alerts/advisory_new.html", {"form": form}, status=status)


@login_required
@require_GET
def advisory_detail(request, reference: str):
    user = request.user
    advisory = advisory_or_404(user, reference)
    services.advisory_record_view(advisory=advisory, ctx=ctx_of(request), via="web")
    own = perm.can_advisory(user, perm.Action.TRACK, advisory)
    recipients = list(selectors.advisory_recipients(advisory)) if own else []
    context = {
        "advisory": advisory,
        "own": own,
        "recipients": recipients,
        "acknowledged": sum(1 for r in recipients if r.acknowledged_at),
        "mine": selectors.my_recipient_row(user, advisory),
        "can_acknowledge": perm.can_advisory(user, perm.Action.ACKNOWLEDGE, advisory),
        "moves": ADVISORY_WORKFLOW.available(user, advisory),
        "files": list(advisory.files.defer("data")),
        "reason_form": ReasonForm(),
    }
    return render(request, "alerts/advisory_detail.html", context)


@login_required
@require_POST
def advisory_acknowledge(request, reference: str):
    advisory = advisory_or_404(request.user, reference)
    try:
        services.advisory_acknowledge(advisory=advisory, ctx=ctx_of(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Acknowledged. The sender sees that your organisation received it."))
    return go(request, advisory_url(advisory))


@login_required
@require_POST
def advisory_move(request, reference: str, name: str):
    advisory = advisory_or_404(request.user, reference)
    if name not in ADVISORY_WORKFLOW:
        raise Http404
    data = {"reason": request.POST.get("reason", "")}
    try:
        services.advisory_move(advisory=advisory, move=name, ctx=ctx_of(request), **data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done: %(move)s.") % {"move": ADVISORY_WORKFLOW.get(name).label})
    return go(request, advisory_url(advisory))


@login_required
@require_GET
def advisory_file(request, reference: str, pk: int):
    advisory = advisory_or_404(request.user, reference)
    stored = get_object_or_404(AdvisoryFile, advisory=advisory, pk=pk)
    services.advisory_record_view(advisory=advisory, ctx=ctx_of(request), via="file")
    return file_response(stored, inline=False)


def advisory_url(advisory) -> str:
    return reverse("alerts:advisory", args=[advisory.reference])
