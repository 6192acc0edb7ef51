"""Reading notices: always through the recipient's scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.functional import cached_property

from phoihop.core.permissions import scope

from .models import Notice

COUNT_CAP = 99  # the bell shows "99+" beyond: the count never reads more than 100 index entries


def notices_for(user, *, unread: bool = False) -> QuerySet[Notice]:
    qs = scope(user, Notice.objects.all())
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def notice_for(user, pk: int) -> Notice | None:
    return scope(user, Notice.objects.all()).filter(pk=pk).first()


def unread_count(user) -> int:
    """How many unread notices `user` has, up to COUNT_CAP + 1: one query on the unread index."""
    if not (user is not None and user.is_authenticated):
        return 0
    return Notice.objects.filter(user_id=user.pk, read_at__isnull=True).values("pk")[: COUNT_CAP + 1].count()


class NoticeBell:
    """The header's bell: the unread count, read at most once per request and only if a page shows it."""

    template = "notices/partials/bell.html"
    menu_template = "notices/partials/bell_menu.html"

    def __init__(self, user):
        self._user = user

    @cached_property
    def count(self) -> int:
        return unread_count(self._user)

    @property
    def label(self) -> str:
        return f"{COUNT_CAP}+" if self.count > COUNT_CAP else str(self.count)
