"""Reads of the documents app: lists and registers through the permission scope, the head's queue."""

from __future__ import annotations

from django.db.models import QuerySet

from phoihop.core.permissions import scope

from . import permissions as perm
from .choices import DocumentStatus as S
from .choices import Origin
from .models import Document, DocumentRecipient

LIST_RELATED = ("organisation", "created_by", "signed_by", "case")


def documents_for(user) -> QuerySet[Document]:
    return scope(user, Document, perm.Action.VIEW).select_related(*LIST_RELATED).defer("pdf")


def document_for(user, pk) -> Document | None:
    """One document through the permission scope: out of scope is the same as missing (a 404)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:  # beyond a database integer: no such document (not an overflow)
        return None
    return scope(user, Document, perm.Action.VIEW).select_related(*LIST_RELATED).filter(pk=pk).first()


def sign_queue(user) -> QuerySet[Document]:
    """Đ3.2: what awaits the head's signature (oldest first)."""
    return (
        scope(user, Document, perm.Action.SIGN)
        .filter(status=S.SUBMITTED)
        .select_related(*LIST_RELATED)
        .defer("pdf")
        .order_by("submitted_at", "pk")
    )


def drafts_of(user) -> QuerySet[Document]:
    """The drafts of the user's organisation, those with the head, and those returned."""
    return (
        documents_for(user)
        .filter(organisation_id=user.organisation_id, origin=Origin.ELECTRONIC)
        .filter(status__in=[S.DRAFT, S.SUBMITTED, S.RETURNED])
        .order_by("-updated_at", "-pk")
    )


def outgoing_register(user, year: int) -> QuerySet[Document]:
    """The outgoing register (sổ văn bản đi) of the user's organisation for `year`, by number."""
    return (
        documents_for(user)
        .filter(organisation_id=user.organisation_id, origin=Origin.ELECTRONIC, year=year, number__isnull=False)
        .order_by("-number")
    )


def incoming_register(user, year: int) -> QuerySet[DocumentRecipient]:
    """The incoming register (sổ văn bản đến) of the user's organisation for `year`, by arrival number."""
    visible = scope(user, Document, perm.Action.VIEW).values("pk")
    return (
        DocumentRecipient.objects.filter(
            organisation_id=user.organisation_id,
            incoming_year=year,
            incoming_number__isnull=False,
            document_id__in=visible,
        )
        .select_related("document__organisation", "document__case")
        .defer("document__pdf")
        .order_by("-incoming_number")
    )


def case_documents(user, case) -> QuerySet[Document]:
    return documents_for(user).filter(case=case).order_by("-created_at", "-pk")


def register_years(user) -> list[int]:
    """The years that have an entry in either register of the user's organisation (newest first)."""
    out = set(
        Document.objects.filter(organisation_id=user.organisation_id, year__isnull=False).values_list("year", flat=True)
    )
    incoming = DocumentRecipient.objects.filter(organisation_id=user.organisation_id, incoming_year__isnull=False)
    out |= set(incoming.values_list("incoming_year", flat=True))
    return sorted(out, reverse=True)
