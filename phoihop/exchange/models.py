"""Requests between organisations (Đ3.3, Đ5.5, Đ5.6, Đ8.3, Đ11.8, Đ17.2), one row per recipient organisation,
their answers, attachments, the expert-assessment council (Đ5.6) and hand-over records (biên bản giao nhận).

One request to N organisations is one `Request` and N `Recipient` rows: each recipient receives, assigns,
answers and is accepted or returned on its own, with its own deadline, reminders and escalation; the sender's
view of the request gathers them. The request's own state only says draft, sent, closed or withdrawn.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import TimeStampedModel

from .choices import (
    AWAITING_ANSWER,
    AttachmentPurpose,
    CouncilRole,
    RecipientStatus,
    RequestKind,
    RequestStatus,
    Urgency,
)


def _provisional_reference() -> str:
    """A unique placeholder until the row has its id (the reference is YC-<year>-<id>)."""
    return f"tmp-{uuid.uuid4().hex[:16]}"


class Request(TimeStampedModel):
    """A request from one organisation to one or more others, resting on an article of the regulation."""

    reference = models.CharField(_("reference"), max_length=24, unique=True, default=_provisional_reference)
    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices)
    sender = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="sent_requests", verbose_name=_("sender")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("subject"), max_length=300)
    article = models.CharField(_("article"), max_length=40)
    body = models.TextField(_("what is asked"))
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="requests", verbose_name=_("case")
    )
    report = models.ForeignKey(
        "intake.Report",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("report"),
    )
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    # The due date the sender asked for; when empty, sending sets it from the rule set's period (working days).
    due_date = models.DateField(_("due date"), null=True, blank=True)
    period_days = models.PositiveSmallIntegerField(_("period (working days)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.DRAFT)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    withdraw_reason = models.TextField(_("why withdrawn"), blank=True)

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["sender", "status", "created_at"]),
            models.Index(fields=["case"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"


class Recipient(models.Model):
    """One recipient organisation of a request, with its own lifecycle, deadline, reminder and escalation."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="recipients")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="received_requests"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RecipientStatus.choices, default=RecipientStatus.DRAFT
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_requests",
        verbose_name=_("assigned to"),
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The due date a reminder (to the focal points) and an escalation (to the head) were written for: each is
    # sent once per due date; a request returned for more gets a new due date, so a new reminder.
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    escalated_for = models.DateField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["request", "organisation"], name="uniq_request_recipient")]
        indexes = [
            models.Index(fields=["organisation", "status", "due_date"]),
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} → {self.organisation.display_name}"

    @property
    def awaiting_answer(self) -> bool:
        return self.status in AWAITING_ANSWER

    @property
    def is_overdue(self) -> bool:
        return bool(self.awaiting_answer and self.due_date and self.due_date < timezone.localdate())

    @property
    def latest_answer(self) -> Answer | None:
        answers = getattr(self, "_answers", None)
        if answers is None:
            return self.answers.order_by("-round").first()
        return answers[-1] if answers else None


class Answer(models.Model):
    """One answer of a recipient (a request returned for more is answered again: round 2, 3...)."""

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="answers")
    round = models.PositiveSmallIntegerField(default=1)
    text = models.TextField(_("answer"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("answered"), default=timezone.now)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.TextField(_("what more is needed"), blank=True)
    # Đ3.2: the official reply, a document signed by the head of the answering organisation (documents app).
    reply_document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="request_answers",
        verbose_name=_("official reply document"),
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["recipient", "round"]
        constraints = [models.UniqueConstraint(fields=["recipient", "round"], name="uniq_answer_round")]


class Attachment(models.Model):
    """A file of a request, an answer or a hand-over: type checked from its content, SHA-256 taken."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="attachments")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    purpose = models.CharField(max_length=12, choices=AttachmentPurpose.choices, default=AttachmentPurpose.REQUEST)
    file = models.CharField(max_length=300)  # the storage name (exchange/sha256/ab/cd/<hash><suffix>)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]


# --- Đ5.6: the expert-assessment council ------------------------------------------------------------------


class Council(models.Model):
    """Đ5.6: the council the DIC forms to answer an expert-assessment request (one per recipient row)."""

    recipient = models.OneToOneField(Recipient, on_delete=models.CASCADE, related_name="council")
    decision_ref = models.CharField(_("decision forming the council"), max_length=100, blank=True)
    formed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    formed_at = models.DateTimeField(_("formed"), default=timezone.now)
    adopted_at = models.DateTimeField(_("conclusion adopted"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    # Đ5.6: the conclusion adopted, as a signed document of the kind "kết luận giám định".
    conclusion_document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessment_councils",
        verbose_name=_("conclusion document"),
    )

    class Meta:
        verbose_name = _("assessment council")
        verbose_name_plural = _("assessment councils")


class CouncilMember(models.Model):
    """A member of a council: a person of the directory, or an outside expert named by hand."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    affiliation = models.CharField(_("organisation"), max_length=300, blank=True)
    role = models.CharField(_("role in the council"), max_length=12, choices=CouncilRole.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "user"], condition=models.Q(user__isnull=False), name="uniq_council_user"
            ),
            models.UniqueConstraint(fields=["council"], condition=models.Q(role="chair"), name="uniq_council_chair"),
        ]


class CouncilSession(models.Model):
    """A session of the council: when, where, who attended, what was examined and found."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)
    attendees = models.TextField(_("attendees"))
    minutes = models.TextField(_("minutes"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_on", "pk"]


# --- Đ3.3, Đ17.2: hand-over records ----------------------------------------------------------------------


class Handover(models.Model):
    """A hand-over record (biên bản giao nhận): who handed what to whom, when and where."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="handovers")
    from_organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    handed_by = models.CharField(_("handed over by"), max_length=200)
    received_by = models.CharField(_("received by"), max_length=200)
    handed_at = models.DateTimeField(_("handed over at"))
    place = models.CharField(_("place"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("hand-over record")
        verbose_name_plural = _("hand-over records")
        ordering = ["handed_at", "pk"]


class HandoverItem(models.Model):
    """One item handed over: a file kept here, or data handed on a medium, named with its SHA-256."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="items")
    description = models.CharField(_("item"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    attachment = models.ForeignKey(Attachment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]


# --- Rule-set data: the default periods -----------------------------------------------------------------


class RequestPeriod(models.Model):
    """Rule-set data (exchange.yaml): the default period of a kind of request at an urgency, in working days,
    and how many working days before the due date the recipient's focal points are reminded."""

    ruleset = models.ForeignKey("rulesets.RuleSet", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=RequestKind.choices)
    urgency = models.CharField(max_length=12, choices=Urgency.choices)
    working_days = models.PositiveSmallIntegerField()
    remind_before = models.PositiveSmallIntegerField(default=1)
    article = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ruleset", "kind", "urgency"], name="uniq_request_period")]
