"""The one count of reports received in a period (Đ18.1, Đ18.2): the statistics API, the dashboards and the
six-monthly reports (the reporting app) all call `report_statistics`, so their totals agree.

A report is counted on the day it was received (its `created_at`, in the province's time zone); a period is
from `date_from` to `date_to`, both days included.

Who counts what:
- `user=None, organisation=None`: province-wide, every report (no permission scope: the consolidated
  report to the Provincial People's Committee). Read from the daily aggregates only.
- `user=None, organisation=X`: the reports delivered to X (what X received, for X's own six-monthly report).
  Read from the daily aggregates only.
- `user=U`: exactly the reports U may see (intake's report scope: delivered to U's organisation, made by
  it, or in a case U may see; minus the reports of restricted cases hidden from U), the same number as
  counting `scope(U, Report)` over the period. The bulk of it (what was delivered to U's organisation) is
  read from the aggregates; the rest is two corrections read from the rows, both small: the visible
  reports not delivered to the organisation (its own reports, those of its cases), and the delivered ones
  hidden by a restricted case.

`group_by`: sector, behaviour, area (the district-level unit, a commune counted in its district) or
organisation (the organisation a report was delivered to: a report delivered to three organisations is
in three groups, so the groups may add up to more than the total; the total counts each report once).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.cases.models import Case, CaseMember, CaseParticipant, CaseReport
from phoihop.cases.permissions import exclude_restricted_reports
from phoihop.core.errors import Invalid
from phoihop.core.filters import FIRST_YEAR, LAST_YEAR
from phoihop.core.permissions import memo, scope
from phoihop.directory.choices import Role
from phoihop.directory.models import AdministrativeUnit, Organisation
from phoihop.inbox.models import Delivery
from phoihop.intake.models import Report
from phoihop.taxonomy.models import Behaviour, Sector

from .aggregates import MADE, MADE_DELIVERED, WITH
from .models import DayCount
from .restricted import hidden_rows

GROUP_BY = ("sector", "behaviour", "area", "organisation")
GROUP_LABELS = {
    "sector": gettext_lazy("Sector"),
    "behaviour": gettext_lazy("Violation"),
    "area": gettext_lazy("Area"),
    "organisation": gettext_lazy("Organisation"),
}
STAFF_ROLES = frozenset({Role.OFFICER, Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR})
_DIM = {"sector": "sector_id", "behaviour": "behaviour_id", "area": "area_id"}


@dataclass(frozen=True)
class Period:
    date_from: dt.date
    date_to: dt.date

    @property
    def start(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date_from, dt.time.min))

    @property
    def end(self) -> dt.datetime:
        """The first moment after the period (midnight after `date_to`)."""
        return timezone.make_aware(dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time.min))

    def received(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}created_at__gte": self.start, f"{prefix}created_at__lt": self.end})


def period_check(date_from: dt.date | None, date_to: dt.date | None) -> Period:
    """The period, or Invalid naming the field ("from" / "to") that is missing or wrong."""
    errors: dict[str, list[str]] = {}
    for name, value in (("from", date_from), ("to", date_to)):
        if value is None:
            errors[name] = [_("Give a date (YYYY-MM-DD).")]
        elif not FIRST_YEAR <= value.year <= LAST_YEAR:
            errors[name] = [_("Give a date between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}]
    if not errors and date_to < date_from:  # type: ignore[operator]
        errors["to"] = [_("The end of the period is before its start.")]
    if errors:
        raise Invalid(errors)
    return Period(date_from, date_to)  # type: ignore[arg-type]


def report_statistics(
    *,
    user=None,
    organisation: Organisation | None = None,
    date_from: dt.date,
    date_to: dt.date,
    group_by: str = "sector",
) -> dict:
    """Reports received from `date_from` to `date_to` (both included), counted and grouped.

    Returns {"from", "to", "group_by", "total", "groups": [{"key", "label", "count"}, ...]}, the groups
    largest first ("key" "" stands for reports that do not say: no sector, behaviour or area given).
    Raises Invalid naming "from", "to" or "group_by".
    """
    if group_by not in GROUP_BY:
        raise Invalid({"group_by": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(GROUP_BY)}]})
    period = period_check(date_from, date_to)
    if group_by == "organisation":
        total, counts = _by_recipient(user, organisation, period)
    else:
        total, rows = _counts(user, organisation, period, (_DIM[group_by],))
        counts = Counter({key[0]: n for key, n in rows.items()})
    return {
        "from": period.date_from,
        "to": period.date_to,
        "group_by": group_by,
        "total": total,
        "groups": _labelled(group_by, counts),
    }


def report_counts(
    *,
    user=None,
    organisation: Organisation | None = None,
    date_from: dt.date,
    date_to: dt.date,
    columns: tuple[str, ...],
) -> tuple[int, Counter]:
    """The same count as report_statistics, by any of "day", "sector_id", "behaviour_id", "area_id" at once:
    (total, Counter({(value of each column, ...): n})), e.g. the reports of each day and sector for a chart."""
    return _counts(user, organisation, period_check(date_from, date_to), columns)


COLUMNS = ("day", "sector_id", "behaviour_id", "area_id")


def _counts(user, organisation, period: Period, columns: tuple[str, ...]) -> tuple[int, Counter]:
    if user is not None:
        return _for_user(user, period, columns)
    return _aggregate(organisation.pk if organisation is not None else PROVINCE, period, columns)


def _by_recipient(user, organisation, period: Period) -> tuple[int, Counter]:
    if user is not None:
        total, _rows = _for_user(user, period, ())
        return total, _organisations_seen(user, period)
    if organisation is not None:
        total = _total(organisation.pk, period)
        return total, Counter({organisation.pk: total} if total else {})
    return _total(PROVINCE, period), _by_key(PROVINCE, "o", period)


# --- Reading the aggregates (DayCount: one small row per organisation, dimension, day and key) ---------------

PROVINCE = 0
_DIM_OF = {"sector_id": "s", "behaviour_id": "b", "area_id": "a"}


def _rows(org_id: int, dim: str, period: Period) -> QuerySet:
    return DayCount.objects.filter(organisation_id=org_id, dim=dim, day__gte=period.date_from, day__lte=period.date_to)


def _total(org_id: int, period: Period, dim: str = "t") -> int:
    return _rows(org_id, dim, period).aggregate(n=Sum("count"))["n"] or 0


def _by_key(org_id: int, dim: str, period: Period) -> Counter:
    rows = _rows(org_id, dim, period).values_list("key").annotate(n=Sum("count")).order_by()
    return Counter({k: n for k, n in rows if n})


def _hidden(user, dims, period: Period, by_day: bool) -> Counter:
    """Đ3.1: the user's organisation's rows that count reports hidden from the user (restricted.hidden_rows)."""
    return hidden_rows(user, dims=dims, date_from=period.date_from, date_to=period.date_to, by_day=by_day)


RECEIVED = {"t": "t", "s": "s", "b": "b", "a": "a"}


def _aggregate(
    org_id: int, period: Period, columns: tuple[str, ...], dims: dict = RECEIVED, hidden_from=None
) -> tuple[int, Counter]:
    """(total, counts by `columns`): "day", one of sector_id/behaviour_id/area_id, or "day" and one of them.
    `dims`: which family of rows: what the organisation received (the default), or made (aggregates.MADE...).
    `hidden_from`: a user of the organisation, whose figures leave out the reports hidden from them (Đ3.1)."""
    return _aggregates(org_id, period, columns, [dims], hidden_from)[0]


def _aggregates(
    org_id: int, period: Period, columns: tuple[str, ...], families: list[dict], hidden_from=None
) -> list[tuple[int, Counter]]:
    """_aggregate for several families of rows at once, in one statement: [(total, counts), ...] in order."""
    other = [c for c in columns if c != "day"]
    if len(other) > 1:
        raise ValueError(f"one dimension at a time, not {columns}")
    by_day = "day" in columns
    total_dims = [dims["t"] for dims in families]
    key_dims = [dims[_DIM_OF[other[0]] if other else "t"] for dims in families] if columns else []
    wanted = list(dict.fromkeys(total_dims + key_dims))
    fields = ["dim", "day", "key"] if by_day else ["dim", "key"]
    rows = (
        DayCount.objects.filter(
            organisation_id=org_id, dim__in=wanted, day__gte=period.date_from, day__lte=period.date_to
        )
        .values_list(*fields)
        .annotate(n=Sum("count"))
        .order_by()
    )
    found: Counter = Counter()
    for row in rows:
        if by_day:
            dim, day, key, n = row
        else:
            (dim, key, n), day = row, None
        found[(dim, day, key)] += n
    if hidden_from is not None:
        found.subtract(_hidden(hidden_from, wanted, period, by_day))
    totals: Counter = Counter()
    by_dim: dict[str, Counter] = {dim: Counter() for dim in wanted}
    for (dim, day, key), n in found.items():
        if not n:
            continue
        totals[dim] += n
        if not columns:
            continue
        by_dim[dim][tuple(day if c == "day" else key for c in columns)] += n
    out = []
    for i, dims in enumerate(families):
        counts = Counter(by_dim[key_dims[i]]) if columns else Counter()
        out.append((totals[dims["t"]], counts))
    return out


# --- A user's scope: the aggregates of their organisation, corrected from the rows -----------------------------


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.organisation_id)


@dataclass
class _Corrections:
    """What to add to the deliveries to the user's organisation (the reports hidden from the user by restricted
    cases are taken away by the aggregates themselves: _aggregates' `hidden_from`):
    - own: a queryset of the visible reports the organisation made and was not delivered (staff) or made (an
      enterprise); it may be large (an enterprise that reports a lot), so it is counted from the aggregates of
      what the organisation made (aggregates.MADE, minus MADE_DELIVERED for staff);
    - no_own: nothing to add for its own reports (a hub: everything was delivered to it);
    - extra: the visible reports of the user's cases not delivered to it nor made by it, {id: (day, s, b, a)}.
    The dict is small (a few per case)."""

    own: QuerySet
    no_own: bool
    extra: dict[int, tuple]


def _row(created_at: dt.datetime, sector_id, behaviour_id, area_id) -> tuple:
    return (timezone.localdate(created_at), sector_id or 0, behaviour_id or 0, area_id or 0)


VALUES = ("pk", "created_at", "sector_id", "behaviour_id", "area_id")


MAX_CANDIDATE_CASES = 5000


def _candidate_cases(user) -> QuerySet:
    """The cases among which the user's visible ones are: every case for the hubs' staff; for anyone else
    only those their organisation takes part in or they are named on (cases.permissions.visible_cases sees no
    other), read out by the participants' and members' indexes when they are few, so the scope is tested on
    those few cases instead of on every case."""
    if user.role != Role.ENTERPRISE_REPORTER and user.is_hub_member:
        return Case.objects.all()
    ids = list(
        CaseParticipant.objects.filter(organisation_id=user.organisation_id).values_list("case_id", flat=True)[
            : MAX_CANDIDATE_CASES + 1
        ]
    )
    ids += CaseMember.objects.filter(user_id=user.pk).values_list("case_id", flat=True)[: MAX_CANDIDATE_CASES + 1]
    if len(ids) > MAX_CANDIDATE_CASES:
        return Case.objects.all()
    return Case.objects.filter(pk__in=ids)


def _corrections(user, period: Period) -> _Corrections:
    org_id = user.organisation_id
    staff = user.role in STAFF_ROLES
    delivered_here = Exists(Delivery.objects.filter(report_id=OuterRef("pk"), organisation_id=org_id))
    # Its own reports: the (reporter_organisation, created_at) index; hidden ones left out in SQL.
    own = Report.objects.filter(reporter_organisation_id=org_id).filter(period.received())
    # Those of its cases, from the links' side: one probe per case report of the period, not a scan of every
    # report of the period.
    linked = CaseReport.objects.filter(
        case__in=scope(user, _candidate_cases(user)),
        report__created_at__gte=period.start,
        report__created_at__lt=period.end,
    )
    cases = Report.objects.filter(pk__in=linked.values("report_id")).exclude(reporter_organisation_id=org_id)
    no_own = False
    if staff:
        own, cases = own.exclude(delivered_here), cases.exclude(delivered_here)
        if _receives_all(org_id, period):
            # Đ5.2: a hub received every report of the period (its count equals the province's), so no visible
            # report lacks a delivery to it: nothing to add, and no need to probe every case report for it.
            own, cases, no_own = Report.objects.none(), Report.objects.none(), True
    if not no_own:
        # Lazy: read only for the figure by organisation (the recipients of its own visible reports).
        own = exclude_restricted_reports(user, own)
    # A report is in one case at most, so those of the cases the user sees are never hidden from them.
    extra = {pk: _row(*rest) for pk, *rest in cases.values_list(*VALUES)}
    return _Corrections(own, no_own, extra)


def received_totals(org_id: int, period: Period) -> tuple[int, int]:
    """(reports of the period delivered to the organisation, reports of the period in the province), from the
    daily counts: one statement, memoised for the request (the scope's corrections, the figure by organisation
    and the hub's indicators of the week all ask)."""

    def compute() -> tuple[int, int]:
        rows = (
            DayCount.objects.filter(
                organisation_id__in=[org_id, PROVINCE], dim="t", day__gte=period.date_from, day__lte=period.date_to
            )
            .values_list("organisation_id")
            .annotate(n=Sum("count"))
            .order_by()
        )
        totals = dict(rows)
        return totals.get(org_id, 0), totals.get(PROVINCE, 0)

    return memo(None, f"dashboards.received_totals.{org_id}.{period}", compute)


def _receives_all(org_id: int, period: Period) -> bool:
    """Whether every report received in the period was delivered to the organisation (the hubs, Đ5.2): the
    deliveries to it are distinct reports, so equal counts mean the same reports."""
    own, province = received_totals(org_id, period)
    return own == province


def receives_all(org_id: int, period: Period) -> bool:
    """Whether the organisation received every report of the period (a hub, Đ5.2), from the daily counts."""
    return _receives_all(org_id, period)


def _own_counts(user, fixes: _Corrections, period: Period, columns: tuple[str, ...]) -> tuple[int, Counter]:
    """The organisation's own extra reports by `columns`, from the aggregates of what it made: all of them for
    an enterprise, those not also delivered to it for staff; less the ones hidden from the user."""
    if fixes.no_own:
        return 0, Counter()
    if user.role in STAFF_ROLES:
        (total, counts), (delivered_total, delivered) = _aggregates(
            user.organisation_id, period, columns, [MADE, MADE_DELIVERED], hidden_from=user
        )
        total -= delivered_total
        counts.subtract(delivered)
    else:
        total, counts = _aggregate(user.organisation_id, period, columns, MADE, hidden_from=user)
    return total, counts


def _fixes(user, period: Period) -> _Corrections:
    return memo(user, f"dashboards.corrections.{period}", lambda: _corrections(user, period))


def _for_user(user, period: Period, columns: tuple[str, ...]) -> tuple[int, Counter]:
    if not _active(user) or user.role not in STAFF_ROLES | {Role.ENTERPRISE_REPORTER}:
        return 0, Counter()
    fixes = _fixes(user, period)
    if user.role in STAFF_ROLES:
        total, counts = _aggregate(user.organisation_id, period, columns, hidden_from=user)
    else:
        total, counts = 0, Counter()
    own_total, own_counts = _own_counts(user, fixes, period, columns)
    total += own_total + len(fixes.extra)
    counts.update(own_counts)
    if columns:
        index = [COLUMNS.index(c) for c in columns]
        counts.update(tuple(row[i] for i in index) for row in fixes.extra.values())
    return total, +counts


def _recipients(reports: QuerySet) -> Counter:
    """Per organisation, how many of `reports` were delivered to it (counted in SQL)."""
    rows = Delivery.objects.filter(report_id__in=reports.values("pk")).values_list("organisation_id")
    return Counter(dict(rows.annotate(n=Count("pk")).order_by()))


def _organisations_seen(user, period: Period) -> Counter:
    """Per organisation, the visible reports delivered to it."""
    if not _active(user) or user.role not in STAFF_ROLES | {Role.ENTERPRISE_REPORTER}:
        return Counter()
    fixes = _fixes(user, period)
    org_id = user.organisation_id
    counts: Counter = Counter()
    if user.role in STAFF_ROLES:
        # A hub (Đ5.2) receives every report: the deliveries of the province are what it sees; anyone else, the
        # recipients of every report delivered to it, from its "together" rows (aggregates.WITH).
        counts = _by_key(PROVINCE, "o", period) if _receives_all(org_id, period) else _by_key(org_id, WITH, period)
        # Less the recipients of the reports delivered to it that are hidden from the user (its "together" rows
        # of those: for a hub, which received every report, the same as the province's rows of them).
        counts.subtract({key: n for (_dim, _day, key), n in _hidden(user, [WITH], period, False).items()})
    counts.update(_recipients(fixes.own))
    ids = list(fixes.extra)
    for start in range(0, len(ids), 5000):
        counts.update(
            Delivery.objects.filter(report_id__in=ids[start : start + 5000]).values_list("organisation_id", flat=True)
        )
    return +counts


# --- Keys and labels -----------------------------------------------------------------------------------------------


def area_rollup() -> dict[int, AdministrativeUnit]:
    """Each area's district-level unit (a unit one level below the top, or the top unit itself)."""
    units = {u.pk: u for u in AdministrativeUnit.objects.only("pk", "code", "name", "parent_id", "depth")}
    out = {}
    for pk, unit in units.items():
        top = unit
        while top.depth > 1 and top.parent_id in units:
            top = units[top.parent_id]
        out[pk] = top
    return out


def _labelled(group_by: str, counts: Counter) -> list[dict]:
    not_given = _("Not given")
    groups: dict[str, dict] = {}

    def add(key: str, label: str, n: int) -> None:
        row = groups.setdefault(key, {"key": key, "label": label, "count": 0})
        row["count"] += n

    ids = [k for k in counts if k]
    if group_by == "sector":
        names = {s.pk: s for s in Sector.objects.filter(pk__in=ids)}
        for pk, n in counts.items():
            s = names.get(pk)
            add(s.code if s else "", s.name if s else not_given, n)
    elif group_by == "behaviour":
        behaviours = {b.pk: b for b in Behaviour.objects.filter(pk__in=ids)}
        for pk, n in counts.items():
            b = behaviours.get(pk)
            add(b.code if b else "", f"{b.code} {b.help}" if b else not_given, n)
    elif group_by == "area":
        rollup = area_rollup()
        for pk, n in counts.items():
            unit = rollup.get(pk)
            add(unit.code if unit else "", unit.name if unit else not_given, n)
    else:
        orgs = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
        for pk, n in counts.items():
            o = orgs.get(pk)
            add(o.code if o else str(pk), o.display_name if o else str(pk), n)
    return sorted(groups.values(), key=lambda g: (-g["count"], g["key"]))
