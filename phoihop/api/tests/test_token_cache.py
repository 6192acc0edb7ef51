"""Tokens kept per process: no read of the token per call, yet a revoked key or a disabled account is refused
at once in the process that made the change, and in every other within the revalidation period."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from phoihop.api import authentication
from phoihop.audit.services import SYSTEM
from phoihop.directory.models import ApiToken, Organisation
from phoihop.directory.services import api_token_issue

pytestmark = pytest.mark.django_db

URL = "/api/v1/behaviours/"


@pytest.fixture(autouse=True)
def fresh_cache():
    authentication._tokens.invalidate()
    yield
    authentication._tokens.invalidate()


def issued() -> tuple[ApiToken, APIClient, str]:
    token, key = api_token_issue(organisation=Organisation.objects.get(code="st-viettel"), name="feed", ctx=SYSTEM)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return token, client, key


def token_reads(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(URL).status_code
    return status, sum('FROM "directory_apitoken"' in q["sql"] for q in ctx.captured_queries)


def test_a_kept_token_is_not_read_again(settings):
    settings.PHOIHOP_REFERENCE_CACHE_SECONDS = 60
    _token, client, key = issued()
    assert token_reads(client) == (200, 1)
    assert token_reads(client) == (200, 0)
    # The secret is still checked: the same prefix with another secret is refused.
    prefix = key.partition(".")[0]
    client.credentials(HTTP_AUTHORIZATION=f"Token {prefix}.not-the-secret")
    assert client.get(URL).status_code == 401


def test_a_revoked_token_and_a_disabled_account_are_refused_at_once(settings, django_capture_on_commit_callbacks):
    settings.PHOIHOP_REFERENCE_CACHE_SECONDS = 60
    token, client, _key = issued()
    assert client.get(URL).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        token.revoked_at = timezone.now()
        token.save()  # as the admin does
    assert client.get(URL).status_code == 401

    token, client, _key = issued()
    assert client.get(URL).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        token.user.is_active = False
        token.user.save()
    assert client.get(URL).status_code == 401


def test_another_process_s_change_is_seen_within_the_period(settings):
    settings.PHOIHOP_REFERENCE_CACHE_SECONDS = 0.2
    token, client, _key = issued()
    assert client.get(URL).status_code == 200
    # Another process revoked it (its write, and its bump of the shared generation; not this process's signal).
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    cache.set(authentication.GENERATION_KEY, time.time_ns(), timeout=None)
    time.sleep(0.3)
    assert client.get(URL).status_code == 401


def test_last_use_is_written_once_a_minute_with_the_cache(settings):
    settings.PHOIHOP_REFERENCE_CACHE_SECONDS = 60
    token, client, _key = issued()
    for i in range(3):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        writes = sum(q["sql"].startswith("UPDATE") for q in ctx.captured_queries)
        assert writes == (1 if i == 0 else 0)
    token.refresh_from_db()
    assert token.last_used_at is not None
