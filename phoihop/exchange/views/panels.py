"""The panel of the exchange app on the case page (slot "cases.case_detail"): the case's requests, overdue flagged."""

from __future__ import annotations

from ..permissions import may_draft
from ..selectors import requests_of_case


def case_panel_context(request, case) -> dict | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    rows = list(requests_of_case(user, case)[:50])
    return {"case_requests": rows, "case_for_requests": case, "may_request": may_draft(user)}
