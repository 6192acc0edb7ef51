"""Helpers of the dashboard pages: links to the lists behind the figures, durations, the chart blocks."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from ..charts import Column, Segment, colour, stacked_columns
from ..selectors import Series


def reports_url(**params) -> str:
    """The list behind a figure: /dashboard/reports/?from=&to=&sector=... (empty values left out)."""
    clean = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in params.items() if v not in (None, "")}
    return _reports_base() + ("?" + urlencode(clean) if clean else "")


def _reports_base() -> str:
    # A chart has hundreds of links: the list's address is resolved once per request, not once per bar.
    from phoihop.core.permissions import memo

    return memo(None, "dashboards.reports_url", lambda: reverse("dashboards:reports"))


def cases_url(**params) -> str:
    clean = {k: v for k, v in params.items() if v}
    return reverse("cases:list") + ("?" + urlencode(clean) if clean else "")


def duration(seconds: float | None) -> str:
    """A delay as people say it: "45 s", "12 min", "3.5 h", "2.1 days"."""
    if seconds is None:
        return "—"
    if seconds < 90:
        return _("%(n)d s") % {"n": round(seconds)}
    if seconds < 90 * 60:
        return _("%(n)d min") % {"n": round(seconds / 60)}
    if seconds < 36 * 3600:
        return _("%(n)s h") % {"n": f"{seconds / 3600:.1f}"}
    return _("%(n)s days") % {"n": f"{seconds / 86400:.1f}"}


def series_block(series: Series, *, weekly: bool) -> dict:
    """The chart and the table of new reports per day (or week), by sector."""
    points = series.weeks if weekly else series.days
    index = {pk: i for i, (pk, _c, _n) in enumerate(series.sectors)}
    names = {pk: (code, name or _("Not given")) for pk, code, name in series.sectors}
    columns, rows = [], []
    for p in points:
        label = p.start.strftime("%d/%m")
        span = label if p.start == p.end else f"{label}–{p.end.strftime('%d/%m')}"
        segments = [
            Segment(
                value=p.by_sector.get(pk, 0),
                colour=colour(index[pk], code),
                title=f"{span} · {names[pk][1]}: {p.by_sector.get(pk, 0)}",
                url=reports_url(**{"from": p.start, "to": p.end, "sector": code or "none"}),
            )
            for pk, code, _name in series.sectors
        ]
        columns.append(Column(label=label, title=f"{span}: {p.total}", segments=segments))
        rows.append(
            {
                "span": span,
                "total": p.total,
                "url": reports_url(**{"from": p.start, "to": p.end}),
                "parts": [
                    {"name": names[pk][1], "count": p.by_sector[pk]}
                    for pk, _c, _n in series.sectors
                    if p.by_sector.get(pk)
                ],
            }
        )
    title = _("New reports per week, by sector") if weekly else _("New reports per day, by sector")
    return {
        "title": title,
        "svg": stacked_columns(columns, title=title, label_every=1 if weekly else 5),
        "rows": rows,
        "total": sum(p.total for p in points),
    }


def legend(series: Series) -> list[dict]:
    from ..charts import swatch

    return [
        {"swatch": swatch(colour(i, code)), "name": name or _("Not given")}
        for i, (_pk, code, name) in enumerate(series.sectors)
    ]


def stats_with_links(stats: dict) -> dict:
    """Each group of a report_statistics answer with the link to its list."""
    key = {"sector": "sector", "behaviour": "behaviour", "area": "area", "organisation": "organisation"}[
        stats["group_by"]
    ]
    for g in stats["groups"]:
        g["url"] = reports_url(**{"from": stats["from"], "to": stats["to"], key: g["key"] or "none"})
    return stats


def case_block(cases, *, lead_code: str = "") -> dict:
    """Links of the open-cases table: each cell to the case list filtered by lead and stage."""
    rows = []
    for org, per_status, total in cases.rows:
        rows.append(
            {
                "lead": org,
                "total": total,
                "url": cases_url(status="open", lead=org.code),
                "cells": [
                    {"count": per_status.get(value, 0), "url": cases_url(status=value, lead=org.code)}
                    for value, _label in cases.statuses
                ],
            }
        )
    totals = [
        {"count": cases.totals.get(value, 0), "url": cases_url(status=value, lead=lead_code)}
        for value, _label in cases.statuses
    ]
    return {
        "case_rows": rows,
        "case_totals": totals,
        "cases_open_url": cases_url(status="open", lead=lead_code),
        "cases_overdue_url": cases_url(status="open", lead=lead_code, overdue="true"),
    }
