"""Need-to-know access to requests (Đ3.1, Đ17.1). One policy for the pages, the API and the file downloads.

- a request is seen by the people of its sender organisation and of its recipient organisations (a draft by
  the sender's people only);
- a recipient organisation sees its own handling and answers, never another recipient's; the sender sees all;
- a request linked to a restricted case (or to a report of one) follows the case's access: it is hidden from
  whoever may not see that case, even in the sender or a recipient organisation; every view of such a request
  is recorded in the audit log (views.common, api.views).

Every permission rule of the exchange app lives here; each workflow move (workflow.py) names one of the
`*_may_move` rules as its actor.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from phoihop.cases.choices import AccessLevel
from phoihop.cases.models import CaseReport
from phoihop.cases.permissions import exclude_restricted_reports, hidden_restricted_cases, visible_cases
from phoihop.directory.choices import OrganisationType, Role

from .choices import RequestKind, RequestStatus
from .models import Attachment, Recipient, Request

PARTY_ROLES = frozenset({Role.OFFICER, Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR, Role.ENTERPRISE_REPORTER})
ACTING_ROLES = frozenset({Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR})
# Who acts for a recipient organisation: its focal points and head; an enterprise's reporter is its contact
# point for the authorities (Đ11.8).
RECIPIENT_ROLES = ACTING_ROLES | {Role.ENTERPRISE_REPORTER}
DRAFTING_ROLES = ACTING_ROLES | {Role.OFFICER}


class Action:
    VIEW = "view"
    EDIT = "edit"  # the draft's fields and attachments
    HANDOVER = "handover"  # record a hand-over
    COUNCIL = "council"  # form the assessment council, record sessions, adopt the conclusion


def _active(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.organisation_id
        and user.role in PARTY_ROLES
    )


def may_draft(user) -> bool:
    """Officers, focal points, heads and hub coordinators of an organisation draft requests."""
    return _active(user) and user.role in DRAFTING_ROLES


def visible_requests(user, qs: QuerySet[Request] | None = None) -> QuerySet[Request]:
    """The requests `user` may see, as a queryset to filter further."""
    qs = Request.objects.all() if qs is None else qs
    if not _active(user):
        return qs.none()
    org = user.organisation_id
    recipient = Exists(Recipient.objects.filter(request_id=OuterRef("pk"), organisation_id=org))
    qs = qs.filter(Q(sender_id=org) | (Q(recipient) & ~Q(status=RequestStatus.DRAFT)))
    # A request about a restricted case follows the case's access (Đ3.1).
    qs = qs.exclude(case_id__in=hidden_restricted_cases(user).values("pk"))
    return exclude_restricted_reports(user, qs, via="report__")


def can_view(user, request: Request) -> bool:
    return visible_requests(user).filter(pk=request.pk).exists()


def is_restricted(request: Request) -> bool:
    """Is the request about a restricted case (directly, or through its report)? Its views are audited."""
    if request.case_id and request.case.access_level == AccessLevel.RESTRICTED:
        return True
    if request.report_id:
        return CaseReport.objects.filter(
            report_id=request.report_id, case__access_level=AccessLevel.RESTRICTED
        ).exists()
    return False


def is_sender_side(user, request: Request) -> bool:
    return bool(_active(user) and user.organisation_id == request.sender_id)


def recipients_for(user, request: Request) -> QuerySet[Recipient]:
    """The recipient rows `user` may see: all of them for the sender, their own organisation's otherwise."""
    rows = request.recipients.select_related("organisation", "assignee").order_by("pk")
    if is_sender_side(user, request):
        return rows
    return rows.filter(organisation_id=user.organisation_id) if _active(user) else rows.none()


def attachments_for(user, request: Request) -> QuerySet[Attachment]:
    """The request's own files, and the answer files of the recipients `user` may see."""
    rows = Attachment.objects.filter(request=request)
    if is_sender_side(user, request):
        return rows
    return rows.filter(Q(answer__isnull=True) | Q(answer__recipient__organisation_id=user.organisation_id))


def may_link_case(user, case) -> bool:
    """A request may rest on a case only one the drafter may see (a hidden case is never named)."""
    return visible_cases(user).filter(pk=case.pk).exists()


# --- Who may make the workflows' moves (workflow.py names these rules) -----------------------------------


def sender_may_move(user, request: Request) -> bool:
    """The sender's focal point, head or hub coordinator, or the officer who drafted the request."""
    return (
        is_sender_side(user, request)
        and (user.role in ACTING_ROLES or request.created_by_id == user.pk)
        and can_view(user, request)
    )


def sender_may_move_recipient(user, recipient: Recipient) -> bool:
    return sender_may_move(user, recipient.request)


def recipient_focal_may_move(user, recipient: Recipient) -> bool:
    """The recipient organisation's focal point or head (an enterprise's reporter): acknowledges, assigns."""
    return (
        _active(user)
        and user.organisation_id == recipient.organisation_id
        and user.role in RECIPIENT_ROLES
        and can_view(user, recipient.request)
    )


def recipient_may_answer(user, recipient: Recipient) -> bool:
    """The recipient's focal point or head, or the person the request was assigned to."""
    if recipient_focal_may_move(user, recipient):
        return True
    return bool(
        _active(user)
        and recipient.assignee_id == user.pk
        and user.organisation_id == recipient.organisation_id
        and can_view(user, recipient.request)
    )


def may_form_council(user, recipient: Recipient) -> bool:
    """Đ5.6: the DIC (the recipient of an expert-assessment request) forms and runs the council."""
    return recipient.request.kind == RequestKind.ASSESSMENT and recipient_may_answer(user, recipient)


def may_record_handover(user, request: Request) -> bool:
    """Either side's focal point, head or hub coordinator (an enterprise's reporter) records a hand-over."""
    if request.status == RequestStatus.DRAFT:
        return False
    if sender_may_move(user, request):
        return True
    return bool(
        _active(user)
        and user.role in RECIPIENT_ROLES
        and request.recipients.filter(organisation_id=user.organisation_id).exists()
        and can_view(user, request)
    )


def can(user, action: str, request: Request) -> bool:
    """May `user` do `action` on `request`?"""
    if action == Action.VIEW:
        return can_view(user, request)
    if action == Action.EDIT:
        return request.status == RequestStatus.DRAFT and sender_may_move(user, request)
    if action == Action.HANDOVER:
        return may_record_handover(user, request)
    return False


def may_receive_requests(org) -> bool:
    """Any party of Đ2 may be asked (an enterprise under Đ11.8); an inter-agency team has no inbox of its own."""
    return org.type != OrganisationType.INTERAGENCY_TEAM


class RequestPolicy:
    """core.permissions entry for requests."""

    def scope(self, user, qs: QuerySet[Request], action: str = Action.VIEW) -> QuerySet[Request]:
        return visible_requests(user, qs)

    def can(self, user, action: str, request: Request) -> bool:
        return can(user, str(action).removeprefix("request."), request)


def register() -> None:
    from phoihop.core.permissions import register_policy

    register_policy(Request, RequestPolicy())
