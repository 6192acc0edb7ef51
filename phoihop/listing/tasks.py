"""Background work of the listing app: sending its e-mail once the transaction that wrote it commits."""

from django_tasks import task


@task()
def send_listing_mail(dedup_keys: list[str]) -> int:
    """Send the outbox messages with these keys; what fails waits for the periodic sweep."""
    from phoihop.inbox.models import OutboxMessage
    from phoihop.inbox.outbox import outbox_send

    ids = list(
        OutboxMessage.objects.filter(dedup_key__in=dedup_keys, sent_at__isnull=True).values_list("pk", flat=True)
    )
    return outbox_send(ids=ids, limit=max(len(ids), 1)).sent if ids else 0
