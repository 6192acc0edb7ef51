"""Background work of the core app."""

from django_tasks import task


@task()
def database_maintenance() -> str:
    """Hourly database upkeep (see core.maintenance); queues its next run before returning."""
    from .maintenance import database_optimize, next_run

    done = database_optimize()
    database_maintenance.using(run_after=next_run()).enqueue()
    return done
