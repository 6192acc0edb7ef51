"""API keys of organisations: `Authorization: Token <prefix>.<secret>`, as issued by services.api_token_issue.

Only the SHA-256 of a key is stored. The prefix (unique, indexed) finds the row; the hash is compared in
constant time; a revoked key, or one whose account was deactivated, is refused. The key itself is never
logged or kept: error messages do not repeat it.

Each process keeps the tokens it has read (by prefix; the hash of the secret is still compared on each call)
instead of reading the token, its account and organisation on every call. A save or delete of a token, an
account or an organisation bumps a generation in the shared cache (as core.refcache does for reference
data): the process that made the change drops its tokens at once, every other one within
PHOIHOP_REFERENCE_CACHE_SECONDS (5 s; 0 turns the cache off, as the tests do). So a key revoked or an
account disabled through the admin stops working everywhere within seconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Hashable
from typing import TypeVar

from django.conf import settings
from django.db.models import Model
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from phoihop.core import refcache
from phoihop.core.refcache import ReferenceCache
from phoihop.directory.models import ApiToken, Organisation, User

KEYWORD = "Token"
# last_used_at is for people reviewing keys ("is this one still in use?"), not an access log:
# writing it on every call would turn each read into a write.
TOUCH_INTERVAL = dt.timedelta(minutes=1)
# Compared against when no token has the prefix, so a wrong prefix costs the same as a wrong secret.
_DECOY_HASH = hashlib.sha256(b"no such token").hexdigest()


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


GENERATION_KEY = "phoihop:api-token-generation"
M = TypeVar("M", bound=Model)


def _read_token(prefix: Hashable) -> ApiToken | None:
    return ApiToken.objects.select_related("user__organisation", "organisation").filter(prefix=prefix).first()


def _copy(instance: M) -> M:
    """copy.copy(instance) for a model instance: its fields and its own cache of related objects (which
    Model.__getstate__ copies), without the pickling protocol's round trip that copy.copy takes."""
    twin = instance.__class__.__new__(instance.__class__)
    twin.__dict__.update(instance.__dict__)
    state = ModelState()
    state.db, state.adding = instance._state.db, instance._state.adding
    state.fields_cache = dict(instance._state.fields_cache)
    twin._state = state
    return twin


class _Tokens:
    """The tokens this process has read, by prefix, revalidated against the shared generation."""

    def __init__(self) -> None:
        # A ReferenceCache per prefix would keep only a few keys: keep one cache whose snapshot is a dict.
        self._cache: ReferenceCache[dict[str, ApiToken | None]] = ReferenceCache(lambda _key: {}, GENERATION_KEY)

    def get(self, prefix: str) -> ApiToken | None:
        if float(getattr(settings, "PHOIHOP_REFERENCE_CACHE_SECONDS", 5.0)) <= 0:
            return _read_token(prefix)
        known = self._cache.get()
        if prefix not in known:
            if len(known) > 10_000:
                known.clear()
            known[prefix] = _read_token(prefix)
        token = known[prefix]
        if token is None:
            return None
        # Each request gets its own copies: a view may not change what the next request sees.
        mine = _copy(token)
        mine.user = _copy(token.user)
        return mine

    def touched(self, prefix: str, when: dt.datetime | None) -> None:
        """The token's last use was written: remember it, so the next minute's calls write nothing."""
        token = self._cache.get().get(prefix)
        if token is not None:
            token.last_used_at = when

    def invalidate(self) -> None:
        self._cache.invalidate()


_tokens = _Tokens()


# A token revoked, or its account or organisation disabled, reaches every process's cache (core.refcache).
refcache.watch(ApiToken, User, Organisation, key=GENERATION_KEY)


class OrganisationTokenAuthentication(BaseAuthentication):
    """`request.user` becomes the organisation's API account and `request.auth` the ApiToken."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # not ours: let session authentication try
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: give 'Token <key>'."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key: str) -> tuple:
        prefix, dot, secret = key.partition(".")
        if not dot or not prefix or not secret or len(prefix) > 12:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = _tokens.get(prefix)
        matches = hmac.compare_digest(token.key_hash if token else _DECOY_HASH, key_hash(key))
        if token is None or not matches:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The account of this token is disabled."))
        if self._touch(token):
            _tokens.touched(prefix, token.last_used_at)
        return token.user, token

    @staticmethod
    def _touch(token: ApiToken) -> bool:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
            return True
        return False

    def authenticate_header(self, request) -> str:
        # A WWW-Authenticate header makes DRF answer 401 (not 403) when credentials are missing or wrong.
        return f'{KEYWORD} realm="api"'


class OrganisationTokenScheme(OpenApiAuthenticationExtension):
    """Documents the token in the OpenAPI schema (drf-spectacular picks this up by target class)."""

    target_class = OrganisationTokenAuthentication
    name = "OrganisationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "An organisation's API key, issued once by `phoihop issue-api-token --org CODE --name NAME`. "
                "Send it as `Authorization: Token <prefix>.<secret>`."
            ),
        }
