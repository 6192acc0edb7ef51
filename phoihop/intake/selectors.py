"""Reads of the intake app that need thought: inboxes, report pages, correlation counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, F, Q, QuerySet

from .models import Delivery, Indicator, Report, ReportIndicator
from .permissions import STAFF_ROLES, visible_reports


def inbox_for(user) -> QuerySet[Delivery]:
    """The deliveries to the user's organisation: unacknowledged and most overdue first, then newest."""
    if not user.organisation_id or user.role not in STAFF_ROLES or not user.is_active:
        return Delivery.objects.none()
    # What was delivered to the organisation is visible to its staff (permissions.visible_reports), except
    # reports of restricted cases; filtering the deliveries directly keeps the page an index range scan.
    qs = Delivery.objects.filter(organisation_id=user.organisation_id)
    if apps.is_installed("phoihop.cases"):
        from phoihop.cases.permissions import exclude_restricted_reports

        qs = exclude_restricted_reports(user, qs, via="report__")
    return qs.select_related("report__behaviour", "report__area", "report__sector").order_by(
        F("acknowledged_at").asc(nulls_first=True), "-delivered_at"
    )


@dataclass(frozen=True)
class InboxCounts:
    total: int
    waiting: int  # not yet acknowledged


def inbox_counts(user) -> InboxCounts:
    """How many deliveries the inbox holds, and how many wait for acknowledgement.

    Counted as "all deliveries to the organisation" minus "those hidden in restricted cases", both
    index-only counts: counting the filtered inbox directly would test every row against the cases.
    """
    if not user.organisation_id or user.role not in STAFF_ROLES or not user.is_active:
        return InboxCounts(0, 0)
    base = Delivery.objects.filter(organisation_id=user.organisation_id)
    total, waiting = base.count(), base.filter(acknowledged_at__isnull=True).count()
    if apps.is_installed("phoihop.cases"):
        from phoihop.cases.permissions import hidden_report_ids

        ids = hidden_report_ids(user)
        for start in range(0, len(ids), 5000):
            hidden = base.filter(report_id__in=ids[start : start + 5000]).aggregate(
                all=Count("pk"), waiting=Count("pk", filter=Q(acknowledged_at__isnull=True))
            )
            total -= hidden["all"]
            waiting -= hidden["waiting"]
    return InboxCounts(total, waiting)


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
