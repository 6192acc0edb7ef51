"""Listing decisions on indicators verified as used for fraud, and the owners' appeals (Đ4.1, Đ9, Đ11.2–11.3).

An indicator (a phone number, a site, an account...) is *listed* only by a decision: an officer of the lead
organisation of a case proposes it with a category and a reason, a hub coordinator or head approves it. A
listing has a review date (phone numbers are recycled by carriers) and lapses unless confirmed. The owner of
a listed value may appeal; an upheld appeal delists it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import BilingualNameMixin, TimeStampedModel

from .choices import ACTIVE_STATES, AppealStatus, ListingStatus


class ListingCategory(BilingualNameMixin, models.Model):
    """What a listed value was used for (scam call, fake shop, phishing site, mule account...): rule-set data."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    # The indicator kinds the category applies to (an empty list: every kind).
    kinds = models.JSONField(_("kinds"), default=list, blank=True)
    article = models.CharField(_("article"), max_length=100, blank=True)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("listing category")
        verbose_name_plural = _("listing categories")
        ordering = ["position", "code"]

    def applies_to(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


class ReviewPeriod(models.Model):
    """How many days a listing of one indicator kind stands before it must be confirmed: rule-set data."""

    kind = models.CharField(_("kind"), max_length=20, unique=True)
    days = models.PositiveIntegerField(_("days"))

    class Meta:
        verbose_name = _("review period")
        verbose_name_plural = _("review periods")
        ordering = ["kind"]


class Listing(TimeStampedModel):
    """One decision on one indicator: proposed, then listed or rejected; a listing later lapses or is delisted."""

    reference = models.CharField(_("listing number"), max_length=20, unique=True)
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.PROTECT, related_name="listings", verbose_name=_("indicator")
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="listings", verbose_name=_("case"))
    category = models.ForeignKey(
        ListingCategory, on_delete=models.PROTECT, related_name="listings", verbose_name=_("category")
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=12, choices=ListingStatus.choices, default=ListingStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    listed_at = models.DateTimeField(_("listed"), null=True, blank=True)
    review_on = models.DateField(_("review date"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("last confirmed"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), blank=True)
    # Reminders of the review date sent (the periodic sweep sends one, once).
    review_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["-created_at"]
        constraints = [
            # One proposal or listing in force per value: a second one waits for the first to be decided.
            models.UniqueConstraint(
                fields=["indicator"],
                condition=models.Q(status__in=[s.value for s in ACTIVE_STATES]),
                name="uniq_listing_active_indicator",
            )
        ]
        indexes = [
            models.Index(fields=["status", "review_on"]),
            models.Index(fields=["status", "updated_at"]),
            models.Index(fields=["case", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.indicator}"

    @property
    def is_listed(self) -> bool:
        return self.status == ListingStatus.LISTED

    @property
    def review_due(self) -> bool:
        return bool(self.is_listed and self.review_on and self.review_on <= timezone.localdate())


class Appeal(models.Model):
    """The owner of a listed value asks for it to be delisted, with contact, explanation and proof."""

    reference = models.CharField(_("appeal code"), max_length=20, unique=True)
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("listing"))
    # The appellant's contact: personal data, shown only to those who decide appeals.
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    explanation = models.TextField(_("explanation"))
    # The tracking link's secret, hashed: the appellant alone can open the status page.
    secret_hash = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=AppealStatus.choices, default=AppealStatus.OPEN)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.reference


class AppealProof(models.Model):
    """A proof file of an appeal, type checked from its content, kept in the database with its appeal (so a
    refused or failed appeal leaves no file behind)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="proofs")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField()

    class Meta:
        verbose_name = _("proof")
        verbose_name_plural = _("proofs")


class FeedGrant(models.Model):
    """The feed scope of an API key: it may read the feeds of verified indicators (CSV, STIX, MISP).

    Kept by the app that owns the feeds (the directory's keys know nothing of it): a key issued for the
    reports API reads no feed unless DIC grants it this scope; revoking the grant (or the key) stops it."""

    token = models.OneToOneField(
        "directory.ApiToken", on_delete=models.CASCADE, related_name="listing_feed_grant", verbose_name=_("API key")
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("feed scope of an API key")
        verbose_name_plural = _("feed scopes of API keys")
