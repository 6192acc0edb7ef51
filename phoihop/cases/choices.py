"""Choices of the cases app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    """The states of the coordination workflow (Đ4.4, Đ4.5, Đ5.4, Đ3.4); moves are in workflow.py."""

    NEW = "new", _("New")
    VERIFYING = "verifying", _("Verifying")
    ADMINISTRATIVE = "administrative", _("Administrative handling")
    TRANSFERRED = "transferred", _("Transferred to the police")
    INVESTIGATING = "investigating", _("Under investigation")
    RECOMMENDED = "recommended", _("Recommended for prosecution")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    SANCTIONED = "sanctioned", _("Sanctioned")
    PROSECUTED = "prosecuted", _("Prosecuted")
    UNFOUNDED = "unfounded", _("Unfounded")
    MERGED = "merged", _("Merged into another case")
    NO_JURISDICTION = "no_jurisdiction", _("No jurisdiction")


class AccessLevel(models.TextChoices):
    NORMAL = "normal", _("Normal")
    RESTRICTED = "restricted", _("Restricted")


class SecretLevel(models.TextChoices):
    """Law 29/2018 on protecting state secrets."""

    MAT = "mat", _("Confidential (Mật)")
    TOI_MAT = "toi_mat", _("Secret (Tối mật)")
    TUYET_MAT = "tuyet_mat", _("Top secret (Tuyệt mật)")


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTICIPANT = "participant", _("Participant")
