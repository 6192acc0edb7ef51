"""Request bodies bounded before they are read, and the public form's attempt budget before it is parsed.

Django reads a multipart body (spooling files to disk) as soon as anything touches request.POST, which the
CSRF middleware does before any view runs. This middleware sits above it and decides from the headers only
(request.META): a body longer than its path allows is refused with 413, a body of unknown length (chunked,
no Content-Length) on those paths with 411, and a post of the public report form from an address that has
spent its attempt budget with 429. HTML pages get a page (in the visitor's language, Vietnamese first);
the API gets RFC 9457 problem details.

The paths that take files: the report forms (intake's files per report), the import (its own limit), and the
uploads to a case and to a task's result, on the page and through the API (the cases app's files per upload).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from phoihop.cases.models import EVIDENCE_FILES_AT_ONCE as CASE_FILES
from phoihop.intake.imports import MAX_BYTES as IMPORT_MAX_BYTES
from phoihop.intake.services import MAX_FILES
from phoihop.intake.views.ratelimit import rate_limit_wait, too_many

API_PREFIX = "/api/"
API_MAX_BYTES = 1024 * 1024  # one report in JSON; evidence does not travel through the JSON API
FORM_MARGIN = 1024 * 1024  # the text fields and the multipart framing around the files
IMPORT_MARGIN = 64 * 1024
BODY_METHODS = {"POST", "PUT", "PATCH"}


# The views that take files on a case (page and API): evidence, and a task's result.
CASE_UPLOAD_VIEWS = {"cases:evidence_add", "cases:task_complete", "api:case-evidence-add", "api:case-task-complete"}


@cache
def _paths() -> dict[str, str]:
    return {
        "public": reverse("intake:public_report"),
        "signed_in": reverse("intake:new_report"),
        "import": reverse("api:report-import"),
        "cases": reverse("cases:list"),
        "cases_api": reverse("api:case-list"),
    }


def _files_limit(files: int) -> int:
    return settings.EVIDENCE_MAX_BYTES * files + FORM_MARGIN


def _case_upload(path: str, paths: dict[str, str]) -> bool:
    """Is `path` one of the cases' uploads? Resolved only below the cases' own prefixes (their paths hold the
    case's number, so they are not fixed strings)."""
    if not path.startswith((paths["cases"], paths["cases_api"])):
        return False
    try:
        return resolve(path).view_name in CASE_UPLOAD_VIEWS
    except Resolver404:
        return False


def _limit(path: str) -> tuple[int, int | None] | None:
    """The most bytes a request body to `path` may have and, for a form of files, how many files it takes."""
    paths = _paths()
    if path in (paths["public"], paths["signed_in"]):
        return _files_limit(MAX_FILES), MAX_FILES
    if path == paths["import"]:
        return IMPORT_MAX_BYTES + IMPORT_MARGIN, None
    if _case_upload(path, paths):
        return _files_limit(CASE_FILES), CASE_FILES
    if path.startswith(API_PREFIX):
        return API_MAX_BYTES, None
    return None


def body_limit(path: str) -> int | None:
    """The most bytes a request body to `path` may have, or None where Django's own limits apply."""
    found = _limit(path)
    return found[0] if found else None


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
            refusal = self._refusal(request)
            if refusal is not None:
                # The answer in the request's language, worked out only now: it costs more than the checks.
                with translation.override(translation.get_language_from_request(request)):
                    return refusal()
        return self.get_response(request)

    def _refusal(self, request) -> Callable[[], HttpResponse] | None:
        """How to refuse the request, or None to let it through (decided from the headers alone)."""
        path = request.path_info
        found = _limit(path)
        if found is not None:
            limit, files = found
            length = _declared_length(request.META)
            if length is None and (request.META.get("CONTENT_LENGTH") or request.META.get("HTTP_TRANSFER_ENCODING")):
                # A chunked body (or a length that is not a number) could be of any size: refused unread.
                return lambda: _refuse(
                    request, 411, _("Send the request with its length (Content-Length), not in chunks."), "length"
                )
            if length is not None and length > limit:
                return lambda: _refuse(request, 413, _too_large(limit, files), "too_large")
        if request.method == "POST" and path == _paths()["public"]:
            # Every post of the public form counts, read or not: a bound on what a robot can make us parse.
            wait = rate_limit_wait(request, "public_attempt")
            if wait:
                return lambda: too_many(request, wait)
        return None


def _too_large(limit: int, files: int | None) -> str:
    if files is None:
        return _("The request body is too large: at most %(size)s.") % {"size": filesizeformat(limit)}
    return _("The files sent are too large: at most %(n)d files of %(each)s each, %(size)s in all.") % {
        "n": files,
        "each": filesizeformat(settings.EVIDENCE_MAX_BYTES),
        "size": filesizeformat(limit),
    }
