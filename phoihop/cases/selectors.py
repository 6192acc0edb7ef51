"""Reads of the cases app that need thought: lists, a case page, its timeline, suggestions."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from phoihop.api.prepared import PreparedRead
from phoihop.audit.models import AuditEvent
from phoihop.core.permissions import in_request
from phoihop.core.search import SearchHit, SearchQuery, SearchResult, ranked
from phoihop.indicators.models import Indicator
from phoihop.intake.models import Report, ReportIndicator
from phoihop.intake.permissions import visible_reports

from .choices import AccessLevel, CaseStatus
from .models import Case, CaseClosure, CaseReport, Task
from .permissions import report_case_row, visible_cases


def case_for(user, reference: str) -> Case | None:
    """One case through the permission scope: out of scope is the same as missing (a 404)."""
    return (
        with_outcome(visible_cases(user))
        .select_related(
            "lead_organisation",
            "behaviour",
            "sector",
            "area",
            "created_by",
        )
        .filter(reference=reference)
        .first()
    )


def with_outcome(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate each case with the outcome and time of its closure in force (`outcome`, `closed_at`; empty
    while it is open): correlated subqueries, computed only for the rows read."""
    in_force = CaseClosure.objects.filter(case=OuterRef("pk"), reopened_at__isnull=True).order_by("-pk")
    return qs.annotate(
        outcome=Coalesce(Subquery(in_force.values("outcome")[:1]), Value("")),
        closed_at=Subquery(in_force.values("recorded_at")[:1]),
    )


def case_list_for(user) -> QuerySet[Case]:
    """The visible cases with what a list shows. The open-task count is a correlated subquery, computed
    only for the rows of the page (an aggregate with GROUP BY would read every visible case)."""
    open_tasks = (
        Task.objects.filter(case=OuterRef("pk"), done_at__isnull=True)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # The lead organisation comes by prefetch, not by join: with an inner join, SQLite's planner (once
    # it has statistics) starts from the few organisations and sorts every case, instead of walking
    # the created_at index for the newest page.
    return with_outcome(
        visible_cases(user)
        .select_related("behaviour", "area")
        .prefetch_related("lead_organisation")
        .annotate(open_tasks=Coalesce(Subquery(open_tasks, output_field=IntegerField()), 0))
    )


def case_reports(user, case: Case) -> QuerySet[Report]:
    return visible_reports(user).filter(case_link__case=case).select_related("behaviour", "area")


def case_indicators(case: Case) -> QuerySet[Indicator]:
    """The indicators of all the case's reports, each once."""
    return Indicator.objects.filter(links__report__case_link__case=case).distinct().order_by("kind", "value")


def case_timeline(case: Case) -> QuerySet[AuditEvent]:
    """Everything that happened on the case, by whom and when (its audit events)."""
    return AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).select_related("actor")


def suggested_reports(user, case: Case, *, limit: int = 20) -> QuerySet[Report]:
    """Reports not yet in a case that share an indicator with `case` (and that `user` may see)."""
    indicator_ids = ReportIndicator.objects.filter(report__case_link__case=case, valid=True).values("indicator_id")
    return (
        visible_reports(user)
        .filter(case_link__isnull=True, indicator_links__indicator_id__in=indicator_ids)
        .exclude(status="closed")
        .distinct()
        .select_related("behaviour", "area")
        .order_by("-created_at")[:limit]
    )


def suggested_cases(user, report: Report, *, limit: int = 5) -> QuerySet[Case]:
    """Open cases `user` may see that share an indicator with `report` (for triage)."""
    indicator_ids = ReportIndicator.objects.filter(report=report, valid=True).values("indicator_id")
    return (
        visible_cases(user)
        .exclude(status=CaseStatus.CLOSED)
        .filter(report_links__report__indicator_links__indicator_id__in=indicator_ids)
        .distinct()
        .order_by("-created_at")[:limit]
    )


def indicator_case_counts(*, indicator_ids: list[int]) -> dict[int, int]:
    """For each indicator, in how many distinct cases its reports are (a count only, for correlation)."""
    return dict(
        ReportIndicator.objects.filter(indicator_id__in=indicator_ids, report__case_link__isnull=False)
        .values("indicator_id")
        .annotate(n=Count("report__case_link__case", distinct=True))
        .values_list("indicator_id", "n")
    )


def restricted_report_ids(*, report_ids: list[int]) -> set[int]:
    """Which of these reports are in a restricted case? (Reading them is an audit event, like the case.)"""
    if len(report_ids) == 1 and in_request():  # one report's page or API read: the row its check has read
        row = report_case_row(report_ids[0])
        return set(report_ids) if row is not None and row[1] == AccessLevel.RESTRICTED else set()
    return {report_id for (report_id,) in _RESTRICTED_AMONG.rows(list(report_ids))}


# A page of the API asks it for its 50 reports: its SQL is built once per connection (phoihop.api.prepared),
# not compiled anew with fifty parameters on every request.
_RESTRICTED_AMONG = PreparedRead(
    lambda ids: (
        CaseReport.objects.filter(report_id__in=ids, case__access_level=AccessLevel.RESTRICTED)
        .order_by()
        .values_list("report_id")
    )
)


def case_search_hits(user, query: SearchQuery, *, limit: int, offset: int = 0) -> SearchResult:
    """The search page's cases: those whose reports name the indicator first, then those whose own text
    (number, title, summary, report codes) matches; newest first, never counted."""
    scoped = visible_cases(user)
    wanted = offset + limit + 1
    exact_ids: list[int] = []
    if query.indicator_ids:
        naming = CaseReport.objects.filter(report__indicator_links__indicator_id__in=list(query.indicator_ids))
        exact_ids = list(
            scoped.filter(pk__in=naming.values("case_id")).order_by("-pk").values_list("pk", flat=True)[:wanted]
        )
    ids = exact_ids[offset:wanted]
    capped = False
    if len(ids) < limit + 1 and query.words:
        found = ranked(
            scoped,
            query.text,
            limit=limit + 1 - len(ids),
            offset=max(0, offset - len(exact_ids)),
            exclude=set(exact_ids),
        )
        ids += found.ids
        capped = found.capped
    by_id = {c.pk: c for c in Case.objects.filter(pk__in=ids).select_related("behaviour", "lead_organisation")}
    hits = [
        SearchHit(
            title=f"{case.reference} · {case.title}",
            url=reverse("cases:detail", args=[case.reference]),
            summary=" · ".join(
                p for p in [case.get_status_display(), case.lead_organisation.display_name, case.summary[:160]] if p
            ),
            when=case.created_at,
            badge=case.behaviour.citation if case.behaviour else "",
            exact=case.pk in exact_ids,
        )
        for case in (by_id[i] for i in ids if i in by_id)
    ]
    return SearchResult.of(hits, limit, capped=capped)
