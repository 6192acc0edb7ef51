"""Open tasks of a case, and ending them without their being done (the case closed, or the organisation they
were given to left the case). Below the workflow, the services and the forms, which all use it."""

from __future__ import annotations

from django.utils import timezone

from .models import Case, Task


def open_tasks(case: Case) -> list[Task]:
    """The case's tasks not yet done (nor cancelled), oldest first."""
    return list(Task.objects.filter(case=case, done_at__isnull=True).select_related("organisation").order_by("pk"))


def cancel_tasks(tasks: list[Task], why: str) -> None:
    """End open tasks without their being done: done_at set (so they no longer count as open anywhere),
    marked cancelled, the result saying why. The caller holds the transaction and writes the audit event."""
    now = timezone.now()
    for task in tasks:
        task.done_at, task.cancelled, task.result = now, True, why
    Task.objects.bulk_update(tasks, ["done_at", "cancelled", "result"])
