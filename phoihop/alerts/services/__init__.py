"""Every write of the alerts app (keyword-only arguments, an AuditContext, one transaction, an audit event)."""

from ..workflow import advisory_move, warning_move
from .advisories import AdvisoryInput, advisory_acknowledge, advisory_create, advisory_record_view
from .subscriptions import subscription_add, subscription_confirm, subscription_end, subscription_request
from .warnings import WarningInput, warning_create, warning_update

__all__ = [
    "AdvisoryInput",
    "WarningInput",
    "advisory_acknowledge",
    "advisory_create",
    "advisory_move",
    "advisory_record_view",
    "subscription_add",
    "subscription_confirm",
    "subscription_end",
    "subscription_request",
    "warning_create",
    "warning_move",
    "warning_update",
]
