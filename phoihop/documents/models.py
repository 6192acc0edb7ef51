"""Official documents (Decree 30/2020/NĐ-CP) and the registers of each organisation (Đ3.2, Đ3.3, Đ17.2).

A document is drafted by a focal point or an officer, signed by the head of the issuing organisation (its
number is taken from the organisation's outgoing register of the year at that moment), then sent: each
recipient organisation gets it in its incoming register with an arrival number. The signed PDF is kept in
the database row itself, so a document and its file are written (or refused) in one transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import TimeStampedModel

from .choices import DocumentKind, DocumentStatus, Origin, Urgency, Verdict


class Document(TimeStampedModel):
    """One official document: its Decree-30 fields, its state, its signed PDF and what verifying it found."""

    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices, default=Origin.ELECTRONIC)
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
        verbose_name=_("issuing organisation"),
    )
    # A paper document from outside the directory names its issuer as printed.
    issuer_name = models.CharField(_("issuer (as printed)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=DocumentKind.choices)
    status = models.CharField(_("status"), max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    # Đ3.2 / Decree 30, Đ15: the number of the outgoing register of the year, taken at signing.
    year = models.PositiveSmallIntegerField(_("register year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    reference = models.CharField(_("number and symbol"), max_length=80, blank=True, db_index=True)
    drafting_unit = models.CharField(_("drafting unit (symbol)"), max_length=20, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    summary = models.CharField(_("summary (trích yếu)"), max_length=500)
    body = models.TextField(_("body"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL, blank=True)
    other_recipients = models.TextField(_("other recipients (one per line)"), blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=200, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    return_comment = models.TextField(_("comments of the head"), blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # What the document is about (Đ4.5, Đ5.4, Đ3.4: a case and the stage whose decision it is; a report).
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="documents", verbose_name=_("case")
    )
    administrative_handling = models.ForeignKey(
        "cases.AdministrativeHandling", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    police_transfer = models.ForeignKey(
        "cases.PoliceTransfer", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    recommendation = models.ForeignKey(
        "cases.ProcuracyRecommendation", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    report = models.ForeignKey(
        "intake.Report", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    # The signed PDF (or the scan registered by hand), its digest, and what verifying it found.
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    verdict = models.CharField(_("verification"), max_length=12, choices=Verdict.choices, blank=True)
    verification = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("official document")
        verbose_name_plural = _("official documents")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Decree 30, Đ15: one number per organisation and year, never given twice.
            models.UniqueConstraint(
                fields=["organisation", "year", "number"],
                condition=models.Q(origin="electronic", number__isnull=False),
                name="uniq_document_outgoing_number",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "created_at"]),
            models.Index(fields=["status", "organisation"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference or self.get_status_display()} {self.summary[:80]}"

    @property
    def issuer_label(self) -> str:
        return self.organisation.name_vi if self.organisation_id else self.issuer_name

    @property
    def has_pdf(self) -> bool:
        return bool(self.pdf_sha256)


class DocumentRecipient(models.Model):
    """A recipient organisation (nơi nhận) and, once delivered, the entry of its incoming register."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="received_documents"
    )
    position = models.PositiveSmallIntegerField(default=0)
    incoming_year = models.PositiveSmallIntegerField(_("register year"), null=True, blank=True)
    incoming_number = models.PositiveIntegerField(_("arrival number"), null=True, blank=True)
    received_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verdict = models.CharField(_("verification on receipt"), max_length=12, choices=Verdict.choices, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["document", "organisation"], name="uniq_document_recipient"),
            models.UniqueConstraint(
                fields=["organisation", "incoming_year", "incoming_number"],
                condition=models.Q(incoming_number__isnull=False),
                name="uniq_document_incoming_number",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "received_at"])]


class RegisterCounter(models.Model):
    """The last number given in an organisation's outgoing or incoming register of a year (one row each):
    taking a number increments it under the row's lock, so numbers are gapless and never given twice."""

    class Register(models.TextChoices):
        OUTGOING = "out", _("outgoing")
        INCOMING = "in", _("incoming")

    organisation = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    register = models.CharField(max_length=3, choices=Register.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "register"], name="uniq_register_counter")
        ]


# --- Conventions of a rule set (documents.yaml): symbols, titles, places ------------------------------------


class KindConvention(models.Model):
    """Decree 30, Appendix III: the abbreviation of a kind in the symbol ("QĐ") and its printed title."""

    kind = models.CharField(max_length=24, choices=DocumentKind.choices, unique=True)
    symbol = models.CharField(max_length=12, blank=True)  # empty for an official letter (công văn)
    title = models.CharField(max_length=60, blank=True)  # "QUYẾT ĐỊNH"; empty for an official letter


class OrganisationConvention(models.Model):
    """How an organisation's documents are headed and numbered: its symbol ("STTTT"), the governing body printed
    above its name ("UBND TỈNH SÓC TRĂNG"), the place of its date line and the title of its head."""

    organisation = models.OneToOneField(
        "directory.Organisation", on_delete=models.CASCADE, related_name="document_convention"
    )
    symbol = models.CharField(max_length=20)
    parent_line = models.CharField(max_length=200, blank=True)
    place = models.CharField(max_length=100, blank=True)
    head_title = models.CharField(max_length=100, blank=True)  # "GIÁM ĐỐC"
