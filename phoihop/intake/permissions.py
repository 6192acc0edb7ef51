"""Who may see which report (Đ3.1, Đ17.1: need to know). Every read of a report goes through here.

- staff of an organisation see the reports delivered to it (the hubs receive every report, Đ5.2);
- an enterprise sees only the reports it made;
- whoever may see a case sees its reports;
- the system administrator manages reference data and people, not reports;
- the public sees a report only through its tracking code and secret (services.report_track).
Cases add their own rule on top (restricted cases): see phoihop.cases.permissions.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet

from phoihop.directory.choices import Role

from .models import Delivery, Report


class Action:
    VIEW = "view"
    ACKNOWLEDGE = "acknowledge"
    REVEAL_CONTACT = "reveal_contact"
    DOWNLOAD = "download"
    TRIAGE = "triage"


STAFF_ROLES = {Role.OFFICER, Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR}


def visible_reports(user, qs: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """The reports `user` may see, as a queryset to filter further (never evaluated here)."""
    qs = Report.objects.all() if qs is None else qs
    if not user or not user.is_authenticated or not user.organisation_id or not user.is_active:
        return qs.none()
    if user.role == Role.ENTERPRISE_REPORTER:
        scope = Q(reporter_organisation_id=user.organisation_id)
    elif user.role in STAFF_ROLES:
        # What was delivered to the organisation, and what it reported itself (Đ3.4, Đ10.3).
        scope = Q(Exists(Delivery.objects.filter(report=OuterRef("pk"), organisation_id=user.organisation_id))) | Q(
            reporter_organisation_id=user.organisation_id
        )
    else:
        return qs.none()
    if apps.is_installed("phoihop.cases"):
        from phoihop.cases.permissions import exclude_restricted_reports, report_scope

        # A participant of a case sees its reports (e.g. the carrier asked to verify, Đ11.8).
        return exclude_restricted_reports(user, qs.filter(scope | report_scope(user)))
    return qs.filter(scope)


def can(user, action: str, report: Report) -> bool:
    """May `user` do `action` to `report`? (The report must already be fetched through visible_reports.)"""
    if not visible_reports(user).filter(pk=report.pk).exists():
        return False
    if action in {Action.VIEW, Action.DOWNLOAD}:
        return True
    if user.role == Role.ENTERPRISE_REPORTER:
        return False
    if action in {Action.ACKNOWLEDGE, Action.TRIAGE}:
        return user.role in {Role.FOCAL_POINT, Role.HUB_COORDINATOR, Role.HEAD}
    if action == Action.REVEAL_CONTACT:
        return user.is_focal_point and user.is_hub_member
    return False
