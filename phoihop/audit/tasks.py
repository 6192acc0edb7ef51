"""Background work of the audit log: the daily signed checkpoint of the chain's head."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from .checkpoints import audit_checkpoint
from .services import AuditContext

EVERY = timedelta(days=1)


@task()
def audit_checkpoint_daily() -> str:
    """Verify the chain and checkpoint its head; queues the next run a day later, even when this one fails."""
    try:
        return str(audit_checkpoint(ctx=AuditContext(label="task:audit-checkpoint")))
    finally:
        audit_checkpoint_daily.using(run_after=timezone.now() + EVERY).enqueue()


def schedule_checkpoints() -> None:
    """Queue the daily checkpoint unless it is queued already (call at start-up; the task re-queues itself)."""
    if not DBTaskResult.objects.filter(task_path=audit_checkpoint_daily.module_path, status="READY").exists():
        audit_checkpoint_daily.enqueue()
