"""One search box for the whole product: /search/?q= over every source the apps registered (core.search).

A value that reads as an indicator (a phone number written any way, a URL, an e-mail address, an account)
is normalised and looked up exactly first (intake.search.indicators_for_term); each source then lists its
exact matches before its full-text ones. Every source answers within the user's permission scope, newest
first, and says "more" instead of counting: a common word over a million reports costs one page of rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from phoihop.core.search import SearchQuery, SearchResult, SearchSource, search_sources
from phoihop.intake.search import indicators_for_term

MAX_TERM = 200
PER_SOURCE = 10  # on the page of every source
PER_PAGE = 25  # when one source is opened ("in" = its key)
MAX_PAGE = 40  # pages of one source: beyond, more precise words serve better than paging


@dataclass(frozen=True)
class Section:
    source: SearchSource
    result: SearchResult


def _page_number(raw: str | None) -> int:
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def run_search(user, text: str, *, only: str | None = None, page: int = 1) -> tuple[SearchQuery, list[Section]]:
    """The query (with the indicators it names) and each source's result for `user`."""
    text = " ".join((text or "").split())[:MAX_TERM]
    query = SearchQuery(text=text, indicator_ids=tuple(i.pk for i in indicators_for_term(text)))
    sections = []
    if not text:
        return query, sections
    for source in search_sources():
        if only and source.key != only:
            continue
        if only:
            result = source.find(user, query, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
        else:
            result = source.find(user, query, limit=PER_SOURCE, offset=0)
        sections.append(Section(source, result))
    return query, sections


@login_required
@require_GET
def search_page(request):
    """Results of every source (or one source, page by page, with ?in=<source>)."""
    only = request.GET.get("in") or None
    if only and only not in {s.key for s in search_sources()}:
        raise Http404
    page = _page_number(request.GET.get("page"))
    query, sections = run_search(request.user, request.GET.get("q", ""), only=only, page=page)
    found = any(s.result.hits or s.result.capped for s in sections)
    return render(
        request,
        "site/search.html",
        {
            "q": query.text,
            "query": query,
            "sections": sections,
            "found": found,
            "only": only,
            "page": page,
            "per_source": PER_SOURCE,
            "has_next": bool(only and sections and sections[0].result.more and page < MAX_PAGE),
        },
    )
