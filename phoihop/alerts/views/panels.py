"""The panel on the case page (slot "cases.case_detail"): the case's warnings and a button to draft one."""

from __future__ import annotations

from .. import permissions as perm
from ..selectors import case_warnings


def case_panel_context(request, case) -> dict | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role not in perm.STAFF_ROLES:
        return None
    return {"case_warnings": list(case_warnings(user, case)), "can_draft_warning": perm.may_draft_warning(user)}
