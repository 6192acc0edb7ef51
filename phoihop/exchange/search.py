"""The requests between agencies on the one search page (core.search): by reference, subject or what is asked."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from phoihop.core.search import SearchHit, SearchQuery, SearchResult

from .permissions import visible_requests

LABEL = _("Requests between agencies")


def request_hits(user, query: SearchQuery, *, limit: int, offset: int = 0) -> SearchResult:
    """Requests the user may see (sender or recipient) whose reference, subject or text holds every word
    typed; newest first, never counted."""
    words = query.text.split()
    if not words:
        return SearchResult([])
    qs = visible_requests(user).select_related("sender")
    for word in words:
        qs = qs.filter(Q(reference__icontains=word) | Q(subject__icontains=word) | Q(body__icontains=word))
    found = list(qs.order_by("-pk")[offset : offset + limit + 1])
    hits = [
        SearchHit(
            title=f"{req.reference} · {req.subject}",
            url=reverse("exchange:detail", args=[req.reference]),
            summary=" · ".join(p for p in [req.get_kind_display(), req.get_status_display(), str(req.sender)] if p),
            when=req.created_at,
            badge=req.get_kind_display(),
        )
        for req in found
    ]
    return SearchResult.of(hits, limit)
