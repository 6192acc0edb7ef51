"""Reads of the intake app that need thought: inboxes, report pages, correlation counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, F, QuerySet

from .models import Delivery, Indicator, Report, ReportIndicator
from .permissions import visible_reports


def inbox_for(user) -> QuerySet[Delivery]:
    """The deliveries to the user's organisation: unacknowledged and most overdue first, then newest."""
    if not user.organisation_id:
        return Delivery.objects.none()
    return (
        Delivery.objects.filter(organisation_id=user.organisation_id, report__in=visible_reports(user))
        .select_related("report__behaviour", "report__area", "report__sector")
        .order_by(F("acknowledged_at").asc(nulls_first=True), "-delivered_at")
    )


def report_for(user, reference: str) -> Report | None:
    """One report through the permission scope: out of scope is the same as missing (a 404)."""
    return (
        visible_reports(user)
        .select_related("behaviour__sector", "area__parent", "reporter_organisation", "submitted_by")
        .filter(reference=reference)
        .first()
    )


@dataclass(frozen=True)
class Correlation:
    """How often an indicator of this report was reported before, and where the viewer may follow."""

    link: ReportIndicator
    total_reports: int  # across all reports, including ones the viewer may not see (a count only)
    total_cases: int
    visible_reports: list[Report]


def correlations_for(user, report: Report, *, limit: int = 10) -> list[Correlation]:
    """For each indicator of `report`: counts over everything, links only to what `user` may see."""
    links = list(report.indicator_links.select_related("indicator").order_by("indicator__kind", "indicator__value"))
    out = []
    visible = visible_reports(user)
    in_cases = case_counts([link.indicator_id for link in links])
    for link in links:
        others = (
            visible.filter(indicator_links__indicator_id=link.indicator_id)
            .exclude(pk=report.pk)
            .only("reference", "created_at", "status")
            .order_by("-created_at")[:limit]
        )
        out.append(Correlation(link, link.indicator.report_count, in_cases.get(link.indicator_id, 0), list(others)))
    return out


def case_counts(indicator_ids: list[int]) -> dict[int, int]:
    """For each indicator, in how many distinct cases its reports are (a count only)."""
    if not indicator_ids or not apps.is_installed("phoihop.cases"):
        return {}
    return dict(
        ReportIndicator.objects.filter(indicator_id__in=indicator_ids, report__case_link__isnull=False)
        .values("indicator_id")
        .annotate(n=Count("report__case_link__case", distinct=True))
        .values_list("indicator_id", "n")
    )


def indicator_lookup(kind: str, value: str) -> Indicator | None:
    """One indicator by its normalised value (an index lookup)."""
    return Indicator.objects.filter(kind=kind, value=value).first()


def is_restricted(report: Report) -> bool:
    """Is the report in a restricted case? (Viewing it is then an audit event, like viewing the case.)"""
    if not apps.is_installed("phoihop.cases"):
        return False
    from phoihop.cases.choices import AccessLevel

    return Report.objects.filter(pk=report.pk, case_link__case__access_level=AccessLevel.RESTRICTED).exists()
