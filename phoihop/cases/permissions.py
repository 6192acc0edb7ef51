"""Need-to-know access to cases (Đ3.1, Đ3.3, Đ17.1). One policy for the HTML views and the API.

- an organisation's people see the cases it takes part in;
- the hubs (DIC, Provincial Police, Đ5.2) see every case that is not restricted;
- a restricted case is seen only by the people named on it and the heads of its organisations;
- the reports of a case are seen by whoever sees the case; a report in a restricted case is hidden
  from everyone else, even from organisations it was delivered to (a count may show, never the case).

Every permission rule of the cases app lives here: views and services ask `can()` (or the rules below),
and each workflow move (workflow.py) names one of the `*_may_move` rules as its actor.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet

from phoihop.api.prepared import PreparedRead
from phoihop.core.permissions import NOTHING, in_request, memo
from phoihop.directory.choices import Role
from phoihop.directory.models import OrganisationFunction
from phoihop.directory.selectors import today

from .choices import AccessLevel
from .models import Case, CaseMember, CaseParticipant, CaseReport

CASE_ROLES = {Role.OFFICER, Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR, Role.ENTERPRISE_REPORTER}
ACTING_ROLES = {Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR}


class Action:
    VIEW = "view"
    WORK = "work"  # notes, tasks, evidence
    MANAGE = "manage"  # participants, members, access level, links
    EXPORT = "export"


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.organisation_id and user.role in CASE_ROLES)


def visible_cases(user, qs: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The cases `user` may see, as a queryset to filter further."""
    qs = Case.objects.all() if qs is None else qs
    if not _active(user):
        return qs.none()
    participant = Q(Exists(CaseParticipant.objects.filter(case=OuterRef("pk"), organisation_id=user.organisation_id)))
    member = Q(Exists(CaseMember.objects.filter(case=OuterRef("pk"), user_id=user.pk)))
    # Written as "not restricted" rather than "normal": the planner then walks the created_at index for
    # the newest page instead of collecting every normal case first (50 rows in ~1 ms at 50k cases).
    not_restricted = ~Q(access_level=AccessLevel.RESTRICTED)
    # Đ5.2: the hubs see every case that is not restricted
    normal = not_restricted if _sees_all_unrestricted(user) else not_restricted & participant
    named = member | participant if user.role == Role.HEAD else member
    return qs.filter(normal | named)  # the people named (and heads) see the case whatever its level


# --- The reports of cases (registered with core.permissions for intake's report scope) -----------------------
# A case the user may see is one that is not hidden from them (H: the restricted cases they may not see)
# and that they could see were it not restricted: every case for a hub, else one their organisation takes
# part in or they are named on (visible_cases, rewritten: for a restricted case "not in H" is the rule
# itself; for any other case "not in H" holds and the second part is visible_cases' rule). H is small (only
# restricted cases are in it), so in a request it is read out once as ids and the report scope compiles to
# two flat EXISTS instead of nested subqueries of visible_cases.

MAX_INLINE_IDS = 500  # beyond this, H stays a subquery


def _sees_all_unrestricted(user) -> bool:
    # Đ5.2: the hubs see every case that is not restricted.
    return user.role != Role.ENTERPRISE_REPORTER and memo(user, "cases.hub", lambda: user.is_hub_member)


def _hidden_case_ids_bounded(user) -> list[int]:
    """At most MAX_INLINE_IDS + 1 ids of H, memoised for the request: all of them when there are no more than
    MAX_INLINE_IDS (the usual case), else a sign that H is to stay a subquery (as _own_cases reads)."""

    # Built only when the memo misses: asked three times for a list of reports (grant, restriction of each
    # branch), building the queryset each time cost more CPU than reading it once. In the (access_level,
    # created_at) index's order, as _hidden_ids reads it (18–34 ms at 50,000 cases by primary key, 4–7 so).
    def read() -> list[int]:
        if not _active(user):
            hidden = hidden_restricted_cases(user).order_by("-created_at").values_list("pk", flat=True)
            return list(hidden[: MAX_INLINE_IDS + 1])
        if user.role == Role.HEAD:
            return [pk for (pk,) in _bounded_read("hidden.head", _hidden_ids).rows(user.pk, user.organisation_id)]
        return [pk for (pk,) in _bounded_read("hidden", _hidden_ids).rows(user.pk)]

    return memo(user, "cases.hidden_case_ids", read)


def hidden_case_ids(user) -> list[int]:
    """Ids of the restricted cases `user` may not see, memoised for the request (one bounded read when they
    are few; every id, read again, only when they are more than MAX_INLINE_IDS)."""
    ids = _hidden_case_ids_bounded(user)
    if len(ids) <= MAX_INLINE_IDS:
        return ids
    return memo(
        user, "cases.hidden_case_ids.all", lambda: list(hidden_restricted_cases(user).values_list("pk", flat=True))
    )


def _hidden_cases(user) -> list[int] | QuerySet:
    """H as ids in a request (read once, never more than MAX_INLINE_IDS + 1 of them), else as a subquery (a
    queryset stays lazy outside a request, and so does a large H)."""
    if in_request():
        ids = _hidden_case_ids_bounded(user)
        if len(ids) <= MAX_INLINE_IDS:
            return ids
    return hidden_restricted_cases(user).values("pk")


def report_scope(user) -> Q:
    """Reports `user` may see because they belong to a case `user` may see."""
    if not _active(user):
        return NOTHING
    hidden = _hidden_cases(user)
    if _sees_all_unrestricted(user):
        links = CaseReport.objects.filter(report_id=OuterRef("pk"))
        if not isinstance(hidden, list) or hidden:
            links = links.exclude(case_id__in=hidden)
        return Q(Exists(links))
    # Anyone else: from the case side. The cases their organisation takes part in or they are named on are few
    # next to the reports; read out once in a request (none: the grant adds nothing, and a scope walking the
    # newest reports no longer tests every report of the table against it).
    own = _own_cases(user)
    if isinstance(own, list) and not own:
        return NOTHING
    cases = CaseReport.objects.filter(case_id__in=own)
    if not isinstance(hidden, list) or hidden:
        cases = cases.exclude(case_id__in=hidden)
    return Q(pk__in=cases.values("report_id"))


def _own_cases(user) -> list[int] | QuerySet:
    """Ids of the cases `user`'s organisation takes part in or `user` is named on: a list in a request when at
    most MAX_INLINE_IDS (read once), else a subquery."""
    if in_request():  # read once, through SQL built once per connection
        ids = memo(
            user,
            "cases.own_case_ids",
            lambda: [pk for (pk,) in _bounded_read("own", _own_case_ids).rows(user.organisation_id, user.pk)],
        )
        if len(ids) <= MAX_INLINE_IDS:
            return ids
    participant = CaseParticipant.objects.filter(organisation_id=user.organisation_id).values_list("case_id", flat=True)
    member = CaseMember.objects.filter(user_id=user.pk).values_list("case_id", flat=True)
    return Case.objects.filter(Q(pk__in=participant) | Q(pk__in=member)).values("pk")


def hidden_restricted_cases(user) -> QuerySet[Case]:
    """The restricted cases `user` may not see: their reports are hidden even from recipients.

    visible_cases for a restricted case, negated: it is seen only by the people named on it and the heads of
    its organisations (one flat EXISTS or two, rather than visible_cases nested)."""
    if not _active(user):
        return Case.objects.filter(access_level=AccessLevel.RESTRICTED)
    return _restricted_not_named(user.pk, user.organisation_id if user.role == Role.HEAD else None)


def _restricted_not_named(user_id: int, head_of: int | None = None) -> QuerySet[Case]:
    """The restricted cases the user `user_id` is not named on (nor, for a head, whose organisation `head_of`
    takes part in): hidden_restricted_cases for an active user."""
    named = Q(Exists(CaseMember.objects.filter(case=OuterRef("pk"), user_id=user_id)))
    if head_of is not None:
        named |= Q(Exists(CaseParticipant.objects.filter(case=OuterRef("pk"), organisation_id=head_of)))
    return Case.objects.filter(access_level=AccessLevel.RESTRICTED).exclude(named)


# The reads of a list's scope, asked on every request (a report list, the API's newest 50): their SQL is built
# once per connection (phoihop.api.prepared) rather than compiled anew each time, bounded to MAX_INLINE_IDS + 1
# rows as _hidden_case_ids_bounded and _own_cases read them (the bound is SQL text: one read per bound).
_BOUNDED_READS: dict[tuple[str, int], PreparedRead] = {}


def _bounded_read(name: str, build: Callable[..., QuerySet]) -> PreparedRead:
    key = (name, MAX_INLINE_IDS)
    read = _BOUNDED_READS.get(key)
    if read is None:
        limit = MAX_INLINE_IDS + 1
        read = _BOUNDED_READS[key] = PreparedRead(lambda *params: build(*params)[:limit])
    return read


def _hidden_ids(user_id: int, head_of: int | None = None) -> QuerySet[Case, tuple[int]]:
    # In the (access_level, created_at) index's order: with the LIMIT and no order, PostgreSQL walked the cases
    # by primary key looking for restricted ones.
    return _restricted_not_named(user_id, head_of).order_by("-created_at").values_list("pk")


def _own_case_ids(organisation_id: int, user_id: int) -> QuerySet:
    participant = CaseParticipant.objects.filter(organisation_id=organisation_id).values_list("case_id")
    return participant.union(CaseMember.objects.filter(user_id=user_id).values_list("case_id"))


def hidden_report_ids(user) -> list[int]:
    """Ids of the reports in restricted cases `user` may not see (usually few: read them out once)."""
    cases = _hidden_cases(user)  # the ids when few, else a subquery (not thousands of ids sent back as parameters)
    if isinstance(cases, list) and not cases:
        return []
    return list(CaseReport.objects.filter(case_id__in=cases).values_list("report_id", flat=True))


def exclude_restricted_reports(user, qs, *, via: str = ""):
    """Hide reports of restricted cases that `user` may not see (even if delivered to their organisation).

    `via` is the path from the queryset's model to the report ("report__" for deliveries).
    """
    hidden = _hidden_cases(user)
    if isinstance(hidden, list) and not hidden:
        return qs  # nothing is hidden from this user
    return qs.exclude(Exists(CaseReport.objects.filter(report_id=OuterRef(f"{via}pk"), case_id__in=hidden)))


def report_case_row(report_id: int) -> tuple[int, str] | None:
    """The case a report is in (at most one: CaseReport.report is one-to-one) and that case's access level,
    memoised for the request whoever asks: the report page and API ask it for the permission check and again
    for "is it restricted?" (Đ3.1)."""
    return memo(
        None,
        f"cases.report_case_row.{report_id}",
        lambda: CaseReport.objects.filter(report_id=report_id).values_list("case_id", "case__access_level").first(),
    )


def _report_case(user, report) -> tuple[str, bool] | None:
    """The access level of `report`'s case and whether `user` may see that case (None: in no case).

    A few small indexed queries (the case link; taking part; named), memoised for the request."""

    def compute() -> tuple[str, bool] | None:
        if not _active(user):
            return None
        row = report_case_row(report.pk)
        if row is None:
            return None
        case_id, level = row
        # visible_cases, for one case: not restricted, and a hub or a taking-part organisation; or the
        # people named on it (and the heads of its organisations) whatever its level.
        if level != AccessLevel.RESTRICTED and _sees_all_unrestricted(user):
            return level, True
        participant = CaseParticipant.objects.filter(case_id=case_id, organisation_id=user.organisation_id).exists()
        if participant and (level != AccessLevel.RESTRICTED or user.role == Role.HEAD):
            return level, True
        return level, CaseMember.objects.filter(case_id=case_id, user_id=user.pk).exists()

    if getattr(report, "pk", None) is None:
        return None
    return memo(user, f"cases.report_case.{report.pk}", compute)


def report_in_visible_case(user, report) -> bool:
    """The per-object form of report_scope."""
    found = _report_case(user, report)
    return found is not None and found[1]


def report_in_hidden_case(user, report) -> bool:
    """The per-object form of exclude_restricted_reports: is `report` in a restricted case hidden from `user`?"""
    if not (user and user.is_authenticated):
        return False  # the report scope refuses them anyway
    found = _report_case(user, report)
    if found is None:
        if _active(user):
            return False
        # Not a case user: every restricted case is hidden from them.
        return CaseReport.objects.filter(report_id=report.pk, case__access_level=AccessLevel.RESTRICTED).exists()
    level, visible = found
    return level == AccessLevel.RESTRICTED and not visible


def _staff_of(user, org_id) -> bool:
    return bool(org_id and user.organisation_id == org_id)


def _is_member(user, case: Case) -> bool:
    return CaseMember.objects.filter(case=case, user=user).exists()


def can(user, action: str, case: Case) -> bool:
    """May `user` do `action` on `case`? (`case` must already have been fetched through visible_cases.)"""
    if not visible_cases(user).filter(pk=case.pk).exists():
        return False
    if action == Action.VIEW:
        return True
    participant = CaseParticipant.objects.filter(case=case, organisation_id=user.organisation_id).exists()
    if action == Action.WORK:
        return participant and (user.role in ACTING_ROLES or _is_member(user, case) or user.role == Role.OFFICER)
    if action == Action.EXPORT:
        return user.role in ACTING_ROLES
    if action == Action.MANAGE:
        return _staff_of(user, case.lead_organisation_id) and user.role in ACTING_ROLES
    return False


def may_assign_tasks(user, case: Case) -> bool:
    """Who may give a task to an organisation of the case or one of its people, and give an open task to
    another of them: the people who work on the case (can's rule for WORK)."""
    return can(user, Action.WORK, case)


def may_act(user) -> bool:
    """Focal points, heads and hub coordinators: those who open cases and triage reports."""
    return bool(user is not None and getattr(user, "role", None) in ACTING_ROLES)


def may_export(user) -> bool:
    """Exports of a list: focal points, heads and hub coordinators (can's rule for EXPORT)."""
    return bool(user.is_authenticated and user.organisation_id and may_act(user))


# --- Who may make the workflow's moves (the moves in workflow.py name these rules) -------------------------
# Each rule answers for a case the user may see; someone who may not see the case may make no move on it.


def _acting_on(user, case: Case) -> bool:
    return user.role in ACTING_ROLES or (user.role == Role.OFFICER and _is_member(user, case))


def lead_may_move(user, case: Case) -> bool:
    """Staff of the lead organisation: a focal point, a head, a hub coordinator, or an officer named on it."""
    return (
        _active(user)
        and _staff_of(user, case.lead_organisation_id)
        and _acting_on(user, case)
        and visible_cases(user).filter(pk=case.pk).exists()
    )


def leads_with_sanctioning_power(case: Case) -> bool:
    """Đ5.4 (DIC), Đ8.2 (DoIT): does the lead hold, today, a function whose holders impose administrative
    sanctions? Which functions those are is rule-set data (`sanctioning: true` in functions.yaml)."""
    day = today()
    return (
        OrganisationFunction.objects.valid_on(day)
        .filter(organisation_id=case.lead_organisation_id, function__sanctioning=True)
        .filter(organisation__valid_from__lte=day)
        .exclude(organisation__valid_to__lt=day)
        .exists()
    )


def sanctioning_lead_may_move(user, case: Case) -> bool:
    """The lead's staff, when the lead may impose administrative sanctions (Đ4.5, Đ5.4, Đ8.2)."""
    return lead_may_move(user, case) and leads_with_sanctioning_power(case)


def receiving_police_may_move(user, case: Case) -> bool:
    """Staff of the police investigation agency the case was transferred to (Đ6.3)."""
    transfer = case.police_transfer
    return (
        _active(user)
        and transfer is not None
        and (user.role in ACTING_ROLES or user.role == Role.OFFICER)
        and _staff_of(user, transfer.receiving_police_unit_id)
        and visible_cases(user).filter(pk=case.pk).exists()
    )


def lead_head_or_hub_may_move(user, case: Case) -> bool:
    """The head of the lead organisation, or a hub coordinator (a re-opening is their decision)."""
    head = user.role == Role.HEAD and _staff_of(user, case.lead_organisation_id)
    hub = user.role == Role.HUB_COORDINATOR and user.is_hub_member
    return _active(user) and (head or hub) and visible_cases(user).filter(pk=case.pk).exists()


def may_name_person(user, case: Case, person) -> bool:
    """May `user` name `person` on the case? The lead's focal point or head anyone (their organisation must
    take part, which the service checks with its own reason); another organisation's acting staff their own."""
    if can(user, Action.MANAGE, case):
        return True
    return may_name_people(user, case) and user.organisation_id == person.organisation_id


def may_name_people(user, case: Case) -> bool:
    """The lead's focal point or head names anyone; another organisation's acting staff name their own people."""
    if can(user, Action.MANAGE, case):
        return True
    return (
        may_act(user)
        and can(user, Action.VIEW, case)
        and CaseParticipant.objects.filter(case=case, organisation_id=user.organisation_id).exists()
    )


class CasePolicy:
    """core.permissions entry for cases: the scope and checks above."""

    def scope(self, user, qs: QuerySet[Case], action: str = Action.VIEW) -> QuerySet[Case]:
        return visible_cases(user, qs)

    def can(self, user, action: str, case: Case) -> bool:
        return can(user, str(action).removeprefix("case."), case)


def _restrict_reports(user, qs, *, via: str = ""):
    return exclude_restricted_reports(user, qs, via=via)


def register() -> None:
    """Cases widen and narrow the report scope of intake, which does not know of cases (Đ3.1, Đ11.8)."""
    from phoihop.core.permissions import register_grant, register_policy, register_restriction

    register_policy(Case, CasePolicy())
    register_grant("intake.report", report_scope, object_fn=report_in_visible_case)
    register_restriction("intake.report", _restrict_reports, object_fn=report_in_hidden_case)
