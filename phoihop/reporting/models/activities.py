"""Awareness work (Đ4.1, Đ5.3, Đ9): campaigns, articles, broadcasts and training, counted in the reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ActivityKind


class AwarenessActivity(models.Model):
    """One awareness activity of an organisation: when, what kind, for whom, and where to see it."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("date"))
    audience = models.CharField(_("audience"), max_length=300)
    audience_size = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="reporting/activities/%Y/", max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_type = models.CharField(_("file type"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("awareness activity")
        verbose_name_plural = _("awareness activities")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"
