"""Labels of the exchange pages: a timeline entry's action, a state's colour, the working days left."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from ..choices import RecipientStatus
from ..periods import working_days_left

register = template.Library()

ACTION_LABELS = {
    "request.create": _("Drafted"),
    "request.update": _("Draft changed"),
    "request.move.send": _("Sent"),
    "request.move.withdraw": _("Withdrawn"),
    "request.recipient.move.receive": _("Receipt acknowledged"),
    "request.recipient.move.assign": _("Assigned"),
    "request.recipient.move.answer": _("Answered"),
    "request.recipient.move.accept": _("Answer accepted"),
    "request.recipient.move.return": _("Returned for more"),
    "request.recipient.move.close": _("Closed"),
    "request.recipient.move.withdraw": _("Withdrawn from an organisation"),
    "request.council_form": _("Assessment council formed"),
    "request.council_member": _("Council member added"),
    "request.council_session": _("Council session recorded"),
    "request.council_adopt": _("Council conclusion adopted"),
    "request.handover": _("Hand-over recorded"),
    "request.remind": _("Reminder sent to the focal points"),
    "request.escalate": _("Escalated to the head"),
}
COLOURS = {
    RecipientStatus.DRAFT: "",
    RecipientStatus.SENT: "amber",
    RecipientStatus.RECEIVED: "amber",
    RecipientStatus.ASSIGNED: "amber",
    RecipientStatus.RETURNED: "amber",
    RecipientStatus.ANSWERED: "blue",
    RecipientStatus.ACCEPTED: "green",
    RecipientStatus.CLOSED: "green",
    RecipientStatus.WITHDRAWN: "",
}


@register.filter
def request_action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@register.filter
def status_colour(status: str) -> str:
    return COLOURS.get(status, "")


@register.filter
def days_left(due) -> int | None:
    """Working days from today to `due` (negative once overdue)."""
    return working_days_left(due) if due else None
