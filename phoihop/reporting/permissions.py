"""Who sees and does what in the reporting cycle (Đ18, Đ19, Đ3.2). One policy for pages, API and commands.

- the convenor of the review (the organisation holding `review_convenor` today: the DIC, Đ18.1) sees every
  obligation, every submitted report, every difficulty and every meeting, and manages them;
- a party's people see their own organisation's obligations, reports (drafts included), difficulties and
  the meetings it is invited to; its focal points, officers and reporters write its report, and only its
  head approves and signs it (Đ3.2);
- awareness activities are public work: every signed-in party sees them, each records its own.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from phoihop.core.permissions import memo, register_policy
from phoihop.directory.choices import Role
from phoihop.directory.selectors import function_holders

from .choices import ReportStatus
from .models import (
    AwarenessActivity,
    Conclusion,
    Consolidation,
    Difficulty,
    Obligation,
    PartyReport,
    Period,
    ReviewMeeting,
)

CONVENOR_FUNCTION = "review_convenor"  # Đ18.1, rule-set data (functions.yaml)
WRITER_ROLES = {Role.OFFICER, Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR, Role.ENTERPRISE_REPORTER}
MANAGER_ROLES = {Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR}


class Action:
    VIEW = "view"
    WRITE = "write"  # a report's sections, an activity, a difficulty of one's own organisation
    SIGN = "sign"  # the head approves and signs (Đ3.2)
    MANAGE = "manage"  # the convenor: periods, consolidation, meetings, answers (Đ18.1, Đ19)


def active(user) -> bool:
    """A signed-in person acting for an organisation (a system administrator sees no business data)."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and getattr(user, "organisation_id", None)
        and user.role in WRITER_ROLES
    )


def convenor_ids() -> frozenset[int]:
    """The organisations convening the review today (Đ18.1), from the rule set's function holders."""
    return frozenset(o.pk for o in function_holders(CONVENOR_FUNCTION, resolve="all"))


def is_convenor(user) -> bool:
    """A person of the convenor (DIC), any role that acts for it."""
    return active(user) and memo(user, "reporting.convenor", lambda: user.organisation_id in convenor_ids())


def may_manage(user) -> bool:
    """The convenor's focal points, head and hub coordinators manage the cycle."""
    return is_convenor(user) and user.role in MANAGER_ROLES


def is_head_of(user, organisation_id: int) -> bool:
    return active(user) and user.role == Role.HEAD and user.organisation_id == organisation_id


def writes_for(user, organisation_id: int) -> bool:
    return active(user) and user.organisation_id == organisation_id


# --- Scopes -----------------------------------------------------------------------------------------------


def obligations_for(user, qs: QuerySet[Obligation] | None = None) -> QuerySet[Obligation]:
    qs = Obligation.objects.all() if qs is None else qs
    if not active(user):
        return qs.none()
    return qs if is_convenor(user) else qs.filter(organisation_id=user.organisation_id)


def periods_for(user, qs: QuerySet[Period] | None = None) -> QuerySet[Period]:
    """Every six-monthly period; an ad-hoc request only for the convenor and the parties it asks."""
    qs = Period.objects.all() if qs is None else qs
    if not active(user):
        return qs.none()
    if is_convenor(user):
        return qs
    return qs.filter(Q(kind="regular") | Q(obligations__organisation_id=user.organisation_id)).distinct()


def reports_for(user, qs: QuerySet[PartyReport] | None = None) -> QuerySet[PartyReport]:
    """A party sees its own reports (drafts too); the convenor sees every submitted one and its own."""
    qs = PartyReport.objects.all() if qs is None else qs
    if not active(user):
        return qs.none()
    own = Q(obligation__organisation_id=user.organisation_id)
    if is_convenor(user):
        return qs.filter(own | Q(status=ReportStatus.SUBMITTED))
    return qs.filter(own)


def difficulties_for(user, qs: QuerySet[Difficulty] | None = None) -> QuerySet[Difficulty]:
    qs = Difficulty.objects.all() if qs is None else qs
    if not active(user):
        return qs.none()
    return qs if is_convenor(user) else qs.filter(organisation_id=user.organisation_id)


def meetings_for(user, qs: QuerySet[ReviewMeeting] | None = None) -> QuerySet[ReviewMeeting]:
    qs = ReviewMeeting.objects.all() if qs is None else qs
    if not active(user):
        return qs.none()
    if is_convenor(user):
        return qs
    return qs.filter(participants__organisation_id=user.organisation_id).distinct()


def conclusions_for(user, qs: QuerySet[Conclusion] | None = None) -> QuerySet[Conclusion]:
    qs = Conclusion.objects.all() if qs is None else qs
    if not active(user):
        return qs.none()
    if is_convenor(user):
        return qs
    org = user.organisation_id
    return qs.filter(Q(owner_organisation_id=org) | Q(meeting__participants__organisation_id=org)).distinct()


def activities_for(user, qs: QuerySet[AwarenessActivity] | None = None) -> QuerySet[AwarenessActivity]:
    qs = AwarenessActivity.objects.all() if qs is None else qs
    return qs if active(user) else qs.none()


def consolidations_for(user, qs: QuerySet[Consolidation] | None = None) -> QuerySet[Consolidation]:
    qs = Consolidation.objects.all() if qs is None else qs
    return qs if is_convenor(user) else qs.none()


# --- Per-object checks -------------------------------------------------------------------------------------


def can_report(user, action: str, report: PartyReport) -> bool:
    org = report.obligation.organisation_id
    if not reports_for(user).filter(pk=report.pk).exists():
        return False
    if action == Action.VIEW:
        return True
    if action == Action.WRITE:
        return writes_for(user, org) and report.status == ReportStatus.DRAFT
    if action == Action.SIGN:
        return is_head_of(user, org)
    return False


class _Policy:
    """core.permissions entry: a scope function and the per-object rule of one model."""

    def __init__(self, scope_fn, can_fn=None):
        self._scope, self._can = scope_fn, can_fn

    def scope(self, user, qs, action: str = Action.VIEW):
        return self._scope(user, qs)

    def can(self, user, action: str, obj) -> bool:
        action = str(action).rpartition(".")[2]
        if self._can is not None:
            return self._can(user, action, obj)
        if not self._scope(user, type(obj)._default_manager.filter(pk=obj.pk)).exists():
            return False
        return action == Action.VIEW or may_manage(user)


def register() -> None:
    register_policy(Period, _Policy(periods_for))
    register_policy(Obligation, _Policy(obligations_for))
    register_policy(PartyReport, _Policy(reports_for, can_report))
    register_policy(Consolidation, _Policy(consolidations_for))
    register_policy(Difficulty, _Policy(difficulties_for))
    register_policy(ReviewMeeting, _Policy(meetings_for))
    register_policy(Conclusion, _Policy(conclusions_for))
    register_policy(AwarenessActivity, _Policy(activities_for))
