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

from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet

from phoihop.core.permissions import (
    granted,
    granted_each,
    granted_object,
    memo,
    register_policy,
    restrict,
    restricted_object,
)
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

    def branches(self, user, qs: QuerySet[Report], action: str = ReportAction.VIEW) -> list[QuerySet[Report]]:
        """The scope as the few ways a report becomes visible, each a plain condition (no OR) that an index
        ordered like the list serves: delivered to my organisation (the (report, organisation) key), made by
        my organisation ((reporter_organisation, created_at)), in a case I may see (each grant); every
        restriction applied to each. Their union is `scope` (core.permissions.newest_ids merges them).

        On PostgreSQL only: it turns an OR of EXISTS into hashed subplans over every row of each (a hub's million
        deliveries) and counts nothing in index order, while one EXISTS alone becomes a semi-join it drives from
        whichever side is smaller. SQLite evaluates every EXISTS row by row in the order of the index it walks and
        never hashes, so there one walk of the OR stops at the end of the page, where separate walks would each
        read a sparse way (a case grant to an organisation in no case) to the end of the table."""
        if not _active(user):
            return [qs.none()]
        # Đ3.1, Đ17.1 (need to know): the same ways as scope(), each restricted alike.
        if not ways_apart(qs.db):
            return [self.scope(user, qs, action)]
        if user.role == Role.ENTERPRISE_REPORTER:
            ways = [Q(reporter_organisation_id=user.organisation_id)]
        elif user.role in STAFF_ROLES:
            ways = [
                Q(Exists(Delivery.objects.filter(report=OuterRef("pk"), organisation_id=user.organisation_id))),
                Q(reporter_organisation_id=user.organisation_id),
            ]
        else:
            return [qs.none()]
        ways += granted_each(Report, user)
        return [restrict(Report, user, qs.filter(way)) for way in ways]

    def can(self, user, action: str, report: Report) -> bool:
        action = str(action)
        if not action.startswith("report."):
            action = f"report.{action}"
        if not _active(user):
            return False
        if not memo(user, f"report.visible.{report.pk}", lambda: self.sees(user, report)):
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

    def sees(self, user, report: Report) -> bool:
        """The scope's rule for one report, without building the scope: a couple of small indexed queries
        (in a case the user may see? in a restricted case hidden from them? delivered to their organisation?)."""
        if not _active(user) or report.pk is None:
            return False
        if user.role == Role.ENTERPRISE_REPORTER:
            own = report.reporter_organisation_id == user.organisation_id
        elif user.role in STAFF_ROLES:
            own = report.reporter_organisation_id == user.organisation_id or _delivered_to(report, user.organisation_id)
        else:
            return False
        if restricted_object(Report, user, report):
            return False
        return own or granted_object(Report, user, report)


def ways_apart(using: str) -> bool:
    """Does the database `using` walk the ways of the scope apart (PostgreSQL) or as one OR (see branches)?"""
    return connections[using].vendor == "postgresql"


def _delivered_to(report: Report, organisation_id: int) -> bool:
    """Was `report` delivered to the organisation? (Read from the prefetched deliveries when there are any.)"""
    prefetched = getattr(report, "_prefetched_objects_cache", {}).get("deliveries")
    if prefetched is not None:
        return any(d.organisation_id == organisation_id for d in prefetched)
    return Delivery.objects.filter(report_id=report.pk, organisation_id=organisation_id).exists()


def visible_reports(user, qs: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """The reports `user` may see, as a queryset to filter further (never evaluated here)."""
    return _scope(user, Report.objects.all() if qs is None else qs)


def reports_of_my_organisation(user, qs: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """The reports the user's organisation made, as far as the user may see them: one way of the scope (made
    by my organisation) with its restrictions, so its (reporter_organisation, created_at) index serves it."""
    qs = Report.objects.all() if qs is None else qs
    if not _active(user) or not (user.role == Role.ENTERPRISE_REPORTER or user.role in STAFF_ROLES):
        return qs.none()
    return restrict(Report, user, qs.filter(reporter_organisation_id=user.organisation_id))


def visible_report_branches(user, qs: QuerySet[Report] | None = None) -> list[QuerySet[Report]]:
    """visible_reports as the union of a few index-friendly querysets (ReportPolicy.branches), for lists."""
    return ReportPolicy().branches(user, Report.objects.all() if qs is None else qs)


def can(user, action: str, report: Report) -> bool:
    """May `user` do `action` to `report`? (The report must already be fetched through visible_reports.)"""
    return ReportPolicy().can(user, action, report)


def register() -> None:
    register_policy(Report, ReportPolicy())
