"""The WSGI application, as config/wsgi.py and `phoihop serve` both serve it."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from .proxy import wrap


def build() -> Callable:
    """Django's WSGI application, behind the trusted-proxy wrapper when a proxy is configured."""
    return wrap(get_wsgi_application(), settings.TRUSTED_PROXY_OPTIONS)
