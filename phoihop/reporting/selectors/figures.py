"""The figures of a party's report, read from the system for one organisation and one period (Đ18.2).

Each figure says what it counts; a figure this installation cannot compute is None with the reason, never a
silent zero. The figures are recomputed while a report is a draft and frozen into it at submission, with the
moment they were read (`as_of`)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from phoihop.cases.choices import CaseStatus
from phoihop.cases.models import AdministrativeHandling, Case, PoliceTransfer, ProcuracyRecommendation
from phoihop.dashboards.statistics import report_statistics
from phoihop.directory.models import Organisation
from phoihop.inbox.models import Delivery

from ..choices import ActivityKind
from ..models import AwarenessActivity
from .providers import extra_figures

FIGURES_VERSION = 1


def bounds(starts_on: dt.date, ends_on: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a period as aware datetimes in the project's time zone (the end day included)."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(starts_on, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(ends_on + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def percentile(sorted_values: list[float], q: float) -> float | None:
    """The q-th percentile (0..1) by the nearest-rank method; None for no values."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


def median(sorted_values: list[float]) -> float | None:
    n = len(sorted_values)
    if not n:
        return None
    mid = n // 2
    return sorted_values[mid] if n % 2 else (sorted_values[mid - 1] + sorted_values[mid]) / 2


def received(org_id: int | None, starts_on: dt.date, ends_on: dt.date) -> dict[str, Any]:
    """Reports received in the period by sector and by behaviour (Đ12–16): those delivered to the organisation,
    or province-wide (None). Counted by dashboards' report_statistics, the one count the statistics API and
    the dashboards also give, so the figures agree everywhere."""
    organisation = Organisation.objects.get(pk=org_id) if org_id is not None else None
    by_sector = report_statistics(organisation=organisation, date_from=starts_on, date_to=ends_on, group_by="sector")
    by_behaviour = report_statistics(
        organisation=organisation, date_from=starts_on, date_to=ends_on, group_by="behaviour"
    )
    by_area = report_statistics(organisation=organisation, date_from=starts_on, date_to=ends_on, group_by="area")
    return {
        "total": by_sector["total"],
        "by_sector": _groups(by_sector),
        "by_behaviour": _groups(by_behaviour),
        "by_area": _groups(by_area),
    }


def _groups(stats: dict) -> list[dict[str, Any]]:
    return [{"code": g["key"], "name": str(g["label"]), "count": g["count"]} for g in stats["groups"]]


def acknowledgement(org_id: int, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """Đ3.4: how fast the organisation acknowledged what it received in the period (minutes)."""
    deadline = settings.PHOIHOP_ACK_DEADLINE_MINUTES
    rows = Delivery.objects.filter(organisation_id=org_id, delivered_at__gte=start, delivered_at__lt=end).values_list(
        "delivered_at", "acknowledged_at"
    )
    delays: list[float] = []
    total = 0
    for delivered_at, acknowledged_at in rows.iterator(chunk_size=5000):
        total += 1
        if acknowledged_at is not None:
            delays.append(max(0.0, (acknowledged_at - delivered_at).total_seconds() / 60))
    delays.sort()
    on_time = sum(1 for d in delays if d <= deadline)
    return {
        "deliveries": total,
        "acknowledged": len(delays),
        "on_time": on_time,
        "on_time_share": round(on_time / total, 4) if total else None,
        "median_minutes": _round(median(delays)),
        "p90_minutes": _round(percentile(delays, 0.9)),
        "deadline_minutes": deadline,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def cases(org_id: int, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """Cases the organisation led or joined that were open at some time in the period, by their stage now."""
    open_in_period = Case.objects.filter(created_at__lt=end).exclude(
        closures__reopened_at__isnull=True, closures__recorded_at__lt=start
    )
    led = Counter(
        dict(open_in_period.filter(lead_organisation_id=org_id).values_list("status").annotate(n=Count("pk")))
    )
    joined_qs = open_in_period.filter(participants__organisation_id=org_id).exclude(lead_organisation_id=org_id)
    joined = Counter(dict(joined_qs.values_list("status").annotate(n=Count("pk", distinct=True))))
    order = list(CaseStatus.values)
    return {
        "led": {s: led[s] for s in order if led[s]},
        "joined": {s: joined[s] for s in order if joined[s]},
        "led_total": sum(led.values()),
        "joined_total": sum(joined.values()),
    }


def stages(org_id: int, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """What the organisation's people recorded at the stages of cases in the period (Đ4.5, Đ5.4, Đ3.4)."""
    in_period = Q(recorded_at__gte=start, recorded_at__lt=end, recorded_by__organisation_id=org_id)
    sanctions = AdministrativeHandling.objects.filter(in_period).aggregate(n=Count("pk"), fines=Sum("fine_amount"))
    return {
        "sanctions": sanctions["n"],
        "fines_total": sanctions["fines"] or 0,
        "police_transfers": PoliceTransfer.objects.filter(in_period).count(),
        "procuracy_recommendations": ProcuracyRecommendation.objects.filter(in_period).count(),
    }


def awareness(org_id: int | None, starts_on: dt.date, ends_on: dt.date) -> dict[str, Any]:
    """Đ4.1, Đ5.3, Đ9: the awareness activities held in the period (one organisation's, or all)."""
    qs = AwarenessActivity.objects.filter(held_on__gte=starts_on, held_on__lte=ends_on)
    if org_id is not None:
        qs = qs.filter(organisation_id=org_id)
    by_kind = dict(qs.values_list("kind").annotate(n=Count("pk")))
    return {
        "total": sum(by_kind.values()),
        "by_kind": {k: by_kind[k] for k in ActivityKind.values if by_kind.get(k)},
        "reached": qs.aggregate(n=Sum("audience_size"))["n"] or 0,
    }


def party_figures(org_id: int, starts_on: dt.date, ends_on: dt.date) -> dict[str, Any]:
    """Every figure of one organisation's report for the period, with the moment they were read."""
    start, end = bounds(starts_on, ends_on)
    figures: dict[str, Any] = {
        "version": FIGURES_VERSION,
        "as_of": timezone.now().isoformat(),
        "reports": received(org_id, starts_on, ends_on),
        "acknowledgement": acknowledgement(org_id, start, end),
        "cases": cases(org_id, start, end),
        "stages": stages(org_id, start, end),
        "awareness": awareness(org_id, starts_on, ends_on),
    }
    figures.update(extra_figures(org_id, start, end))
    return figures
