"""Advisories to the parties (Đ5.1, Đ5.7, Đ6.2, Đ8.1), public warnings (Đ4.1, Đ9) and newsroom subscriptions.

Files and images are kept in the database beside their row: they are small (capped, checked by content),
so a write is one transaction that keeps the row and its file together or neither (no orphan file), and a
backup of the database holds them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import TimeStampedModel

from .choices import AccessLevel, AdvisoryKind, AdvisoryStatus, WarningStatus


class Advisory(TimeStampedModel):
    """A professional advisory from the Police, the DoIT or the DIC to chosen parties, to be acknowledged."""

    reference = models.CharField(_("number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AdvisoryKind.choices)
    title = models.CharField(_("title"), max_length=300)
    method = models.TextField(_("method or subject"))
    advice = models.TextField(_("what the recipients should do"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=AdvisoryStatus.choices, default=AdvisoryStatus.DRAFT)
    access_level = models.CharField(_("access"), max_length=12, choices=AccessLevel.choices, default=AccessLevel.NORMAL)
    sender = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="advisories_sent", verbose_name=_("sender")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Who is chosen: functions, types of organisation ("police", "enterprise:telecom"), named organisations.
    # They are resolved into recipients when the advisory is sent.
    audience_functions = models.ManyToManyField("directory.Function", blank=True, related_name="+")
    audience_types = models.JSONField(_("types of organisation"), default=list, blank=True)
    audience_organisations = models.ManyToManyField("directory.Organisation", blank=True, related_name="+")
    indicators = models.ManyToManyField("indicators.Indicator", blank=True, related_name="advisories")
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("advisory")
        verbose_name_plural = _("advisories")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sender", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class AdvisoryRecipient(models.Model):
    """An organisation an advisory was sent to; it acknowledges once; reminders go out until it does."""

    advisory = models.ForeignKey(Advisory, on_delete=models.CASCADE, related_name="recipients")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("recipient of an advisory")
        verbose_name_plural = _("recipients of advisories")
        constraints = [models.UniqueConstraint(fields=["advisory", "organisation"], name="uniq_advisory_recipient")]
        indexes = [
            models.Index(fields=["organisation", "advisory"]),
            models.Index(
                fields=["advisory"], condition=models.Q(acknowledged_at__isnull=True), name="advisory_unacknowledged"
            ),
        ]


class StoredFile(models.Model):
    """A checked upload (type read from the content, size capped), kept with its row."""

    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class AdvisoryFile(StoredFile):
    """A file attached to an advisory (a sample message, a document, a photo of a counterfeit device)."""

    advisory = models.ForeignKey(Advisory, on_delete=models.CASCADE, related_name="files")

    class Meta:
        verbose_name = _("file of an advisory")
        verbose_name_plural = _("files of advisories")
        ordering = ["pk"]


class PublicWarning(TimeStampedModel):
    """Đ9: a warning to the public, approved by the head of the issuing organisation, then published."""

    slug = models.SlugField(_("address"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=600)
    method = models.TextField(_("how the scam works"))
    protection = models.TextField(_("how to protect yourself"))
    status = models.CharField(_("status"), max_length=12, choices=WarningStatus.choices, default=WarningStatus.DRAFT)
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="warnings", verbose_name=_("case")
    )
    indicators = models.ManyToManyField("indicators.Indicator", blank=True, related_name="warnings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_comment = models.TextField(_("comment of the head"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("public warning")
        verbose_name_plural = _("public warnings")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "published_at"]),
            models.Index(fields=["organisation", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == WarningStatus.PUBLISHED


class WarningImage(StoredFile):
    """An image shown on a public warning (a screenshot of the scam message, the fake site...)."""

    warning = models.ForeignKey(PublicWarning, on_delete=models.CASCADE, related_name="images")
    alt = models.CharField(_("description of the image"), max_length=300)

    class Meta:
        verbose_name = _("image of a warning")
        verbose_name_plural = _("images of warnings")
        ordering = ["pk"]


class NewsroomSubscription(models.Model):
    """Đ9: a newsroom's address that receives each published warning by e-mail (double opt-in)."""

    email = models.EmailField(_("e-mail"), unique=True)
    name = models.CharField(_("newsroom"), max_length=200)
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsroom subscription")
        verbose_name_plural = _("newsroom subscriptions")
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class AdvisoryKindRule(models.Model):
    """Rule-set data (alerts.yaml): who issues each kind of advisory, and how often the unacknowledged are
    reminded."""

    kind = models.CharField(_("kind"), max_length=20, choices=AdvisoryKind.choices, unique=True)
    article = models.CharField(_("article"), max_length=100, blank=True)
    # Đ6.2, Đ8.1, Đ5.1: the organisations holding one of these functions on the day issue this kind.
    issuer_functions = models.JSONField(_("functions of the issuers"), default=list)
    reminder_hours = models.PositiveIntegerField(_("hours between reminders"), default=24)
    max_reminders = models.PositiveSmallIntegerField(_("reminders at most"), default=3)

    class Meta:
        verbose_name = _("rule of a kind of advisory")
        verbose_name_plural = _("rules of the kinds of advisory")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.kind
