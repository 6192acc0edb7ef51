"""Navigation that depends on who is signed in, from the entries each app registered (core.registry)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from phoihop.core.registry import nav_items


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
