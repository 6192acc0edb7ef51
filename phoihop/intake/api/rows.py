"""Report rows of the API written by hand: the JSON that the output serializers' declared fields would write
(tests/test_api_rows.py compares them on every shape of report), without building DRF fields per serializer
(get_fields, deepcopy) or walking them per row, which cost more than the whole query of a page.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from phoihop.inbox.models import Delivery

from ..models import Report, ReportIndicator

_DATETIME = serializers.DateTimeField()  # ISO 8601 in the current time zone, "Z" for UTC, as DRF writes it


def _when(value, tz=None) -> str | None:
    """`tz`: the current time zone, when the caller writes many values (looked up once, not per value)."""
    if value is None:
        return None
    if value.tzinfo is None or not settings.USE_TZ or api_settings.DATETIME_FORMAT != ISO_8601:
        return _DATETIME.to_representation(value)
    # DateTimeField.to_representation for an aware value, without its per-call look-ups.
    text = value.astimezone(tz or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def text(value) -> str | None:
    return None if value is None else str(value)


def _code(obj) -> str | None:
    return None if obj is None else obj.code


def recipient_row(delivery: Delivery) -> dict:
    return {
        "organisation": _code(delivery.organisation),
        "name": text(delivery.organisation.name),
        "articles": [a.strip() for a in delivery.articles.split(",") if a.strip()],
        "delivered_at": _when(delivery.delivered_at),
        "acknowledged_at": _when(delivery.acknowledged_at),
    }


def indicator_row(link: ReportIndicator) -> dict:
    return {
        "kind": text(link.indicator.kind),
        "value": text(link.indicator.value),
        "raw": text(link.raw),
        "valid": bool(link.valid),
        "error_code": text(link.error_code),
        "detail": text(link.detail),
        "source": text(link.source),
    }


def report_row(report: Report) -> dict:
    """A report as ReportSerializer's fields write it (deliveries and indicators prefetched: no query)."""
    rows = getattr(report, "api_rows", None)  # a page read by ReportListSerializer
    return {
        "reference": text(report.reference),
        "status": text(report.status),
        "channel": text(report.channel),
        "created_at": _when(report.created_at),
        **(rows["codes"] if rows else {k: _code(getattr(report, k)) for k in ("behaviour", "sector", "area")}),
        "address": text(report.address),
        "occurred_at": _when(report.occurred_at),
        "description": text(report.description),
        "external_ref": text(report.external_ref),
        "on_behalf_of": text(report.on_behalf_of),
        "recipients": rows["recipients"] if rows else [recipient_row(d) for d in report.deliveries.all()],
        "indicators": rows["indicators"] if rows else [indicator_row(link) for link in report.indicator_links.all()],
    }


PAGE_CODES = {
    "api_behaviour_code": F("behaviour__code"),
    "api_sector_code": F("sector__code"),
    "api_area_code": F("area__code"),
}


def read_page_rows(reports: list[Report]) -> None:
    """The recipients and indicators of a page of reports as plain rows: two queries and no model objects
    (a page of 50 reports holds about a thousand of them). The reports come annotated with PAGE_CODES."""
    ids = [r.pk for r in reports]
    english = (get_language() or "vi").startswith("en")
    tz = timezone.get_current_timezone()
    recipients: dict[int, list[dict]] = defaultdict(list)
    deliveries = (
        Delivery.objects.filter(report_id__in=ids)
        .order_by("pk")
        .values_list(
            "report_id",
            "organisation__code",
            "organisation__name_vi",
            "organisation__name_en",
            "articles",
            "delivered_at",
            "acknowledged_at",
        )
    )
    for report_id, code, name_vi, name_en, articles, delivered_at, acknowledged_at in deliveries:
        recipients[report_id].append(
            {
                "organisation": code,
                "name": name_en if english and name_en else name_vi,  # BilingualNameMixin.name
                "articles": [a.strip() for a in articles.split(",") if a.strip()],
                "delivered_at": _when(delivered_at, tz),
                "acknowledged_at": _when(acknowledged_at, tz),
            }
        )
    indicators: dict[int, list[dict]] = defaultdict(list)
    links = (
        ReportIndicator.objects.filter(report_id__in=ids)
        .order_by("indicator__kind", "indicator__value")
        .values_list(
            "report_id", "indicator__kind", "indicator__value", "raw", "valid", "error_code", "detail", "source"
        )
    )
    for report_id, kind, value, raw, valid, error_code, detail, source in links:
        indicators[report_id].append(
            {
                "kind": text(kind),
                "value": text(value),
                "raw": text(raw),
                "valid": bool(valid),
                "error_code": text(error_code),
                "detail": text(detail),
                "source": text(source),
            }
        )
    for report in reports:
        report.api_rows = {  # type: ignore[attr-defined]
            "codes": {
                "behaviour": report.api_behaviour_code,  # type: ignore[attr-defined]
                "sector": report.api_sector_code,  # type: ignore[attr-defined]
                "area": report.api_area_code,  # type: ignore[attr-defined]
            },
            "recipients": recipients.get(report.pk, []),
            "indicators": indicators.get(report.pk, []),
        }
