"""Choices of the alerts app: kinds and states of advisories and public warnings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AdvisoryKind(models.TextChoices):
    """What an advisory to the parties is about, and the article that calls for it."""

    CRIME_METHOD = "crime_method", _("Criminals' plots, methods and tricks (Đ6.2)")
    BANNED_GOODS = "banned_goods", _("Smuggled, counterfeit or banned ICT goods (Đ8.1)")
    GUIDANCE = "guidance", _("Legal documents and guidance to enterprises (Đ5.1, Đ5.7)")


class AdvisoryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AccessLevel(models.TextChoices):
    NORMAL = "normal", _("Normal")
    # Đ3.1, Đ17.1: need to know: only the sender and the recipients see it, and every view is recorded.
    RESTRICTED = "restricted", _("Restricted (need to know)")


class WarningStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
