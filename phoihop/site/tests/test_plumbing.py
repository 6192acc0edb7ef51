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

from phoihop.site.proxy import wrap


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


@pytest.mark.django_db
def test_an_api_key_budget_costs_no_database_write(django_assert_num_queries):
    from rest_framework.request import Request

    from phoihop.api.throttles import TokenRateThrottle
    from phoihop.directory.tests.factories import UserFactory

    user = UserFactory.of("st-viettel", "enterprise_reporter")
    request = Request(RequestFactory().get("/api/v1/reports/", REMOTE_ADDR="203.0.113.9"))
    request.user, request.auth = user, None
    with django_assert_num_queries(0):  # counted in CACHES["throttle"]: memory here, Redis when configured
        assert TokenRateThrottle().allow_request(request, view=None)


def test_forwarded_headers_are_believed_only_from_the_configured_proxy(reload_settings):
    conf = reload_settings(TRUSTED_PROXY="127.0.0.1")
    options = conf.TRUSTED_PROXY_OPTIONS
    assert options["trusted_proxy"] == "127.0.0.1" and options["clear_untrusted_proxy_headers"] is True
    headers = {"X-Forwarded-For": "198.51.100.1, 203.0.113.7", "X-Forwarded-Proto": "https"}
    # The proxy (127.0.0.1) speaks for the client: the last hop it adds is the client's address.
    assert _seen(options, "127.0.0.1", headers) == ("203.0.113.7", "https", True)
    # Anyone else's headers are dropped, never believed.
    assert _seen(options, "192.0.2.50", headers) == ("192.0.2.50", "http", False)
    # Without a configured proxy the app is not wrapped at all: REMOTE_ADDR is the peer.
    plain = reload_settings(TRUSTED_PROXY=None).TRUSTED_PROXY_OPTIONS
    assert wrap(_app, plain) is _app


def test_gunicorn_serves_behind_the_trusted_proxy(tmp_path):
    """The real server `phoihop serve` runs (gunicorn), with the wrapper of config/wsgi.py."""
    from gunicorn.app.base import BaseApplication

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    options = {"trusted_proxy": "127.0.0.1", "trusted_proxy_count": 1, "trusted_proxy_headers": ""}

    class App(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"127.0.0.1:{port}")
            self.cfg.set("workers", 1)
            self.cfg.set("worker_class", "gthread")

        def load(self):
            return wrap(_app, options)

    import multiprocessing

    proc = multiprocessing.get_context("fork").Process(target=lambda: App().run(), daemon=True)
    proc.start()
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/", headers={"X-Forwarded-For": "203.0.113.9"})
                body = conn.getresponse().read().decode()
                break
            except OSError:
                threading.Event().wait(0.1)
        assert body == "203.0.113.9 http"
    finally:
        proc.terminate()
        proc.join(timeout=10)


def _app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"{environ['REMOTE_ADDR']} {environ['wsgi.url_scheme']}".encode()]


def _seen(options: dict, peer: str, headers: dict) -> tuple[str, str, bool]:
    """What an app behind `wrap(..., options)` sees of a request from `peer` with `headers`."""
    seen = []

    def capture(env, start_response):
        seen.append((env["REMOTE_ADDR"], env["wsgi.url_scheme"], "HTTP_X_FORWARDED_FOR" in env))
        return []

    environ = {"REMOTE_ADDR": peer, "wsgi.url_scheme": "http"}
    environ |= {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    wrap(capture, options)(environ, lambda *a: None)
    return seen[0]


def test_the_api_throttle_does_not_believe_a_forwarded_header_sent_by_the_client():
    from rest_framework.request import Request

    from phoihop.api.throttles import TokenRateThrottle

    request = Request(RequestFactory().get("/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.1"))
    assert TokenRateThrottle().get_ident(request) == "198.51.100.4"
