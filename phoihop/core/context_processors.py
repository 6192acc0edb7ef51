"""Navigation that depends on who is signed in (the public sees only public pages)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from phoihop.directory.choices import Role


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    roles: frozenset[str] | None = None  # None: everyone signed in; "public" entries have public=True
    public: bool = False
    staff_only: bool = False


STAFF = frozenset(r.value for r in Role if r != Role.ENTERPRISE_REPORTER)
ALL_ROLES = frozenset(r.value for r in Role)

# Apps add their entries here as they are built; an entry whose URL is not installed is skipped.
NAV: list[NavItem] = [
    NavItem("home", _("Home"), public=True),
    NavItem("intake:public_report", _("Report a violation"), public=True),
    NavItem("intake:track", _("Track a report"), public=True),
    NavItem("intake:inbox", _("Inbox"), roles=STAFF),
    NavItem("intake:my_reports", _("Our reports"), roles=frozenset({Role.ENTERPRISE_REPORTER.value})),
    NavItem("intake:new_report", _("New report"), roles=ALL_ROLES),
    NavItem("cases:list", _("Cases"), roles=ALL_ROLES),  # enterprises see the cases they take part in
    NavItem("taxonomy:behaviours", _("Violations"), roles=ALL_ROLES),
    NavItem("directory:organisations", _("Organisations"), roles=ALL_ROLES),
    NavItem("routing:rules", _("Routing rules"), roles=STAFF),
    NavItem("admin:index", _("Administration"), staff_only=True),
]


def nav_for(user) -> list[dict]:
    items = []
    signed_in = bool(user and user.is_authenticated)
    for item in NAV:
        if item.staff_only:
            if not (signed_in and user.is_staff):
                continue
        elif item.public:
            if signed_in and item.url_name.startswith("intake:") and item.url_name != "intake:track":
                continue  # signed-in people use their own intake form
        elif not signed_in or (item.roles is not None and user.role not in item.roles):
            continue
        try:
            items.append({"url": reverse(item.url_name), "label": item.label, "name": item.url_name})
        except NoReverseMatch:
            continue
    return items


def navigation(request):
    return {"nav_items": nav_for(getattr(request, "user", None))}
