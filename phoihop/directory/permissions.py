"""Who sees the directory and who keeps an organisation's contact details (Đ3.2: the head answers for
the organisation's part in the coordination). Registered with core.permissions."""

from __future__ import annotations

from enum import StrEnum

from django.db.models import QuerySet

from phoihop.core.permissions import register_policy

from .choices import Role
from .models import Organisation


class OrganisationAction(StrEnum):
    VIEW = "organisation.view"
    EDIT_CONTACT = "organisation.contact"


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _administers(user) -> bool:
    return bool(user.is_superuser or user.role == Role.SYSADMIN)


class OrganisationPolicy:
    """Every signed-in person sees the directory; an organisation's head, or an administrator, keeps its contact."""

    def scope(self, user, qs: QuerySet[Organisation], action: str = OrganisationAction.VIEW) -> QuerySet[Organisation]:
        if not _signed_in(user):
            return qs.none()
        if action == OrganisationAction.VIEW or _administers(user):
            return qs
        if action == OrganisationAction.EDIT_CONTACT and user.role == Role.HEAD and user.organisation_id:
            return qs.filter(pk=user.organisation_id)
        return qs.none()

    def can(self, user, action: str, org: Organisation) -> bool:
        if not _signed_in(user):
            return False
        if action == OrganisationAction.VIEW or _administers(user):
            return action in set(OrganisationAction)
        if action == OrganisationAction.EDIT_CONTACT:
            return user.role == Role.HEAD and user.organisation_id == org.pk
        return False


def register() -> None:
    register_policy(Organisation, OrganisationPolicy())
