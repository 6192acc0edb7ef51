"""Background work of the inbox: e-mail to focal points, escalation to heads (Django tasks API).

Tasks take ids, load the objects and call a service; they are idempotent, so a retried task does no harm.
The focal points' e-mail is written to the outbox inside the report's transaction and these tasks send
it; whatever the SMTP server did not accept stays in the outbox and `send_outbox` tries again later,
backing off, until it is accepted.
"""

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult


@task()
def notify_deliveries(delivery_ids: list[int]) -> int:
    from .notifications import deliveries_notify

    result = deliveries_notify(delivery_ids=delivery_ids)
    if result.failed:
        outbox_retry_later()
    return result.sent


@task()
def escalate_unacknowledged(delivery_ids: list[int]) -> int:
    from .notifications import deliveries_escalate

    escalated, result = deliveries_escalate(delivery_ids=delivery_ids)
    if result.failed:
        outbox_retry_later()
    return escalated


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
