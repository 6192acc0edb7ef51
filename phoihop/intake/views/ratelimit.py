"""Rate limits per client address for the public pages (the report form, tracking)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render

from phoihop.audit.services import client_ip

# The same rates as the API's throttles (settings.REST_FRAMEWORK), so a deployment sets them once.

RATE_DEFAULTS = {"public_report": "10/hour", "track": "30/hour"}
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _rate(scope: str) -> tuple[int, int]:
    rates = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
    count, _sep, period = (rates.get(scope) or RATE_DEFAULTS[scope]).partition("/")
    return int(count), _PERIODS[period.strip()[:1] or "h"]


def rate_limit_spent(request, scope: str) -> bool:
    """Count this request against its address's budget for `scope`; True once the budget is spent."""
    limit, window = _rate(scope)
    key = f"intake:rate:{scope}:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=window)
    try:
        used = cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=window)
        used = 1
    return used > limit


def too_many(request, scope: str) -> HttpResponse:
    _limit, window = _rate(scope)
    response = render(request, "intake/rate_limited.html", {"minutes": max(window // 60, 1)}, status=429)
    response["Retry-After"] = str(window)
    return response
