"""Need-to-know access to countermeasures (Đ3.1, Đ17.1). One policy for the pages, the API and the panels.

- the requesting organisation and the organisation asked (the target) see the measure;
- whoever may see the case sees its measures (its participants, the hubs for a case that is not restricted);
- the target's people work it (acknowledge, report it executed or refused);
- the staff of the case's lead organisation request measures on an open case, and the requesting organisation
  lifts them (a lift after a delisting is the system's, see workflow.py).
The target's people see the measure, not the case: the case page stays behind the case's own policy.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from phoihop.cases.models import Case
from phoihop.cases.permissions import visible_cases
from phoihop.directory.choices import Role

from .models import Countermeasure

AGENCY_ROLES = {Role.OFFICER, Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR}
# Who answers for the organisation asked: its reporters (and API account), focal points and head.
TARGET_ROLES = {Role.ENTERPRISE_REPORTER, Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR, Role.OFFICER}


class Action:
    VIEW = "view"
    WORK = "work"  # acknowledge, executed, refused: the target's answer
    LIFT = "lift"  # the requesting organisation's decision


def _active(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.organisation_id
        and user.role != Role.SYSADMIN
    )


def visible_countermeasures(user, qs: QuerySet[Countermeasure] | None = None) -> QuerySet[Countermeasure]:
    """The measures `user` may see, as a queryset to filter further."""
    qs = Countermeasure.objects.all() if qs is None else qs
    if not _active(user):
        return qs.none()
    own = Q(requesting_organisation_id=user.organisation_id) | Q(target_id=user.organisation_id)
    # An IN over the visible cases' ids (planned once) rather than a correlated EXISTS evaluated per measure.
    case_seen = Q(case_id__in=visible_cases(user).values("pk"))
    return qs.filter(own | case_seen)


def can_view(user, cm: Countermeasure) -> bool:
    if not _active(user):
        return False
    if user.organisation_id in (cm.requesting_organisation_id, cm.target_id):
        return True
    return visible_cases(user).filter(pk=cm.case_id).exists()


def may_work(user, cm: Countermeasure) -> bool:
    """The people of the organisation asked answer for it (Đ11.3)."""
    return _active(user) and user.organisation_id == cm.target_id and user.role in TARGET_ROLES


def may_lift(user, cm: Countermeasure) -> bool:
    """The agency that asked for the measure decides to lift it."""
    return _active(user) and user.organisation_id == cm.requesting_organisation_id and user.role in AGENCY_ROLES


def may_request(user, case: Case) -> bool:
    """The staff of the case's lead organisation ask for measures on an open case they may see."""
    return (
        _active(user)
        and user.role in AGENCY_ROLES
        and user.organisation_id == case.lead_organisation_id
        and case.is_open
        and visible_cases(user).filter(pk=case.pk).exists()
    )


def can(user, action: str, cm: Countermeasure) -> bool:
    action = str(action).removeprefix("countermeasure.")
    if not can_view(user, cm):
        return False
    if action == Action.VIEW:
        return True
    if action == Action.WORK:
        return may_work(user, cm)
    if action == Action.LIFT:
        return may_lift(user, cm)
    return False


class CountermeasurePolicy:
    """core.permissions entry for countermeasures."""

    def scope(self, user, qs: QuerySet[Countermeasure], action: str = Action.VIEW) -> QuerySet[Countermeasure]:
        return visible_countermeasures(user, qs)

    def can(self, user, action: str, obj: Countermeasure) -> bool:
        return can(user, action, obj)


def register() -> None:
    from phoihop.core.permissions import register_policy

    register_policy(Countermeasure, CountermeasurePolicy())
