"""Which dashboard is whose (Đ3.2 heads, Đ3.3 focal points, Đ5.2 hubs, Đ11 enterprises)."""

from __future__ import annotations

from phoihop.directory.choices import Role

HUB, HEAD, WORK = "hub", "head", "work"
WORKING_ROLES = frozenset({Role.OFFICER, Role.FOCAL_POINT, Role.HUB_COORDINATOR, Role.HEAD, Role.ENTERPRISE_REPORTER})
STAFF_ROLES = frozenset({Role.OFFICER, Role.FOCAL_POINT, Role.HUB_COORDINATOR, Role.HEAD})


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.organisation_id)


def dashboard_kind(user) -> str | None:
    """The user's own dashboard: a head's, the hub's (DIC and Provincial Police staff), or "my work";
    None for an account that handles no report (the system administrator, an account with no organisation)."""
    if not _active(user) or user.role not in WORKING_ROLES:
        return None
    if user.role == Role.HEAD:
        return HEAD
    if user.role != Role.ENTERPRISE_REPORTER and user.is_hub_member:
        return HUB
    return WORK


def may_see_hub(user) -> bool:
    """Đ5.2: the hub dashboard (the whole province's flow) is for the people of the hubs."""
    return _active(user) and user.role in STAFF_ROLES and user.is_hub_member


def may_see_work(user) -> bool:
    return _active(user) and user.role in WORKING_ROLES


def may_see_head(user) -> bool:
    return _active(user) and user.role == Role.HEAD


def may_see_map(user) -> bool:
    return _active(user) and user.role in STAFF_ROLES


def dashboard_url_name(user) -> str | None:
    kind = dashboard_kind(user)
    return f"dashboards:{kind}" if kind else None
