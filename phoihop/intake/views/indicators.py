"""The indicator page: everything the viewer may see about one phone number, web address, account...

Counts cover every report (as the report page and the API show them: a number, never a report the viewer
may not open); the reports listed, their dates and how the value was written in each are only those in the
viewer's permission scope. Apps above intake add their own panels to the page (listing state,
countermeasures) through `{% render_panels "indicators.indicator_detail" indicator %}`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from phoihop.indicators import normalise as ind
from phoihop.indicators.models import Indicator
from phoihop.indicators.selectors import indicator_lookup

from ..models import Report
from ..permissions import visible_reports
from ..search import indicator_url, kind_label
from ..selectors import case_counts

PAGE_SIZE = 25
MAX_PAGE = 200


@dataclass(frozen=True)
class Seen:
    """One visible report naming the indicator, as the timeline shows it."""

    report: Report
    raw: str


def _page_number(raw: str | None) -> int:
    try:
        return min(max(int(raw or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


def _may_look_up(user) -> bool:
    # Like the API's indicator look-up: anyone signed in for an organisation (an enterprise sees its own
    # reports in the list, the counts like everyone).
    return bool(user.is_active and getattr(user, "organisation_id", None))


@login_required
@require_GET
def indicator_detail(request, kind: str, value: str):
    """One value: how often and when it was reported, the reports the viewer may open, cases, panels."""
    if not _may_look_up(request.user):
        raise Http404
    try:
        parsed = ind.normalise(ind.IndicatorKind(kind), value)
    except ValueError as exc:
        raise Http404 from exc
    canonical = parsed.value if parsed.valid else value.strip()
    indicator = indicator_lookup(str(parsed.kind), canonical)
    if indicator is None and canonical != value:
        indicator = indicator_lookup(str(parsed.kind), value)  # stored as written (an invalid one)
    if indicator is None:
        return render(
            request,
            "intake/indicator_missing.html",
            {"kind": kind, "kind_label": kind_label(kind), "value": canonical},
            status=404,
        )
    if indicator.value != value:
        # Any writing of the value leads to one address: the normalised one.
        return redirect(indicator_url(indicator))
    page = _page_number(request.GET.get("page"))
    rows = list(
        visible_reports(request.user)
        .filter(indicator_links__indicator=indicator)
        .annotate(raw=F("indicator_links__raw"))
        .select_related("behaviour", "area")
        .defer("search_text")
        .order_by("-created_at", "-pk")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1]
    )
    has_next = len(rows) > PAGE_SIZE and page < MAX_PAGE
    seen = [Seen(report=r, raw=r.raw) for r in rows[:PAGE_SIZE]]
    related = _related(indicator)
    return render(
        request,
        "intake/indicator.html",
        {
            "indicator": indicator,
            "kind_label": kind_label(indicator.kind),
            "valid": parsed.valid and parsed.value == indicator.value,
            "message": "" if parsed.valid else parsed.message,
            "total_cases": case_counts([indicator.pk]).get(indicator.pk, 0),
            "seen": seen,
            "writings": sorted({s.raw for s in seen if s.raw and s.raw != indicator.value}),
            "page": page,
            "has_next": has_next,
            "related": related,
        },
    )


def _related(indicator: Indicator) -> list[tuple[str, Indicator]]:
    """Values this one implies that were reported too (a URL's domain, a Zalo account's phone...)."""
    try:
        parsed = ind.normalise(ind.IndicatorKind(indicator.kind), indicator.value)
    except ValueError:
        return []
    keys = [(str(r.kind), r.value) for r in ind.related(parsed)]
    if not keys:
        return []
    found = []
    for kind, value in keys:
        row = indicator_lookup(kind, value)
        if row is not None and row.pk != indicator.pk:
            found.append((kind_label(kind), row))
    return found
