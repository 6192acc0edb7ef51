"""Rate limits of the API: the `api` rate per token (per account for a browser session)."""

from __future__ import annotations

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from phoihop.directory.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """Counts calls per API key (its prefix), so two keys of one organisation have separate budgets.

    A key's or an account's budget is fair use, counted in CACHES["throttle"] (Redis, or the process's
    memory: no database write per request); a caller without either is counted per address in the
    shared cache, like every limit that protects against abuse.
    """

    scope = "api"

    def allow_request(self, request, view) -> bool:
        identified = isinstance(request.auth, ApiToken) or bool(request.user and request.user.is_authenticated)
        self.cache = caches["throttle"] if identified else caches["default"]
        return super().allow_request(request, view)

    def get_rate(self) -> str | None:
        # Read the rates when the throttle is made, not when the class was imported, so a change of
        # settings (a deployment's own rates, a test's override) applies.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.prefix}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
