"""Background work of the inbox: e-mail to focal points, escalation to heads (Django tasks API).

A report's transaction writes only its deliveries (and, when some are urgent, one `notify_deliveries`
task). `inbox_digest` runs every PHOIHOP_DIGEST_MINUTES and re-queues itself: it writes one digest per
organisation of the new deliveries, and one escalation per organisation of the overdue ones, and sends
them through the outbox. Tasks take ids and are idempotent, so a retried task does no harm; whatever
the SMTP server did not accept stays in the outbox and `send_outbox` tries again later, backing off.
"""

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from phoihop.core.registry import PERIODIC_SWEEP_HOOK, hook_handlers

log = logging.getLogger(__name__)


@task()
def notify_deliveries(delivery_ids: list[int]) -> int:
    """Đ3.1: the urgent deliveries of a report (or a batch of them): their notice is written and sent now."""
    from .notifications import deliveries_notify_urgent

    result = deliveries_notify_urgent(delivery_ids=delivery_ids)
    if result.failed:
        outbox_retry_later()
    return result.sent


@task()
def inbox_digest() -> int:
    """The periodic digest and escalation sweep; queues its next run (even if this one failed)."""
    from .notifications import digest_minutes, notifications_sweep

    try:
        result = notifications_sweep()
        failed = result.failed
        # The other apps' periodic sweeps (reminders and escalations of requests, countermeasures, reporting
        # obligations...), each in its own transaction: one that fails is logged and retried next time.
        for sweep in hook_handlers(PERIODIC_SWEEP_HOOK):
            try:
                failed += sweep() or 0
            except Exception:
                log.exception("periodic sweep %s failed; it runs again at the next digest", sweep)
        if failed:
            outbox_retry_later()
        return result.sent
    finally:
        _queue_digest(run_after=timezone.now() + dt.timedelta(minutes=digest_minutes()))


def _queue_digest(run_after: dt.datetime | None = None) -> None:
    if not DBTaskResult.objects.filter(task_path=inbox_digest.module_path, status="READY").exists():
        (inbox_digest.using(run_after=run_after) if run_after else inbox_digest).enqueue()


def schedule_notifications() -> None:
    """Queue the digest sweep unless it is queued already (called at start-up; the task re-queues itself)."""
    _queue_digest()


@task()
def send_outbox() -> int:
    """Send what waits in the outbox; queue the next try if some of it is still refused."""
    from .outbox import outbox_send

    result = outbox_send()
    if result.failed or result.sent:
        outbox_retry_later()  # more than one batch waited, or some was refused
    return result.sent


def outbox_retry_later() -> None:
    """Queue `send_outbox` after a back-off, unless one is queued already or nothing waits."""
    from .outbox import outbox_retry_delay

    delay = outbox_retry_delay()
    if delay is None:
        return
    ready = DBTaskResult.objects.filter(task_path=send_outbox.module_path, status="READY")
    if not ready.exists():
        send_outbox.using(run_after=timezone.now() + delay).enqueue()
