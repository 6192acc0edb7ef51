"""The public look-up's lean path: `GET /api/v1/public/lookup/?q=` answered before the heavy middleware.

The look-up is the one public call made in volume (Đ4.1, Đ9: the public checks a number before paying), and
its answer comes from memory (lookup.py's index), yet through the whole stack a request cost ~4 ms of CPU: the
session, CSRF, authentication, second factor, axes, the permission memo, URL resolution, DRF's negotiation,
authentication and throttles, the CSP policy built anew. This middleware sits right after the security and
outage middleware (config/settings.py MIDDLEWARE) and answers the common case itself:

- an anonymous GET (no Authorization header, no session cookie: a key or a signed-in account counts against its
  own budget, so those go the whole way) that asks for JSON (no Accept, */* or application/json; no ?format=),
- whose `q` (and `bank`) the view would accept,
- from an address within its rate (the same counter as PublicLookupThrottle).

The body is what the DRF view renders (answer_json through DRF's JSONRenderer: byte for byte the same) and the
headers are the ones the whole stack sets: the security middleware's and the outage middleware's run around it,
the language is negotiated by the same middleware (the API honours Accept-Language), and the CSP header is the
site policy (built once: a JSON answer has no nonce). Anything else — an error to explain (400, with the
hint), a refusal (429, with Retry-After), a HEAD or OPTIONS, the browsable API — goes on to the DRF view,
which stays the one place that words errors.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.utils.cache import patch_vary_headers
from rest_framework.renderers import JSONRenderer

from phoihop.core.csp import site_headers
from phoihop.core.locale import DefaultLanguageMiddleware

from ..lookup import answer_json, lookup
from .throttles import PublicLookupThrottle

PATH = "/api/v1/public/lookup/"  # config/urls.py mounts the listing API at /api/v1/ (a test checks reverse())
JSON_ACCEPTS = frozenset({"", "*/*", "application/json"})
ALLOW = "GET, HEAD, OPTIONS"  # what DRF's view announces


class PublicLookupFastPath:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.renderer = JSONRenderer()
        # The middleware the whole stack would run on this answer, in the same order (outermost first).
        self.respond = DefaultLanguageMiddleware(XFrameOptionsMiddleware(self._render))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        if (
            request.path_info != PATH
            or request.method != "GET"
            or "HTTP_AUTHORIZATION" in meta
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or meta.get("HTTP_ACCEPT", "").strip() not in JSON_ACCEPTS
        ):
            return self.get_response(request)
        params = request.GET
        q, bank = params.get("q", ""), params.get("bank", "")
        if "format" in params or len(bank) > 100 or not 0 < len(q) <= 300:
            return self.get_response(request)  # the view explains (or renders another format)
        answer = lookup(q, bank or None)
        if answer is None:
            return self.get_response(request)  # the view's 400 with the hint
        try:
            request.get_host()
        except DisallowedHost:
            return self.get_response(request)  # Django's 400, as for any other path
        throttle = PublicLookupThrottle()
        if not throttle.count(throttle.get_ident(request)):
            return self.get_response(request)  # counted again there: the view's 429 with Retry-After
        request._public_lookup_answer = answer  # type: ignore[attr-defined]
        response = self.respond(request)
        patch_vary_headers(response, ("Cookie",))  # the session middleware's mark: a session cookie goes the whole way
        return response

    def _render(self, request: HttpRequest) -> HttpResponse:
        data = answer_json(request._public_lookup_answer, absolute=request.build_absolute_uri)  # type: ignore[attr-defined]
        response = HttpResponse(self.renderer.render(data), content_type="application/json")
        response["Allow"] = ALLOW
        patch_vary_headers(response, ("Accept",))
        for header, value, _exempt, excluded in site_headers():
            if PATH.startswith(excluded):
                continue
            response[header] = value
        return response
