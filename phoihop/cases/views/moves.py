"""One workflow move: its form on a page of its own (GET) and the move itself (POST). The move object
(workflow.py) says whether the user may make it now, shapes the input with its form and makes it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from phoihop.core.errors import DomainError

from .. import services
from ..models import Case
from ..workflow import CASE_WORKFLOW
from .common import _audit_view, _case_or_404, _ctx, _go


def _move_page(request, case: Case, form, *, refusal: DomainError | None = None, status: int = 200):
    context = {"case": case, "move": form.move, "form": form, "refusal": refusal}
    if request.htmx and request.method == "POST":
        return render(request, "cases/partials/move_form.html", context)
    return render(request, "cases/move.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def move(request, reference: str, name: str):
    """One workflow move: its form (GET, a page of its own) and the move itself (POST → case_transition)."""
    user = request.user
    case = _case_or_404(user, reference)
    spec = CASE_WORKFLOW.moves.get(name)
    if spec is None:
        raise Http404
    refusal = spec.refusal(user, case)
    if request.method == "GET":
        _audit_view(request, case)
        form = spec.form(obj=case, user=user)
        return _move_page(request, case, form, refusal=refusal, status=refusal.status_code if refusal else 200)
    form = spec.form(obj=case, user=user, data=request.POST)
    if refusal is not None:
        return _move_page(request, case, form, refusal=refusal, status=refusal.status_code)
    if not form.is_valid():
        return _move_page(request, case, form, status=400)
    try:
        case = services.case_transition(case=case, move=name, ctx=_ctx(request), **form.params())
    except DomainError as exc:
        form.add_domain_error(exc)
        return _move_page(request, case, form, status=exc.status_code)
    messages.success(
        request,
        _("Done: %(move)s. The case is now “%(status)s”.") % {"move": spec.label, "status": case.get_status_display()},
    )
    return _go(request, reverse("cases:detail", args=[case.reference]))
