"""The documents panel on the case page (slot "cases.case_detail"): the case's documents the user may see."""

from __future__ import annotations

from . import permissions as perm
from .selectors import case_documents


def case_panel(request, case) -> dict | None:
    user = getattr(request, "user", None)
    if not perm.may_view_documents(user):
        return None
    return {"documents": list(case_documents(user, case)[:50]), "can_draft": perm.may_draft(user)}
