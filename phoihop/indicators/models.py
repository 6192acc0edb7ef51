"""Indicators (phone numbers, URLs, domains, accounts...): one row per normalised value, shared by all reports."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.Model):
    """A normalised phone number, URL, domain, account...: one row per value, shared by all reports."""

    kind = models.CharField(_("kind"), max_length=20)
    value = models.CharField(_("value"), max_length=500)
    report_count = models.PositiveIntegerField(default=0)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="uniq_indicator")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"
