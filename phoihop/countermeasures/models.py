"""Countermeasures (biện pháp ngăn chặn): a request to a carrier, an ISP, a platform or a bank to block a number
or a SIM, block a URL or a domain, take content down or freeze an account (Đ4.2, Đ11.2–11.3), and the rule-set
data saying which action fits which kind of value and which kind of enterprise."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import BilingualNameMixin, TimeStampedModel
from phoihop.rulesets.models import RuleSet

from .choices import ACTIVE, PENDING, LiftCause, Status


class CountermeasureRule(BilingualNameMixin, models.Model):
    """One action of a rule set's countermeasures.yaml: which values it applies to, who can do it, by when."""

    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="countermeasure_rules")
    code = models.SlugField(_("code"), max_length=64)
    article = models.CharField(_("article"), max_length=40)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    indicator_kinds = models.JSONField(_("kinds of value"), default=list)
    enterprise_kinds = models.JSONField(_("kinds of enterprise"), default=list)
    deadline_working_days = models.PositiveSmallIntegerField(_("deadline (working days)"))
    escalate_after_working_days = models.PositiveSmallIntegerField(_("escalation after the deadline (working days)"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("countermeasure rule")
        verbose_name_plural = _("countermeasure rules")
        ordering = ["ruleset", "position"]
        constraints = [models.UniqueConstraint(fields=["ruleset", "code"], name="uniq_countermeasure_rule")]

    def __str__(self) -> str:
        return f"{self.code} ({self.article})"


class Countermeasure(TimeStampedModel):
    """A measure asked of one organisation on one value of one case, with its legal basis and deadline."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="countermeasures", verbose_name=_("case")
    )
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.PROTECT, related_name="countermeasures", verbose_name=_("value")
    )
    action = models.SlugField(_("action"), max_length=64)
    article = models.CharField(_("article"), max_length=40)
    target = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="countermeasures_asked",
        verbose_name=_("asked of"),
    )
    requesting_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    legal_basis = models.TextField(_("legal basis"))
    # The official document the request rests on (a signed dispatch of the case), when there is one.
    document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="countermeasures",
        verbose_name=_("document"),
    )
    instructions = models.TextField(_("instructions"), blank=True)
    due_on = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)

    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the enterprise reports: when it executed the measure and its own reference for it.
    executed_at = models.DateTimeField(_("executed"), null=True, blank=True)
    execution_reference = models.CharField(_("their reference"), max_length=200, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refused_at = models.DateTimeField(_("refused"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lift_cause = models.CharField(_("lifted because"), max_length=16, choices=LiftCause.choices, blank=True)
    lift_reason = models.TextField(_("reason for lifting"), blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the periodic sweep already sent (each once): the reminder to the focal points, the escalation.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("countermeasure")
        verbose_name_plural = _("countermeasures")
        ordering = ["-created_at"]
        constraints = [
            # One measure asked for or in force per value, organisation and action (a retried request, or two
            # officers at once, cannot make a second one).
            models.UniqueConstraint(
                fields=["indicator", "target", "action"],
                condition=models.Q(status__in=[s.value for s in ACTIVE]),
                name="uniq_active_countermeasure",
            )
        ]
        indexes = [
            models.Index(fields=["target", "status"]),
            models.Index(fields=["requesting_organisation", "status"]),
            models.Index(fields=["status", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    @property
    def is_overdue(self) -> bool:
        return self.is_pending and self.due_on < timezone.localdate()
