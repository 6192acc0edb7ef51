"""What the dashboards show, read from the aggregates and from small indexed queries (Đ3.4, Đ5.2, Đ18)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone

from phoihop.cases.choices import CaseStatus
from phoihop.cases.models import Case, Task
from phoihop.cases.permissions import exclude_restricted_reports, hidden_restricted_cases
from phoihop.core.permissions import scope
from phoihop.directory.models import Organisation, hub_organisation_ids
from phoihop.inbox.models import Delivery
from phoihop.inbox.permissions import may_have_inbox
from phoihop.inbox.selectors import ack_deadline, hidden_report_ids, inbox_for
from phoihop.indicators.models import Indicator
from phoihop.intake.models import Report, ReportIndicator
from phoihop.taxonomy.models import Sector

from .aggregates import WAITING, bucket_seconds
from .models import AckDelay, AckDelayMonth, DayCount, IndicatorDay
from .periods import today, week_start
from .restricted import MAX_CASES, hidden_case_ids_few, hidden_rows
from .roles import STAFF_ROLES
from .statistics import Period, received_totals, receives_all, report_counts

# --- New reports per day and per week, by sector -----------------------------------------------------------------


@dataclass
class SeriesPoint:
    start: dt.date
    end: dt.date  # included
    by_sector: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_sector.values())


@dataclass
class Series:
    days: list[SeriesPoint]
    weeks: list[SeriesPoint]
    sectors: list[tuple[int, str, str]]  # (id, code, name) of the sectors that occur, biggest first; 0: not given


def new_reports(user, *, days: int = 30, weeks: int = 12, day: dt.date | None = None) -> Series:
    """The reports `user` may see, received on each of the last `days` days and `weeks` weeks, by sector."""
    last = day or today()
    first_week = week_start(last) - dt.timedelta(weeks=weeks - 1)
    first = min(first_week, last - dt.timedelta(days=days - 1))
    _total, counts = report_counts(user=user, date_from=first, date_to=last, columns=("day", "sector_id"))
    per_day: dict[dt.date, Counter] = defaultdict(Counter)
    for (d, sector_id), n in counts.items():
        per_day[d][sector_id] += n
    day_points = []
    for i in range(days):
        d = last - dt.timedelta(days=days - 1 - i)
        day_points.append(SeriesPoint(d, d, dict(per_day.get(d, {}))))
    week_points = []
    for i in range(weeks):
        start = first_week + dt.timedelta(weeks=i)
        end = min(start + dt.timedelta(days=6), last)
        total: Counter = Counter()
        for offset in range((end - start).days + 1):
            total.update(per_day.get(start + dt.timedelta(days=offset), {}))
        week_points.append(SeriesPoint(start, end, dict(total)))
    sizes: Counter = Counter()
    for point in day_points + week_points:
        sizes.update(point.by_sector)
    names = {s.pk: s for s in Sector.objects.filter(pk__in=[k for k in sizes if k])}
    sectors = [
        (pk, names[pk].code if pk in names else "", names[pk].name if pk in names else "")
        for pk, _n in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return Series(day_points, week_points, sectors)


# --- Time to acknowledge (Đ3.4: "immediately") -------------------------------------------------------------------


@dataclass
class Timeliness:
    organisation: Organisation
    acknowledged: int
    median_s: float | None
    p90_s: float | None
    on_time: int  # acknowledged within the deadline (PHOIHOP_ACK_DEADLINE_MINUTES), to the bucket's precision
    waiting: int  # not yet acknowledged
    overdue: int  # not acknowledged and older than the deadline

    @property
    def on_time_share(self) -> int | None:
        return round(100 * self.on_time / self.acknowledged) if self.acknowledged else None


def _quantile(buckets: list[tuple[int, int]], q: float) -> float | None:
    total = sum(n for _b, n in buckets)
    if not total:
        return None
    rank, seen = q * total, 0
    for bucket, n in buckets:
        seen += n
        if seen >= rank:
            return bucket_seconds(bucket)
    return bucket_seconds(buckets[-1][0])


def _whole_months(date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first days of the first and last calendar months lying wholly in the period, or None."""
    first = date_from if date_from.day == 1 else (date_from.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    after = date_to + dt.timedelta(days=1)
    last_end = after.replace(day=1)  # the first day of the month after the last whole month
    if last_end <= first:
        return None
    return first, (last_end - dt.timedelta(days=1)).replace(day=1)


def delay_buckets(ids: list[int], date_from: dt.date, date_to: dt.date) -> dict[int, list[tuple[int, int]]]:
    """Per organisation, the acknowledgements of the deliveries received in the period by delay bucket, in
    bucket order: the months the period covers whole from AckDelayMonth, the days of its partial months from
    AckDelay (the same sums as adding up the day rows of the whole period)."""
    months = _whole_months(date_from, date_to)
    parts = []
    if months is None:
        parts.append(AckDelay.objects.filter(organisation_id__in=ids, day__gte=date_from, day__lte=date_to))
    else:
        first, last = months
        parts.append(AckDelayMonth.objects.filter(organisation_id__in=ids, month__gte=first, month__lte=last))
        if date_from < first:
            parts.append(AckDelay.objects.filter(organisation_id__in=ids, day__gte=date_from, day__lt=first))
        after_last = (last + dt.timedelta(days=31)).replace(day=1)
        if after_last <= date_to:
            parts.append(AckDelay.objects.filter(organisation_id__in=ids, day__gte=after_last, day__lte=date_to))
    sums: Counter = Counter()
    for qs in parts:
        rows = qs.values_list("organisation_id", "bucket").annotate(n=Sum("count")).order_by()
        for org_id, bucket, n in rows:
            sums[(org_id, bucket)] += n
    buckets: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (org_id, bucket), n in sorted(sums.items()):
        if n:
            buckets[org_id].append((bucket, n))
    return buckets


def timeliness(*, date_from: dt.date, date_to: dt.date, organisations: list[Organisation]) -> list[Timeliness]:
    """Đ3.4: per organisation, how fast the deliveries received in the period were acknowledged (median and
    90th percentile, within 5%: see models.AckDelay), and what still waits, now."""
    ids = [o.pk for o in organisations]
    buckets = delay_buckets(ids, date_from, date_to)
    deadline_s = settings.PHOIHOP_ACK_DEADLINE_MINUTES * 60
    waiting = waiting_counts(ids)
    recent = recent_waiting_counts(ids, ack_deadline())
    out = []
    for org in organisations:
        own = buckets.get(org.pk, [])
        out.append(
            Timeliness(
                organisation=org,
                acknowledged=sum(n for _b, n in own),
                median_s=_quantile(own, 0.5),
                p90_s=_quantile(own, 0.9),
                on_time=sum(n for b, n in own if bucket_seconds(b) <= deadline_s),
                waiting=waiting.get(org.pk, 0),
                overdue=waiting.get(org.pk, 0) - recent.get(org.pk, 0),
            )
        )
    return out


def waiting_counts(organisation_ids: list[int]) -> dict[int, int]:
    """Đ3.4: per organisation, its deliveries not yet acknowledged, now: the sum of its "waiting" day rows
    (aggregates.WAITING, kept by the intake and acknowledgement hooks), not a count over the deliveries."""
    rows = (
        DayCount.objects.filter(organisation_id__in=organisation_ids, dim=WAITING)
        .values_list("organisation_id")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return {org_id: n for org_id, n in rows if n}


def recent_waiting_counts(organisation_ids: list[int], deadline: dt.datetime) -> dict[int, int]:
    """Per organisation, the unacknowledged deliveries still within the deadline (Đ3.4, PHOIHOP_ACK_DEADLINE_MINUTES):
    the overdue ones are the waiting ones minus these. Counted on the (organisation, acknowledged_at, delivered_at)
    index over the last minutes only, so it stays small whatever the backlog."""
    rows = (
        Delivery.objects.filter(
            organisation_id__in=organisation_ids, acknowledged_at__isnull=True, delivered_at__gte=deadline
        )
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def receiving_organisations(date_from: dt.date, date_to: dt.date) -> list[Organisation]:
    """The organisations that received a delivery in the period, hubs first."""
    # One indexed probe per organisation, not a scan of every row of the period.
    received = DayCount.objects.filter(organisation_id=OuterRef("pk"), dim="t", day__gte=date_from, day__lte=date_to)
    hubs = hub_organisation_ids()
    orgs = list(Organisation.objects.filter(Exists(received)))
    return sorted(orgs, key=lambda o: (o.pk not in hubs, o.display_name))


# --- Cases ------------------------------------------------------------------------------------------------------------


@dataclass
class CaseStages:
    statuses: list[tuple[str, str]]  # (value, label) of the open stages, in workflow order
    rows: list[tuple[Organisation, dict[str, int], int]]  # lead, count per stage, total
    totals: dict[str, int]
    total: int
    overdue: int


def _sees_every_unrestricted_case(user) -> bool:
    """Đ5.2: the hubs' staff see every case that is not restricted (cases.permissions.visible_cases), so the
    cases they see are all cases but the restricted ones hidden from them (cases.permissions.hidden_case_ids)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.organisation_id
        and user.role in STAFF_ROLES
        and user.is_hub_member
    )


def open_cases(user, *, lead: Organisation | None = None) -> CaseStages:
    """The open cases `user` may see, by stage and lead organisation (Đ4.4, Đ4.5)."""
    now = timezone.now()
    if _sees_every_unrestricted_case(user):
        # A hub: every open case counted by the (lead_organisation, status) index alone, less the few restricted
        # cases hidden from the user (read by their ids): no visibility test per case.
        every = Case.objects.exclude(status=CaseStatus.CLOSED)
        if lead is not None:
            # Overdue: the open cases due before now by the due_at index (the overdue are few), grouped by lead,
            # rather than every open case of the lead read from the table for its due_at (a hub leads most).
            # (The lead compared as an expression, lead + 0, so that SQLite, without statistics, does not choose
            # the lead's index for it.)
            late = every.filter(due_at__lt=now).alias(lead_of=F("lead_organisation_id") + 0).filter(lead_of=lead.pk)
            overdue = late.count()
            every = every.filter(lead_organisation=lead)
        else:
            overdue = every.filter(due_at__lt=now).count()
        counts = Counter({(lead_id, status): n for lead_id, status, n in _by_lead_and_stage(every) if n})
        if hidden_case_ids_few(user):
            # The hidden ones by stage and lead, and how many are overdue, in one statement: their ids when few,
            # else the hidden cases as a subquery (not thousands of ids read out and sent back).
            hidden = hidden_case_ids_few(user)
            if len(hidden) > MAX_CASES:
                hidden = hidden_restricted_cases(user).values("pk")
            for lead_id, status, n, late in _by_lead_and_stage(every.filter(pk__in=hidden), overdue_at=now):
                counts[(lead_id, status)] -= n
                overdue -= late
        rows = [(lead_id, status, n) for (lead_id, status), n in counts.items() if n > 0]
    else:
        qs = scope(user, Case.objects.all()).exclude(status=CaseStatus.CLOSED)
        if lead is not None:
            qs = qs.filter(lead_organisation=lead)
        rows = list(_by_lead_and_stage(qs))
        overdue = qs.filter(due_at__lt=now).count()
    per_lead: dict[int, dict[str, int]] = defaultdict(dict)
    totals: Counter = Counter()
    for lead_id, status, n in rows:
        per_lead[lead_id][status] = n
        totals[status] += n
    orgs = Organisation.objects.in_bulk(list(per_lead))
    table = sorted(
        ((orgs[k], v, sum(v.values())) for k, v in per_lead.items()), key=lambda r: (-r[2], r[0].display_name)
    )
    statuses = [(s.value, s.label) for s in CaseStatus if s != CaseStatus.CLOSED]
    return CaseStages(statuses, table, dict(totals), sum(totals.values()), overdue)


def _by_lead_and_stage(qs, *, overdue_at: dt.datetime | None = None):
    """(lead, status, n) per lead and stage; with `overdue_at`, (lead, status, n, overdue) counting too the cases
    due before that moment."""
    qs = qs.values_list("lead_organisation_id", "status")
    if overdue_at is None:
        return qs.annotate(n=Count("pk")).order_by()
    return qs.annotate(n=Count("pk"), late=Count("pk", filter=Q(due_at__lt=overdue_at))).order_by()


# --- The most reported indicators of the week ---------------------------------------------------------------------


def top_indicators(user, *, since: dt.datetime, limit: int = 10) -> list[dict]:
    """The indicators (phones, sites, accounts...) in the most reports delivered to the user's organisation
    since `since` (the hubs receive every report, Đ5.2), leaving out the reports hidden from the user."""
    if not (user.is_authenticated and user.organisation_id):
        return []
    hidden = hidden_report_ids(user) or []
    first_full = timezone.localdate(since) + dt.timedelta(days=1)
    last = today()
    if first_full <= last and receives_all(user.organisation_id, Period(first_full, last)):
        counts = _week_from_days(user.organisation_id, since, first_full, last, hidden)
    else:
        counts = _week_from_rows(
            Delivery.objects.filter(organisation_id=user.organisation_id, delivered_at__gte=since), hidden
        )
    top = sorted(((n, pk) for pk, n in counts.items() if n > 0), key=lambda t: (-t[0], t[1]))[:limit]
    indicators = Indicator.objects.in_bulk([pk for _n, pk in top])
    return [
        {"kind": indicators[pk].kind, "value": indicators[pk].value, "count": n} for n, pk in top if pk in indicators
    ]


def _week_from_rows(deliveries, hidden: list[int]) -> Counter:
    """Links per indicator of the reports of `deliveries` less the hidden ones: the deliveries by the
    (organisation, delivered_at) index, then their links by the (report, indicator) index."""
    if hidden:
        deliveries = deliveries.exclude(report_id__in=hidden)
    rows = (
        ReportIndicator.objects.filter(report_id__in=deliveries.values("report_id"))
        .values_list("indicator_id")
        .annotate(n=Count("report_id"))
        .order_by()
    )
    return Counter(dict(rows))


def _week_from_days(org_id: int, since: dt.datetime, first_full: dt.date, last: dt.date, hidden: list[int]) -> Counter:
    """The same count for an organisation that received every report of the whole days of the window (a hub):
    those days from the IndicatorDay rows, less the links of the reports hidden from the user; the day the
    window starts in from the rows (its reports delivered since `since`)."""
    boundary = timezone.make_aware(dt.datetime.combine(first_full, dt.time.min))
    # A delivery is written by intake with its report, after it (delivered_at >= created_at), so the deliveries
    # since the boundary are those of the reports received since (counted in the day rows: received_totals) plus
    # any delivered after a midnight its report was received before. When the counts match (the usual case)
    # there is none of those, and the edge is the deliveries before the boundary alone (part of one day: a
    # range of the (organisation, delivered_at) index), not a week of deliveries read for their reports.
    since_boundary = Delivery.objects.filter(organisation_id=org_id, delivered_at__gte=boundary).count()
    if since_boundary == received_totals(org_id, Period(first_full, last))[0]:
        edge = Delivery.objects.filter(organisation_id=org_id, delivered_at__gte=since, delivered_at__lt=boundary)
    else:
        # The week's deliveries less those of the reports received since the boundary (an index-only range of
        # the reports' created_at index), rather than a join reading each delivered report's row.
        later = Report.objects.filter(created_at__gte=boundary).values("pk")
        edge = Delivery.objects.filter(organisation_id=org_id, delivered_at__gte=since).exclude(report_id__in=later)
    # Read out first (part of one day's reports): as a subquery PostgreSQL hashed every link instead.
    hidden_set = set(hidden)
    edge_ids = [pk for pk in edge.values_list("report_id", flat=True) if pk not in hidden_set]
    counts: Counter = Counter()
    for start in range(0, len(edge_ids), 5000):
        rows = (
            ReportIndicator.objects.filter(report_id__in=edge_ids[start : start + 5000])
            .values_list("indicator_id")
            .annotate(n=Count("report_id"))
            .order_by()
        )
        counts.update(dict(rows))
    days = (
        IndicatorDay.objects.filter(day__gte=first_full, day__lte=last)
        .values_list("indicator_id")
        .annotate(n=Sum("count"))
        .order_by()
    )
    counts.update(dict(days))
    for start in range(0, len(hidden), 5000):
        gone = ReportIndicator.objects.filter(
            report_id__in=hidden[start : start + 5000], report__created_at__gte=boundary
        ).values_list("indicator_id", flat=True)
        counts.subtract(gone)
    return counts


# --- My work --------------------------------------------------------------------------------------------------------


def my_tasks(user, *, limit: int = 10) -> tuple[list[Task], int]:
    """Open tasks of the cases the user may see that are theirs or their organisation's, soonest deadline first."""
    qs = (
        Task.objects.filter(done_at__isnull=True, case__in=scope(user, Case.objects.all()))
        .filter(Q(owner=user) | Q(owner__isnull=True, organisation_id=user.organisation_id))
        .select_related("case")
        .order_by("due_at", "created_at")
    )
    return list(qs[:limit]), qs.count()


def deliveries_waiting(user, *, limit: int = 10) -> tuple[list[Delivery], int, int]:
    """The deliveries to the user's organisation not yet acknowledged, oldest first; (rows, waiting, overdue).

    The same figures as the inbox's (inbox_counts: the organisation's deliveries minus those of the reports
    hidden from the user), read from the "waiting" aggregate and the last minutes' deliveries instead of
    counting the organisation's whole backlog."""
    if not may_have_inbox(user):
        return [], 0, 0
    org_id = user.organisation_id
    waiting = waiting_counts([org_id]).get(org_id, 0)
    if not waiting:
        return [], 0, 0
    rows = list(inbox_for(user).filter(acknowledged_at__isnull=True).order_by("delivered_at")[:limit])
    for delivery in rows:
        delivery.due = ack_due(delivery)
    deadline = ack_deadline()
    recent = recent_waiting_counts([org_id], deadline).get(org_id, 0)
    overdue = waiting - recent
    # Đ3.1: less the waiting deliveries of the reports hidden from the user, from the counts of what restricted
    # cases hide (restricted.hidden_rows: the "waiting" rows of every day), not a probe per hidden report.
    hidden = sum(hidden_rows(user, dims=[WAITING]).values())
    if hidden:
        # Of those, the ones still within the deadline: among the last minutes' few waiting deliveries.
        recent_seen = exclude_restricted_reports(
            user,
            Delivery.objects.filter(organisation_id=org_id, acknowledged_at__isnull=True, delivered_at__gte=deadline),
            via="report__",
        ).count()
        waiting -= hidden
        overdue -= hidden - (recent - recent_seen)
    return rows, waiting, overdue


def ack_due(delivery: Delivery) -> dt.datetime:
    return delivery.delivered_at + dt.timedelta(minutes=settings.PHOIHOP_ACK_DEADLINE_MINUTES)
