"""A notice is its recipient's alone: nobody else sees it or marks it read, not even a head or an administrator
(what it points at is opened through that object's own permission scope)."""

from __future__ import annotations

from django.db.models import QuerySet

from phoihop.core.permissions import register_policy

from .models import Notice


class NoticeAction:
    VIEW = "view"
    READ = "read"  # mark as read


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


class NoticePolicy:
    def scope(self, user, qs: QuerySet[Notice], action: str = NoticeAction.VIEW) -> QuerySet[Notice]:
        if not _signed_in(user):
            return qs.none()
        return qs.filter(user_id=user.pk)

    def can(self, user, action: str, notice: Notice) -> bool:
        return _signed_in(user) and notice.user_id == user.pk


def register() -> None:
    register_policy(Notice, NoticePolicy())
