"""The focal points' queues, a new request, a request's page and its files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from phoihop.audit.models import AuditEvent
from phoihop.core.errors import DomainError

from .. import permissions as perm
from ..choices import DEFAULT_ARTICLE, RequestKind
from ..files import open_attachment
from ..forms.request import (
    CouncilAdoptForm,
    CouncilForm,
    CouncilMemberForm,
    CouncilSessionForm,
    HandoverForm,
    RequestForm,
)
from ..models import Council
from ..replies import reply_verdict
from ..selectors import answers_of, awaiting_answers, to_answer
from ..services import request_create
from ..workflow import RECIPIENT_WORKFLOW, REQUEST_WORKFLOW
from .common import audit_view, ctx_of, request_or_404

TIMELINE_LIMIT = 200


@login_required
@require_GET
def inbox(request):
    """Đ3.3: 'requests to answer' and 'requests awaiting answers', the soonest due first, overdue flagged."""
    user = request.user
    return render(
        request,
        "exchange/inbox.html",
        {
            "to_answer": list(to_answer(user)[:200]),
            "awaiting": list(awaiting_answers(user)[:200]),
            "may_draft": perm.may_draft(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request):
    """Draft a request (and send it at once with the "Send" button)."""
    user = request.user
    if not perm.may_draft(user):
        raise PermissionDenied
    if request.method == "GET":
        kind = request.GET.get("kind") if request.GET.get("kind") in RequestKind.values else RequestKind.INFORMATION
        initial = {"kind": kind, "article": DEFAULT_ARTICLE[RequestKind(kind)], "case": request.GET.get("case", "")}
        form = RequestForm(user=user, initial=initial)
        return render(request, "exchange/new.html", {"form": form})
    form = RequestForm(request.POST, request.FILES, user=user)
    if form.is_valid():
        try:
            created = request_create(data=form.to_input(), ctx=ctx_of(request), send="send" in request.POST)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            done = _("The request was sent.") if created.status != "draft" else _("The draft was saved.")
            messages.success(request, f"{done} {created.reference}")
            return redirect("exchange:detail", reference=created.reference)
    return render(request, "exchange/new.html", {"form": form}, status=400)


def _timeline(req) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type="exchange.request", object_id=str(req.pk))
        .exclude(action="request.view")
        .select_related("actor__organisation")
        .order_by("-seq")[:TIMELINE_LIMIT]
    )


def _recipient_moves(user, row, bound=None) -> list:
    out = []
    for move in RECIPIENT_WORKFLOW.available(user, row):
        if move.name == "answer" and row.request.kind == RequestKind.ASSESSMENT:
            council = Council.objects.filter(recipient=row).first()
            if council is None or council.adopted_at is None:
                continue  # Đ5.6: the council's conclusion first (the council section says so)
        form = bound if bound is not None and bound.move is move and bound.obj.pk == row.pk else None
        out.append((move, form or move.form(obj=row, user=user, prefix=f"r{row.pk}-{move.name}")))
    return out


def detail_context(http_request, req, *, bound=None, council_forms=None, handover_form=None) -> dict:
    user = http_request.user
    rows = list(perm.recipients_for(user, req))
    for row in rows:
        row.request = req
        row.moves = _recipient_moves(user, row, bound)
        row.answer_list = answers_of(row)
        row.council_obj = Council.objects.filter(recipient=row).prefetch_related("members", "sessions").first()
        row.may_council = perm.may_form_council(user, row)
        adopt = (council_forms or {}).get("adopt")
        if adopt is not None and getattr(adopt, "recipient_id", None) == row.pk:
            row.adopt_form = adopt
        elif row.may_council and req.kind == RequestKind.ASSESSMENT:
            row.adopt_form = CouncilAdoptForm(recipient=row, user=user, prefix="council-adopt")
        for answer in row.answer_list:
            answer.verdict_label = reply_verdict(answer.reply_document, req.sender_id)
        if row.council_obj is not None and row.council_obj.conclusion_document_id:
            doc = row.council_obj.conclusion_document
            row.council_obj.verdict_label = reply_verdict(doc, req.sender_id)
    request_moves = [
        (m, bound if bound is not None and bound.move is m else m.form(obj=req, user=user))
        for m in REQUEST_WORKFLOW.available(user, req)
    ]
    forms = council_forms or {}
    return {
        "req": req,
        "recipients": rows,
        "is_sender": perm.is_sender_side(user, req),
        "request_moves": request_moves,
        "files": list(perm.attachments_for(user, req).filter(answer__isnull=True, purpose="request")),
        "handovers": list(
            req.handovers.select_related("from_organisation", "to_organisation").prefetch_related("items")
        ),
        "handover_form": handover_form
        or (HandoverForm(request=req, prefix="handover") if perm.may_record_handover(user, req) else None),
        "council_form": forms.get("council") or CouncilForm(prefix="council-form"),
        "member_form": forms.get("member") or CouncilMemberForm(prefix="council-member"),
        "session_form": forms.get("session") or CouncilSessionForm(prefix="council-session"),
        "timeline": _timeline(req),
        "restricted": perm.is_restricted(req),
    }


@login_required
@require_GET
def request_detail(request, reference: str):
    req = request_or_404(request.user, reference)
    audit_view(request, req)
    return render(request, "exchange/detail.html", detail_context(request, req))


@login_required
@require_GET
def attachment_download(request, reference: str, file_id: int):
    """A file of the request, only to those who may see it (an answer's file: its sender and its recipient)."""
    req = request_or_404(request.user, reference)
    attachment = perm.attachments_for(request.user, req).filter(pk=file_id).first()
    if attachment is None:
        raise Http404
    audit_view(request, req)
    try:
        handle = open_attachment(attachment)
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
