"""The public look-up's lean path (api/fastpath.py): the same answer, byte for byte, with the same headers, as the
whole stack gives; everything it does not serve (errors, refusals, keys, sessions, other formats) goes on to the
DRF view unchanged."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from phoihop.cases.tests.factories import submit_report

from ..api import fastpath
from ..api.views import PublicLookupView
from .helpers import listed

pytestmark = pytest.mark.django_db

API = "/api/v1/public/lookup/"
LEAN = "phoihop.listing.api.fastpath.PublicLookupFastPath"
VARIABLE = {"X-Phoihop-Queries"}  # the statement count header of benchmarks, when on


@pytest.fixture
def values(cast):
    listing = listed(cast)
    submit_report(phone="0977 111 222")
    return listing


@pytest.fixture
def no_view(monkeypatch):
    """The DRF view fails: whatever still answers 200 was answered by the lean path."""

    def fail(self, request):
        raise AssertionError("the DRF view was asked")

    monkeypatch.setattr(PublicLookupView, "get", fail)


def test_the_lean_path_is_the_look_ups_path():
    assert reverse("api:public-lookup") == fastpath.PATH
    assert LEAN in django_settings.MIDDLEWARE


def _headers(response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k not in VARIABLE}


@pytest.mark.parametrize(
    ("q", "status", "language"),
    [
        ("0912 345 678", "listed", ""),
        ("+84912345678", "listed", "en"),
        ("0977-111-222", "reported", ""),
        ("0987 000 111", "unknown", "vi"),
        ("Vietcombank 0071000123456", "unknown", ""),
    ],
)
def test_the_lean_answer_is_the_whole_stacks_answer(client, settings, values, q, status, language):
    extra = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    lean = client.get(API, {"q": q}, **extra)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != LEAN]
    whole = client.get(API, {"q": q}, **extra)
    assert lean.status_code == whole.status_code == 200
    assert lean.json()["status"] == status
    assert lean.content == whole.content
    assert _headers(lean) == _headers(whole)


def test_the_lean_path_answers_without_the_view(client, values, no_view):
    for q in ("0912 345 678", "0977 111 222", "0987 000 111"):
        response = client.get(API, {"q": q}, HTTP_ACCEPT="application/json")
        assert response.status_code == 200
    assert response.json()["status"] == "unknown"


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_AUTHORIZATION": "Bearer nothing"},  # a key: its own budget, its own errors
        {"HTTP_ACCEPT": "text/html"},  # the browsable API
        {"HTTP_COOKIE": f"{django_settings.SESSION_COOKIE_NAME}=abc"},  # maybe a signed-in account
    ],
)
def test_what_the_lean_path_does_not_serve_goes_to_the_view(client, values, no_view, extra):
    with pytest.raises(AssertionError, match="the DRF view was asked"):
        client.get(API, {"q": "0912 345 678"}, **extra)


def test_errors_are_the_views(client, values, no_view):
    with pytest.raises(AssertionError, match="the DRF view was asked"):
        client.get(API, {"q": "xin chào"})
    with pytest.raises(AssertionError, match="the DRF view was asked"):
        client.get(API, {"q": "0912 345 678", "format": "json"})


def test_a_refusal_is_the_views_429(client, values, settings, monkeypatch):
    from django.core.cache import caches

    from ..api import throttles

    monkeypatch.setattr(throttles.time, "time", lambda: 1_800_000_000.0)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public_lookup": "2/minute"},
    }
    caches["throttle"].clear()
    try:
        codes = [client.get(API, {"q": "0912 345 678"}, REMOTE_ADDR="198.51.100.7") for _ in range(3)]
        assert [r.status_code for r in codes] == [200, 200, 429]
        refusal = codes[-1]
        assert refusal["Content-Type"].startswith("application/problem+json") and refusal["Retry-After"] == "60"
        assert refusal["Content-Security-Policy"] and refusal["X-Frame-Options"] == "DENY"
    finally:
        caches["throttle"].clear()
