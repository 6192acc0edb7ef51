"""Background work of the cases app."""

from django_tasks import task


@task()
def notify_case_event(case_id: int, event: str) -> int:
    from .notifications import case_event_notify

    return case_event_notify(case_id=case_id, event=event)
