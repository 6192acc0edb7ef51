"""Shapes of the API: what a client sends (checked here, then by the service) and what it gets back.

Serializers only check the shape of the input; every rule about content (known behaviour, known place,
date not in the future, indicator limits) is the service's, so the API, the web form and the bulk
import refuse the same things with the same messages.
"""

from __future__ import annotations

import copy

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from phoihop.inbox.models import Delivery
from phoihop.indicators.normalise import IndicatorKind
from phoihop.taxonomy.models import Behaviour

from ..choices import ReportStatus
from ..models import Report, ReportIndicator
from ..selectors import Correlation, correlations_for
from ..services import MAX_INDICATORS, IndicatorInput, ReportInput
from .rows import report_row, text

KIND_CHOICES = [kind.value for kind in IndicatorKind]


# --------------------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------------------


class IndicatorListSerializer(serializers.ListSerializer):
    def to_internal_value(self, data):
        # Refuse an oversized list before checking each item (the service has the same limit).
        if isinstance(data, list) and len(data) > MAX_INDICATORS:
            raise serializers.ValidationError([_("At most %(n)d indicators per report.") % {"n": MAX_INDICATORS}])
        return super().to_internal_value(data)


class IndicatorInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES, help_text="What the value is.")
    value = serializers.CharField(max_length=500, help_text="As written: it is normalised on receipt.")
    bank = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=100,
        help_text="For a bank_account: the bank's code or name (VCB, Vietcombank...).",
    )

    class Meta:
        list_serializer_class = IndicatorListSerializer


class ShallowFieldsMixin:
    """Fields copied shallowly from the declared ones, not rebuilt: DRF deep-copies every declared field (running
    its __init__ again) for each serializer it makes, which was a tenth of an API create. For input serializers
    whose fields keep no state while validating: a copy shares the declared field's validators, choices and
    messages, which nothing changes after the class is built, and a nested list shares its item serializer,
    whose fields are then built once. Bound like any field: each copy knows its own parent."""

    _declared_fields: dict[str, serializers.Field]

    def get_fields(self) -> dict[str, serializers.Field]:
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}


class ReportCreateSerializer(ShallowFieldsMixin, serializers.Serializer):
    """A report as an organisation sends it (Đ11.5 for enterprises, Đ3.4 and Đ10.3 for agencies)."""

    behaviour = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=40,
        help_text="Violation code of the taxonomy (GET /api/v1/behaviours/), e.g. 13.4; null when not sure.",
    )
    sector = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=64,
        help_text="Sector code, when the behaviour is not known.",
    )
    area = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=64,
        help_text="Where it happened: an area code such as st-vinh-chau.",
    )
    address = serializers.CharField(required=False, allow_blank=True, default="")
    occurred_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="ISO 8601; without an offset it is Vietnam time."
    )
    description = serializers.CharField(allow_blank=True, help_text="What happened (10 to 20,000 characters).")
    indicators = IndicatorInSerializer(
        many=True, required=False, help_text=f"Phone numbers, URLs, accounts... (at most {MAX_INDICATORS})."
    )
    on_behalf_of = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text="The customer or unit the report is made for.",
    )
    external_ref = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        help_text="Your own reference. A second report with the same reference returns the first one.",
    )

    def to_input(self, *, idempotency_key: str = "") -> ReportInput:
        """The validated body as the service's input; the Idempotency-Key stands in for a missing reference."""
        v = self.validated_data
        return ReportInput(
            description=v["description"],
            behaviour=v.get("behaviour") or None,
            sector=v.get("sector") or None,
            area=v.get("area") or None,
            address=v.get("address") or "",
            occurred_at=v.get("occurred_at"),
            indicators=[
                IndicatorInput(kind=i["kind"], value=i["value"], bank=i.get("bank") or None)
                for i in v.get("indicators", [])
            ],
            on_behalf_of=v.get("on_behalf_of") or "",
            external_ref=(v.get("external_ref") or "").strip() or idempotency_key,
        )


class ImportRequestSerializer(serializers.Serializer):
    """Documents the multipart body of the bulk import (the view reads the file itself)."""

    file = serializers.FileField(help_text="CSV, XLSX or JSON; the type is read from the content.")
    key = serializers.CharField(
        required=False, help_text="The idempotency key, if it cannot be sent as an Idempotency-Key header."
    )


LOOKUP_VALUE_MAX = 500  # characters, once trimmed


class IndicatorLookupQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    value = serializers.CharField(max_length=LOOKUP_VALUE_MAX)


# --------------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------------
# The output serializers declare their fields for the schema (drf-spectacular reads them) and write their
# rows by hand (rows.py); the reads of one report and of a page write their bodies from plain rows
# (rows.report_rows_by_reference, rows.report_rows_by_ids) without a serializer.


class RecipientSerializer(serializers.ModelSerializer):
    """An organisation the report was delivered to, and the articles that sent it there."""

    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    name = serializers.CharField(source="organisation.name", read_only=True)
    articles = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = ["organisation", "name", "articles", "delivered_at", "acknowledged_at"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_articles(self, delivery: Delivery) -> list[str]:
        return [a.strip() for a in delivery.articles.split(",") if a.strip()]


class ReportIndicatorSerializer(serializers.ModelSerializer):
    """An indicator of the report: the normalised value, and what was written."""

    kind = serializers.CharField(source="indicator.kind", read_only=True)
    value = serializers.CharField(source="indicator.value", read_only=True)

    class Meta:
        model = ReportIndicator
        fields = ["kind", "value", "raw", "valid", "error_code", "detail", "source"]


class CorrelationSerializer(serializers.Serializer):
    """How often an indicator was reported; counts cover all reports, `reports` only those you may see.

    Each indicator carries its count (from the indicator's counter, known to the write); `total_cases` and
    `reports` come with `?expand=correlations`, on a create and on `GET /reports/<ref>/` alike.
    """

    kind = serializers.CharField(source="link.indicator.kind")
    value = serializers.CharField(source="link.indicator.value")
    total_reports = serializers.IntegerField()
    total_cases = serializers.IntegerField(required=False)
    reports = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Other reports with this indicator that you may see.",
    )

    def to_representation(self, correlation: Correlation) -> dict:
        return {
            "kind": text(correlation.link.indicator.kind),
            "value": text(correlation.link.indicator.value),
            "total_reports": int(correlation.total_reports),
            "total_cases": int(correlation.total_cases),
            "reports": correlation.reports,
        }


class ReportSerializer(serializers.ModelSerializer):
    """A report as listed: what it is about, where it went, its indicators."""

    status = serializers.ChoiceField(choices=ReportStatus.choices, read_only=True)
    behaviour = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    sector = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    area = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    recipients = RecipientSerializer(source="deliveries", many=True, read_only=True)
    indicators = ReportIndicatorSerializer(source="indicator_links", many=True, read_only=True)

    class Meta:
        model = Report
        fields = [
            "reference",
            "status",
            "channel",
            "created_at",
            "behaviour",
            "sector",
            "area",
            "address",
            "occurred_at",
            "description",
            "external_ref",
            "on_behalf_of",
            "recipients",
            "indicators",
        ]
        read_only_fields = fields

    def to_representation(self, report: Report) -> dict:
        return report_row(report)


class ReportDetailSerializer(ReportSerializer):
    """One report, with how often each of its indicators was reported.

    By default each indicator carries its report count, read from the indicator's counter (no query). The
    permission-scoped detail (the number of cases and the other reports the viewer may see), which costs a
    few queries, comes with `?expand=correlations` (context `expand_correlations`).
    """

    correlation = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "correlation"]
        read_only_fields = fields

    @extend_schema_field(CorrelationSerializer(many=True))
    def get_correlation(self, report: Report) -> list[dict]:
        if self.context.get("expand_correlations"):
            return CorrelationSerializer(correlations_for(self.context["request"].user, report), many=True).data
        return [
            {"kind": link.indicator.kind, "value": link.indicator.value, "total_reports": link.indicator.report_count}
            for link in report.indicator_links.all()
        ]

    def to_representation(self, report: Report) -> dict:
        return {**report_row(report), "correlation": self.get_correlation(report)}


class ReportCreatedSerializer(ReportDetailSerializer):
    """A report just received: where it went, its indicators, and how often each was reported.

    Built from what the write holds (no query); `?expand=correlations` as for one report.
    """


class BehaviourSerializer(serializers.ModelSerializer):
    """A reportable behaviour of the rule set (Đ12–Đ16 and the laws they cite)."""

    sector = serializers.SlugRelatedField(slug_field="code", read_only=True)
    citation = serializers.CharField(read_only=True)

    class Meta:
        model = Behaviour
        fields = ["code", "article", "sector", "source", "law_citation", "help_vi", "help_en", "citation"]
        read_only_fields = fields


class IndicatorLookupSerializer(serializers.Serializer):
    kind = serializers.CharField()
    value = serializers.CharField(help_text="The normalised value the lookup used.")
    valid = serializers.BooleanField()
    error_code = serializers.CharField(allow_null=True)
    found = serializers.BooleanField(help_text="Whether any report ever named this indicator.")
    total_reports = serializers.IntegerField(help_text="Reports naming it, including ones you may not see.")
    total_cases = serializers.IntegerField()
    reports = serializers.ListField(child=serializers.CharField(), help_text="The ones you may see, newest first.")


class ImportRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ImportRowResultSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    reference = serializers.CharField()
    created = serializers.BooleanField(help_text="False when the row's reference had been received before.")


class ImportResultSerializer(serializers.Serializer):
    batch = serializers.CharField(help_text="The Idempotency-Key of the import.")
    format = serializers.ChoiceField(choices=["csv", "xlsx", "json"])
    rows = serializers.IntegerField(help_text="Data rows read (empty rows are not counted).")
    created = serializers.IntegerField()
    existing = serializers.IntegerField(help_text="Rows whose reference had been received before.")
    errors = ImportRowErrorSerializer(many=True)
    results = ImportRowResultSerializer(many=True)
    ignored_columns = serializers.ListField(child=serializers.CharField())
    encoding = serializers.CharField(
        allow_null=True, help_text="The encoding a CSV or JSON file was read in (utf-8, utf-16, cp1258); null for XLSX."
    )


class ErrorsSerializer(serializers.Serializer):
    """400 and 409: messages by field; nested fields are dotted (`indicators.0.kind`)."""

    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class DetailSerializer(serializers.Serializer):
    """401, 403, 404, 413, 415, 429."""

    detail = serializers.CharField()
