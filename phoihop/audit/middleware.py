"""The address of the request being served, for audit events written where no request is at hand.

Django's admin announces its changes through a LogEntry saved without the request; this middleware keeps
the client's address in a context variable so the audit event of that change still says where it came from.
Add "phoihop.audit.middleware.AuditRequestMiddleware" to MIDDLEWARE (anywhere; it reads only REMOTE_ADDR).
"""

from __future__ import annotations

from contextvars import ContextVar

from .services import client_ip

_request_ip: ContextVar[str | None] = ContextVar("audit_request_ip", default=None)


def request_ip() -> str | None:
    """The client address of the request being served (None outside a request or without the middleware)."""
    return _request_ip.get()


class AuditRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _request_ip.reset(token)
