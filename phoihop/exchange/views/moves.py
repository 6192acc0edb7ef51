"""The moves of a request and of one recipient's handling, the council (Đ5.6) and hand-overs (Đ17.2): each a
POST that goes through the service; refused, the page is shown again with the reason beside the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phoihop.core.errors import DomainError

from ..forms.request import CouncilAdoptForm, CouncilForm, CouncilMemberForm, CouncilSessionForm, HandoverForm
from ..models import Council
from ..services import (
    council_adopt,
    council_form,
    council_member_add,
    council_session_record,
    handover_record,
    recipient_move,
    request_move,
)
from ..workflow import RECIPIENT_WORKFLOW, REQUEST_WORKFLOW
from .common import ctx_of, recipient_or_404, request_or_404
from .pages import detail_context


def _again(http_request, req, status: int, message: str = "", **kwargs):
    context = detail_context(http_request, req, **kwargs)
    context["refusal"] = message
    return render(http_request, "exchange/detail.html", context, status=status)


def _done(http_request, req, text: str):
    messages.success(http_request, text)
    return redirect("exchange:detail", reference=req.reference)


@login_required
@require_POST
def request_move_view(request, reference: str, name: str):
    req = request_or_404(request.user, reference)
    spec = REQUEST_WORKFLOW.moves.get(name)
    if spec is None:
        raise Http404
    form = spec.form(obj=req, user=request.user, data=request.POST)
    refusal = spec.refusal(request.user, req)
    if refusal is not None:
        return _again(request, req, refusal.status_code, str(refusal.message))
    if not form.is_valid():
        return _again(request, req, 400, bound=form)
    try:
        req = request_move(request=req, move=name, ctx=ctx_of(request), **form.params())
    except DomainError as exc:
        form.add_domain_error(exc)
        return _again(request, req, exc.status_code, str(exc.message), bound=form)
    return _done(request, req, _("Done: %(move)s.") % {"move": spec.label})


@login_required
@require_POST
def recipient_move_view(request, reference: str, recipient_id: int, name: str):
    req = request_or_404(request.user, reference)
    row = recipient_or_404(request.user, req, recipient_id)
    spec = RECIPIENT_WORKFLOW.moves.get(name)
    if spec is None:
        raise Http404
    form = spec.form(obj=row, user=request.user, data=request.POST, files=request.FILES, prefix=f"r{row.pk}-{name}")
    refusal = spec.refusal(request.user, row)
    if refusal is not None:
        return _again(request, req, refusal.status_code, str(refusal.message))
    if not form.is_valid():
        return _again(request, req, 400, bound=form)
    try:
        recipient_move(recipient=row, move=name, ctx=ctx_of(request), **form.params())
    except DomainError as exc:
        form.add_domain_error(exc)
        return _again(request, req, exc.status_code, str(exc.message), bound=form)
    return _done(request, req, _("Done: %(move)s.") % {"move": spec.label})


@login_required
@require_POST
def council_view(request, reference: str, recipient_id: int, step: str):
    """Đ5.6: form the council, add a member, record a session, adopt the conclusion."""
    req = request_or_404(request.user, reference)
    row = recipient_or_404(request.user, req, recipient_id)
    ctx = ctx_of(request)
    council = Council.objects.filter(recipient=row).first()
    forms_by_step = {
        "form": ("council", CouncilForm),
        "member": ("member", CouncilMemberForm),
        "session": ("session", CouncilSessionForm),
        "adopt": ("adopt", CouncilAdoptForm),
    }
    if step not in forms_by_step or (step != "form" and council is None):
        raise Http404
    key, form_class = forms_by_step[step]
    prefix = f"council-{step}"
    if step == "adopt":
        form = form_class(request.POST, recipient=row, user=request.user, prefix=prefix)
    else:
        form = form_class(request.POST, prefix=prefix)
    form.recipient_id = row.pk
    if not form.is_valid():
        return _again(request, req, 400, council_forms={key: form})
    try:
        if step == "form":
            council_form(
                recipient=row, decision_ref=form.cleaned_data["decision_ref"], members=[form.to_input()], ctx=ctx
            )
            text = _("The council is formed.")
        elif step == "member":
            council_member_add(council=council, member=form.to_input(), ctx=ctx)
            text = _("The member is added.")
        elif step == "session":
            council_session_record(council=council, ctx=ctx, **form.cleaned_data)
            text = _("The session is recorded.")
        else:
            council_adopt(
                council=council,
                conclusion=form.cleaned_data["conclusion"],
                document=form.cleaned_data["conclusion_document"],
                ctx=ctx,
            )
            text = _("The conclusion is adopted; answer the request with it.")
    except DomainError as exc:
        for name, msgs in exc.errors.items():
            for m in msgs:
                form.add_error(name if name in form.fields else None, m)
        return _again(request, req, exc.status_code, str(exc.message), council_forms={key: form})
    return _done(request, req, text)


@login_required
@require_POST
def handover_view(request, reference: str):
    """Đ3.3, Đ17.2: record a hand-over (biên bản giao nhận)."""
    req = request_or_404(request.user, reference)
    form = HandoverForm(request.POST, request.FILES, request=req, prefix="handover")
    if not form.is_valid():
        return _again(request, req, 400, handover_form=form)
    try:
        handover_record(request=req, ctx=ctx_of(request), **form.params())
    except DomainError as exc:
        for name, msgs in exc.errors.items():
            for m in msgs:
                form.add_error(name if name in form.fields else None, m)
        return _again(request, req, exc.status_code, str(exc.message), handover_form=form)
    return _done(request, req, _("The hand-over is recorded."))
