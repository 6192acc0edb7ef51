"""Request bodies bounded before they are read, and the public form's attempt budget before it is parsed.

Django reads a multipart body (spooling files to disk) as soon as anything touches request.POST, which the
CSRF middleware does before any view runs. This middleware sits above it and decides from the headers only
(request.META): a body longer than its path allows is refused with 413, a body of unknown length (chunked,
no Content-Length) on those paths with 411, and a post of the public report form from an address that has
spent its attempt budget with 429. HTML pages get a page (in the visitor's language, Vietnamese first);
the API gets RFC 9457 problem details.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from phoihop.intake.imports import MAX_BYTES as IMPORT_MAX_BYTES
from phoihop.intake.services import MAX_FILES
from phoihop.intake.views.ratelimit import rate_limit_wait, too_many

API_PREFIX = "/api/"
API_MAX_BYTES = 1024 * 1024  # one report in JSON; evidence does not travel through the JSON API
FORM_MARGIN = 1024 * 1024  # the text fields and the multipart framing around the files
IMPORT_MARGIN = 64 * 1024
BODY_METHODS = {"POST", "PUT", "PATCH"}


@cache
def _paths() -> dict[str, str]:
    return {
        "public": reverse("intake:public_report"),
        "signed_in": reverse("intake:new_report"),
        "import": reverse("api:report-import"),
    }


def body_limit(path: str) -> int | None:
    """The most bytes a request body to `path` may have, or None where Django's own limits apply."""
    paths = _paths()
    if path in (paths["public"], paths["signed_in"]):
        return settings.EVIDENCE_MAX_BYTES * MAX_FILES + FORM_MARGIN
    if path == paths["import"]:
        return IMPORT_MAX_BYTES + IMPORT_MARGIN
    if path.startswith(API_PREFIX):
        return API_MAX_BYTES
    return None


def _declared_length(meta) -> int | None:
    """Content-Length as a number; None when it is missing or not a number."""
    value = (meta.get("CONTENT_LENGTH") or "").strip()
    return int(value) if value.isdigit() else None


def _refuse(request, status: int, detail: str, code: str) -> HttpResponse:
    if request.path_info.startswith(API_PREFIX):
        body = {"type": "about:blank", "title": _title(status), "status": status, "detail": detail, "code": code}
        return JsonResponse(body, status=status, content_type="application/problem+json")
    return render(request, "site/request_refused.html", {"status": status, "detail": detail}, status=status)


def _title(status: int) -> str:
    if status == 413:
        return _("Content Too Large")
    if status == 411:
        return _("Length Required")
    return _("Bad Request")


class RequestLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in BODY_METHODS:
            with translation.override(translation.get_language_from_request(request)):
                refused = self._check(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _check(self, request) -> HttpResponse | None:
        path = request.path_info
        limit = body_limit(path)
        if limit is not None:
            length = _declared_length(request.META)
            if length is None and (request.META.get("CONTENT_LENGTH") or request.META.get("HTTP_TRANSFER_ENCODING")):
                # A chunked body (or a length that is not a number) could be of any size: refused unread.
                return _refuse(
                    request, 411, _("Send the request with its length (Content-Length), not in chunks."), "length"
                )
            if length is not None and length > limit:
                if path.startswith(API_PREFIX):
                    detail = _("The request body is too large: at most %(size)s.") % {"size": filesizeformat(limit)}
                else:
                    detail = _(
                        "The files sent are too large: at most %(n)d files of %(each)s each, %(size)s in all."
                    ) % {
                        "n": MAX_FILES,
                        "each": filesizeformat(settings.EVIDENCE_MAX_BYTES),
                        "size": filesizeformat(limit),
                    }
                return _refuse(request, 413, detail, "too_large")
        if request.method == "POST" and path == _paths()["public"]:
            # Every post of the public form counts, read or not: a bound on what a robot can make us parse.
            wait = rate_limit_wait(request, "public_attempt")
            if wait:
                return too_many(request, wait)
        return None
