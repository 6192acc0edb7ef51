"""Background work of the intake app (Django tasks API): the hourly sweep of orphan evidence files and of the
files kept for abandoned forms (intake.held)."""

from django_tasks import task
from django_tasks_db.models import DBTaskResult

from .held import held_sweep
from .services.evidence import evidence_orphans_delete, next_sweep


@task()
def evidence_sweep_orphans() -> int:
    """Delete evidence files older than an hour that no Evidence row references, and the files kept for forms
    abandoned more than an hour ago (their token has expired); queue the next run."""
    deleted = held_sweep() + evidence_orphans_delete()
    evidence_sweep_orphans.using(run_after=next_sweep()).enqueue()
    return deleted


def schedule_evidence_sweep() -> None:
    """Queue the hourly sweep unless it is queued already (call at start-up; the task re-queues itself)."""
    if not DBTaskResult.objects.filter(task_path=evidence_sweep_orphans.module_path, status="READY").exists():
        evidence_sweep_orphans.enqueue()
