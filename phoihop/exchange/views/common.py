"""What the pages of the exchange app share: fetching through the permission scope (a request out of reach is a
404 that does not reveal it exists, Đ3.1, Đ17.1) and recording each view of a restricted one."""

from __future__ import annotations

from django.http import Http404

from phoihop.audit.services import AuditContext

from .. import events
from ..models import Recipient, Request
from ..permissions import is_restricted, recipients_for
from ..selectors import request_for


def ctx_of(request) -> AuditContext:
    return AuditContext.from_request(request)


def request_or_404(user, reference: str) -> Request:
    found = request_for(user, reference)
    if found is None:
        raise Http404
    return found


def recipient_or_404(user, req: Request, recipient_id: int) -> Recipient:
    row = recipients_for(user, req).filter(pk=recipient_id).first()
    if row is None:
        raise Http404
    row.request = req
    return row


def audit_view(http_request, req: Request) -> None:
    """Every view of a request about a restricted case is recorded: who looked, when, from where."""
    if is_restricted(req):
        events.record_view(ctx_of(http_request), req, via="web")
