"""Reports of violations (tin báo), their evidence, indicators and deliveries to organisations."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import TimeStampedModel

from .choices import (
    PUBLIC_OUTCOME,
    PUBLIC_OUTCOME_DEFAULT,
    PUBLIC_STATUS,
    Channel,
    CloseReason,
    IndicatorSource,
    PublicStatus,
    ReporterType,
    ReportStatus,
)


class Report(TimeStampedModel):
    """One report from the public, an enterprise or an agency, as received and routed."""

    reference = models.CharField(_("tracking code"), max_length=20, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    reporter_type = models.CharField(_("reporter"), max_length=16, choices=ReporterType.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
        db_index=False,  # the (…, created_at) index below starts with it
    )
    reporter_organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports_made",
        verbose_name=_("reporting organisation"),
        db_index=False,  # the (…, created_at) index below starts with it
    )
    on_behalf_of = models.CharField(_("on behalf of"), max_length=200, blank=True)
    external_ref = models.CharField(_("own reference"), max_length=100, blank=True)
    sector = models.ForeignKey(
        "taxonomy.Sector",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the (…, created_at) index below starts with it
    )
    behaviour = models.ForeignKey(
        "taxonomy.Behaviour",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("behaviour"),
        db_index=False,  # the (…, created_at) index below starts with it
    )
    area = models.ForeignKey(
        "directory.AdministrativeUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("where"),
        db_index=False,  # the (…, created_at) index below starts with it
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    occurred_at = models.DateTimeField(_("when it happened"), null=True, blank=True)
    description = models.TextField(_("what happened"))
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.RECEIVED)
    close_reason = models.CharField(_("closing reason"), max_length=16, choices=CloseReason.choices, blank=True)
    close_note = models.TextField(_("closing note"), blank=True)
    ruleset = models.ForeignKey("rulesets.RuleSet", on_delete=models.PROTECT, related_name="+")
    # Lower-case text without diacritics, for search that ignores them ("lua dao" finds "Lừa đảo").
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        constraints = [
            # A retried API call or import with the same reference never creates a second report.
            models.UniqueConstraint(
                fields=["reporter_organisation", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="uniq_report_external_ref",
            )
        ]
        indexes = [
            models.Index(fields=["sector", "created_at"]),  # the report list's sector filter, newest first
            models.Index(fields=["behaviour", "created_at"]),
            models.Index(fields=["area", "created_at"]),
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["submitted_by", "created_at"]),
            models.Index(fields=["reporter_organisation", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def public_status(self) -> str:
        return PUBLIC_STATUS.get(self.status, PublicStatus.HANDLING)

    def get_public_status_display(self) -> str:
        return PublicStatus(self.public_status).label

    @property
    def public_outcome(self) -> str:
        """The outcome of a closed report in plain words for its reporter ("" while it is open)."""
        if self.status != ReportStatus.CLOSED:
            return ""
        return str(PUBLIC_OUTCOME.get(self.close_reason, PUBLIC_OUTCOME_DEFAULT))


class ReporterContact(models.Model):
    """The reporter's contact details, kept apart: hidden from receiving organisations by default."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="contact")
    name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    consent_at = models.DateTimeField(_("consent given"))
    consent_version = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("reporter contact")
        verbose_name_plural = _("reporter contacts")


class EvidenceStorage(Storage):
    """Hands every call to STORAGES["evidence"] as configured now (local folder or S3-compatible)."""

    @property
    def backend(self) -> Storage:
        return storages["evidence"]

    def open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend.save(name, content, max_length=max_length)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def size(self, name):
        return self.backend.size(name)

    def url(self, name):
        return self.backend.url(name)

    def path(self, name):
        return self.backend.path(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def deconstruct(self):
        return ("phoihop.intake.models.EvidenceStorage", (), {})


evidence_storage = EvidenceStorage()


class Evidence(models.Model):
    """An uploaded file, type checked from its content, with the SHA-256 taken at intake."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=evidence_storage, upload_to="%Y/%m/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at"]


class ReportIndicator(models.Model):
    """An indicator as it appears in one report: as written, and whether it was valid."""

    # Issue 9, bytes per report: no lone index on either link; uniq_report_indicator starts with the report and
    # the (indicator, report) index with the indicator, and each serves what a lone one would.
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="indicator_links", db_index=False)
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.PROTECT, related_name="links", db_index=False
    )
    raw = models.CharField(_("as written"), max_length=500)
    valid = models.BooleanField(_("valid"), default=True)
    error_code = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=10, choices=IndicatorSource.choices, default=IndicatorSource.FIELD)
    detail = models.CharField(max_length=100, blank=True)  # the bank, the registered domain

    class Meta:
        verbose_name = _("indicator of a report")
        verbose_name_plural = _("indicators of reports")
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="uniq_report_indicator")]
        indexes = [models.Index(fields=["indicator", "report"])]


class FollowUp(models.Model):
    """Information the reporter added later with the tracking code and secret."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.TextField(_("additional information"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["created_at"]


class ImportBatch(models.Model):
    """One bulk import, keyed by the client's Idempotency-Key: a retry returns the stored result."""

    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=100)
    file_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("bulk import")
        verbose_name_plural = _("bulk imports")
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="uniq_import_key")]


class ImportJob(models.Model):
    """A file of reports uploaded on the import page (Đ11.5), run by the worker, with its progress for the page.

    The file waits in `content` until the worker has read it, then is cleared; the outcome stays (counts, the
    rows refused with their reasons) and links to the ImportBatch that makes the import idempotent."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Finished")
        REFUSED = "refused", _("Refused")
        FAILED = "failed", _("Stopped by an error")

    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    content = models.BinaryField(default=b"", editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    existing_count = models.PositiveIntegerField(_("already received"), default=0)
    error_count = models.PositiveIntegerField(_("with errors"), default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row": n, "errors": {field: [message]}}]
    message = models.TextField(blank=True)  # why the file was refused, or what stopped the import
    replayed = models.BooleanField(default=False)  # the same file was imported before: nothing imported again
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import from the web page")
        verbose_name_plural = _("imports from the web page")
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.REFUSED, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if self.finished and self.status == self.Status.DONE:
            return 100
        return 100 * self.rows_done // self.rows_total if self.rows_total else 0
