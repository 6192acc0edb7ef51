"""What the pages of the alerts app share: the audit context, fetching through the permission scope (an object out
of reach is a 404 that does not reveal it exists), answering a stored file safely."""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from phoihop.audit.services import AuditContext

from ..models import Advisory, PublicWarning
from ..selectors import advisory_for, warning_for


def ctx_of(request) -> AuditContext:
    return AuditContext.from_request(request)


def advisory_or_404(user, reference: str) -> Advisory:
    advisory = advisory_for(user, reference)
    if advisory is None:
        raise Http404
    return advisory


def warning_or_404(user, pk: int) -> PublicWarning:
    warning = warning_for(user, pk)
    if warning is None:
        raise Http404
    return warning


def go(request, url: str):
    """After a write: a full page change (htmx follows it with a client-side redirect)."""
    return HttpResponseClientRedirect(url) if getattr(request, "htmx", None) else redirect(url)


def file_response(stored, *, inline: bool, cache: str = "private, no-store") -> HttpResponse:
    """A stored file with the type read from its content; never sniffed, never run (sandboxed, no script)."""
    response = HttpResponse(bytes(stored.data), content_type=stored.content_type)
    disposition = "inline" if inline and stored.is_image else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(stored.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = cache
    response["Content-Length"] = str(stored.size)
    return response
