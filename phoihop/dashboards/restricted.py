"""Đ3.1: what restricted cases hide, kept as counts (RestrictedCount), so that a user's figures are their
organisation's DayCount rows less these, not a read of the deliveries of every hidden report.

A restricted case's reports are seen only by the people named on it and the heads of its organisations
(cases.permissions). So the reports hidden from a user are every restricted report (audience 0) less those of
the restricted cases the user sees: for a head, those their organisation takes part in (audience = that
organisation) and, read from the rows, the few they are named on besides; for anyone else, the few they are
named on. When the user sees more restricted cases in other ways than are hidden from them (a hub's focal
point named on most), the hidden ones are read from the rows instead: either way the rows read are the fewer.

Kept in the write's own transaction:
- cases' CASE_CHANGED_HOOK (every recorded change of a case: opened, reports attached, access level, a
  participant added or removed, a workflow move): `case_changed` compares the case as it is now (restricted or
  not, its reports, its organisations) with what was counted for it (RestrictedReport, RestrictedAudience) and
  adds the difference;
- inbox's ACKNOWLEDGED_HOOK (through aggregates.record_acknowledgement): a counted delivery waits no more (w).
Deliveries are written only with their new report, which is in no case yet, so intake's hook has nothing here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from django.apps import apps as live_apps
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from phoihop.cases.choices import AccessLevel
from phoihop.cases.models import Case, CaseMember, CaseParticipant, CaseReport
from phoihop.cases.permissions import hidden_case_ids, hidden_restricted_cases
from phoihop.core.permissions import memo
from phoihop.directory.choices import Role
from phoihop.inbox.models import Delivery
from phoihop.intake.models import Report

from .models import RestrictedAudience, RestrictedCount, RestrictedReport
from .rows import MADE, MADE_DELIVERED, WAITING, WITH, upsert

EVERY = 0  # audience: every restricted report
CHUNK = 5000


def report_rows(
    counts: Counter,
    *,
    day: dt.date,
    keys: tuple,
    reporter_id: int | None,
    recipients: list[tuple[int, bool]],
    only_org: int | None = None,
) -> None:
    """Add to `counts` ({(organisation, dim, day, key): n}) the organisations' DayCount rows one report makes, as
    aggregates.record_reports counts them (the province's rows, organisation 0, left out): `recipients` are
    (organisation, still waiting) of its deliveries; with `only_org`, that organisation's rows only."""
    sector_id, behaviour_id, area_id = (k or 0 for k in keys)

    def add(org: int, dim: str, key: int) -> None:
        if only_org is None or org == only_org:
            counts[(org, dim, day, key)] += 1

    def four(org: int, dims: dict[str, str]) -> None:
        add(org, dims["t"], 0)
        add(org, dims["s"], sector_id)
        add(org, dims["b"], behaviour_id)
        add(org, dims["a"], area_id)

    if reporter_id:
        four(reporter_id, MADE)
    orgs = [org for org, _waiting in recipients]
    for org, waiting in recipients:
        four(org, {"t": "t", "s": "s", "b": "b", "a": "a"})
        if waiting:
            add(org, WAITING, 0)
        if org == reporter_id:
            four(org, MADE_DELIVERED)
        for other in orgs:
            add(org, WITH, other)


def _rows_by_report(
    report_ids: Iterable[int], *, get_model: Callable = live_apps.get_model, lock: bool = False, only_org=None
) -> dict[int, Counter]:
    """Per report, the rows it makes (report_rows), read from the reports and their deliveries. With `lock`, the
    deliveries are read under a row lock: an acknowledgement at the same time waits, or is seen (so its hook and
    this count agree on whether the delivery waits)."""
    report_model, delivery_model = get_model("intake", "Report"), get_model("inbox", "Delivery")
    ids = sorted(set(report_ids))
    out: dict[int, Counter] = {}
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        deliveries = delivery_model.objects.filter(report_id__in=part).order_by("pk")
        if lock:
            deliveries = deliveries.select_for_update()
        recipients: dict[int, list[tuple[int, bool]]] = defaultdict(list)
        for report_id, org_id, acked in deliveries.values_list("report_id", "organisation_id", "acknowledged_at"):
            recipients[report_id].append((org_id, acked is None))
        reports = report_model.objects.filter(pk__in=part).values_list(
            "pk", "created_at", "sector_id", "behaviour_id", "area_id", "reporter_organisation_id"
        )
        for pk, created_at, sector_id, behaviour_id, area_id, reporter_id in reports:
            counts: Counter = Counter()
            report_rows(
                counts,
                day=timezone.localdate(created_at),
                keys=(sector_id, behaviour_id, area_id),
                reporter_id=reporter_id,
                recipients=recipients.get(pk, []),
                only_org=only_org,
            )
            out[pk] = counts
    return out


def _contribution(delta: Counter, rows: dict[int, Counter], reports: Iterable[int], audiences, sign: int) -> None:
    """What `reports` of a restricted case whose organisations are `audiences` add to RestrictedCount."""
    for report_id in reports:
        for (org, dim, day, key), n in rows.get(report_id, Counter()).items():
            delta[(EVERY, org, dim, day, key)] += sign * n
            if org in audiences:
                delta[(org, org, dim, day, key)] += sign * n


COUNT_KEYS = ("audience_id", "organisation_id", "dim", "day", "key")


def case_changed(*, case, **_ignored) -> None:
    """Đ3.1 (cases' CASE_CHANGED_HOOK, in the change's transaction): count the case's reports as hidden while it
    is restricted, for every organisation it has, and no longer when it is not; the difference from what was
    counted for it is added (nothing, and three small reads, for a case that is not restricted).

    Some events are recorded outside any transaction (a file downloaded from the case): the count then takes
    one of its own, which the row lock below needs on PostgreSQL."""
    with transaction.atomic(savepoint=False):
        _case_changed(case)


def _case_changed(case) -> None:
    # The case's row locked: two changes of the same case count one after the other.
    level = Case.objects.select_for_update().filter(pk=case.pk).values_list("access_level", flat=True).first()
    restricted = level == AccessLevel.RESTRICTED
    was_reports = set(RestrictedReport.objects.filter(case_id=case.pk).values_list("report_id", flat=True))
    was_orgs = set(RestrictedAudience.objects.filter(case_id=case.pk).values_list("organisation_id", flat=True))
    if not restricted and not was_reports and not was_orgs:
        return
    now_reports, now_orgs = set(), set()
    if restricted:
        now_reports = set(CaseReport.objects.filter(case_id=case.pk).values_list("report_id", flat=True))
        now_orgs = set(CaseParticipant.objects.filter(case_id=case.pk).values_list("organisation_id", flat=True))
    if now_reports == was_reports and now_orgs == was_orgs:
        return
    rows = _rows_by_report(now_reports | was_reports, lock=True)
    delta: Counter = Counter()
    _contribution(delta, rows, now_reports, now_orgs, +1)
    _contribution(delta, rows, was_reports, was_orgs, -1)
    upsert(RestrictedCount, COUNT_KEYS, Counter({k: n for k, n in delta.items() if n}))
    if was_reports - now_reports:
        RestrictedReport.objects.filter(case_id=case.pk, report_id__in=was_reports - now_reports).delete()
    RestrictedReport.objects.bulk_create(
        [RestrictedReport(report_id=r, case_id=case.pk) for r in sorted(now_reports - was_reports)]
    )
    if was_orgs - now_orgs:
        RestrictedAudience.objects.filter(case_id=case.pk, organisation_id__in=was_orgs - now_orgs).delete()
    RestrictedAudience.objects.bulk_create(
        [RestrictedAudience(case_id=case.pk, organisation_id=o) for o in sorted(now_orgs - was_orgs)]
    )


def record_acknowledgement(*, delivery, **_ignored) -> None:
    """Đ3.4 (inbox's ACKNOWLEDGED_HOOK): a counted delivery waits no more (its w rows, for every restricted
    report and for its organisation's own audience when that organisation takes part in the case)."""
    case_id = RestrictedReport.objects.filter(report_id=delivery.report_id).values_list("case_id", flat=True).first()
    if case_id is None:
        return
    org_id = delivery.organisation_id
    received = Report.objects.values_list("created_at", flat=True).get(pk=delivery.report_id)
    audiences = [EVERY]
    if RestrictedAudience.objects.filter(case_id=case_id, organisation_id=org_id).exists():
        audiences.append(org_id)
    RestrictedCount.objects.filter(
        audience_id__in=audiences, organisation_id=org_id, dim=WAITING, day=timezone.localdate(received), key=0
    ).update(count=F("count") - 1)


def restricted_rebuild(get_model: Callable = live_apps.get_model) -> int:
    """Recount RestrictedCount and its mirror rows from the cases, reports and deliveries (the caller's
    transaction); `get_model` lets a migration pass its historical models. Returns the count rows written."""
    count_model = get_model("dashboards", "RestrictedCount")
    report_model = get_model("dashboards", "RestrictedReport")
    audience_model = get_model("dashboards", "RestrictedAudience")
    for model in (count_model, report_model, audience_model):
        model.objects.all().delete()
    restricted = get_model("cases", "Case").objects.filter(access_level=AccessLevel.RESTRICTED).values("pk")
    links = list(
        get_model("cases", "CaseReport").objects.filter(case_id__in=restricted).values_list("report_id", "case_id")
    )
    orgs: dict[int, set[int]] = defaultdict(set)
    participants = get_model("cases", "CaseParticipant").objects.filter(case_id__in=restricted)
    for case_id, org_id in participants.values_list("case_id", "organisation_id"):
        orgs[case_id].add(org_id)
    delta: Counter = Counter()
    for start in range(0, len(links), CHUNK):
        part = links[start : start + CHUNK]
        rows = _rows_by_report([r for r, _c in part], get_model=get_model)
        for report_id, case_id in part:
            _contribution(delta, rows, [report_id], orgs[case_id], +1)
    count_model.objects.bulk_create(
        [
            count_model(audience_id=a, organisation_id=o, dim=m, day=d, key=k, count=n)
            for (a, o, m, d, k), n in delta.items()
            if n
        ],
        batch_size=5000,
    )
    report_model.objects.bulk_create([report_model(report_id=r, case_id=c) for r, c in links], batch_size=5000)
    audience_model.objects.bulk_create(
        [audience_model(case_id=c, organisation_id=o) for c, os in orgs.items() for o in os], batch_size=5000
    )
    return len(delta)


# --- Reading: the rows of an organisation hidden from a user ---------------------------------------------------

MAX_CASES = 500


def _bounded(qs) -> list[int]:
    return list(qs.order_by("-pk").values_list("pk", flat=True)[: MAX_CASES + 1])


def _is_head(user) -> bool:
    return user.role == Role.HEAD


def hidden_case_ids_few(user) -> list[int]:
    """The ids of the restricted cases hidden from the user: cases.permissions.hidden_case_ids, whose bounded read
    the report scope of the same request has usually made already (memoised; every id only beyond its bound)."""
    return hidden_case_ids(user)


def _seen_besides(user) -> list[int]:
    """At most MAX_CASES + 1 ids of the restricted cases the user sees that their audience rows do not count:
    those they are named on (for a head, of those their organisation does not take part in)."""

    def compute() -> list[int]:
        named = Case.objects.filter(
            access_level=AccessLevel.RESTRICTED, pk__in=CaseMember.objects.filter(user_id=user.pk).values("case_id")
        )
        if _is_head(user):
            named = named.exclude(
                pk__in=CaseParticipant.objects.filter(organisation_id=user.organisation_id).values("case_id")
            )
        return _bounded(named)

    return memo(user, "dashboards.restricted_seen_besides", compute)


def _day_filter(date_from: dt.date | None, date_to: dt.date | None, prefix: str = "") -> Q:
    q = Q()
    if date_from is not None:
        q &= Q(**{f"{prefix}day__gte": date_from})
    if date_to is not None:
        q &= Q(**{f"{prefix}day__lte": date_to})
    return q


def _rows_of_cases(cases, org_id: int, dims: set[str], date_from, date_to, by_day: bool) -> Counter:
    """{(dim, day or None, key): n}: the rows of `org_id` that the reports of `cases` (ids or a subquery) make,
    counted from the reports: those delivered to the organisation or made by it, received in the period."""
    reports = CaseReport.objects.filter(case_id__in=cases).values("report_id")
    received = Q()
    if date_from is not None:
        received &= Q(created_at__gte=timezone.make_aware(dt.datetime.combine(date_from, dt.time.min)))
    if date_to is not None:
        after = date_to + dt.timedelta(days=1)
        received &= Q(created_at__lt=timezone.make_aware(dt.datetime.combine(after, dt.time.min)))
    delivered = Delivery.objects.filter(organisation_id=org_id, report_id__in=reports).values_list(
        "report_id", flat=True
    )
    ids = set(Report.objects.filter(received, pk__in=list(delivered)).values_list("pk", flat=True))
    ids |= set(
        Report.objects.filter(received, reporter_organisation_id=org_id, pk__in=reports).values_list("pk", flat=True)
    )
    out: Counter = Counter()
    for counts in _rows_by_report(ids, only_org=org_id).values():
        for (_org, dim, day, key), n in counts.items():
            if dim in dims and (date_from is None or day >= date_from) and (date_to is None or day <= date_to):
                out[(dim, day if by_day else None, key)] += n
    return out


def _counted(audience: int, org_id: int, dims: set[str], date_from, date_to, by_day: bool) -> Counter:
    fields = ["dim", "day", "key"] if by_day else ["dim", "key"]
    rows = (
        RestrictedCount.objects.filter(
            _day_filter(date_from, date_to), audience_id=audience, organisation_id=org_id, dim__in=sorted(dims)
        )
        .values_list(*fields)
        .annotate(n=Sum("count"))
        .order_by()
    )
    out: Counter = Counter()
    for row in rows:
        if by_day:
            dim, day, key, n = row
        else:
            (dim, key, n), day = row, None
        if n:
            out[(dim, day, key)] += n
    return out


def hidden_rows(user, *, dims: Iterable[str], date_from=None, date_to=None, by_day: bool = False) -> Counter:
    """Đ3.1: {(dim, day or None, key): n}, the rows of the user's organisation (DayCount's dims `dims`, days
    from `date_from` to `date_to`, None for no bound) that count reports hidden from the user by restricted
    cases: the organisation's figures less these are what the user may count."""
    org_id = user.organisation_id
    dims = set(dims)
    hidden = hidden_case_ids_few(user)
    if not hidden:
        return Counter()
    besides = _seen_besides(user)
    if len(besides) > MAX_CASES or len(hidden) <= len(besides):
        # Fewer hidden cases than seen ones: the hidden ones' rows, from the reports.
        cases = hidden if len(hidden) <= MAX_CASES else hidden_restricted_cases(user).values("pk")
        return _rows_of_cases(cases, org_id, dims, date_from, date_to, by_day)
    out = _counted(EVERY, org_id, dims, date_from, date_to, by_day)
    if _is_head(user):
        out.subtract(_counted(org_id, org_id, dims, date_from, date_to, by_day))
    if besides:
        out.subtract(_rows_of_cases(besides, org_id, dims, date_from, date_to, by_day))
    return Counter({k: n for k, n in out.items() if n})
