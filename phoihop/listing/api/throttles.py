"""The public look-up's rate limit: per client address (REMOTE_ADDR, set from a trusted proxy only).

Its rate is REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public_lookup"] (PHOIHOP_RATE_PUBLIC_LOOKUP), 120 a minute
by default: a person checks a few values, a scraper is held back. It counts in CACHES["throttle"] (Redis when
configured, shared by every process; else each process's memory) rather than in the database cache: the
look-up is a read answered from memory, and a database write per look-up would cost more than the answer.
Without Redis the bound is per process (a little generous with several web processes, never a wrong refusal).

A fixed window counted with one increment (not DRF's sliding log, which keeps and re-pickles one timestamp per
call: cheap at 120 a minute, ruinous when a deployment lifts the rate for a load test).
"""

from __future__ import annotations

import time

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from phoihop.api.throttles import TokenRateThrottle
from phoihop.directory.models import ApiToken

DEFAULT_RATE = "120/minute"


class PublicLookupThrottle(SimpleRateThrottle):
    scope = "public_lookup"

    def __init__(self) -> None:
        self.cache = caches["throttle"]
        super().__init__()

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope, DEFAULT_RATE)

    def allow_request(self, request, view) -> bool:
        if self.rate is None or _identified(request):
            return True  # a key or a signed-in account counts against its own budget (KeyRateThrottle)
        return self.count(self.get_ident(request))

    def count(self, ident: str) -> bool:
        """Count one anonymous look-up from `ident` (the client address); False once its window is spent (the
        look-up's lean path, phoihop.listing.api.fastpath, counts here too, before any DRF request exists)."""
        if self.rate is None:
            return True
        now = time.time()
        window = int(now // self.duration)
        key = f"{self.cache_format % {'scope': self.scope, 'ident': ident}}:{window}"
        self.cache.add(key, 0, self.duration + 1)
        try:
            count = self.cache.incr(key)
        except ValueError:  # expired between the two calls
            self.cache.set(key, 1, self.duration + 1)
            count = 1
        if count > self.num_requests:
            self._wait = (window + 1) * self.duration - now
            return False
        return True

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _identified(request) -> bool:
    return isinstance(request.auth, ApiToken) or bool(request.user and request.user.is_authenticated)


class KeyRateThrottle(TokenRateThrottle):
    """An organisation's system that looks values up with its key spends the key's `api` budget; an anonymous
    caller is left to PublicLookupThrottle (counted in memory, not in the database cache)."""

    def allow_request(self, request, view) -> bool:
        return super().allow_request(request, view) if _identified(request) else True
