"""Shapes of the reporting API: a period and where each obliged party stands (Đ18.2)."""

from __future__ import annotations

from rest_framework import serializers

STATES = ["submitted", "late_submitted", "missing", "due", "awaiting_head"]


class ObligationStatusSerializer(serializers.Serializer):
    organisation = serializers.CharField(help_text="The organisation's code.")
    name = serializers.CharField()
    state = serializers.ChoiceField(
        choices=STATES,
        help_text="submitted (on time), late_submitted, missing (late, "
        "not submitted), due (not yet due), awaiting_head (written, not yet signed).",
    )
    due_on = serializers.DateField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField(allow_null=True, help_text="The version in force (an amendment is a later one).")
    document = serializers.CharField(allow_blank=True, help_text="Number of the signed official document (báo cáo).")


class PeriodStatusSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=["regular", "ad_hoc"])
    title = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    due_on = serializers.DateField()
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Parties by state (the caller's own only, unless the caller is the convenor, the DIC).",
    )
    obligations = ObligationStatusSerializer(many=True)
