"""Routing rules: Chapter III (Đ12–16) and Chapter II duties as data, each naming a function to notify."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from phoihop.rulesets.models import RuleSet


class Resolve(models.TextChoices):
    NEAREST = "nearest", _("Nearest holder")
    ALL = "all", _("Every holder")


class RoutingRule(models.Model):
    """When a report matches `conditions`, deliver it to the holder(s) of `function`, citing `article`."""

    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="routing_rules")
    code = models.CharField(_("code"), max_length=64)
    article = models.CharField(_("article"), max_length=40)
    description_vi = models.CharField(_("description (Vietnamese)"), max_length=400)
    description_en = models.CharField(_("description (English)"), max_length=400, blank=True)
    conditions = models.JSONField(_("conditions"), default=dict, blank=True)
    function = models.ForeignKey("directory.Function", on_delete=models.PROTECT, related_name="+")
    resolve = models.CharField(_("resolve"), max_length=16, choices=Resolve.choices)
    # Đ3.1 "nhanh chóng, kịp thời": the focal points hear of an urgent delivery at once, not in the digest.
    urgent = models.BooleanField(_("urgent"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["ruleset", "position"]
        constraints = [models.UniqueConstraint(fields=["ruleset", "code"], name="uniq_rule_code")]

    def __str__(self) -> str:
        return f"{self.code} ({self.article})"

    @property
    def description(self) -> str:
        return (
            self.description_en
            if (get_language() or "vi").startswith("en") and self.description_en
            else self.description_vi
        )
