"""Who may see which report (Đ3.1, Đ17.1: need to know). Registered with core.permissions.

- staff of an organisation see the reports delivered to it (the hubs receive every report, Đ5.2);
- an enterprise sees only the reports it made;
- higher apps add their own rules through core.permissions: cases grants the reports of the cases a
  user may see and hides the reports of restricted cases from everyone else;
- the system administrator manages reference data and people, not reports;
- the public sees a report only through its tracking code and secret (services.report_track).
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet

from phoihop.core.permissions import granted, memo, register_policy, restrict
from phoihop.core.permissions import scope as _scope
from phoihop.directory.choices import Role
from phoihop.inbox.models import Delivery

from .models import Report


class ReportAction(StrEnum):
    VIEW = "report.view"
    ACKNOWLEDGE = "report.acknowledge"
    REVEAL_CONTACT = "report.reveal_contact"
    DOWNLOAD = "report.download"
    TRIAGE = "report.triage"


# The old short names, still accepted by can() so templates and callers read naturally.
Action = ReportAction
STAFF_ROLES = frozenset({Role.OFFICER, Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR})
HANDLING_ROLES = frozenset({Role.FOCAL_POINT, Role.HUB_COORDINATOR, Role.HEAD})


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.organisation_id and user.is_active)


class ReportPolicy:
    """The reports a user may see, and what they may do with one."""

    def scope(self, user, qs: QuerySet[Report], action: str = ReportAction.VIEW) -> QuerySet[Report]:
        if not _active(user):
            return qs.none()
        if user.role == Role.ENTERPRISE_REPORTER:
            own = Q(reporter_organisation_id=user.organisation_id)
        elif user.role in STAFF_ROLES:
            # What was delivered to the organisation, and what it reported itself (Đ3.4, Đ10.3).
            own = Q(Exists(Delivery.objects.filter(report=OuterRef("pk"), organisation_id=user.organisation_id))) | Q(
                reporter_organisation_id=user.organisation_id
            )
        else:
            return qs.none()
        extra = granted(Report, user)  # e.g. a participant of a case sees its reports (Đ11.8)
        return restrict(Report, user, qs.filter(own | extra if extra is not None else own))

    def can(self, user, action: str, report: Report) -> bool:
        action = str(action)
        if not action.startswith("report."):
            action = f"report.{action}"
        if not _active(user):
            return False
        if not memo(user, f"report.visible.{report.pk}", lambda: visible_reports(user).filter(pk=report.pk).exists()):
            return False
        if action in {ReportAction.VIEW, ReportAction.DOWNLOAD}:
            return True
        if user.role == Role.ENTERPRISE_REPORTER:
            return False
        if action in {ReportAction.ACKNOWLEDGE, ReportAction.TRIAGE}:
            return user.role in HANDLING_ROLES
        if action == ReportAction.REVEAL_CONTACT:
            return user.is_focal_point and user.is_hub_member
        return False


def visible_reports(user, qs: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """The reports `user` may see, as a queryset to filter further (never evaluated here)."""
    return _scope(user, Report.objects.all() if qs is None else qs)


def can(user, action: str, report: Report) -> bool:
    """May `user` do `action` to `report`? (The report must already be fetched through visible_reports.)"""
    return ReportPolicy().can(user, action, report)


def register() -> None:
    register_policy(Report, ReportPolicy())
