"""The database (or the disk under it) is unavailable: 503 with Retry-After, never a 500 page.

Connection refused, "database is locked" past the busy timeout, a disk I/O error, a full or read-only
disk: the request answers 503 with `Retry-After: 30`, a static page for people (it extends base.html but
is rendered without a request, so no context processor, session or navigation touches the database) and
`application/problem+json` under /api/. Nothing is half-written: every service writes in one
transaction, which the error rolled back.

Errors raised by the view (or while rendering it) arrive in process_exception. Those raised in a
middleware further in (a session saved on the way out) are turned into a 500 response by Django before
they reach us: the got_request_exception signal marks the request, and __call__ swaps that response.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger("phoihop.outage")

RETRY_AFTER = 30
DISK_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EIO}
DISK_WORDS = ("disk is full", "disk i/o", "readonly database", "read-only", "no space left")
BUG_WORDS = ("no such table", "no such column", "syntax error", "has no column")  # a bug, not an outage
_MARK = "_phoihop_outage"


def outage_kind(exc: BaseException | None) -> str | None:
    """'disk', 'database' or None (not an outage: let Django report the bug)."""
    if isinstance(exc, OperationalError | InterfaceError | sqlite3.OperationalError):
        message = str(exc).lower()
        if any(word in message for word in BUG_WORDS):
            return None
        return "disk" if any(word in message for word in DISK_WORDS) else "database"
    if isinstance(exc, OSError) and exc.errno in DISK_ERRNOS:
        return "disk"
    return None


def unavailable_response(request, kind: str) -> HttpResponse:
    if kind == "disk":
        detail = _("The server's disk is full or read-only: nothing was saved. Please try again later.")
    else:
        detail = _("The database is unavailable for a moment: nothing was saved. Please try again shortly.")
    if request.path.startswith("/api/"):
        body = {
            "type": "urn:phoihop:problem:unavailable",
            "title": str(_("Service unavailable")),
            "status": 503,
            "detail": str(detail),
            "code": "disk-unavailable" if kind == "disk" else "database-unavailable",
        }
        response = JsonResponse(body, status=503, content_type="application/problem+json")
    else:
        html = render_to_string("site/unavailable.html", {"detail": detail, "retry_after": RETRY_AFTER})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except Exception as exc:  # raised past Django's own conversion (e.g. re-raised by a test client)
            kind = outage_kind(exc)
            if kind is None:
                raise
            return self._answer(request, kind, exc)
        kind = getattr(request, _MARK, None)
        if kind is not None:
            return self._answer(request, kind, None)
        return response

    def process_exception(self, request, exception):
        kind = outage_kind(exception)
        return None if kind is None else self._answer(request, kind, exception)

    def _answer(self, request, kind: str, exc: BaseException | None) -> HttpResponse:
        logger.error("%s unavailable on %s %s: %s", kind, request.method, request.path, exc or "see above")
        return unavailable_response(request, kind)


def _mark_request(sender, request=None, **kwargs) -> None:
    kind = outage_kind(sys.exc_info()[1])
    if request is not None and kind is not None:
        setattr(request, _MARK, kind)


got_request_exception.connect(_mark_request, dispatch_uid="phoihop.site.outage")
