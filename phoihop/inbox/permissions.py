"""Who sees which delivery and who may acknowledge it (Đ3.3: the focal point receives; Đ3.4)."""

from __future__ import annotations

from enum import StrEnum

from django.db.models import QuerySet

from phoihop.core.permissions import register_policy, restrict
from phoihop.directory.choices import Role

from .models import Delivery

STAFF_ROLES = frozenset({Role.OFFICER, Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR})
ACKNOWLEDGING_ROLES = frozenset({Role.FOCAL_POINT, Role.HUB_COORDINATOR, Role.HEAD})


class DeliveryAction(StrEnum):
    VIEW = "delivery.view"
    ACKNOWLEDGE = "delivery.acknowledge"


def may_have_inbox(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.organisation_id
        and user.role in STAFF_ROLES
    )


class DeliveryPolicy:
    """Staff of the receiving organisation see its deliveries, minus the reports hidden from them."""

    def scope(self, user, qs: QuerySet[Delivery], action: str = DeliveryAction.VIEW) -> QuerySet[Delivery]:
        if not may_have_inbox(user):
            return qs.none()
        qs = qs.filter(organisation_id=user.organisation_id)
        if action == DeliveryAction.ACKNOWLEDGE and user.role not in ACKNOWLEDGING_ROLES:
            return qs.none()
        return restrict("intake.report", user, qs, via="report__")

    def can(self, user, action: str, delivery: Delivery) -> bool:
        if not may_have_inbox(user) or delivery.organisation_id != user.organisation_id:
            return False
        if action == DeliveryAction.ACKNOWLEDGE:
            return user.role in ACKNOWLEDGING_ROLES
        return action == DeliveryAction.VIEW


def may_acknowledge(user) -> bool:
    """May `user` acknowledge deliveries to their organisation at all (asked once per inbox page)?"""
    return may_have_inbox(user) and user.role in ACKNOWLEDGING_ROLES


def register() -> None:
    register_policy(Delivery, DeliveryPolicy())
