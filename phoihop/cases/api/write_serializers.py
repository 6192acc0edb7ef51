"""Serializers of the cases write API: the input of each write (shaped like the case page's forms) and the
task, note and evidence it answers with. Names are prefixed `Case` so the schema's components stay unique."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..choices import AccessLevel
from ..models import CaseEvidence, Note, Task

MAX_REPORTS = 100  # as many as the "new case" page lets one pick


def _not_past(day):
    if day and day < timezone.localdate():
        raise serializers.ValidationError(_("The date cannot be in the past."))
    return day


class CaseOpenInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, help_text="A short description the parties will recognise.")
    reports = serializers.ListField(
        child=serializers.CharField(max_length=30),
        min_length=1,
        max_length=MAX_REPORTS,
        help_text="Tracking codes of reports your organisation received, not yet in a case.",
    )
    participants = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        default=list,
        max_length=50,
        help_text="Codes of other organisations taking part; yours leads the case.",
    )
    access_level = serializers.ChoiceField(choices=AccessLevel.choices, default=AccessLevel.NORMAL)
    due_date = serializers.DateField(required=False, allow_null=True, validators=[_not_past])


class CaseAttachInputSerializer(serializers.Serializer):
    reports = serializers.ListField(
        child=serializers.CharField(max_length=30),
        min_length=1,
        max_length=MAX_REPORTS,
        help_text="Tracking codes of reports your organisation received, not yet in a case.",
    )


class CaseParticipantInputSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=64, help_text="The organisation's code.")


class CaseParticipantRemoveInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why it is removed (at least 5 characters).")


class CaseMemberInputSerializer(serializers.Serializer):
    user = serializers.CharField(max_length=150, help_text="The person's user name.")


class CaseTaskInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, help_text="What is to be done.")
    organisation = serializers.CharField(max_length=64, help_text="Code of the participating organisation asked.")
    owner = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        help_text="Optional: the user name of one person of that organisation (assigns the task).",
    )
    due_date = serializers.DateField(required=False, allow_null=True, validators=[_not_past])


class CaseTaskReassignInputSerializer(serializers.Serializer):
    owner = serializers.CharField(
        max_length=150, help_text="The user name of the person the task is now given to: one of its organisation's."
    )
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="Optional: why (kept in the timeline)."
    )


class CaseTaskCompleteInputSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=5000, help_text="What was done and found.")
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=10,
        help_text="Optional files of the result (multipart/form-data only).",
    )


class CaseNoteInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20000)


class CaseEvidenceUploadSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), min_length=1, max_length=10)
    task = serializers.IntegerField(required=False, min_value=1, help_text="Optional: the case's task they belong to.")


class CaseEvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CaseEvidence
        fields = ["id", "task", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
        read_only_fields = fields


class CaseTaskSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    case = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    evidence = CaseEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "case",
            "title",
            "organisation",
            "owner",
            "due_at",
            "done_at",
            "result",
            "cancelled",
            "created_at",
            "created_by",
            "evidence",
        ]
        read_only_fields = fields


class CaseNoteSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Note
        fields = ["id", "author", "text", "created_at"]
        read_only_fields = fields
