"""A document's page (its Decree-30 fields, recipients and arrival numbers, the verification of its signature,
the moves the user may make) and its files: the signed PDF (a draft's preview) and the DOCX for editing."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from phoihop.core.errors import DomainError

from .. import permissions as perm
from ..choices import DocumentStatus as S
from ..choices import Verdict
from ..forms import ReturnForm
from ..services import document_return, document_send, document_sign, document_submit
from ..sheets import sheet_for
from ..workflow import DOCUMENT_WORKFLOW
from .common import audit_view, ctx_of, document_or_404

VERDICT_TONE = {Verdict.VALID: "green", Verdict.UNTRUSTED: "amber", Verdict.MODIFIED: "red", Verdict.UNSIGNED: "grey"}


def _page(request, doc, *, return_form=None, status=200):
    user = request.user
    moves = DOCUMENT_WORKFLOW.available(user, doc)
    recipients = list(doc.recipients.select_related("organisation", "registered_by"))
    mine = next((r for r in recipients if r.organisation_id == user.organisation_id), None)
    context = {
        "doc": doc,
        "moves": [m for m in moves if m.name != "return"],
        "can_return": any(m.name == "return" for m in moves),
        "return_form": return_form or ReturnForm(),
        "recipients": recipients,
        "mine": mine,
        "can_edit": doc.status in (S.DRAFT, S.RETURNED) and perm.can(user, perm.Action.EDIT, doc),
        "verdict_tone": VERDICT_TONE.get(doc.verdict, "grey"),
        "verification": doc.verification or {},
        "restricted": perm.is_restricted(doc),
    }
    return render(request, "documents/detail.html", context, status=status)


@login_required
@require_GET
def document_detail(request, pk: int):
    doc = document_or_404(request.user, pk)
    audit_view(request, doc)
    return _page(request, doc)


MOVES = {"submit": document_submit, "sign": document_sign, "send": document_send}


@login_required
@require_POST
def document_move(request, pk: int, name: str):
    doc = document_or_404(request.user, pk)
    ctx = ctx_of(request)
    try:
        if name == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                return _page(request, doc, return_form=form, status=400)
            doc = document_return(ctx=ctx, document=doc, comment=form.cleaned_data["comment"])
        elif name in MOVES:
            doc = MOVES[name](ctx=ctx, document=doc)
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("documents:detail", pk=doc.pk)
    done = {
        "submit": _("Submitted to the head for signature."),
        "return": _("Returned to the drafter with your comments."),
        "sign": _("Signed as %(reference)s.") % {"reference": doc.reference},
        "send": _("Sent: it is in each recipient's incoming register."),
    }
    messages.success(request, done[name])
    if name == "sign" and request.POST.get("next") == "queue":
        return redirect("documents:queue")
    return redirect("documents:detail", pk=doc.pk)


def _filename(doc, ext: str) -> str:
    base = doc.reference or f"du-thao-{doc.pk}"
    return re.sub(r"[^A-Za-z0-9._-]+", "-", base.replace("/", "_")).strip("-") + f".{ext}"


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def document_pdf(request, pk: int):
    """The signed PDF (or the registered scan); for a draft, its preview marked DỰ THẢO (never signed)."""
    from ..render.pdf import render_pdf  # loaded on first use: the web processes stay small

    doc = document_or_404(request.user, pk)
    audit_view(request, doc, what="pdf")
    body = bytes(doc.pdf) if doc.has_pdf else render_pdf(sheet_for(doc)).pdf
    return _download(body, "application/pdf", _filename(doc, "pdf"))


@login_required
@require_GET
def document_docx(request, pk: int):
    """The document as a Word file, for editing (a paper document registered by hand has none)."""
    from ..render.docx import render_docx  # loaded on first use: the web processes stay small

    doc = document_or_404(request.user, pk)
    if doc.organisation_id is None or doc.origin != "electronic":
        raise Http404
    audit_view(request, doc, what="docx")
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _download(render_docx(sheet_for(doc)), mime, _filename(doc, "docx"))
