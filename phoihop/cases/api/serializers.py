"""Serializers of the cases API (read-only): a case as listed, and one case with its organisations and reports."""

from __future__ import annotations

from django import forms
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from ..choices import AccessLevel, CaseStatus, Outcome
from ..models import Case, CaseParticipant
from ..workflow import CASE_WORKFLOW


class OrganisationRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="display_name")


class ParticipantSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer()

    class Meta:
        model = CaseParticipant
        fields = ["organisation", "role", "added_at"]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    """A case as listed."""

    status = serializers.ChoiceField(choices=CaseStatus.choices, read_only=True)
    access_level = serializers.ChoiceField(choices=AccessLevel.choices, read_only=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, read_only=True, allow_blank=True)
    lead = OrganisationRefSerializer(source="lead_organisation", read_only=True)
    behaviour = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    open_tasks = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Case
        fields = [
            "reference",
            "title",
            "status",
            "access_level",
            "has_secret_dossier",
            "lead",
            "behaviour",
            "area",
            "created_at",
            "due_at",
            "is_overdue",
            "open_tasks",
            "outcome",
            "closed_at",
        ]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    """One case: its organisations, the reports the caller may see, and where it was sent."""

    participants = serializers.SerializerMethodField()
    reports = serializers.SerializerMethodField()
    # What the stages decided, read from their records (the latest of each).
    receiving_police_unit = serializers.SerializerMethodField()
    transfer_dossier = serializers.SerializerMethodField()
    procuracy = serializers.SerializerMethodField()
    recommendation_ref = serializers.SerializerMethodField()
    moves = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        # `open_tasks` is counted for the list only (selectors.case_list_for); one case does not carry it.
        fields = [
            *(name for name in CaseSerializer.Meta.fields if name != "open_tasks"),
            "receiving_police_unit",
            "transfer_dossier",
            "procuracy",
            "recommendation_ref",
            "participants",
            "reports",
            "moves",
        ]
        read_only_fields = fields

    @extend_schema_field(OrganisationRefSerializer(allow_null=True))
    def get_receiving_police_unit(self, case: Case) -> dict | None:
        transfer = case.police_transfer
        return OrganisationRefSerializer(transfer.receiving_police_unit).data if transfer else None

    def get_transfer_dossier(self, case: Case) -> str:
        transfer = case.police_transfer
        return transfer.dossier if transfer else ""

    @extend_schema_field(OrganisationRefSerializer(allow_null=True))
    def get_procuracy(self, case: Case) -> dict | None:
        recommendation = case.recommendation
        return OrganisationRefSerializer(recommendation.procuracy).data if recommendation else None

    def get_recommendation_ref(self, case: Case) -> str:
        recommendation = case.recommendation
        return recommendation.reference if recommendation else ""

    def get_moves(self, case: Case) -> list[str]:
        """The workflow moves the caller may make on the case now (what each requires aside)."""
        return [m.name for m in self.context.get("moves", ())]

    def get_participants(self, case: Case) -> list[dict]:
        rows = case.participants.select_related("organisation").order_by("role", "added_at")
        return ParticipantSerializer(rows, many=True).data

    def get_reports(self, case: Case) -> list[str]:
        return list(self.context["reports"])


def move_input_serializer() -> serializers.Serializer:
    """The body of a move, for the schema: every field of every move's form (the page's form), each optional
    here because which are required depends on the move; its description names the moves that need it."""
    fields: dict[str, serializers.Field] = {}
    for move in CASE_WORKFLOW:
        for name, field in move.form_class.base_fields.items() if move.form_class else ():
            if name in fields:
                continue
            needed_by = [m.name for m in CASE_WORKFLOW if m.form_class and name in m.requires]
            help_text = f"{field.label}. " + (f"Required by: {', '.join(needed_by)}." if needed_by else "Optional.")
            if isinstance(field, forms.IntegerField):
                fields[name] = serializers.IntegerField(
                    required=False, allow_null=True, min_value=field.min_value, help_text=help_text
                )
            else:
                fields[name] = serializers.CharField(required=False, allow_blank=True, help_text=help_text)
    return inline_serializer("CaseMoveInput", fields=fields)
