"""Deliveries: a report in an organisation's inbox, with the articles that sent it there (Đ3.4, Đ12–16)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.Model):
    """A report delivered to one organisation's inbox, with the articles that sent it there."""

    report = models.ForeignKey("intake.Report", on_delete=models.CASCADE, related_name="deliveries")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="deliveries")
    articles = models.CharField(_("articles"), max_length=200)
    reasons = models.JSONField(default=list)
    delivered_at = models.DateTimeField(_("delivered"), db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated to the head"), null=True, blank=True)
    notified_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["report", "organisation"], name="uniq_delivery")]
        indexes = [
            models.Index(fields=["organisation", "delivered_at"]),
            # The inbox: unacknowledged first (NULL sorts first in SQLite), newest first (see migration 0003).
            models.Index(fields=["organisation", "acknowledged_at", "-delivered_at"], name="delivery_inbox"),
        ]
