"""Background work of the cases app."""

from django_tasks import task


@task()
def notify_case_event(
    case_id: int, event: str, key: str = "", user_ids: list[int] | None = None, only_users: bool = False
) -> int:
    from phoihop.inbox.tasks import outbox_retry_later

    from .notifications import case_event_notify

    result = case_event_notify(case_id=case_id, event=event, key=key, user_ids=user_ids, only_users=only_users)
    if result.failed:  # what the mail server refused waits for the outbox's retry
        outbox_retry_later()
    return result.sent
