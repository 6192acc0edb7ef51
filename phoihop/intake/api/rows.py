"""Report rows of the API written by hand: the JSON that the output serializers' declared fields would write
(tests/test_api_rows.py compares them on every shape of report), without building DRF fields per serializer
(get_fields, deepcopy) or walking them per row, which cost more than the whole query of a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import get_language
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from phoihop.api.prepared import PreparedRead
from phoihop.directory.models import Organisation
from phoihop.inbox.models import Delivery

from ..models import Report, ReportIndicator
from ..selectors import remember_rows

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
    return {
        "reference": text(report.reference),
        "status": text(report.status),
        "channel": text(report.channel),
        "created_at": _when(report.created_at),
        **{k: _code(getattr(report, k)) for k in ("behaviour", "sector", "area")},
        "address": text(report.address),
        "occurred_at": _when(report.occurred_at),
        "description": text(report.description),
        "external_ref": text(report.external_ref),
        "on_behalf_of": text(report.on_behalf_of),
        "recipients": [recipient_row(d) for d in report.deliveries.all()],
        "indicators": [indicator_row(link) for link in report.indicator_links.all()],
    }


# Read as plain rows with SQL built once per connection (phoihop.api.prepared): on the API's reads, Django's
# compiling of these statements (their joins, columns and converters) cost more than running them.
REPORT_COLUMNS = (
    "pk",
    "reporter_organisation_id",
    "reference",
    "status",
    "channel",
    "created_at",
    "behaviour__code",
    "sector__code",
    "area__code",
    "address",
    "occurred_at",
    "description",
    "external_ref",
    "on_behalf_of",
)
_REPORT_BY_REFERENCE = PreparedRead(
    lambda reference: Report.objects.filter(reference=reference).order_by().values_list(*REPORT_COLUMNS)[:1]
)
_REPORTS_BY_ID = PreparedRead(lambda ids: Report.objects.filter(pk__in=ids).order_by().values_list(*REPORT_COLUMNS))
# The organisation's code and names as subqueries by its key, not a join: SQLite, which has no statistics,
# drove such a join from the organisations, probing the deliveries of each (3× the cost of the deliveries).
_ORGANISATION = Organisation.objects.filter(pk=OuterRef("organisation_id"))
_DELIVERIES = PreparedRead(
    lambda ids: (
        Delivery.objects.filter(report_id__in=ids)
        .annotate(
            organisation_code=Subquery(_ORGANISATION.values("code")[:1]),
            organisation_name_vi=Subquery(_ORGANISATION.values("name_vi")[:1]),
            organisation_name_en=Subquery(_ORGANISATION.values("name_en")[:1]),
        )
        .order_by("pk")
        .values_list(
            "pk",
            "report_id",
            "organisation_id",
            "organisation_code",
            "organisation_name_vi",
            "organisation_name_en",
            "articles",
            "delivered_at",
            "acknowledged_at",
        )
    )
)


_LINKS = PreparedRead(
    lambda ids: (
        ReportIndicator.objects.filter(report_id__in=ids)
        .order_by("indicator__kind", "indicator__value")
        .values_list(
            "report_id",
            "indicator__kind",
            "indicator__value",
            "raw",
            "valid",
            "error_code",
            "detail",
            "source",
            "indicator__report_count",
        )
    )
)


@dataclass
class ReportRows:
    """One report read for the API as plain rows: its body as ReportSerializer writes it, and what the
    permission check (intake.permissions.can) and the audit of a restricted read need."""

    pk: int
    reporter_organisation_id: int | None
    body: dict
    delivered_to: list[tuple[int, int]] = field(default_factory=list)  # (delivery id, organisation id)
    report_counts: list[int] = field(default_factory=list)  # of each indicator, in body["indicators"] order

    def as_report(self) -> Report:
        """A Report holding what can() and the audit read (its key, reference, maker and deliveries): no query."""
        report = Report(
            pk=self.pk, reference=self.body["reference"], reporter_organisation_id=self.reporter_organisation_id
        )
        deliveries = [Delivery(pk=pk, report_id=self.pk, organisation_id=org) for pk, org in self.delivered_to]
        remember_rows(report, "deliveries", deliveries)
        return report

    def correlation(self) -> list[dict]:
        """ReportDetailSerializer's `correlation` without expand: each indicator's report count (its counter)."""
        return [
            {"kind": i["kind"], "value": i["value"], "total_reports": count}
            for i, count in zip(self.body["indicators"], self.report_counts, strict=True)
        ]


def report_rows_by_reference(reference: str) -> ReportRows | None:
    """One report by its tracking code, in three small statements. Not permission-scoped: check can() first."""
    found = _REPORT_BY_REFERENCE.rows(reference)
    if not found:
        return None
    report = _with_related(found)[0]
    # In the order report_for_reading gives (selectors.link_order: by kind, then value, compared in Python).
    pairs = sorted(
        zip(report.body["indicators"], report.report_counts, strict=True), key=lambda p: (p[0]["kind"], p[0]["value"])
    )
    report.body["indicators"] = [i for i, _count in pairs]
    report.report_counts = [count for _i, count in pairs]
    return report


def report_rows_by_ids(ids: list[int]) -> list[ReportRows]:
    """The reports of `ids` (a page, in its order), in three statements whatever their number."""
    by_id = {r.pk: r for r in _with_related(_REPORTS_BY_ID.rows(ids))}
    return [by_id[i] for i in ids if i in by_id]


def _with_related(found: list[tuple]) -> list[ReportRows]:
    """The bodies of the reports `found` (rows of REPORT_COLUMNS) with their recipients and indicators.

    Columns of text come from the database as str or None, which is what the serializers' fields write."""
    when = _writer_of_moments()
    english = (get_language() or "vi").startswith("en")
    reports: dict[int, ReportRows] = {}
    for (
        pk,
        maker,
        reference,
        status,
        channel,
        created_at,
        behaviour,
        sector,
        area,
        address,
        occurred_at,
        description,
        external_ref,
        on_behalf_of,
    ) in found:
        body = {
            "reference": reference,
            "status": status,
            "channel": channel,
            "created_at": when(created_at),
            "behaviour": behaviour,
            "sector": sector,
            "area": area,
            "address": address,
            "occurred_at": when(occurred_at),
            "description": description,
            "external_ref": external_ref,
            "on_behalf_of": on_behalf_of,
            "recipients": [],
            "indicators": [],
        }
        reports[pk] = ReportRows(pk, maker, body)
    ids = list(reports)
    for pk, report_id, org_id, code, name_vi, name_en, articles, delivered_at, acknowledged_at in _DELIVERIES.rows(ids):
        report = reports[report_id]
        report.delivered_to.append((pk, org_id))
        report.body["recipients"].append(
            {
                "organisation": code,
                "name": name_en if english and name_en else name_vi,  # BilingualNameMixin.name
                "articles": [a.strip() for a in articles.split(",") if a.strip()],
                "delivered_at": when(delivered_at),
                "acknowledged_at": when(acknowledged_at),
            }
        )
    for report_id, kind, value, raw, valid, error_code, detail, source, count in _LINKS.rows(ids):
        report = reports[report_id]
        report.report_counts.append(count)
        report.body["indicators"].append(
            {
                "kind": kind,
                "value": value,
                "raw": raw,
                "valid": bool(valid),
                "error_code": error_code,
                "detail": detail,
                "source": source,
            }
        )
    return list(reports.values())


def _writer_of_moments():
    """_when for many values: the settings and the current time zone read once, not per value."""
    if not settings.USE_TZ or api_settings.DATETIME_FORMAT != ISO_8601:
        return _when
    tz = timezone.get_current_timezone()
    to_representation = _DATETIME.to_representation

    def when(value):
        if value is None:
            return None
        if value.tzinfo is None:
            return to_representation(value)
        text = value.astimezone(tz).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return when
