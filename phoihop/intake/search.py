"""Finding reports and indicators from one search box: a value typed any way is matched exactly first.

A search term that reads as an indicator ("0912345678", "0912 345 678", "+84 912.345.678", a URL, an
e-mail address, an account) is normalised as intake normalises what reporters write
(phoihop.indicators.normalise), then looked up exactly in the Indicator table (one row per value, an
index lookup). Its reports come first; the full-text matches follow (core.search.ranked: newest first,
capped, never counted).
"""

from __future__ import annotations

import re

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core.permissions import newest_ids
from phoihop.core.search import SearchHit, SearchQuery, SearchResult, ranked
from phoihop.indicators import normalise as ind
from phoihop.indicators.models import Indicator

from .models import Report, ReportIndicator
from .permissions import visible_report_branches, visible_reports

# A term longer than this is a sentence, not a value: it goes to full text only.
MAX_VALUE_LENGTH = 300
# Kinds tried on a whole term. A bank account is tried only on a bare run of digits (any number of 6–19
# digits is a valid account, so "2026" would otherwise always "match" something).
_DIGITS = re.compile(r"[0-9 .\-()+]+")


def term_indicators(term: str) -> list[ind.Indicator]:
    """The indicators a search term may stand for, normalised (each valid reading, and what it implies).

    "0912 345 678" → phone +84912345678; "shopee-khuyenmai.com" → the URL and the domain; "a@b.vn" → the
    e-mail and its domain. Free text with an indicator in it ("goi tu so 0912345678") yields that one too.
    """
    term = (term or "").strip()
    if not term or len(term) > MAX_VALUE_LENGTH:
        return []
    readings: list[ind.Indicator] = []
    digits_only = bool(_DIGITS.fullmatch(term))
    for kind in ind.IndicatorKind:
        if kind == ind.IndicatorKind.BANK_ACCOUNT and not digits_only:
            continue
        if kind == ind.IndicatorKind.SMS_SENDER and not digits_only:
            continue  # a brand name is any word: "lua" is not a sender
        if kind == ind.IndicatorKind.LICENCE_PLATE and digits_only:
            continue
        reading = ind.normalise(kind, term)
        if reading.valid:
            readings.append(reading)
    readings += ind.extract(term)
    out: list[ind.Indicator] = []
    keys: set[tuple[str, str]] = set()
    for reading in readings:
        for one in [reading, *ind.related(reading)]:
            key = (str(one.kind), one.value)
            if key not in keys:
                keys.add(key)
                out.append(one)
    return out


def indicators_for_term(term: str) -> list[Indicator]:
    """The Indicator rows a term names exactly (one indexed query), most reported first."""
    readings = term_indicators(term)
    if not readings:
        return []
    condition = Q()
    for reading in readings:
        condition |= Q(kind=str(reading.kind), value=reading.value)
    return list(Indicator.objects.filter(condition).order_by("-report_count", "pk")[:20])


def indicator_url(indicator: Indicator) -> str:
    """The indicator page of a value (the value is part of the path, quoted)."""
    return reverse("intake:indicator", kwargs={"kind": indicator.kind, "value": indicator.value})


def kind_label(kind: str) -> str:
    try:
        return str(ind.KIND_LABELS[ind.IndicatorKind(kind)])
    except (KeyError, ValueError):
        return kind


# --- Sources of the search page (registered in apps.py) ------------------------------------------------------


def _report_hit(report: Report, *, exact: bool) -> SearchHit:
    behaviour = report.behaviour
    badge = f"{behaviour.citation}" if behaviour else ""
    where = report.area.name if report.area else ""
    text = Truncator(" ".join(report.description.split())).chars(160)
    return SearchHit(
        title=report.reference,
        url=reverse("intake:detail", args=[report.reference]),
        summary=" · ".join(p for p in [where, text] if p),
        when=report.created_at,
        badge=badge or report.get_status_display(),
        exact=exact,
        code=True,
    )


EXACT_WINDOW = 400  # the newest links of the named indicators looked at before the scope's own walk


def naming_ids(user, indicator_ids: list[int] | tuple[int, ...], wanted: int) -> list[int]:
    """The newest `wanted` reports `user` may see that name one of these indicators, newest first.

    At most 2 + (number of scope branches) queries, however often the value was reported: the newest links of
    the indicators ((indicator, report) index) narrowed by the scope; when those are too few and there are more
    links, each branch of the scope asked for its newest reports naming them, merged (newest_ids)."""
    ids = list(indicator_ids)
    limit = max(EXACT_WINDOW, wanted)
    links = list(
        ReportIndicator.objects.filter(indicator_id__in=ids)
        .order_by("-report_id")
        .values_list("report_id", flat=True)[:limit]
    )
    window = list(dict.fromkeys(links))  # a report naming two of them comes once
    kept = set(visible_reports(user).filter(pk__in=window).values_list("pk", flat=True)) if window else set()
    newest = [i for i in window if i in kept]
    if len(newest) >= wanted or len(links) < limit:
        return newest[:wanted]
    # Every report from the window's oldest up is decided; below it, each way of the scope walks its own index.
    naming = Exists(ReportIndicator.objects.filter(report_id=OuterRef("pk"), indicator_id__in=ids))
    below = Report.objects.filter(naming, pk__lt=min(window))
    return (newest + newest_ids(visible_report_branches(user, below), ("-pk",), limit=wanted - len(newest)))[:wanted]


def report_hits(user, query: SearchQuery, *, limit: int, offset: int = 0) -> SearchResult:
    """Reports naming the indicator first, then those whose text matches; newest first, never counted."""
    wanted = offset + limit + 1
    exact_ids: list[int] = []
    if query.indicator_ids:
        exact_ids = naming_ids(user, query.indicator_ids, wanted)
    ids = exact_ids[offset:wanted]
    capped = False
    if len(ids) < limit + 1 and query.words:
        # Full text fills the rest of the page; the exact matches are not repeated.
        found = ranked(
            visible_reports(user),
            query.text,
            limit=limit + 1 - len(ids),
            offset=max(0, offset - len(exact_ids)),
            exclude=set(exact_ids),
            branches=visible_report_branches(user),
        )
        ids += found.ids
        capped = found.capped
    rows = Report.objects.filter(pk__in=ids).select_related("behaviour", "area").defer("search_text")
    by_id = {r.pk: r for r in rows}
    exact = set(exact_ids)
    hits = [_report_hit(by_id[i], exact=i in exact) for i in ids if i in by_id]
    return SearchResult.of(hits, limit, capped=capped)


def indicator_hits(user, query: SearchQuery, *, limit: int, offset: int = 0) -> SearchResult:
    """The indicators the term names exactly, with how often each was reported (a count over all reports,
    as the report page shows it; the reports themselves are listed only as far as the user may see them)."""
    if not query.indicator_ids or offset:
        return SearchResult([])
    rows = Indicator.objects.filter(pk__in=query.indicator_ids).order_by("-report_count", "pk")[: limit + 1]
    hits = [
        SearchHit(
            title=row.value,
            url=indicator_url(row),
            summary=_("reported %(count)s times, last on %(day)s")
            % {"count": row.report_count, "day": date_format(timezone.localtime(row.last_seen), "SHORT_DATE_FORMAT")},
            when=row.last_seen,
            badge=kind_label(row.kind),
            exact=True,
            code=True,
        )
        for row in rows
    ]
    return SearchResult.of(hits, limit)


REPORTS_LABEL = gettext_lazy("Reports")
INDICATORS_LABEL = gettext_lazy("Phone numbers, web sites and accounts")
