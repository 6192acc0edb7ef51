"""Deliveries: a report in an organisation's inbox, with the articles that sent it there (Đ3.4, Đ12–16)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.Model):
    """A report delivered to one organisation's inbox, with the articles that sent it there."""

    # Issue 9, bytes per report: no lone index on the report (uniq_delivery starts with it), and the three
    # mostly-empty links below are indexed only where set (what their user's or message's deletion looks up).
    report = models.ForeignKey("intake.Report", on_delete=models.CASCADE, related_name="deliveries", db_index=False)
    # No index of its own: every index below starts with the organisation. A lone one misled PostgreSQL's planner
    # (stale statistics after a large load) into reading a hub's every delivery to count or page its inbox.
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="deliveries", db_index=False
    )
    articles = models.CharField(_("articles"), max_length=200)
    # The routing rules that sent it here (codes of the report's rule set, comma-separated): the page reads
    # their article and wording from the rule set, so each delivery stores a few bytes, not their text.
    rules = models.CharField(_("routing rules"), max_length=300, blank=True)
    # Indexed only while unacknowledged (delivery_unacknowledged below): every look-up by delivery time alone is
    # of what still waits (the escalation sweep, the pending lists); the rest start with the organisation.
    delivered_at = models.DateTimeField(_("delivered"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    escalated_at = models.DateTimeField(_("escalated to the head"), null=True, blank=True)
    notified_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    # Đ3.1: an urgent delivery (a rule that sent it is marked urgent) is e-mailed at once, the rest in
    # the next digest. `notice` is the focal points' message that covers it (digest or urgent), and
    # `escalation_notice` the head's: each delivery is in at most one of each, so nothing goes twice.
    urgent = models.BooleanField(_("urgent"), default=False)
    notice = models.ForeignKey(
        "OutboxMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="noticed_deliveries",
        db_index=False,
    )
    escalation_notice = models.ForeignKey(
        "OutboxMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalated_deliveries",
        db_index=False,
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["report", "organisation"], name="uniq_delivery")]
        indexes = [
            models.Index(fields=["organisation", "delivered_at"]),
            # The inbox: unacknowledged first (NULL sorts first in SQLite), newest first (see migration 0003).
            models.Index(fields=["organisation", "acknowledged_at", "-delivered_at"], name="delivery_inbox"),
            # The digest's sweep: what no message covers yet.
            models.Index(
                fields=["organisation"],
                condition=models.Q(notice__isnull=True, notified_at__isnull=True),
                name="delivery_unnoticed",
            ),
            # Issue 9, bytes per report: what waits, oldest first, instead of a lone index on every delivery's time.
            models.Index(
                fields=["delivered_at"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="delivery_unacknowledged",
            ),
            models.Index(
                fields=["acknowledged_by"], condition=models.Q(acknowledged_by__isnull=False), name="delivery_ack_by"
            ),
            models.Index(fields=["notice"], condition=models.Q(notice__isnull=False), name="delivery_notice"),
            models.Index(
                fields=["escalation_notice"],
                condition=models.Q(escalation_notice__isnull=False),
                name="delivery_escalation_notice",
            ),
        ]


class OutboxMessage(models.Model):
    """An e-mail to send, written in the transaction of the business change that calls for it.

    The sender (phoihop.inbox.outbox) marks `sent_at` only once the SMTP server has accepted the message,
    and then does what the message stands for (the delivery is e-mailed, or escalated). One row per
    `dedup_key`, so writing the same notification twice, or retrying a task, never sends it twice.
    """

    class Kind(models.TextChoices):
        NEW_REPORT = "new_report", _("new report for the focal points")
        DIGEST = "digest", _("digest of new reports for the focal points")
        ESCALATION = "escalation", _("escalation to the head")

    dedup_key = models.CharField(_("deduplication key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.CASCADE, related_name="outbox_messages"
    )
    recipients = models.JSONField(_("recipients"), default=list)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # A sender holds the rows it is sending until then, so two workers never send the same row at once.
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mail")
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(sent_at__isnull=True), name="outbox_unsent"),
        ]

    def __str__(self) -> str:
        return self.dedup_key
