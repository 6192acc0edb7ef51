"""Shapes of the listing API (for validation and for a truthful OpenAPI schema)."""

from __future__ import annotations

from rest_framework import serializers

from phoihop.indicators.normalise import IndicatorKind


class LookupQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=300,
        help_text="A phone number, web address or domain, e-mail address or bank account, written any common way.",
    )
    bank = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="The bank of an account number (code or name)."
    )


class LookupAnswerSerializer(serializers.Serializer):
    """Exactly these keys, whatever the status; nothing about reporters, counts or cases."""

    query = serializers.CharField(help_text="What was asked, as written.")
    kind = serializers.CharField(
        help_text="What the value was read as: " + ", ".join(f"`{k.value}`" for k in IndicatorKind) + "."
    )
    normalised = serializers.CharField(help_text="The value as the authorities' records key it.")
    status = serializers.CharField(
        help_text="`listed`: verified as used for fraud; `reported`: reported, not verified; `unknown`: nothing known.",
    )
    category = serializers.CharField(allow_null=True, help_text="Listed: the category's code.")
    category_name = serializers.CharField(allow_null=True, help_text="Listed: the category, in the request's language.")
    listed_on = serializers.DateField(allow_null=True, help_text="Listed: the day it was listed.")
    warning_url = serializers.CharField(allow_null=True, help_text="Listed: the public warning that names it, if any.")
    warning_title = serializers.CharField(allow_null=True)
    appeal_url = serializers.CharField(allow_null=True, help_text="Listed: the owner's appeal form.")
    report_url = serializers.CharField(help_text="The public report form, pre-filled with the value.")


class FeedQuerySerializer(serializers.Serializer):
    since = serializers.DateTimeField(
        required=False,
        help_text="Only what changed after this moment (ISO 8601), including listings that ended since.",
    )
