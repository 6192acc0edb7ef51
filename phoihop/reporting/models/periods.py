"""Reporting periods and who owes a report for each (Đ18.2), with the schedule read from the rule set."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import PeriodKind


class ReportingSchedule(models.Model):
    """A rule set's reporting schedule (its `reporting.yaml`): periods, due dates, obliged parties, sections.

    Kept as the file says it (checked by the loader): `periods` are month-day boundaries repeated every
    year, `obliged` names functions or organisation types (Đ18.2), `sections` the narrative parts of a
    party's report and whether each is required, `reminder_days` how many days before the due date the
    focal points are reminded."""

    ruleset = models.OneToOneField(
        "rulesets.RuleSet", on_delete=models.CASCADE, related_name="reporting_schedule", verbose_name=_("rule set")
    )
    article = models.CharField(_("article"), max_length=40)
    periods = models.JSONField(_("periods"), default=list)
    obliged = models.JSONField(_("obliged parties"), default=list)
    sections = models.JSONField(_("sections"), default=list)
    reminder_days = models.JSONField(_("reminders (days before the due date)"), default=list)
    escalate_after_days = models.PositiveSmallIntegerField(_("escalate to the head after (days late)"), default=0)

    class Meta:
        verbose_name = _("reporting schedule")

    def __str__(self) -> str:
        return f"{self.ruleset.code}: {self.article}"


class Period(models.Model):
    """One reporting period: a half of the year (2026-H2) or an ad-hoc request of the DIC (Đ18.2)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.REGULAR)
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    due_on = models.DateField(_("due"))
    ruleset = models.ForeignKey("rulesets.RuleSet", on_delete=models.PROTECT, related_name="+")
    # What the DIC asks for in an ad-hoc request (empty for a six-monthly period).
    request_text = models.TextField(_("what is asked"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-ends_on", "code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="period_ends_after")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_ad_hoc(self) -> bool:
        return self.kind == PeriodKind.AD_HOC

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Obligation(models.Model):
    """Đ18.2: one organisation owes one report for one period, by its due date."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="obligations")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due"))
    # Which line of the schedule obliges it ("district-committees", or "ad-hoc" when the DIC chose it).
    basis = models.CharField(_("basis"), max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reporting obligation")
        ordering = ["organisation__code"]
        constraints = [models.UniqueConstraint(fields=["period", "organisation"], name="uniq_obligation")]
        indexes = [models.Index(fields=["organisation", "period"])]

    def __str__(self) -> str:
        return f"{self.period.code} {self.organisation.code}"

    def is_late_on(self, day: dt.date | None = None) -> bool:
        return (day or timezone.localdate()) > self.due_on


class ReminderSent(models.Model):
    """A reminder written to the outbox for an obligation or a follow-up: each is sent once (`key`)."""

    key = models.CharField(max_length=120, unique=True)
    obligation = models.ForeignKey(Obligation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    recipients = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
