"""Difficulties and proposals (Đ19): raised by any party, answered by the DIC, possibly an amendment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import TimeStampedModel

from ..choices import DifficultyStatus


class Difficulty(TimeStampedModel):
    """Đ19: a difficulty met in applying the regulation, the article concerned, and what the party proposes."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.TextField(_("difficulty"))
    article = models.CharField(_("article"), max_length=40)
    proposal = models.TextField(_("proposal"))
    status = models.CharField(
        _("status"), max_length=10, choices=DifficultyStatus.choices, default=DifficultyStatus.OPEN
    )
    answer = models.TextField(_("answer of the DIC"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # Đ19: an accepted proposal points at the rule set whose amendment carries it.
    ruleset = models.ForeignKey(
        "rulesets.RuleSet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rule set to amend"),
    )

    class Meta:
        verbose_name = _("difficulty or proposal")
        verbose_name_plural = _("difficulties and proposals")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.article}: {self.what[:60]}"
