"""Background work of the exchange app: e-mail about requests sent after the change that called for it."""

from django_tasks import task


@task()
def send_request_notices(keys: list[str]) -> int:
    """Send the outbox messages written under `keys`; what the server refuses waits for the outbox's retry."""
    from phoihop.inbox.tasks import outbox_retry_later

    from .notifications import send_keys

    result = send_keys(keys)
    if result.failed:
        outbox_retry_later()
    return result.sent
