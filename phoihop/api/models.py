"""What the API remembers between calls: the outcome of each POST sent with an `Idempotency-Key`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """One `Idempotency-Key` of one caller (its organisation, or the account when it has none): which request
    it was first sent with (a SHA-256 of method, path and body) and, once done, the response to replay.

    `response_status` is null while the first request is still running; the row goes after `expires_at`
    (24 h, phoihop.api.idempotency.sweep)."""

    owner = models.CharField(_("caller"), max_length=40)  # "org:<id>" or "user:<id>"
    key = models.CharField(_("idempotency key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)  # the JSON the view answered (empty for no body)
    response_headers = models.JSONField(default=dict, blank=True)  # those the view set (Location...)
    created_at = models.DateTimeField(_("first sent"))
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="api_idempotency_owner_key")]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"
