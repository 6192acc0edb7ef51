"""Rate limits per client address for the public pages (the report form, tracking), on the shared cache.

django-ratelimit counts in `CACHES["default"]` (the database, or Redis), so every web process and
machine shares one count per address; the address is REMOTE_ADDR, which phoihop.site.proxy takes from a trusted
proxy only (TRUSTED_PROXY). The rates are the API's throttle rates (settings.REST_FRAMEWORK), so a
deployment sets them once.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage


def _rate(scope: str) -> str:
    return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]


def rate_limit_wait(request, scope: str, *, count: bool = True) -> int | None:
    """Seconds to wait when this address has spent its budget for `scope`, else None.

    `count=False` only looks: the public form counts a report against its budget once it is accepted,
    so a citizen who corrects a mistake is never blocked by their own failed attempts.
    """
    usage = get_usage(request, group=f"intake:{scope}", key="ip", rate=_rate(scope), increment=count)
    if usage is None:
        return None
    if count and usage["should_limit"]:
        return max(usage["time_left"], 1)
    if not count and usage["count"] >= usage["limit"]:
        return max(usage["time_left"], 1)
    return None


def too_many(request, wait: int) -> HttpResponse:
    """The page that says to come back later, with the time in Retry-After."""
    response = render(request, "intake/rate_limited.html", {"minutes": max(wait // 60, 1)}, status=429)
    response["Retry-After"] = str(wait)
    return response
