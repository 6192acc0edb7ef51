"""Settings from the environment: the shared cache, the rate limits on it, the client's address behind a proxy."""

from __future__ import annotations

import http.client
import importlib
import socket
import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django_ratelimit.core import get_usage

from phoihop.site.management.commands.serve import proxy_options


@pytest.fixture
def reload_settings(monkeypatch, tmp_path):
    """Re-read config.settings under a changed environment; put it back afterwards."""
    from config import settings as conf

    monkeypatch.setenv("PHOIHOP_VAR_DIR", str(tmp_path))

    def load(**env):
        for name, value in env.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        return importlib.reload(conf)

    yield load
    monkeypatch.undo()
    importlib.reload(conf)


def test_the_cache_is_the_database_by_default_and_redis_when_configured(reload_settings):
    conf = reload_settings(REDIS_URL=None)
    assert conf.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    conf = reload_settings(REDIS_URL="redis://cache.internal:6379/1")
    assert conf.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert conf.CACHES["default"]["LOCATION"] == "redis://cache.internal:6379/1"


def test_the_base_settings_do_not_look_for_a_test_runner(reload_settings):
    conf = reload_settings(DEBUG=None)
    assert conf.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert conf.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert not hasattr(conf, "TESTING")


@pytest.mark.django_db
def test_the_cache_lives_in_the_database_so_every_process_shares_it():
    cache.set("shared-key", 41)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM phoihop_cache")
        assert cursor.fetchone()[0] >= 1
    assert cache.incr("shared-key") == 42


@pytest.mark.django_db
def test_a_form_limit_through_django_ratelimit_counts_per_client_address():
    """The call the HTML forms make: the budget is per REMOTE_ADDR and kept in the shared cache."""

    def spend(ip: str) -> dict:
        request = RequestFactory().post("/reports/new/", REMOTE_ADDR=ip)
        return get_usage(request, group="intake:public_report", key="ip", rate="3/hour", increment=True)

    assert [spend("203.0.113.7")["should_limit"] for _ in range(4)] == [False, False, False, True]
    assert spend("198.51.100.2")["should_limit"] is False  # another client keeps its own budget
    assert 0 < spend("203.0.113.7")["time_left"] <= 3600  # for Retry-After


@pytest.mark.django_db
def test_the_api_throttle_counts_in_the_same_shared_cache():
    from rest_framework.request import Request

    from phoihop.api.throttles import TokenRateThrottle

    request = Request(RequestFactory().get("/api/v1/reports/", REMOTE_ADDR="203.0.113.9"))
    assert TokenRateThrottle().allow_request(request, view=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM phoihop_cache")
        assert any(key.endswith("throttle_api_ip:203.0.113.9") for (key,) in cursor.fetchall())


def test_waitress_trusts_forwarded_headers_only_from_the_configured_proxy(reload_settings, settings):
    conf = reload_settings(TRUSTED_PROXY="127.0.0.1")
    settings.WAITRESS_PROXY = conf.WAITRESS_PROXY
    options = proxy_options()
    assert options["trusted_proxy"] == "127.0.0.1"
    assert options["clear_untrusted_proxy_headers"] is True
    seen = _serve_once(options, {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    assert seen == ("203.0.113.7", "https")  # the proxy (127.0.0.1) speaks for the client

    settings.WAITRESS_PROXY = reload_settings(TRUSTED_PROXY=None).WAITRESS_PROXY
    assert proxy_options() == {}
    seen = _serve_once(proxy_options(), {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    assert seen == ("127.0.0.1", "http")  # nobody is trusted: a forged header changes nothing


def _serve_once(options: dict, headers: dict) -> tuple[str, str]:
    """Run waitress with `options` on a free port, send one request, return what the app saw."""
    from waitress import wasyncore
    from waitress.server import create_server

    seen: list[tuple[str, str]] = []

    def app(environ, start_response):
        seen.append((environ["REMOTE_ADDR"], environ["wsgi.url_scheme"]))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = create_server(app, host="127.0.0.1", port=port, threads=1, **options)
    stop = threading.Event()

    def run():
        while not stop.is_set():
            wasyncore.loop(timeout=0.05, map=server._map, count=1)
        server.task_dispatcher.shutdown()
        server.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/", headers=headers)
        assert conn.getresponse().status == 200
        conn.close()
    finally:
        stop.set()
        thread.join(timeout=5)
    return seen[0]


def test_the_api_throttle_does_not_believe_a_forwarded_header_sent_by_the_client():
    from rest_framework.request import Request

    from phoihop.api.throttles import TokenRateThrottle

    request = Request(RequestFactory().get("/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.1"))
    assert TokenRateThrottle().get_ident(request) == "198.51.100.4"
