"""core.csp.CSPMiddleware writes the headers django-csp's middleware writes, with the site policy built once."""

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE
from csp.decorators import csp_exempt, csp_update
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from phoihop.core.csp import CSPMiddleware

POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", NONCE]}}
REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"]}}


def _directives(header: str | None) -> set[str] | None:
    """A policy as its set of directives: django-csp writes them in no fixed order."""
    return None if header is None else {part.strip() for part in header.split(";")}


def _headers(middleware_class, view, path="/a/"):
    request = RequestFactory().get(path)
    middleware = middleware_class(view)
    response = middleware(request)
    return {h: response.get(h) for h in (HEADER, HEADER_REPORT_ONLY)}, request


def plain(request):
    return HttpResponse("ok")


def with_nonce(request):
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")


@csp_update({"img-src": ["data:"]})
def updated(request):
    return HttpResponse("ok")


@csp_exempt()
def exempt(request):
    return HttpResponse("ok")


@pytest.mark.parametrize("view", [plain, with_nonce, updated, exempt])
@override_settings(CONTENT_SECURITY_POLICY=POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY=REPORT_ONLY)
def test_the_same_headers_as_django_csp(view):
    ours, _request = _headers(CSPMiddleware, view)
    theirs, _request = _headers(DjangoCSPMiddleware, view)
    if view is with_nonce:  # a nonce is new on each request: compare the policy around it
        assert "'nonce-" in ours[HEADER]
        ours[HEADER] = ours[HEADER].split("'nonce-")[0]
        theirs[HEADER] = theirs[HEADER].split("'nonce-")[0]
    assert ours == theirs
    if view is plain:
        assert _directives(ours[HEADER]) == {"default-src 'self'", "script-src 'self'"}  # no nonce asked, none named
        assert _directives(ours[HEADER_REPORT_ONLY]) == {"default-src 'none'"}
    if view is exempt:
        assert ours[HEADER] is None


def test_a_settings_change_is_seen_and_a_late_nonce_is_an_error():
    with override_settings(CONTENT_SECURITY_POLICY=POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY=None):
        headers, request = _headers(CSPMiddleware, plain)
        assert _directives(headers[HEADER]) == {"default-src 'self'", "script-src 'self'"}
        assert headers[HEADER_REPORT_ONLY] is None
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        headers, _request = _headers(CSPMiddleware, plain)
        assert _directives(headers[HEADER]) == {"default-src 'none'"}
    with pytest.raises(Exception, match="csp_nonce"):
        str(request.csp_nonce)  # asked for after the header was written: nothing could carry it
