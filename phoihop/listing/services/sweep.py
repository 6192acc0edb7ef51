"""The periodic sweep (PERIODIC_SWEEP_HOOK, every PHOIHOP_DIGEST_MINUTES): review reminders and lapses.

Phone numbers are recycled by carriers: a listing stands until its review date and lapses unless a hub
coordinator or head confirms it (Đ11.2–11.3). A week before, the hubs' deciders get one reminder per listing
(remembered on the listing, so it is sent once); the day after, the sweep lapses it through the workflow
(audited, DELISTED_HOOK run). Idempotent: a second run finds nothing to do.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from phoihop.audit.services import SYSTEM
from phoihop.core.errors import DomainError
from phoihop.directory.models import User, hub_organisation_ids
from phoihop.inbox.models import OutboxMessage
from phoihop.inbox.outbox import Outgoing, outbox_send

from ..choices import ListingStatus
from ..models import Listing
from ..permissions import DECIDING_ROLES
from ..workflow import LISTING_WORKFLOW
from .common import MAIL_KINDS, MAIL_REVIEW, mail_queue

REMIND_AHEAD = dt.timedelta(days=7)


def _lapse_due(today: dt.date) -> int:
    lapsed = 0
    due = Listing.objects.filter(status=ListingStatus.LISTED, review_on__lt=today).order_by("pk")
    for listing in due.iterator():
        try:
            LISTING_WORKFLOW.run("lapse", obj=listing, ctx=SYSTEM)
        except DomainError:  # confirmed or delisted meanwhile
            continue
        lapsed += 1
    return lapsed


def _remind(today: dt.date) -> int:
    due = list(
        Listing.objects.filter(
            status=ListingStatus.LISTED, review_on__lte=today + REMIND_AHEAD, review_reminded_at__isnull=True
        )
        .select_related("indicator", "category", "case")
        .order_by("review_on", "pk")[:500]
    )
    if not due:
        return 0
    recipients = sorted(
        User.objects.filter(organisation_id__in=hub_organisation_ids(), role__in=DECIDING_ROLES, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    with transaction.atomic():
        Listing.objects.filter(pk__in=[x.pk for x in due], review_reminded_at__isnull=True).update(
            review_reminded_at=timezone.now()
        )
        if recipients:
            with override("vi"):
                subject = render_to_string("listing/email/review_subject.txt", {"listings": due}).strip()
                body = render_to_string("listing/email/review.txt", {"listings": due, "today": today})
            key = hashlib.sha256(",".join(str(x.pk) for x in due).encode()).hexdigest()[:24]
            mail_queue([Outgoing(f"listing:review:{today}:{key}", MAIL_REVIEW, recipients, subject, body)])
    return len(due)


def listings_sweep() -> int:
    """Lapse what passed its review date, remind of what comes up; send this app's waiting e-mail.

    Returns the number of messages the outbox could not send (the worker's sweep adds them up)."""
    today = timezone.localdate()
    _lapse_due(today)
    _remind(today)
    waiting = list(
        OutboxMessage.objects.filter(Q(kind__in=MAIL_KINDS), sent_at__isnull=True).values_list("pk", flat=True)[:200]
    )
    return outbox_send(ids=waiting, limit=len(waiting)).failed if waiting else 0
