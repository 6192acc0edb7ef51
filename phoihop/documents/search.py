"""The documents on the one search page (core.search): by number and symbol, summary (trích yếu) or body words."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from phoihop.core.search import SearchHit, SearchQuery, SearchResult

from .selectors import documents_for

LABEL = _("Official documents")


def document_hits(user, query: SearchQuery, *, limit: int, offset: int = 0) -> SearchResult:
    """Documents the user may see whose number, summary or body holds every word typed; newest first, never
    counted (an organisation's documents are thousands, not millions: a scan of its own rows is cheap)."""
    words = query.text.split()
    if not words:
        return SearchResult([])
    qs = documents_for(user)
    for word in words:
        qs = qs.filter(Q(reference__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word))
    found = list(qs.order_by("-pk")[offset : offset + limit + 1])
    hits = [
        SearchHit(
            title=" · ".join(p for p in [doc.reference, doc.summary] if p),
            url=reverse("documents:detail", args=[doc.pk]),
            summary=" · ".join([doc.get_kind_display(), doc.get_status_display(), str(doc.organisation)]),
            when=doc.signed_at or doc.created_at,
            badge=doc.get_kind_display(),
        )
        for doc in found
    ]
    return SearchResult.of(hits, limit)
