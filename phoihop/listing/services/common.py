"""What the services share: references drawn at random, secrets hashed, e-mail queued in the outbox."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core.errors import Unavailable
from phoihop.inbox.outbox import Outgoing, outbox_write

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out over the phone
MAX_DRAWS = 8
M = TypeVar("M", bound=Model)

# Outbox kinds of this app's messages (the outbox sends them like any other).
MAIL_APPEAL = "listing_appeal"
MAIL_REVIEW = "listing_review"
MAIL_KINDS = (MAIL_APPEAL, MAIL_REVIEW)


def new_reference(prefix: str, length: int = 6) -> str:
    year = timezone.localdate().year % 100
    return f"{prefix}{year:02d}-" + "".join(secrets.choice(ALPHABET) for _ in range(length))


def create_with_reference(model: type[M], prefix: str, length: int, fields: dict) -> M:
    """A new row under a freshly drawn reference; one already taken is drawn again."""
    for _draw in range(MAX_DRAWS):
        reference = new_reference(prefix, length)
        try:
            with transaction.atomic():  # a savepoint: a collision undoes only this insert
                return model._default_manager.create(reference=reference, **fields)
        except IntegrityError:
            if not model._default_manager.filter(reference=reference).exists():
                raise
    raise Unavailable(_("No free number could be drawn; try again."))


def secret_hash(secret: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"listing-appeal:{secret}".encode(), hashlib.sha256).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(18)


def mail_queue(messages: list[Outgoing], send: Callable[[list[str]], None] | None = None) -> None:
    """Queue `messages` in the caller's transaction and send them once it commits (retried by the sweep)."""
    if not messages:
        return
    outbox_write(messages)
    from ..tasks import send_listing_mail

    keys = [m.dedup_key for m in messages]
    transaction.on_commit(lambda: send_listing_mail.enqueue(dedup_keys=keys))
