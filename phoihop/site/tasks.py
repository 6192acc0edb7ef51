"""Background work of the site: the hourly database upkeep (and a look at the outbox and the task queue)."""

from django_tasks import task
from django_tasks_db.models import DBTaskResult

from phoihop.inbox.tasks import outbox_retry_later

from . import taskqueue
from .maintenance import database_optimize, next_run


@task()
def database_maintenance() -> str:
    """Hourly database upkeep (see site.maintenance); queues its next run before returning."""
    done = database_optimize()
    # E-mail left in the outbox by a worker that stopped mid-way gets a sender again.
    outbox_retry_later()
    # Tasks of dead workers and failed ones that may try again are queued; finished rows past retention go.
    taskqueue.sweep()
    taskqueue.purge()
    database_maintenance.using(run_after=next_run()).enqueue()
    return done


def schedule_maintenance() -> None:
    """Queue the hourly upkeep unless it is queued already (called at start-up; the task re-queues itself)."""
    if not DBTaskResult.objects.filter(task_path=database_maintenance.module_path, status="READY").exists():
        database_maintenance.enqueue()
