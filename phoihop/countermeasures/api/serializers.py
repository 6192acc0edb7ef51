"""Serializers of the countermeasures API: a measure as its requester and its target see it, and the bodies of the
moves an enterprise's system makes (acknowledge, execute, refuse) and the requester's lift."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import LiftCause, Status
from ..models import Countermeasure
from ..workflow import COUNTERMEASURE_WORKFLOW

MAX_OFFSET = dt.timedelta(hours=14)


class TargetOrganisationSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="display_name")


class ValueSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="The kind of value (phone, url, domain, bank_account...).")
    value = serializers.CharField(help_text="The normalised value (a phone number in E.164: +84912345678).")


class CountermeasureSerializer(serializers.ModelSerializer):
    """A countermeasure: what is asked of whom, on which value, on what basis, by when, and where it stands."""

    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    action_label = serializers.SerializerMethodField()
    value = ValueSerializer(source="indicator", read_only=True)
    target = TargetOrganisationSerializer(read_only=True)
    requested_by = TargetOrganisationSerializer(source="requesting_organisation", read_only=True)
    case = serializers.SerializerMethodField()
    requested_at = serializers.DateTimeField(source="created_at", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    lift_cause = serializers.ChoiceField(choices=LiftCause.choices, read_only=True, allow_blank=True)
    document = serializers.SerializerMethodField()
    moves = serializers.SerializerMethodField()

    class Meta:
        model = Countermeasure
        fields = [
            "reference",
            "status",
            "action",
            "action_label",
            "article",
            "value",
            "target",
            "requested_by",
            "case",
            "legal_basis",
            "document",
            "instructions",
            "due_on",
            "is_overdue",
            "requested_at",
            "acknowledged_at",
            "executed_at",
            "execution_reference",
            "refused_at",
            "refusal_reason",
            "lifted_at",
            "lift_cause",
            "lift_reason",
            "moves",
        ]
        read_only_fields = fields

    def get_action_label(self, cm: Countermeasure) -> str:
        labels = self.context.get("labels") or {}
        return labels.get(cm.action, cm.action)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_document(self, cm: Countermeasure) -> str | None:
        """The number and symbol of the official document the request rests on, if any."""
        return (cm.document.reference or str(cm.document.pk)) if cm.document_id else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_case(self, cm: Countermeasure) -> str | None:
        """The case number, only for a caller who may see the case (an enterprise asked sees the measure only)."""
        visible = self.context.get("visible_cases")
        return cm.case.reference if visible is not None and cm.case_id in visible else None

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(
                choices=[m.name for m in COUNTERMEASURE_WORKFLOW if m.name != "lift_on_delisting"]
            )
        )
    )
    def get_moves(self, cm: Countermeasure) -> list[str]:
        """The moves the caller may make on the measure now."""
        user = self.context["request"].user
        return [m.name for m in COUNTERMEASURE_WORKFLOW.available(user, cm)]


def _moment(value: dt.datetime) -> dt.datetime:
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        raise serializers.ValidationError(_("A UTC offset is at most 14 hours."))
    if not 2000 <= value.year <= 2999:
        raise serializers.ValidationError(_("Give a date between the years 2000 and 2999."))
    return value if timezone.is_aware(value) else timezone.make_aware(value)


class ExecuteInputSerializer(serializers.Serializer):
    executed_at = serializers.DateTimeField(help_text="When the measure was applied (ISO 8601, with its UTC offset).")
    execution_reference = serializers.CharField(
        max_length=200,
        help_text="Your own reference for it (ticket, document). Sending `execute` again with the same reference "
        "is a retry: answered 200 with the measure, nothing changed.",
    )

    def validate_executed_at(self, value: dt.datetime) -> dt.datetime:
        return _moment(value)


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why (at least 5 characters).")
