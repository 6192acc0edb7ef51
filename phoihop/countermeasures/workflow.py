"""The countermeasure workflow, declared once with phoihop.core.workflow (Đ4.2, Đ11.3, Đ11.6):

    requested ──acknowledge──► acknowledged ──execute (when, their reference)──► executed
        │                          │
        └──────────refuse (why)────┴──► refused
    requested | acknowledged | executed ──lift (why)──► lifted      (the requesting agency's decision)
                                        ──lift_on_delisting──► lifted   (the system's, when the value is delisted)

The pages, the API and the delisting hook all go through these objects: a refused move changes nothing, and a
move repeated with the same input (a carrier's system retrying "executed" with the same reference) is
recognised by `repeats` and answered with the measure as it is, without a second change or audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.audit.services import audit_record
from phoihop.core.errors import DomainError, Invalid, NotAllowed
from phoihop.core.workflow import Move, Workflow

from . import notifications
from . import permissions as perm
from .choices import LiftCause
from .choices import Status as S
from .forms import ConfirmForm, ExecuteForm, ReasonForm
from .models import Countermeasure

CLOCK_SKEW = dt.timedelta(minutes=5)  # an enterprise's clock a little ahead of ours is not an error


def _text(data: Mapping[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


class CountermeasureMove(Move):
    """A move of the countermeasure workflow, in the measure's words; a hidden measure's state is never told."""

    form_class = ConfirmForm

    def not_allowed_message(self, obj) -> str:
        return _("You may not '%(move)s' on this countermeasure.") % {"move": self.label}

    def conflict_message(self, obj) -> str:
        return _("'%(move)s' is not possible while the countermeasure is '%(status)s'.") % {
            "move": self.label,
            "status": S(obj.status).label,
        }

    def stale_message(self, obj) -> str:
        return _("The countermeasure was changed by someone else; reload it.")

    def refusal(self, user, obj) -> DomainError | None:
        if user is not None and not perm.can_view(user, obj):
            return NotAllowed(self.not_allowed_message(obj))
        return super().refusal(user, obj)

    def repeats(self, obj, data: Mapping[str, Any]) -> bool:
        """Is this the same move made again with the same input (a retry): answered as done, nothing changed?"""
        return False

    def after(self, *, obj, ctx) -> None:
        notifications.countermeasure_notify(obj, self.name)


class Acknowledge(CountermeasureMove):
    """Đ11.3: the enterprise confirms it has the request and is working on it."""

    name, label, article = "acknowledge", gettext_lazy("Acknowledge"), "Đ11.3"
    sources, target = frozenset({S.REQUESTED}), S.ACKNOWLEDGED
    actor = perm.may_work

    def repeats(self, obj, data) -> bool:
        return obj.status == S.ACKNOWLEDGED

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.acknowledged_at, obj.acknowledged_by = timezone.now(), ctx.actor
        return ["acknowledged_at", "acknowledged_by"]

    def after(self, *, obj, ctx) -> None:
        """The requester follows the acknowledgement on the page; no e-mail for it."""


class Execute(CountermeasureMove):
    """Đ11.3: the enterprise reports the measure applied: when, and its own reference for it."""

    name, label, article = "execute", gettext_lazy("Report executed"), "Đ11.3"
    sources, target = frozenset({S.ACKNOWLEDGED}), S.EXECUTED
    actor = perm.may_work
    requires = ("executed_at", "execution_reference")
    form_class = ExecuteForm

    def repeats(self, obj, data) -> bool:
        return obj.status == S.EXECUTED and obj.execution_reference == _text(data, "execution_reference")

    def validate(self, user, obj, data) -> None:
        when = data["executed_at"]
        if not isinstance(when, dt.datetime):
            raise Invalid({"executed_at": [_("Give the date and time the measure was applied.")]})
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        if when > timezone.now() + CLOCK_SKEW:
            raise Invalid({"executed_at": [_("The time of execution cannot be in the future.")]})
        if when < obj.created_at - CLOCK_SKEW:
            raise Invalid({"executed_at": [_("The time of execution cannot be before the request.")]})
        if len(_text(data, "execution_reference")) > 200:
            raise Invalid({"execution_reference": [_("Your reference has at most 200 characters.")]})

    def execute(self, *, obj, data, ctx) -> list[str]:
        when = data["executed_at"]
        obj.executed_at = timezone.make_aware(when) if timezone.is_naive(when) else when
        obj.execution_reference = _text(data, "execution_reference")
        obj.executed_by = ctx.actor
        return ["executed_at", "execution_reference", "executed_by"]

    def audit_data(self, data) -> dict:
        return {
            "executed_at": data["executed_at"].isoformat(),
            "execution_reference": _text(data, "execution_reference"),
        }


class Refuse(CountermeasureMove):
    """The enterprise cannot or will not apply the measure, and says why (the agency then decides)."""

    name, label, article = "refuse", gettext_lazy("Refuse"), "Đ11.3"
    sources, target = frozenset({S.REQUESTED, S.ACKNOWLEDGED}), S.REFUSED
    actor = perm.may_work
    requires = ("reason",)
    form_class = ReasonForm

    def repeats(self, obj, data) -> bool:
        return obj.status == S.REFUSED and obj.refusal_reason == _text(data, "reason")

    def validate(self, user, obj, data) -> None:
        if len(_text(data, "reason")) < 5:
            raise Invalid({"reason": [_("Explain why the measure is refused.")]})

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.refused_at, obj.refusal_reason, obj.refused_by = timezone.now(), _text(data, "reason"), ctx.actor
        return ["refused_at", "refusal_reason", "refused_by"]


class Lift(CountermeasureMove):
    """The requesting agency lifts the measure (or withdraws the request) by its decision, with the reason."""

    name, label, article = "lift", gettext_lazy("Lift"), "Đ4.2"
    sources, target = frozenset({S.REQUESTED, S.ACKNOWLEDGED, S.EXECUTED}), S.LIFTED
    actor = perm.may_lift
    requires = ("reason",)
    form_class = ReasonForm
    cause = LiftCause.DECISION

    def repeats(self, obj, data) -> bool:
        return obj.status == S.LIFTED

    def validate(self, user, obj, data) -> None:
        if len(_text(data, "reason")) < 5:
            raise Invalid({"reason": [_("Explain why the measure is lifted.")]})

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.lifted_at, obj.lift_reason, obj.lifted_by = timezone.now(), _text(data, "reason"), ctx.actor
        obj.lift_cause = self.cause
        return ["lifted_at", "lift_reason", "lifted_by", "lift_cause"]


def _system_only(user, obj) -> bool:
    return user is None


class LiftOnDelisting(Lift):
    """The value was delisted (phoihop.listing): every measure on it is lifted, once, by the system."""

    name, label = "lift_on_delisting", gettext_lazy("Lift after delisting")
    actor = _system_only
    cause = LiftCause.DELISTING

    def refusal(self, user, obj) -> DomainError | None:
        return Move.refusal(self, user, obj)


def _record(ctx, cm: Countermeasure, action: str, summary: str, data: dict) -> None:
    audit_record(ctx=ctx, action=action, obj=cm, summary=f"{cm.reference}: {summary}", data=data)


COUNTERMEASURE_WORKFLOW = Workflow(
    "countermeasure",
    [Acknowledge(), Execute(), Refuse(), Lift(), LiftOnDelisting()],
    record=_record,
)
