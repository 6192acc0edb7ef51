"""What the consolidated report to the PPC says (Đ18.1): every submitted party report, the province-wide figures
(counted by dashboards' report_statistics, like the statistics API), tables by district and sector, the trend
against the previous period, the parties late or missing (named: never counted as zero), the proposals."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from ..choices import DifficultyStatus, ReportStatus
from ..models import Difficulty, Obligation, PartyReport, Period
from .figures import awareness, bounds, received

SUMMED = (
    ("stages", "sanctions"),
    ("stages", "fines_total"),
    ("stages", "police_transfers"),
    ("stages", "procuracy_recommendations"),
    ("cases", "led_total"),
    ("awareness", "total"),
    ("awareness", "reached"),
)


def current_reports(period: Period) -> dict[int, PartyReport]:
    """Per obligation, the latest submitted version of its report (an amendment replaces the version before)."""
    latest: dict[int, PartyReport] = {}
    rows = (
        PartyReport.objects.filter(obligation__period=period, status=ReportStatus.SUBMITTED)
        .select_related("obligation__organisation", "signed_by")
        .order_by("obligation_id", "version")
    )
    for report in rows:
        latest[report.obligation_id] = report
    return latest


def obligation_rows(period: Period, *, today=None) -> list[dict[str, Any]]:
    """Each obliged party and where it stands: submitted on time, submitted late, late (not yet), or due."""
    today = today or timezone.localdate()
    reports = current_reports(period)
    first_submitted = dict(
        PartyReport.objects.filter(obligation__period=period, status=ReportStatus.SUBMITTED, version=1).values_list(
            "obligation_id", "submitted_at"
        )
    )
    rows = []
    obligations = (
        Obligation.objects.filter(period=period)
        .select_related("organisation")
        .prefetch_related(Prefetch("reports", queryset=PartyReport.objects.order_by("-version")))
    )
    for ob in obligations.order_by("organisation__code"):
        report = reports.get(ob.pk)
        submitted_at = first_submitted.get(ob.pk)
        drafts = [r for r in ob.reports.all() if r.status != ReportStatus.SUBMITTED]
        if submitted_at is not None:
            state = "late_submitted" if timezone.localdate(submitted_at) > ob.due_on else "submitted"
        elif today > ob.due_on:
            state = "missing"
        else:
            state = "awaiting_head" if any(r.status == ReportStatus.AWAITING_HEAD for r in drafts) else "due"
        rows.append(
            {
                "obligation": ob,
                "organisation": ob.organisation,
                "state": state,
                "report": report,
                "draft": drafts[0] if drafts else None,
                "submitted_at": submitted_at,
                "due_on": ob.due_on,
            }
        )
    return rows


def _sum_reports(reports: list[PartyReport]) -> dict[str, int]:
    out: dict[str, int] = {}
    for group, key in SUMMED:
        out[f"{group}.{key}"] = sum(int((r.figures.get(group) or {}).get(key) or 0) for r in reports)
    return out


def consolidated_figures(period: Period, previous: Period | None = None) -> dict[str, Any]:
    """Everything the consolidated report shows, as data (JSON-ready), read now."""
    rows = obligation_rows(period)
    reports = [r["report"] for r in rows if r["report"] is not None]
    province = received(None, period.starts_on, period.ends_on)
    trend = None
    if previous is not None:
        before = received(None, previous.starts_on, previous.ends_on)
        by_sector_before = {g["code"]: g["count"] for g in before["by_sector"]}
        trend = {
            "code": previous.code,
            "title": previous.title,
            "total": before["total"],
            "change": province["total"] - before["total"],
            "by_sector": [{**g, "previous": by_sector_before.get(g["code"], 0)} for g in province["by_sector"]],
        }
    proposals = [
        {"organisation": r.obligation.organisation.name_vi, "text": str(r.sections.get("proposals", "")).strip()}
        for r in reports
        if str(r.sections.get("proposals", "")).strip()
    ]
    start, end = bounds(period.starts_on, period.ends_on)
    difficulties = Difficulty.objects.filter(created_at__gte=start, created_at__lt=end).exclude(
        status=DifficultyStatus.DECLINED
    )
    return {
        "period": {
            "code": period.code,
            "title": period.title,
            "starts_on": period.starts_on.isoformat(),
            "ends_on": period.ends_on.isoformat(),
            "due_on": period.due_on.isoformat(),
        },
        "as_of": timezone.now().isoformat(),
        "province": province,
        "awareness": awareness(None, period.starts_on, period.ends_on),
        "trend": trend,
        "parties": [
            {
                "code": r["organisation"].code,
                "name": r["organisation"].name_vi,
                "state": r["state"],
                "due_on": r["due_on"].isoformat(),
                "submitted_at": r["submitted_at"].isoformat() if r["submitted_at"] else None,
                "version": r["report"].version if r["report"] else None,
                "document": r["report"].document_number if r["report"] else "",
            }
            for r in rows
        ],
        "submitted": len(reports),
        "obliged": len(rows),
        "missing": [r["organisation"].name_vi for r in rows if r["state"] in ("missing",)],
        "not_yet_due": [r["organisation"].name_vi for r in rows if r["state"] in ("due", "awaiting_head")],
        "late": [r["organisation"].name_vi for r in rows if r["state"] == "late_submitted"],
        "from_reports": _sum_reports(reports),
        "proposals": proposals,
        "difficulties": [
            {
                "organisation": d.organisation.name_vi,
                "article": d.article,
                "what": d.what,
                "proposal": d.proposal,
                "status": d.status,
            }
            for d in difficulties.select_related("organisation")
        ],
    }
