"""API keys of organisations: `Authorization: Token <prefix>.<secret>`, as issued by services.api_token_issue.

Only the SHA-256 of a key is stored. The prefix (unique, indexed) finds the row; the hash is compared in
constant time; a revoked key, or one whose account was deactivated, is refused. The key itself is never
logged or kept: error messages do not repeat it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from phoihop.directory.models import ApiToken

KEYWORD = "Token"
# last_used_at is for people reviewing keys ("is this one still in use?"), not an access log:
# writing it on every call would turn each read into a write.
TOUCH_INTERVAL = dt.timedelta(minutes=1)
# Compared against when no token has the prefix, so a wrong prefix costs the same as a wrong secret.
_DECOY_HASH = hashlib.sha256(b"no such token").hexdigest()


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


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
        token = ApiToken.objects.select_related("user__organisation", "organisation").filter(prefix=prefix).first()
        matches = hmac.compare_digest(token.key_hash if token else _DECOY_HASH, key_hash(key))
        if token is None or not matches:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The account of this token is disabled."))
        self._touch(token)
        return token.user, token

    @staticmethod
    def _touch(token: ApiToken) -> None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now

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
