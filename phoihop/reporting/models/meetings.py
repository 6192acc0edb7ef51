"""Đ18.1: the six-monthly review meeting convened by the DIC, its participants, minutes and conclusions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import FollowUpStatus, MeetingStatus
from .periods import Period


class ReviewMeeting(models.Model):
    """Đ18.1: a review meeting of a period: when, where, the invitation (giấy mời), the minutes."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("period"))
    convenor = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300)
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    invitation = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invitation (giấy mời)"),
    )
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review meeting")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.period.code} {self.starts_at:%Y-%m-%d}"


class MeetingParticipant(models.Model):
    """An organisation invited to a review meeting, and whether it attended (recorded with the minutes)."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField(_("attended"), null=True)

    class Meta:
        ordering = ["organisation__code"]
        constraints = [models.UniqueConstraint(fields=["meeting", "organisation"], name="uniq_meeting_participant")]


class Conclusion(models.Model):
    """A conclusion of a review meeting and, when it calls for work, its follow-up: the organisation and
    person who own it, the deadline, its status and result. (Case tasks belong to a case, so a meeting's
    follow-ups are tracked here, with their own reminders.)"""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="conclusions")
    text = models.TextField(_("conclusion"))
    owner_organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner organisation"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    result = models.TextField(_("result"), blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "due_on", "pk"]
        indexes = [models.Index(fields=["owner_organisation", "status", "due_on"])]

    @property
    def is_task(self) -> bool:
        return self.owner_organisation_id is not None

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.is_task and self.status == FollowUpStatus.OPEN and self.due_on and self.due_on < timezone.localdate()
        )
