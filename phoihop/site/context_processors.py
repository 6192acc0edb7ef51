"""What every page shows that depends on who is signed in: the navigation from the entries each app registered
(core.registry), and the bell of in-app notices."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from phoihop.core.registry import nav_items
from phoihop.notices.selectors import NoticeBell


def nav_for(user) -> list[dict]:
    items = []
    signed_in = bool(user and user.is_authenticated)
    for item in nav_items():
        if item.staff_only:
            if not (signed_in and user.is_staff):
                continue
        elif item.public:
            if signed_in and item.public_only:
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


def notices(request):
    """The bell of the signed-in person (phoihop.notices); its count is read only when a page shows it, once."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    bell = getattr(request, "notice_bell", None)
    if bell is None:
        bell = request.notice_bell = NoticeBell(user)
    return {"notice_bell": bell}
