"""Background work of the inbox: e-mail to focal points, escalation to heads (Django tasks API).

Tasks take ids, load the objects and call a service; they are idempotent, so a retried task does no harm.
They are enqueued inside the report's transaction: with the database backend the task row commits
with the report, so no notification is lost and none is sent for a report that was rolled back.
"""

from django_tasks import task


@task()
def notify_deliveries(delivery_ids: list[int]) -> int:
    from .notifications import deliveries_notify

    return deliveries_notify(delivery_ids=delivery_ids)


@task()
def escalate_unacknowledged(delivery_ids: list[int]) -> int:
    from .notifications import deliveries_escalate

    return deliveries_escalate(delivery_ids=delivery_ids)
