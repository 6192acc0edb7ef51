"""What the documents pages share: fetching through the permission scope (404 when out of it) and recording
each view of a document about a restricted case (Đ3.1, Đ17.1)."""

from __future__ import annotations

from django.http import Http404

from phoihop.audit.services import AuditContext, audit_record

from .. import permissions as perm
from ..models import Document
from ..selectors import document_for


def ctx_of(request) -> AuditContext:
    return AuditContext.from_request(request)


def document_or_404(user, pk) -> Document:
    doc = document_for(user, pk)
    if doc is None:
        raise Http404
    return doc


def audit_view(request, doc: Document, *, what: str = "page") -> None:
    if perm.is_restricted(doc):
        audit_record(
            ctx=ctx_of(request),
            action="document.view",
            obj=doc,
            summary=doc.reference or str(doc.pk),
            data={"via": what},
        )
