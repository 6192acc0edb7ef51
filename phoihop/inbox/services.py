"""Writes of the inbox: deliveries of a routed report and their acknowledgement (Đ3.3, Đ3.4)."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from phoihop.audit.services import AuditContext, PendingEvent, audit_record, audit_record_many
from phoihop.core.errors import NotAllowed
from phoihop.core.permissions import can
from phoihop.core.registry import run_hook

from .models import Delivery
from .permissions import DeliveryAction

ACKNOWLEDGED_HOOK = "inbox.delivery_acknowledged"


def deliveries_enqueue_urgent(*, delivery_ids: list[int]) -> None:
    """Đ3.1: queue the e-mail of these urgent deliveries at once, as one task (in the caller's
    transaction: the task exists exactly when the deliveries do). Every other delivery goes out in the
    next digest (tasks.inbox_digest), which needs nothing written here.

    A notice task still waiting for the worker covers these deliveries too (it covers every urgent delivery
    waiting, notifications.deliveries_notify_urgent), so none is queued beside it: under load the queue
    holds one such task, not one per report. The waiting task is locked until this transaction ends, so the
    worker cannot take it, look for deliveries and miss these ones before they are committed (PostgreSQL:
    its claim skips a locked row, and once this commits finds it again; a claim that went first changed the
    task's status, which the lock re-reads, and a new task is queued. SQLite: one writer at a time).
    """
    from .tasks import notify_deliveries

    if not delivery_ids:
        return
    # What `DBTaskResult.objects.ready().filter(...).select_for_update()[:1]` reads, as plain SQL: on the API's
    # create, a quarter of which carries an urgent delivery, the ORM's query building cost more than the
    # indexed look-up itself.
    adapt = connection.ops.adapt_datetimefield_value
    params = [
        TaskResultStatus.READY.value,
        adapt(get_date_max()),
        adapt(timezone.now()),
        notify_deliveries.module_path,
        notify_deliveries.queue_name,
    ]
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(_WAITING_TASK + lock, params)
        waiting = cursor.fetchone()
    if waiting is None:
        notify_deliveries.enqueue(delivery_ids=delivery_ids)


# The table and column names are the task model's own; every value travels as a parameter.
_WAITING_TASK = (
    f"SELECT id FROM {DBTaskResult._meta.db_table} WHERE status = %s"  # noqa: S608
    " AND (run_after = %s OR run_after <= %s) AND task_path = %s AND queue_name = %s LIMIT 1"
)


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


def deliveries_acknowledge(*, deliveries: list[Delivery], ctx: AuditContext) -> list[Delivery]:
    """A focal point acknowledges several deliveries at once (the inbox's bulk action, Đ3.4): all or none.

    One check of the role, one read and one update of the rows still waiting, and one append to the audit chain
    with an event per delivery (as delivery_acknowledge writes it); what an acknowledgement does elsewhere runs
    through the hook for each delivery, as for one. Returns the deliveries this call acknowledged (those
    already acknowledged are left as they were). `deliveries` come through the ACKNOWLEDGE scope and carry
    their report and organisation (the audit summary names them)."""
    user = ctx.actor
    if user is None or not all(can(user, DeliveryAction.ACKNOWLEDGE, d) for d in deliveries):
        raise NotAllowed(_("Only a focal point or the head of the receiving organisation may acknowledge it."))
    asked = {d.pk: d for d in deliveries if d.acknowledged_at is None}
    if not asked:
        return []
    with transaction.atomic():
        now = timezone.now()
        # Locked on PostgreSQL (SQLite's transactions already hold the write lock): a concurrent acknowledgement
        # of the same row waits, then finds it no longer waiting, so no delivery is acknowledged or audited twice.
        waiting = list(
            Delivery.objects.select_for_update()
            .filter(pk__in=list(asked), acknowledged_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not waiting:
            return []
        Delivery.objects.filter(pk__in=waiting).update(acknowledged_at=now, acknowledged_by=user)
        done = [asked[pk] for pk in waiting]
        for delivery in done:
            delivery.acknowledged_at, delivery.acknowledged_by = now, user
            run_hook(ACKNOWLEDGED_HOOK, delivery=delivery, at=now)
        audit_record_many(
            ctx=ctx,
            events=[
                PendingEvent(
                    "delivery.acknowledge",
                    Delivery._meta.label_lower,
                    str(d.pk),
                    f"{d.report.reference} @ {d.organisation.code}",
                )
                for d in done
            ],
        )
    return done
