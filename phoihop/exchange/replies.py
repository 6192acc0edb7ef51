"""Đ3.2: an answer may carry an official reply, a document of the documents app signed by the head of the
answering organisation; an expert assessment's answer carries the council's conclusion (Đ5.6, kind "kết luận
giám định"). The document must be addressed to the requester; once signed, answering sends it (it lands in the
requester's incoming register, verified on receipt) if the person answering may send the organisation's
documents, otherwise it must have been sent already."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext
from phoihop.core.errors import Invalid
from phoihop.documents.choices import DocumentKind, DocumentStatus, Verdict
from phoihop.documents.models import Document
from phoihop.documents.permissions import Action as DocAction
from phoihop.documents.permissions import can as doc_can
from phoihop.documents.permissions import visible_documents
from phoihop.documents.services import document_send

from .models import Recipient

READY = (DocumentStatus.SIGNED, DocumentStatus.SENT)


def candidate_documents(user, recipient: Recipient, *, kind: str | None = None) -> QuerySet[Document]:
    """The signed documents of the answering organisation, addressed to the requester, that `user` may see."""
    qs = visible_documents(user).filter(
        organisation_id=recipient.organisation_id,
        status__in=READY,
        recipients__organisation_id=recipient.request.sender_id,
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-signed_at", "-pk").distinct()


def check_document(user, recipient: Recipient, document: Document, *, field: str, kind: str | None = None) -> None:
    """Refuse, naming `field`, a document that cannot be this recipient's official reply."""
    if not candidate_documents(user, recipient).filter(pk=document.pk).exists():
        if document.status not in READY:
            message = _("The document must first be signed by the head of %(org)s.")
        else:
            message = _("Choose a signed document of %(org)s addressed to the requester.")
        raise Invalid({field: [message % {"org": recipient.organisation.display_name}]})
    if kind and document.kind != kind:
        raise Invalid({field: [_("Choose a document of the kind '%(kind)s'.") % {"kind": DocumentKind(kind).label}]})
    if document.status == DocumentStatus.SIGNED and not doc_can(user, DocAction.SEND, document):
        raise Invalid({field: [_("The document is signed but not sent; ask a focal point or the head to send it.")]})


def reply_verdict(document: Document | None, requester_id: int) -> dict | None:
    """What verifying the signed reply found on its arrival at the requester (or at signing): code and label."""
    if document is None:
        return None
    arrival = document.recipients.filter(organisation_id=requester_id).values_list("verdict", flat=True).first()
    value = arrival or document.verdict
    return {"code": value, "label": str(Verdict(value).label)} if value in Verdict.values else None


def deliver(document: Document, ctx: AuditContext) -> Document:
    """Send a signed reply to its recipients (the requester among them), inside the caller's transaction."""
    if document.status == DocumentStatus.SIGNED:
        return document_send(ctx=ctx, document=document)
    return document
