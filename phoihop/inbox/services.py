"""Writes of the inbox: deliveries of a routed report and their acknowledgement (Đ3.3, Đ3.4)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import NotAllowed
from phoihop.core.permissions import can
from phoihop.core.registry import run_hook

from .models import Delivery
from .permissions import DeliveryAction

ACKNOWLEDGED_HOOK = "inbox.delivery_acknowledged"


def deliveries_enqueue_urgent(*, delivery_ids: list[int]) -> None:
    """Đ3.1: queue the e-mail of these urgent deliveries at once, as one task (in the caller's
    transaction: the task exists exactly when the deliveries do). Every other delivery goes out in the
    next digest (tasks.inbox_digest), which needs nothing written here."""
    from .tasks import notify_deliveries

    if delivery_ids:
        notify_deliveries.enqueue(delivery_ids=delivery_ids)


def delivery_acknowledge(*, delivery: Delivery, ctx: AuditContext) -> Delivery:
    """A focal point acknowledges a delivery: it stops the "report immediately" clock (Đ3.4)."""
    user = ctx.actor
    if user is None or not can(user, DeliveryAction.ACKNOWLEDGE, delivery):
        raise NotAllowed(_("Only a focal point or the head of the receiving organisation may acknowledge it."))
    if delivery.acknowledged_at:
        return delivery
    with transaction.atomic():
        now = timezone.now()
        changed = Delivery.objects.filter(pk=delivery.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=ctx.actor
        )
        if changed:
            # The report's own status belongs to intake, which registers what an acknowledgement does to it.
            run_hook(ACKNOWLEDGED_HOOK, delivery=delivery, at=now)
            audit_record(
                ctx=ctx,
                action="delivery.acknowledge",
                obj=delivery,
                summary=f"{delivery.report.reference} @ {delivery.organisation.code}",
            )
    delivery.refresh_from_db()
    return delivery
