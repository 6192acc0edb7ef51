"""Choices of the reporting app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    """Đ18.2: every six months, or ad hoc when the DIC asks."""

    REGULAR = "regular", _("Six-monthly")
    AD_HOC = "ad_hoc", _("Ad hoc")


class ReportStatus(models.TextChoices):
    """A party's report: written by its people, approved and signed by its head, then submitted (Đ3.2, Đ18.2)."""

    DRAFT = "draft", _("Draft")
    AWAITING_HEAD = "awaiting_head", _("Awaiting the head's approval")
    SUBMITTED = "submitted", _("Submitted to the DIC")


class ActivityKind(models.TextChoices):
    """Đ4.1, Đ5.3, Đ9: kinds of awareness work."""

    CAMPAIGN = "campaign", _("Campaign")
    ARTICLE = "article", _("Article")
    BROADCAST = "broadcast", _("Broadcast")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class DifficultyStatus(models.TextChoices):
    """Đ19: what the DIC did with a difficulty or proposal."""

    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    ACCEPTED = "accepted", _("Accepted: an amendment is proposed")
    DECLINED = "declined", _("Declined")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
