"""The lifecycles of advisories and public warnings, declared once with phoihop.core.workflow.

    advisory:        draft -> sent (recipients resolved, Đ6.2, Đ8.1, Đ5.1) -> withdrawn
    public warning:  draft -> submitted -> published (approved by the head, Đ9)
                                        -> returned (with the head's comment) -> submitted ...
                     published -> withdrawn (unpublished, with a reason)

Views, the API and services all make moves through these objects.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.audit.services import audit_record
from phoihop.core.errors import DomainError, Invalid, NotAllowed
from phoihop.core.workflow import Move, Workflow
from phoihop.listing.hooks import public_index_changed

from . import permissions as perm
from .audience import resolve_audience
from .choices import AdvisoryStatus as A
from .choices import WarningStatus as W
from .models import Advisory, AdvisoryRecipient, PublicWarning
from .notify import advisory_notify_sent, warning_notify_newsrooms


def _record(ctx, obj, action: str, summary: str, data: dict) -> None:
    audit_record(ctx=ctx, action=action, obj=obj, summary=f"{obj}: {summary}"[:500], data=data)


def _text(data, key: str) -> str:
    return str(data.get(key) or "").strip()


# --- Advisories -------------------------------------------------------------------------------------------------


class AdvisoryMove(Move):
    def refusal(self, user, obj) -> DomainError | None:
        if not perm.can_advisory(user, perm.Action.VIEW, obj):  # a hidden advisory's state is not told
            return NotAllowed(self.not_allowed_message(obj))
        return super().refusal(user, obj)

    def conflict_message(self, obj) -> str:
        return _("'%(move)s' is not possible while the advisory is '%(status)s'.") % {
            "move": self.label,
            "status": A(obj.status).label,
        }


class SendAdvisory(AdvisoryMove):
    """Đ6.2, Đ8.1, Đ5.1: the chosen parties are resolved to organisations today and each gets it."""

    name, label, article = "send", gettext_lazy("Send"), "Đ6.2, Đ8.1, Đ5.1"
    sources, target = frozenset({A.DRAFT}), A.SENT
    actor = perm.advisory_sender_may_move

    def validate(self, user, obj, data) -> None:
        if not resolve_audience(obj):
            raise Invalid({"audience": [_("No organisation holds the chosen functions or types today.")]})

    def execute(self, *, obj, data, ctx) -> list[str]:
        orgs = resolve_audience(obj)
        AdvisoryRecipient.objects.bulk_create([AdvisoryRecipient(advisory=obj, organisation=o) for o in orgs])
        obj.sent_at = timezone.now()
        return ["sent_at"]

    def audit_data(self, data) -> dict:
        return {}

    def after(self, *, obj, ctx) -> None:
        advisory_notify_sent(advisory=obj)


class WithdrawAdvisory(AdvisoryMove):
    name, label, article = "withdraw", gettext_lazy("Withdraw"), "Đ6.2"
    sources, target = frozenset({A.SENT}), A.WITHDRAWN
    actor = perm.advisory_sender_may_move
    requires = ("reason",)

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.withdrawn_at = timezone.now()
        obj.withdraw_reason = _text(data, "reason")
        return ["withdrawn_at", "withdraw_reason"]


ADVISORY_WORKFLOW = Workflow("advisory", [SendAdvisory(), WithdrawAdvisory()], record=_record)


# --- Public warnings --------------------------------------------------------------------------------------------


class WarningMove(Move):
    def refusal(self, user, obj) -> DomainError | None:
        if not perm.can_warning(user, perm.Action.VIEW, obj):
            return NotAllowed(self.not_allowed_message(obj))
        return super().refusal(user, obj)

    def conflict_message(self, obj) -> str:
        return _("'%(move)s' is not possible while the warning is '%(status)s'.") % {
            "move": self.label,
            "status": W(obj.status).label,
        }


class SubmitWarning(WarningMove):
    name, label, article = "submit", gettext_lazy("Submit for approval"), "Đ9"
    sources, target = frozenset({W.DRAFT, W.RETURNED}), W.SUBMITTED
    actor = perm.warning_author_may_move

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.submitted_at = timezone.now()
        return ["submitted_at"]


class ApproveWarning(WarningMove):
    """Đ9: the head of the issuing organisation approves: the warning is published at once."""

    name, label, article = "approve", gettext_lazy("Approve and publish"), "Đ9"
    sources, target = frozenset({W.SUBMITTED}), W.PUBLISHED
    actor = perm.warning_head_may_move

    def not_allowed_message(self, obj) -> str:
        return _("Only the head of the issuing organisation approves a public warning.")

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.decided_by = ctx.actor
        obj.published_at = obj.published_at or timezone.now()  # a warning published again keeps its date
        obj.withdrawn_at, obj.withdraw_reason, obj.return_comment = None, "", ""
        return ["decided_by", "published_at", "withdrawn_at", "withdraw_reason", "return_comment"]

    def after(self, *, obj, ctx) -> None:
        warning_notify_newsrooms(warning=obj)
        # The listing app's public look-up shows the warning naming a listed value: it rebuilds its index.
        transaction.on_commit(public_index_changed)


class ReturnWarning(WarningMove):
    name, label, article = "return", gettext_lazy("Return with a comment"), "Đ9"
    sources, target = frozenset({W.SUBMITTED}), W.RETURNED
    actor = perm.warning_head_may_move
    requires = ("comment",)

    def not_allowed_message(self, obj) -> str:
        return _("Only the head of the issuing organisation returns a public warning.")

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.decided_by = ctx.actor
        obj.return_comment = _text(data, "comment")
        return ["decided_by", "return_comment"]


class WithdrawWarning(WarningMove):
    name, label, article = "withdraw", gettext_lazy("Withdraw (unpublish)"), "Đ9"
    sources, target = frozenset({W.PUBLISHED}), W.WITHDRAWN
    actor = perm.warning_head_may_move
    requires = ("reason",)

    def not_allowed_message(self, obj) -> str:
        return _("Only the head of the issuing organisation withdraws a public warning.")

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.withdrawn_at = timezone.now()
        obj.withdraw_reason = _text(data, "reason")
        return ["withdrawn_at", "withdraw_reason"]

    def after(self, *, obj, ctx) -> None:
        transaction.on_commit(public_index_changed)


class RepublishWarning(WarningMove):
    """A withdrawn warning goes back through approval (its text may have been corrected meanwhile)."""

    name, label, article = "redraft", gettext_lazy("Reopen as a draft"), "Đ9"
    sources, target = frozenset({W.WITHDRAWN}), W.DRAFT
    actor = perm.warning_author_may_move


WARNING_WORKFLOW = Workflow(
    "warning",
    [SubmitWarning(), ApproveWarning(), ReturnWarning(), WithdrawWarning(), RepublishWarning()],
    record=_record,
)


def advisory_move(*, advisory: Advisory, move: str, ctx, **data) -> Advisory:
    """Make a move of the advisory workflow (one transaction, its audit event)."""
    return ADVISORY_WORKFLOW.run(move, obj=advisory, data=data, ctx=ctx)


def warning_move(*, warning: PublicWarning, move: str, ctx, **data) -> PublicWarning:
    """Make a move of the warning workflow (one transaction, its audit event)."""
    return WARNING_WORKFLOW.run(move, obj=warning, data=data, ctx=ctx)
