"""Cases (vụ việc): the parties' joint work on one or several reports, under need-to-know access."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import TimeStampedModel

from .choices import AccessLevel, CaseStatus, Outcome, ParticipantRole, SecretLevel


class Case(TimeStampedModel):
    """One case with its lead and participating organisations, state and deadline."""

    reference = models.CharField(_("case number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=300)
    lead_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="led_cases", verbose_name=_("lead")
    )
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.NEW)
    access_level = models.CharField(_("access"), max_length=12, choices=AccessLevel.choices, default=AccessLevel.NORMAL)
    # Law 29/2018: state secrets may not be kept on networked computers; only the register entry is here.
    has_secret_dossier = models.BooleanField(_("state-secret dossier"), default=False)
    sector = models.ForeignKey("taxonomy.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    behaviour = models.ForeignKey(
        "taxonomy.Behaviour", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        "directory.AdministrativeUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["lead_organisation", "status"]),
            models.Index(fields=["access_level", "created_at"]),
            models.Index(fields=["due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_at and self.due_at < timezone.now())

    # What the stages decided: the latest record of each (a re-opened case may go through a stage again).

    @cached_property
    def administrative_handling(self) -> AdministrativeHandling | None:
        return self.administrative_handlings.order_by("-pk").first()

    @cached_property
    def police_transfer(self) -> PoliceTransfer | None:
        return self.police_transfers.select_related("receiving_police_unit").order_by("-pk").first()

    @cached_property
    def recommendation(self) -> ProcuracyRecommendation | None:
        return self.recommendations.select_related("procuracy").order_by("-pk").first()

    @cached_property
    def closure(self) -> CaseClosure | None:
        """The closure in force (None while the case is open)."""
        if self.is_open:
            return None
        return self.closures.filter(reopened_at__isnull=True).select_related("merged_into").order_by("-pk").first()


class CaseParticipant(models.Model):
    """An organisation taking part in a case (the lead is one too)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="case_roles")
    role = models.CharField(max_length=12, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participating organisation")
        verbose_name_plural = _("participating organisations")
        constraints = [models.UniqueConstraint(fields=["case", "organisation"], name="uniq_case_participant")]
        indexes = [models.Index(fields=["organisation", "case"])]


class CaseMember(models.Model):
    """A person named on the case (assigned officer): on a restricted case, only they and heads see it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_memberships")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case officer")
        verbose_name_plural = _("case officers")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="uniq_case_member")]
        indexes = [models.Index(fields=["user", "case"])]


class CaseReport(models.Model):
    """A report attached to a case (a report belongs to at most one case)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="report_links")
    report = models.OneToOneField("intake.Report", on_delete=models.PROTECT, related_name="case_link")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report of a case")
        verbose_name_plural = _("reports of cases")


class Task(models.Model):
    """Work with an owner and a due date (e.g. the carrier verifies a subscriber)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=300)
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="case_tasks"
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    # Ended without being done (the case closed, or its organisation left the case): done_at is set too,
    # so "open" stays "done_at is null" everywhere; the result says why it was cancelled.
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["done_at", "due_at", "created_at"]
        indexes = [models.Index(fields=["organisation", "done_at", "due_at"])]

    @property
    def is_overdue(self) -> bool:
        return bool(not self.done_at and self.due_at and self.due_at < timezone.now())


EVIDENCE_FILES_AT_ONCE = 10  # files in one upload to a case or a task's result


class CaseEvidence(models.Model):
    """A file on a case, or on a task's result: type checked from its content, stored by its SHA-256 in the
    evidence storage (intake.services.evidence), the same content stored once whoever brought it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("task")
    )
    file = models.CharField(max_length=300, db_index=True)  # the storage name (sha256/ab/cd/<hash><suffix>)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence of a case")
        verbose_name_plural = _("evidence of cases")
        ordering = ["uploaded_at", "pk"]


class Note(models.Model):
    """A note on the case by one of its people."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at"]


class CaseLink(models.Model):
    """Two related cases (stored once, from the lower id)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_out")
    other = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_in")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("linked case")
        verbose_name_plural = _("linked cases")
        constraints = [models.UniqueConstraint(fields=["case", "other"], name="uniq_case_link")]


class SecretDossier(models.Model):
    """The register entry of a state-secret dossier kept off the network (Law 29/2018)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="secret_dossier")
    number = models.CharField(_("register number"), max_length=100)
    level = models.CharField(_("classification"), max_length=12, choices=SecretLevel.choices)
    holder = models.CharField(_("holder"), max_length=200)
    location = models.CharField(_("kept at"), max_length=300)
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("secret register entry")
        verbose_name_plural = _("secret register entries")


# --- What each stage of the workflow decided: records of their own, with who and when ---------------------
# Each is a record (not columns on the case) so that a stage can be gone through again after a re-opening
# and so that the official document of the stage can be attached to it later.


class StageRecord(models.Model):
    """Who recorded a stage's decision, and when."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-recorded_at", "-pk"]


class AdministrativeHandling(StageRecord):
    """Đ4.5, Đ5.4: the administrative sanction decided by the regulator that leads the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="administrative_handlings")
    sanction_decision = models.CharField(_("sanction decision number"), max_length=100)
    fine_amount = models.PositiveBigIntegerField(_("fine (VND)"), null=True, blank=True)
    measures = models.TextField(_("remedial measures"))

    class Meta(StageRecord.Meta):
        verbose_name = _("administrative handling")
        verbose_name_plural = _("administrative handlings")


class PoliceTransfer(StageRecord):
    """Đ5.4, Đ10.3: the dossier sent to the police investigation agency."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="police_transfers")
    receiving_police_unit = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving police unit")
    )
    dossier = models.CharField(_("transfer dossier"), max_length=300)

    class Meta(StageRecord.Meta):
        verbose_name = _("transfer to the police")
        verbose_name_plural = _("transfers to the police")


class ProcuracyRecommendation(StageRecord):
    """Đ3.4: the recommendation to prosecute sent to the People's Procuracy."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recommendations")
    procuracy = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("procuracy")
    )
    reference = models.CharField(_("recommendation reference"), max_length=100)

    class Meta(StageRecord.Meta):
        verbose_name = _("recommendation to the Procuracy")
        verbose_name_plural = _("recommendations to the Procuracy")


class CaseClosure(StageRecord):
    """How the case ended; a re-opening ends the closure (who, when, why) and keeps it as history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closures")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("outcome note"), blank=True)
    merged_into = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(_("re-opened"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopen_reason = models.TextField(_("why re-opened"), blank=True)

    class Meta(StageRecord.Meta):
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            # One closure in force per case: a second close of the same case cannot slip in.
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(reopened_at__isnull=True), name="uniq_case_closure_in_force"
            )
        ]
