"""The workflows of requests, declared once with the engine of phoihop.core.workflow. Views, the API and services
all go through these objects; a move that is not allowed is refused with a reason and nothing changes.

The request, as its sender handles it:
    draft ──send──► sent ──(every recipient closed or withdrawn)──► closed
      └──withdraw──► withdrawn ◄──withdraw── sent

Each recipient organisation, on its own (one request to N organisations = N recipient rows):
    sent ──receive──► received ──assign──► assigned ──answer──► answered ──accept──► accepted ──close──► closed
                         └───────────answer──────────┘             └──return──► returned ──answer/assign──┘
    any open state ──withdraw (by the sender)──► withdrawn
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core.errors import Conflict, DomainError, Invalid, NotAllowed
from phoihop.core.workflow import Move, Workflow

from . import events
from . import permissions as perm
from .choices import AWAITING_ANSWER, FINISHED, RecipientStatus, RequestKind, RequestStatus
from .choices import RecipientStatus as R
from .choices import RequestStatus as S
from .forms.moves import AnswerForm, AssignForm, ConfirmForm, ReasonForm
from .models import Answer, Attachment, Council, Recipient, Request
from .notifications import FOCAL_ROLES, notice_write, send_on_commit
from .periods import due_after, period_for
from .replies import check_document, deliver


def _text(data: Mapping[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


class RequestMove(Move):
    """A move of the request (sender side). A request the user may not see is never described."""

    form_class: type = ConfirmForm

    def not_allowed_message(self, obj) -> str:
        return _("You may not '%(move)s' on this request.") % {"move": self.label}

    def conflict_message(self, obj) -> str:
        return _("'%(move)s' is not possible while the request is '%(status)s'.") % {
            "move": self.label,
            "status": S(obj.status).label,
        }

    def stale_message(self, obj) -> str:
        return _("The request was changed by someone else; reload it.")

    def refusal(self, user, obj) -> DomainError | None:
        if not perm.can_view(user, obj):
            return NotAllowed(self.not_allowed_message(obj))
        return super().refusal(user, obj)


class Send(RequestMove):
    """The request goes to every recipient organisation, each with the due date (working days)."""

    name, label = "send", gettext_lazy("Send")
    sources, target = frozenset({S.DRAFT}), S.SENT
    actor = perm.sender_may_move

    def validate(self, user, obj: Request, data) -> None:
        if not obj.recipients.exists():
            raise Invalid({"recipients": [_("Choose at least one recipient organisation.")]})
        today = timezone.localdate()
        if obj.due_date is not None and obj.due_date <= today:
            raise Invalid({"due_date": [_("The due date must be after today.")]})
        if obj.due_date is None and period_for(obj.kind, obj.urgency) is None:
            raise Invalid(
                {
                    "due_date": [
                        _("The rule set in force has no default period for this kind of request: give a due date.")
                    ]
                }
            )

    def execute(self, *, obj: Request, data, ctx) -> list[str]:
        today = timezone.localdate()
        if obj.due_date is None:
            period = period_for(obj.kind, obj.urgency)
            assert period is not None  # validate() refused otherwise
            obj.period_days = period.working_days
            obj.due_date = due_after(today, period.working_days)
        else:
            from phoihop.core.workdays import working_days_between

            obj.period_days = max(working_days_between(today, obj.due_date), 1)
        obj.sent_at = timezone.now()
        obj.recipients.update(status=R.SENT, due_date=obj.due_date)
        return ["due_date", "period_days", "sent_at"]

    def after(self, *, obj: Request, ctx) -> None:
        keys = [
            notice_write(
                key=f"request.new:{r.pk}",
                kind="request_new",
                request=obj,
                org_id=r.organisation_id,
                roles=FOCAL_ROLES,
                template="new",
                context={"due_date": r.due_date},
            )
            for r in obj.recipients.all()
        ]
        send_on_commit(keys)


class Withdraw(RequestMove):
    """The sender withdraws the request from every recipient (a draft is simply set aside)."""

    name, label = "withdraw", gettext_lazy("Withdraw")
    sources, target = frozenset({S.DRAFT, S.SENT}), S.WITHDRAWN
    actor = perm.sender_may_move
    requires = ("reason",)
    form_class = ReasonForm

    def execute(self, *, obj: Request, data, ctx) -> list[str]:
        now = timezone.now()
        obj.recipients.filter(status=R.ACCEPTED).update(status=R.CLOSED, closed_at=now)
        obj.recipients.exclude(status__in=FINISHED).update(status=R.WITHDRAWN, closed_at=now)
        obj.withdraw_reason = _text(data, "reason")
        obj.closed_at = now
        return ["withdraw_reason", "closed_at"]


# --- One recipient's handling ---------------------------------------------------------------------------


class RecipientMove(Move):
    """A move of one recipient organisation's handling of a request."""

    form_class: type = ConfirmForm

    def not_allowed_message(self, obj) -> str:
        return _("You may not '%(move)s' on this request.") % {"move": self.label}

    def conflict_message(self, obj) -> str:
        return _("'%(move)s' is not possible while the request is '%(status)s' for %(organisation)s.") % {
            "move": self.label,
            "status": R(obj.status).label,
            "organisation": obj.organisation.display_name,
        }

    def stale_message(self, obj) -> str:
        return _("The request was changed by someone else; reload it.")

    def refusal(self, user, obj) -> DomainError | None:
        if not perm.can_view(user, obj.request):
            return NotAllowed(self.not_allowed_message(obj))
        if obj.request.status != RequestStatus.SENT and self.name != "close":
            return Conflict(
                _("'%(move)s' is not possible while the request is '%(status)s'.")
                % {"move": self.label, "status": S(obj.request.status).label}
            )
        return super().refusal(user, obj)


class Receive(RecipientMove):
    """Đ3.3: the recipient's focal point acknowledges receipt."""

    name, label, article = "receive", gettext_lazy("Acknowledge receipt"), "Đ3.3"
    sources, target = frozenset({R.SENT}), R.RECEIVED
    actor = perm.recipient_focal_may_move

    def execute(self, *, obj: Recipient, data, ctx) -> list[str]:
        obj.received_at, obj.received_by = timezone.now(), ctx.actor
        return ["received_at", "received_by"]


class Assign(RecipientMove):
    """The focal point assigns the request to a person of the organisation (again, after a return)."""

    name, label, article = "assign", gettext_lazy("Assign"), "Đ3.3"
    sources, target = frozenset({R.RECEIVED, R.ASSIGNED, R.RETURNED}), R.ASSIGNED
    actor = perm.recipient_focal_may_move
    requires = ("assignee",)
    form_class = AssignForm

    def validate(self, user, obj: Recipient, data) -> None:
        person = data["assignee"]
        if getattr(person, "organisation_id", None) != obj.organisation_id or not person.is_active:
            raise Invalid({"assignee": [_("Choose a person of the organisation that answers.")]})

    def execute(self, *, obj: Recipient, data, ctx) -> list[str]:
        obj.assignee, obj.assigned_at = data["assignee"], timezone.now()
        return ["assignee", "assigned_at"]

    def audit_data(self, data) -> dict:
        return {"assignee": data["assignee"].get_username()}


class AnswerMove(RecipientMove):
    """Đ5.5, Đ8.3, Đ11.8: the answer (text, files); an expert assessment answers with the council's conclusion
    (Đ5.6), adopted first."""

    name, label = "answer", gettext_lazy("Answer")
    sources, target = frozenset({R.RECEIVED, R.ASSIGNED, R.RETURNED}), R.ANSWERED
    actor = perm.recipient_may_answer
    requires = ("text",)
    form_class = AnswerForm

    def reply_document(self, obj: Recipient, data):
        """The official reply: the one given, else for an assessment the council's conclusion."""
        if data.get("reply_document") is not None:
            return data["reply_document"]
        council = Council.objects.filter(recipient=obj).first()
        return council.conclusion_document if council is not None else None

    def validate(self, user, obj: Recipient, data) -> None:
        if obj.request.kind == RequestKind.ASSESSMENT:
            council = Council.objects.filter(recipient=obj).first()
            if council is None or council.adopted_at is None:
                raise Conflict(_("An expert assessment is answered with the council's adopted conclusion (Đ5.6)."))
        document = self.reply_document(obj, data)
        if document is not None:
            check_document(user, obj, document, field="reply_document")

    def execute(self, *, obj: Recipient, data, ctx) -> list[str]:
        previous = obj.answers.order_by("-round").values_list("round", flat=True).first() or 0
        document = self.reply_document(obj, data)
        if document is not None:
            document = deliver(document, ctx)  # signed: sent now, into the requester's incoming register
        answer = Answer.objects.create(
            recipient=obj, round=previous + 1, text=_text(data, "text"), created_by=ctx.actor, reply_document=document
        )
        Attachment.objects.bulk_create(
            [
                Attachment(
                    request_id=obj.request_id,
                    answer=answer,
                    purpose="answer",
                    file=s.name,
                    original_name=s.upload.name,
                    content_type=s.upload.content_type,
                    size=s.upload.size,
                    sha256=s.upload.sha256,
                    uploaded_by=ctx.actor if getattr(ctx.actor, "pk", None) else None,
                )
                for s in data.get("stored", ())
            ]
        )
        obj.answered_at = answer.created_at
        return ["answered_at"]

    def audit_data(self, data) -> dict:
        files = [f"{s.upload.name} {s.upload.sha256}" for s in data.get("stored", ())]
        document = data.get("reply_document")
        return {"files": files, "chars": len(_text(data, "text")), "document": getattr(document, "pk", "")}

    def after(self, *, obj: Recipient, ctx) -> None:
        request = obj.request
        key = notice_write(
            key=f"request.answered:{obj.pk}:{obj.answered_at.isoformat()}",
            kind="request_answered",
            request=request,
            org_id=request.sender_id,
            roles=FOCAL_ROLES,
            template="answered",
            context={"organisation": obj.organisation, "due_date": obj.due_date},
            extra_users=[request.created_by_id],
        )
        send_on_commit([key])


class Accept(RecipientMove):
    name, label = "accept", gettext_lazy("Accept the answer")
    sources, target = frozenset({R.ANSWERED}), R.ACCEPTED
    actor = perm.sender_may_move_recipient

    def execute(self, *, obj: Recipient, data, ctx) -> list[str]:
        obj.accepted_at = timezone.now()
        return ["accepted_at"]


class Return(RecipientMove):
    """The answer is not enough: returned for more, with what is missing and a new due date (same period)."""

    name, label = "return", gettext_lazy("Return for more")
    sources, target = frozenset({R.ANSWERED}), R.RETURNED
    actor = perm.sender_may_move_recipient
    requires = ("reason",)
    form_class = ReasonForm

    def execute(self, *, obj: Recipient, data, ctx) -> list[str]:
        answer = obj.answers.order_by("-round").first()
        if answer is not None:
            answer.returned_at, answer.returned_by = timezone.now(), ctx.actor
            answer.return_reason = _text(data, "reason")
            answer.save(update_fields=["returned_at", "returned_by", "return_reason"])
        request = obj.request
        period = request.period_days or getattr(period_for(request.kind, request.urgency), "working_days", None) or 5
        obj.due_date = due_after(timezone.localdate(), period)
        return ["due_date"]

    def after(self, *, obj: Recipient, ctx) -> None:
        key = notice_write(
            key=f"request.returned:{obj.pk}:{obj.due_date.isoformat()}:{timezone.now().timestamp()}",
            kind="request_returned",
            request=obj.request,
            org_id=obj.organisation_id,
            roles=FOCAL_ROLES,
            template="returned",
            context={"due_date": obj.due_date},
            extra_users=[obj.assignee_id] if obj.assignee_id else [],
        )
        send_on_commit([key])


def _close_request_if_done(recipient: Recipient) -> None:
    """When no recipient is left open, the request is closed (withdrawn when none was ever closed)."""
    request = Request.objects.select_for_update().get(pk=recipient.request_id)
    if request.status != RequestStatus.SENT:
        return
    states = set(request.recipients.values_list("status", flat=True))
    if states <= set(FINISHED):
        request.status = S.CLOSED if R.CLOSED in states else S.WITHDRAWN
        request.closed_at = timezone.now()
        request.save(update_fields=["status", "closed_at", "updated_at"])


class Close(RecipientMove):
    name, label = "close", gettext_lazy("Close")
    sources, target = frozenset({R.ACCEPTED}), R.CLOSED
    actor = perm.sender_may_move_recipient

    def execute(self, *, obj: Recipient, data, ctx) -> list[str]:
        obj.closed_at = timezone.now()
        return ["closed_at"]

    def after(self, *, obj: Recipient, ctx) -> None:
        _close_request_if_done(obj)


class WithdrawFrom(RecipientMove):
    """The sender withdraws the request from this one organisation."""

    name, label = "withdraw", gettext_lazy("Withdraw from this organisation")
    sources, target = AWAITING_ANSWER | {R.ANSWERED}, R.WITHDRAWN
    actor = perm.sender_may_move_recipient
    requires = ("reason",)
    form_class = ReasonForm

    def execute(self, *, obj: Recipient, data, ctx) -> list[str]:
        obj.closed_at = timezone.now()
        return ["closed_at"]

    def after(self, *, obj: Recipient, ctx) -> None:
        _close_request_if_done(obj)


def _record(ctx, obj, action: str, summary: str, data: dict) -> None:
    if isinstance(obj, Recipient):
        request = obj.request
        data = {**data, "organisation": obj.organisation.code}
        summary = f"{obj.organisation.display_name}: {summary}"
    else:
        request = obj
    events.record(ctx, request, action.removeprefix("request."), summary, **data)


def _lock_recipient(recipient: Recipient) -> Recipient:
    return Recipient.objects.select_for_update().select_related("request", "organisation").get(pk=recipient.pk)


REQUEST_WORKFLOW = Workflow("request", [Send(), Withdraw()], record=_record)
RECIPIENT_WORKFLOW = Workflow(
    "request.recipient",
    [Receive(), Assign(), AnswerMove(), Accept(), Return(), Close(), WithdrawFrom()],
    record=_record,
    lock=_lock_recipient,
)

__all__ = ["RECIPIENT_WORKFLOW", "REQUEST_WORKFLOW", "RecipientStatus"]
