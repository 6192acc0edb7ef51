"""Background work of the exchange app: e-mail about requests, sent after the change that called for it."""

from django_tasks import task

from phoihop.inbox.models import OutboxMessage
from phoihop.inbox.outbox import SendResult, outbox_send


def send_keys(keys: list[str]) -> SendResult:
    """Send the outbox messages written under `keys` that are not sent yet (outside any transaction)."""
    ids = list(OutboxMessage.objects.filter(dedup_key__in=keys, sent_at__isnull=True).values_list("pk", flat=True))
    if not ids:
        return SendResult(0, 0)
    return outbox_send(ids=ids, limit=len(ids))


@task()
def send_request_notices(keys: list[str]) -> int:
    """Send the messages written under `keys`; what the server refuses waits for the outbox's retry."""
    from phoihop.inbox.tasks import outbox_retry_later

    result = send_keys(keys)
    if result.failed:
        outbox_retry_later()
    return result.sent
