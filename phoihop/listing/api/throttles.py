"""The public look-up's rate limit: per client address (REMOTE_ADDR, set from a trusted proxy only).

Its rate is REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public_lookup"] (PHOIHOP_RATE_PUBLIC_LOOKUP), 120 a minute
by default: a person checks a few values, a scraper is held back. It counts in CACHES["throttle"] (Redis when
configured, shared by every process; else each process's memory) rather than in the database cache: the
look-up is a read answered from memory, and a database write per look-up would cost more than the answer.
Without Redis the bound is per process (a little generous with several web processes, never a wrong refusal).
"""

from __future__ import annotations

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

DEFAULT_RATE = "120/minute"


class PublicLookupThrottle(SimpleRateThrottle):
    scope = "public_lookup"

    def __init__(self) -> None:
        self.cache = caches["throttle"]
        super().__init__()

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope, DEFAULT_RATE)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
