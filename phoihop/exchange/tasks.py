"""Background work of the exchange app: e-mail about requests, sent after the change that called for it."""

from django_tasks import task

from phoihop.inbox.outbox import SendResult, outbox_send_keys


def send_keys(keys: list[str]) -> SendResult:
    """Send the outbox messages written under `keys` that are not sent yet (outside any transaction)."""
    return outbox_send_keys(keys)


@task()
def send_request_notices(keys: list[str]) -> int:
    """Send the messages written under `keys`; what the server refuses waits for the outbox's retry."""
    from phoihop.inbox.tasks import outbox_retry_later

    result = send_keys(keys)
    if result.failed:
        outbox_retry_later()
    return result.sent
