"""A party's six-monthly (or ad-hoc) report to the DIC, and the DIC's consolidated report to the PPC (Đ18)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ReportStatus
from .periods import Obligation, Period


class PartyReport(models.Model):
    """Đ18.2: one version of an organisation's report for a period.

    Its figures are the system's own, recomputed while it is a draft and frozen at submission together with
    the moment they were read (`figures_as_of`); its narrative sections are written by people. Version 1 is
    the report; an amendment is a new version that `amends` the one before, which stays as it was."""

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    amends = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="amended_by", verbose_name=_("amends")
    )
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    sections = models.JSONField(_("sections"), default=dict)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    figures_as_of = models.DateTimeField(_("figures as of"), null=True, blank=True)
    return_reason = models.TextField(_("why it was returned"), blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Đ3.2: approved and signed by the head as an official document (kind "báo cáo").
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("official document"),
    )
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("party report")
        verbose_name_plural = _("party reports")
        ordering = ["obligation__organisation__code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["obligation", "version"], name="uniq_party_report_version"),
            # A second first report for the same period cannot slip in (an amendment is a later version).
            models.UniqueConstraint(fields=["obligation"], condition=models.Q(version=1), name="uniq_party_report"),
        ]

    def __str__(self) -> str:
        return f"{self.obligation} v{self.version}"

    @property
    def period(self) -> Period:
        return self.obligation.period

    @property
    def is_submitted(self) -> bool:
        return self.status == ReportStatus.SUBMITTED

    @property
    def is_late(self) -> bool:
        return bool(self.submitted_at and self.submitted_at.date() > self.obligation.due_on)


class Consolidation(models.Model):
    """Đ18.1: the DIC's consolidated report of a period to the PPC, its figures frozen when it was made."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="consolidations")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    figures = models.JSONField(_("figures"), default=dict)
    figures_as_of = models.DateTimeField(_("figures as of"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("official document"),
    )
    document_number = models.CharField(_("document number"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("consolidated report")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["period", "version"], name="uniq_consolidation_version")]
