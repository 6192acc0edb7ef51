"""Drafting and changing a document, and registering one received by hand (with its scan)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from phoihop.cases.permissions import visible_cases
from phoihop.core.errors import DomainError, Invalid

from .. import permissions as perm
from ..choices import DocumentStatus as S
from ..forms import DraftForm, IncomingForm
from ..services import document_draft, document_register_incoming, document_update
from ..sheets import organisation_convention
from .common import ctx_of, document_or_404


def _errors_into(form, exc: DomainError) -> None:
    """A refusal of the service shown beside the field it names (or above the form)."""
    errors = exc.errors if isinstance(exc, Invalid) else {"": [str(exc.message)]}
    for field, msgs in errors.items():
        for msg in msgs:
            form.add_error(field if field in form.fields else None, msg)


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request):
    user = request.user
    if not perm.may_draft(user):
        raise PermissionDenied
    case = (
        visible_cases(user).filter(reference=request.GET.get("case", "")).first() if request.GET.get("case") else None
    )
    head_title = organisation_convention(user.organisation).head_title
    form = DraftForm(request.POST or None, user=user, case=case, initial={"signer_position": head_title})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            doc = document_draft(
                ctx=ctx_of(request),
                organisation=user.organisation,
                kind=data["kind"],
                summary=data["summary"],
                body=data["body"],
                recipients=list(data["recipients"]),
                other_recipients=data["other_recipients"],
                urgency=data.get("urgency") or "",
                signer_position=data["signer_position"],
                drafting_unit=data["drafting_unit"],
                case=data.get("case"),
                stage=form.stage_object() if "stage" in form.fields else None,
            )
        except DomainError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("Draft saved. Submit it to the head when it is ready."))
            return redirect("documents:detail", pk=doc.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "documents/form.html", {"form": form, "case": case, "title": _("New document")}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, pk: int):
    user = request.user
    doc = document_or_404(user, pk)
    if not (perm.can(user, perm.Action.EDIT, doc) and doc.status in (S.DRAFT, S.RETURNED)):
        raise PermissionDenied
    initial = {
        "kind": doc.kind,
        "summary": doc.summary,
        "body": doc.body,
        "urgency": doc.urgency,
        "signer_position": doc.signer_position,
        "drafting_unit": doc.drafting_unit,
        "other_recipients": doc.other_recipients,
        "recipients": [r.organisation_id for r in doc.recipients.all()],
    }
    form = DraftForm(request.POST or None, user=user, initial=initial)
    form.fields.pop("case")
    form.fields.pop("stage", None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            doc = document_update(
                ctx=ctx_of(request),
                document=doc,
                kind=data["kind"],
                summary=data["summary"],
                body=data["body"],
                recipients=list(data["recipients"]),
                other_recipients=data["other_recipients"],
                urgency=data.get("urgency") or "",
                signer_position=data["signer_position"],
                drafting_unit=data["drafting_unit"],
            )
        except DomainError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("documents:detail", pk=doc.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "doc": doc, "title": _("Change the draft")}
    return render(request, "documents/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def incoming_new(request):
    """Đ3.3, Đ17.2: the focal point registers a document that arrived on paper or by other means."""
    user = request.user
    if not perm.may_register_incoming(user):
        raise PermissionDenied
    form = IncomingForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            doc = document_register_incoming(
                ctx=ctx_of(request),
                organisation=user.organisation,
                file=data["file"],
                kind=data["kind"],
                summary=data["summary"],
                reference=data["reference"],
                issuer=data.get("issuer"),
                issuer_name=data.get("issuer_name") or "",
                issued_on=data.get("issued_on"),
                urgency=data.get("urgency") or "",
                case=data.get("case"),
            )
        except DomainError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("Registered in the incoming register."))
            return redirect("documents:detail", pk=doc.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/incoming_form.html", {"form": form}, status=status)
