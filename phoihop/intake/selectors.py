"""Reads of the intake app that need thought: report pages and correlation counts."""

from __future__ import annotations

from dataclasses import dataclass

from phoihop.core.registry import first_result

from .models import Report, ReportIndicator
from .permissions import visible_reports

# Answered by a higher app (cases) through core.registry: intake does not know of cases.
CASE_COUNTS_HOOK = "intake.indicator_case_counts"
RESTRICTED_HOOK = "intake.report_is_restricted"


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
    """For each indicator, in how many distinct cases its reports are (a count only; the cases app answers)."""
    if not indicator_ids:
        return {}
    return first_result(CASE_COUNTS_HOOK, default={}, indicator_ids=indicator_ids)


def is_restricted(report: Report) -> bool:
    """Is the report under restricted access (a restricted case)? Viewing it is then an audit event."""
    return bool(first_result(RESTRICTED_HOOK, default=False, report=report))
