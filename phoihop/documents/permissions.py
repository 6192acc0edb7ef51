"""Need-to-know access to official documents (Đ3.1, Đ3.2, Đ17.1). One policy for the pages and the API.

- the issuing organisation's people see its documents, drafts included;
- a recipient organisation's people see a document once it is sent to them (or registered by them on arrival);
- a document about a restricted case follows the case's access: hidden from whoever may not see the case,
  even from its recipients (cases.permissions decides who may);
- the head of the issuing organisation signs or returns (Đ3.2); its drafters edit and submit; its focal
  point or head sends what was signed (Đ3.3).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from phoihop.cases.choices import AccessLevel
from phoihop.cases.permissions import hidden_case_ids
from phoihop.core.permissions import memo
from phoihop.directory.choices import Role

from .choices import DocumentStatus as S
from .choices import Origin
from .models import Document, DocumentRecipient

DOCUMENT_ROLES = {Role.OFFICER, Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR, Role.ENTERPRISE_REPORTER}
DRAFTING_ROLES = {Role.OFFICER, Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR}
REGISTERING_ROLES = {Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR}  # Đ3.3, Đ17.2: focal points keep the registers
DELIVERED = (S.SENT, S.RECEIVED)


class Action:
    VIEW = "view"
    EDIT = "edit"  # change a draft, submit it
    SIGN = "sign"  # sign or return (the head)
    SEND = "send"


def _active(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.organisation_id
        and user.role in DOCUMENT_ROLES
    )


def may_draft(user) -> bool:
    return _active(user) and user.role in DRAFTING_ROLES


def may_register_incoming(user) -> bool:
    return _active(user) and user.role in REGISTERING_ROLES


def _hidden_cases(user) -> list[int]:
    return memo(user, "documents.hidden_cases", lambda: hidden_case_ids(user))


def visible_documents(user, qs: QuerySet[Document] | None = None) -> QuerySet[Document]:
    qs = Document.objects.all() if qs is None else qs
    if not _active(user):
        return qs.none()
    issued = Q(organisation_id=user.organisation_id, origin=Origin.ELECTRONIC)  # a paper one: its registrar's
    received = Q(status__in=DELIVERED) & Q(
        Exists(DocumentRecipient.objects.filter(document=OuterRef("pk"), organisation_id=user.organisation_id))
    )
    qs = qs.filter(issued | received)
    hidden = _hidden_cases(user)
    return qs.exclude(case_id__in=hidden) if hidden else qs


def _sees(user, doc: Document) -> bool:
    if not _active(user):
        return False
    if doc.case_id and doc.case_id in _hidden_cases(user):
        return False
    if doc.organisation_id == user.organisation_id and doc.origin == Origin.ELECTRONIC:
        return True
    return doc.status in DELIVERED and doc.recipients.filter(organisation_id=user.organisation_id).exists()


def can(user, action: str, doc: Document) -> bool:
    if not _sees(user, doc):
        return False
    if action == Action.VIEW:
        return True
    own = doc.organisation_id == user.organisation_id and doc.origin == Origin.ELECTRONIC
    if action == Action.EDIT:
        return own and user.role in DRAFTING_ROLES
    if action == Action.SIGN:
        return own and user.role == Role.HEAD  # Đ3.2: confirmed by the head of the agency
    if action == Action.SEND:
        return own and user.role in {Role.HEAD, Role.FOCAL_POINT, Role.HUB_COORDINATOR}
    return False


def is_restricted(doc: Document) -> bool:
    """A document about a restricted case: each view of it is audited."""
    return bool(doc.case_id and doc.case.access_level == AccessLevel.RESTRICTED)


# Actor rules of the workflow's moves (workflow.py names them).


def drafter_may_move(user, doc: Document) -> bool:
    return can(user, Action.EDIT, doc)


def head_may_move(user, doc: Document) -> bool:
    return can(user, Action.SIGN, doc)


def sender_may_move(user, doc: Document) -> bool:
    return can(user, Action.SEND, doc)


class DocumentPolicy:
    def scope(self, user, qs: QuerySet[Document], action: str = Action.VIEW) -> QuerySet[Document]:
        qs = visible_documents(user, qs)
        action = str(action).removeprefix("document.")
        if action == Action.SIGN:
            own = qs.filter(organisation_id=user.organisation_id, origin=Origin.ELECTRONIC)
            return own if user.role == Role.HEAD else qs.none()
        if action in (Action.EDIT, Action.SEND):
            return qs.filter(organisation_id=user.organisation_id, origin=Origin.ELECTRONIC)
        return qs

    def can(self, user, action: str, doc: Document) -> bool:
        return can(user, str(action).removeprefix("document."), doc)


def register() -> None:
    from phoihop.core.permissions import register_policy

    register_policy(Document, DocumentPolicy())


def may_view_documents(user) -> bool:
    """Anyone acting for an organisation has registers (an enterprise's people too)."""
    return _active(user)
