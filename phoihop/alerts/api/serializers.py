"""Serializers of the advisories API: what a recipient and what the sender read, what a sender writes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import AccessLevel, AdvisoryKind, AdvisoryStatus
from ..models import Advisory

MAX_LIST = 200


class AdvisorySerializer(serializers.ModelSerializer):
    """An advisory in a list: the caller's acknowledgement (recipients) or the count (the sender)."""

    kind = serializers.ChoiceField(choices=AdvisoryKind.choices)
    status = serializers.ChoiceField(choices=AdvisoryStatus.choices)
    access_level = serializers.ChoiceField(choices=AccessLevel.choices)
    sender = serializers.CharField(source="sender.code")
    acknowledged_at = serializers.SerializerMethodField(
        help_text="When the caller's organisation acknowledged it; null when not yet or not a recipient."
    )
    recipients_total = serializers.SerializerMethodField(help_text="For the sender only; null for others.")
    recipients_acknowledged = serializers.SerializerMethodField(help_text="For the sender only; null for others.")

    class Meta:
        model = Advisory
        fields = [
            "reference",
            "kind",
            "title",
            "status",
            "access_level",
            "sender",
            "sent_at",
            "acknowledged_at",
            "recipients_total",
            "recipients_acknowledged",
        ]

    def _rows(self, advisory: Advisory) -> list:
        if not hasattr(advisory, "_recipient_rows"):
            advisory._recipient_rows = list(advisory.recipients.all())  # type: ignore[attr-defined]
        return advisory._recipient_rows  # type: ignore[attr-defined]

    def _own(self, advisory: Advisory) -> bool:
        return advisory.sender_id == self.context["request"].user.organisation_id

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_acknowledged_at(self, advisory: Advisory):
        org_id = self.context["request"].user.organisation_id
        row = next((r for r in self._rows(advisory) if r.organisation_id == org_id), None)
        return (
            serializers.DateTimeField().to_representation(row.acknowledged_at) if row and row.acknowledged_at else None
        )

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_recipients_total(self, advisory: Advisory):
        return len(self._rows(advisory)) if self._own(advisory) else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_recipients_acknowledged(self, advisory: Advisory):
        return sum(1 for r in self._rows(advisory) if r.acknowledged_at) if self._own(advisory) else None


class IndicatorOutSerializer(serializers.Serializer):
    kind = serializers.CharField()
    value = serializers.CharField()


class FileOutSerializer(serializers.Serializer):
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class RecipientOutSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation.code")
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    reminders_sent = serializers.IntegerField()


class AdvisoryDetailSerializer(AdvisorySerializer):
    method = serializers.CharField()
    advice = serializers.CharField(allow_blank=True)
    indicators = IndicatorOutSerializer(many=True, read_only=True)
    files = serializers.SerializerMethodField()
    recipients = serializers.SerializerMethodField(help_text="Who acknowledged: for the sender only; null for others.")

    class Meta(AdvisorySerializer.Meta):
        fields = [*AdvisorySerializer.Meta.fields, "method", "advice", "indicators", "files", "recipients"]

    @extend_schema_field(FileOutSerializer(many=True))
    def get_files(self, advisory: Advisory):
        return FileOutSerializer(advisory.files.defer("data"), many=True).data

    @extend_schema_field(RecipientOutSerializer(many=True, allow_null=True))
    def get_recipients(self, advisory: Advisory):
        if not self._own(advisory):
            return None
        rows = advisory.recipients.select_related("organisation").order_by("organisation__code")
        return RecipientOutSerializer(rows, many=True).data


class AdvisoryCreateSerializer(serializers.Serializer):
    """A new advisory of the caller's organisation; `send` sends it at once (otherwise it stays a draft)."""

    kind = serializers.ChoiceField(choices=AdvisoryKind.choices)
    title = serializers.CharField(max_length=300)
    method = serializers.CharField(max_length=20000)
    advice = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    access_level = serializers.ChoiceField(choices=AccessLevel.choices, default=AccessLevel.NORMAL)
    functions = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, default=list, max_length=MAX_LIST
    )
    types = serializers.ListField(
        child=serializers.CharField(max_length=80),
        required=False,
        default=list,
        max_length=MAX_LIST,
        help_text='Organisation types ("police") or enterprise kinds ("enterprise:telecom").',
    )
    organisations = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, default=list, max_length=MAX_LIST
    )
    indicators = serializers.ListField(
        child=serializers.CharField(max_length=500),
        required=False,
        default=list,
        max_length=100,
        help_text='Phone numbers, web addresses, e-mail addresses, or "STK <account> <bank>".',
    )
    send = serializers.BooleanField(default=False)
