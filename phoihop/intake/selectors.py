"""Reads of the intake app that need thought: report pages and correlation counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from phoihop.core.permissions import capped_count, newest_ids
from phoihop.core.registry import first_result
from phoihop.inbox.models import Delivery

from .models import Report, ReportIndicator
from .permissions import visible_report_branches, visible_reports

LIST_ORDER = ("-created_at", "-pk")
COUNT_CAP = 1000  # a list says "more than 1,000" rather than count a million rows

# Answered by a higher app (cases) through core.registry: intake does not know of cases.
CASE_COUNTS_HOOK = "intake.indicator_case_counts"
RESTRICTED_HOOK = "intake.restricted_report_ids"


def report_for(user, reference: str) -> Report | None:
    """One report through the permission scope: out of scope is the same as missing (a 404)."""
    return (
        visible_reports(user)
        .select_related("behaviour__sector", "area__parent", "reporter_organisation", "submitted_by")
        .filter(reference=reference)
        .first()
    )


@dataclass(frozen=True)
class ReportListPage:
    """One page of a report list: the rows, whether there is a next one, and the count up to COUNT_CAP."""

    ids: list[int]
    number: int
    size: int
    has_next: bool
    count: int  # exact up to `cap`; cap + 1 means "more than `cap`"
    cap: int = COUNT_CAP

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def count_capped(self) -> bool:
        return self.count > self.cap

    @property
    def shown_count(self) -> int:
        """The count as a list shows it: exact, or the cap when there are more (count_capped)."""
        return min(self.count, self.cap)


def report_list_page(user, qs: QuerySet[Report] | None = None, *, number: int = 1, size: int = 50) -> ReportListPage:
    """Page `number` of the reports `user` may see among `qs` (filters applied), newest first.

    The permission scope is the union of a few plain conditions (ReportPolicy.branches); each is asked for its
    newest rows through its own index and the lists are merged (core.permissions.newest_ids): a page costs a
    walk of `number × size` rows per branch, whatever the size of the table. Never an exact count over every
    row: the count stops at COUNT_CAP."""
    # Đ3.1, Đ17.1: only what the user may see, read through the scope's own ways.
    return list_page(visible_report_branches(user, qs), number=number, size=size)


def list_page(branches: list[QuerySet[Report]], *, number: int = 1, size: int = 50) -> ReportListPage:
    """Page `number` of the union of `branches` (each already within the user's scope), newest first."""
    offset = (number - 1) * size
    ids = newest_ids(branches, LIST_ORDER, limit=size + 1, offset=offset)
    return ReportListPage(
        ids=ids[:size],
        number=number,
        size=size,
        has_next=len(ids) > size,
        count=capped_count(branches, COUNT_CAP),
        cap=COUNT_CAP,
    )


def reports_in_order(ids: list[int], qs: QuerySet[Report]) -> list[Report]:
    """The reports of `ids` read with `qs`'s shape (select_related, annotations...), in the order of `ids`."""
    by_id = {r.pk: r for r in qs.filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


@dataclass(frozen=True)
class Correlation:
    """How often an indicator of this report was reported before, and where the viewer may follow."""

    link: ReportIndicator
    total_reports: int  # across all reports, including ones the viewer may not see (a count only)
    total_cases: int
    visible_reports: list[Report]

    @property
    def reports(self) -> list[str]:
        """The references of the other reports the viewer may see."""
        return [r.reference for r in self.visible_reports]


def link_order(link: ReportIndicator) -> tuple[str, str]:
    """The order a report's indicators are shown in: by kind, then value."""
    return (link.indicator.kind, link.indicator.value)


def remember_rows(report: Report, name: str, rows: list) -> None:
    """Fill `report.<name>` with rows already in memory, as prefetch_related would (later filters query)."""
    qs = getattr(report, name).all()
    qs._result_cache = rows
    qs._prefetch_done = True
    report.__dict__.setdefault("_prefetched_objects_cache", {})[name] = qs


def report_for_reading(reference: str) -> Report | None:
    """One report by its tracking code with what its page and API show: its deliveries (with the organisation)
    and its indicator links (with the indicator), in three small indexed queries. Not permission-scoped: the
    caller checks `can()` before showing it.

    Put in display order here rather than by the database: on the API's one-report read, building the
    prefetches' ORDER BY (a join for the indicators') cost more than the queries themselves."""
    report = Report.objects.select_related("behaviour", "sector", "area").filter(reference=reference).first()
    if report is None:
        return None
    deliveries = Delivery.objects.select_related("organisation").filter(report_id=report.pk).order_by()
    links = ReportIndicator.objects.select_related("indicator").filter(report_id=report.pk).order_by()
    remember_rows(report, "deliveries", sorted(deliveries, key=lambda d: d.pk))
    remember_rows(report, "indicator_links", sorted(links, key=link_order))
    return report


def correlations_for(user, report: Report, *, limit: int = 10) -> list[Correlation]:
    """For each indicator of `report`: counts over everything, links only to what `user` may see.

    The other reports of all the indicators come in one query (the newest `limit` of each), so a report
    with fifty indicators costs what a report with one does."""
    if "indicator_links" in getattr(report, "_prefetched_objects_cache", {}):
        links = list(report.indicator_links.all())  # prefetched in the same order (the API's report_queryset)
    else:
        links = list(report.indicator_links.select_related("indicator").order_by("indicator__kind", "indicator__value"))
    ids = [link.indicator_id for link in links]
    in_cases = case_counts(ids)
    others: dict[int, list[Report]] = {}
    if ids:
        others = _newest_others(user, report, ids, limit)
    return [
        Correlation(
            link, link.indicator.report_count, in_cases.get(link.indicator_id, 0), others.get(link.indicator_id, [])
        )
        for link in links
    ]


def _others(user, report: Report, ids: list[int]) -> QuerySet[Report]:
    """The other reports naming these indicators that `user` may see, each with `via_indicator`.

    Written from the reports' side, so the permission scope is a condition on each candidate row (checked
    only for the rows the index walk reaches), never a set of every visible report built first."""
    return (
        visible_reports(user)
        .exclude(pk=report.pk)
        .filter(indicator_links__indicator_id__in=ids)
        .annotate(via_indicator=F("indicator_links__indicator_id"))
        .only("reference", "created_at", "status")
    )


def _newest_others(user, report: Report, ids: list[int], limit: int) -> dict[int, list[Report]]:
    """The newest `limit` other reports of each indicator that `user` may see.

    First the newest `limit × len(ids)` rows over all the indicators, a plain ordered query: when fewer come
    back, or each indicator has its `limit` among them, that is exact (a row left out is older than every
    row kept). Otherwise (one busy indicator crowds out another) the rows are ranked per indicator."""
    cap = limit * len(ids)
    rows = list(_others(user, report, ids).order_by("-created_at", "-pk")[:cap])
    per_indicator = Counter(row.via_indicator for row in rows)
    if len(rows) == cap and any(per_indicator[i] < limit for i in ids):
        rows = list(_ranked_others(user, report, ids, limit))
    others: dict[int, list[Report]] = {}
    for row in rows:
        kept = others.setdefault(row.via_indicator, [])
        if len(kept) < limit:
            kept.append(row)
    return others


def _ranked_others(user, report: Report, ids: list[int], limit: int) -> QuerySet[Report]:
    """The newest `limit` reports of each indicator, ranked by a window function."""
    return (
        _others(user, report, ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("indicator_links__indicator_id")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=limit)
        .order_by("via_indicator", "rank")
    )


def case_counts(indicator_ids: list[int]) -> dict[int, int]:
    """For each indicator, in how many distinct cases its reports are (a count only; the cases app answers)."""
    if not indicator_ids:
        return {}
    return first_result(CASE_COUNTS_HOOK, default={}, indicator_ids=indicator_ids)


def is_restricted(report: Report) -> bool:
    """Is the report under restricted access (a restricted case)? Viewing it is then an audit event."""
    return bool(restricted_among([report]))


def restricted_among(reports: list[Report]) -> list[Report]:
    """The reports of `reports` under restricted access (one query, answered by the app that restricts)."""
    ids = restricted_ids([r.pk for r in reports])
    return [r for r in reports if r.pk in ids]


def restricted_ids(report_ids: list[int]) -> set[int]:
    """The ids among `report_ids` of reports under restricted access (restricted_among for ids)."""
    if not report_ids:
        return set()
    return set(first_result(RESTRICTED_HOOK, default=set(), report_ids=report_ids))
