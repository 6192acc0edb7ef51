"""The client's address and scheme behind a TLS proxy: believed only from the proxy configured.

gunicorn passes the peer's address as REMOTE_ADDR and leaves X-Forwarded-* alone. This WSGI wrapper
(config/wsgi.py) does what a trusted-proxy setting does: when the peer is a configured proxy
(TRUSTED_PROXY, "*" for any), REMOTE_ADDR becomes the client that proxy reports in X-Forwarded-For
(TRUSTED_PROXY_COUNT hops from the right) and the scheme its X-Forwarded-Proto; from anyone else those
headers are dropped (CLEAR_UNTRUSTED_PROXY_HEADERS), so a forged header never reaches a rate limit or
the audit log.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_FORWARDED")


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


class TrustedProxy:
    """WSGI middleware: take the client's address and scheme from a trusted proxy's headers only."""

    def __init__(self, app: Callable, *, trusted: str, count: int = 1, headers: str = "", clear: bool = True):
        self.app = app
        self.any = trusted.strip() == "*"
        self.trusted = {ip for ip in (_valid_ip(p) for p in trusted.split(",")) if ip}
        self.count = max(count, 1)
        self.headers = {h.strip().lower() for h in headers.split()} or {"x-forwarded-for", "x-forwarded-proto"}
        self.clear = clear

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        peer = _valid_ip(environ.get("REMOTE_ADDR", "")) or ""
        if self.any or peer in self.trusted:
            if "x-forwarded-for" in self.headers:
                hops = [h.strip() for h in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
                client = _valid_ip(hops[-self.count]) if len(hops) >= self.count else None
                if client:
                    environ["REMOTE_ADDR"] = client
            if "x-forwarded-proto" in self.headers:
                proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
                if proto in {"http", "https"}:
                    environ["wsgi.url_scheme"] = proto
        elif self.clear:
            for name in FORWARDED_HEADERS:
                environ.pop(name, None)
        return self.app(environ, start_response)


def wrap(app: Callable, options: dict[str, Any]) -> Callable:
    """`app` behind TrustedProxy when a proxy is configured (settings.TRUSTED_PROXY_OPTIONS), else as it is."""
    if not options.get("trusted_proxy"):
        return app
    return TrustedProxy(
        app,
        trusted=options["trusted_proxy"],
        count=options.get("trusted_proxy_count", 1),
        headers=options.get("trusted_proxy_headers", ""),
        clear=options.get("clear_untrusted_proxy_headers", True),
    )
