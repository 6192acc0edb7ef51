"""The dashboards: the hub's (Đ5.2), "my work" (Đ3.3 focal points, officers, enterprises) and the head's (Đ3.2)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..charts import Bar, horizontal_bars
from ..forms import PeriodForm
from ..periods import today
from ..roles import dashboard_url_name, may_see_head, may_see_hub, may_see_work
from ..selectors import (
    deliveries_waiting,
    my_tasks,
    new_reports,
    open_cases,
    receiving_organisations,
    timeliness,
    top_indicators,
)
from ..statistics import report_statistics
from ..upcoming import upcoming_panels
from .common import case_block, cases_url, duration, legend, reports_url, series_block, stats_with_links


@login_required
@require_GET
def home(request):
    """The first page after sign-in: the user's own dashboard (the home page for anyone without one)."""
    name = dashboard_url_name(request.user)
    return redirect(name) if name else redirect("home")


def _timeliness_block(rows, date_from: dt.date, date_to: dt.date) -> dict:
    bars = [
        Bar(
            label=r.organisation.display_name,
            value=r.median_s or 0,
            text=f"{duration(r.median_s)} · p90 {duration(r.p90_s)}",
            url=reports_url(**{"from": date_from, "to": date_to, "organisation": r.organisation.code}),
        )
        for r in rows
        if r.acknowledged
    ]
    title = _("Median time to acknowledge, per organisation")
    return {
        "title": title,
        "svg": horizontal_bars(bars, title=title) if bars else "",
        "rows": [
            {
                "t": r,
                "median": duration(r.median_s),
                "p90": duration(r.p90_s),
                "url": reports_url(**{"from": date_from, "to": date_to, "organisation": r.organisation.code}),
            }
            for r in rows
        ],
    }


def _period(request) -> tuple[PeriodForm, dt.date, dt.date]:
    form = PeriodForm(request.GET or None)
    date_from, date_to = form.period()
    return form, date_from, date_to


@login_required
@require_GET
def hub(request):
    """Đ5.2: the flow of the whole province for the hubs (DIC, Provincial Police)."""
    user = request.user
    if not may_see_hub(user):
        raise PermissionDenied
    form, date_from, date_to = _period(request)
    series = new_reports(user, day=min(date_to, today()))
    stats = stats_with_links(report_statistics(user=user, date_from=date_from, date_to=date_to, group_by="sector"))
    cases = open_cases(user)
    orgs = receiving_organisations(date_from, date_to)
    week_ago = timezone.now() - dt.timedelta(days=7)
    context = {
        "form": form,
        "date_from": date_from,
        "date_to": date_to,
        "stats": stats,
        "period_url": reports_url(**{"from": date_from, "to": date_to}),
        "daily": series_block(series, weekly=False),
        "weekly": series_block(series, weekly=True),
        "legend": legend(series),
        "timeliness": _timeliness_block(
            timeliness(date_from=date_from, date_to=date_to, organisations=orgs), date_from, date_to
        ),
        "cases": cases,
        **case_block(cases),
        "deadline_minutes": settings.PHOIHOP_ACK_DEADLINE_MINUTES,
        "indicators": top_indicators(user, since=week_ago),
        "upcoming": upcoming_panels(user, kind="hub"),
    }
    return render(request, "dashboards/hub.html", context)


@login_required
@require_GET
def work(request):
    """Đ3.3: "my work": what waits for the user and their organisation, with its deadline."""
    user = request.user
    if not may_see_work(user):
        raise PermissionDenied
    form, date_from, date_to = _period(request)
    tasks, task_count = my_tasks(user)
    deliveries, waiting, overdue = deliveries_waiting(user)
    stats = stats_with_links(report_statistics(user=user, date_from=date_from, date_to=date_to, group_by="behaviour"))
    context = {
        "form": form,
        "date_from": date_from,
        "date_to": date_to,
        "now": timezone.now(),
        "tasks": tasks,
        "task_count": task_count,
        "deliveries": deliveries,
        "waiting": waiting,
        "overdue": overdue,
        "stats": stats,
        "period_url": reports_url(**{"from": date_from, "to": date_to}),
        "upcoming": upcoming_panels(user, kind="work"),
        "cases_url": cases_url(status="open"),
    }
    return render(request, "dashboards/work.html", context)


@login_required
@require_GET
def head(request):
    """Đ3.2: the head's view: the organisation's timeliness and what waits for their decision or signature."""
    user = request.user
    if not may_see_head(user):
        raise PermissionDenied
    form, date_from, date_to = _period(request)
    org = user.organisation
    rows = timeliness(date_from=date_from, date_to=date_to, organisations=[org])
    deliveries, waiting, overdue = deliveries_waiting(user)
    cases = open_cases(user, lead=org)
    context = {
        "form": form,
        "date_from": date_from,
        "date_to": date_to,
        "now": timezone.now(),
        "organisation": org,
        "t": rows[0],
        "median": duration(rows[0].median_s),
        "p90": duration(rows[0].p90_s),
        "stats": stats_with_links(
            report_statistics(user=user, date_from=date_from, date_to=date_to, group_by="sector")
        ),
        "period_url": reports_url(**{"from": date_from, "to": date_to}),
        "org_url": reports_url(**{"from": date_from, "to": date_to, "organisation": org.code}),
        "deliveries": deliveries,
        "waiting": waiting,
        "overdue": overdue,
        "cases": cases,
        **case_block(cases, lead_code=org.code),
        "deadline_minutes": settings.PHOIHOP_ACK_DEADLINE_MINUTES,
        "upcoming": upcoming_panels(user, kind="head"),
        "hub_too": may_see_hub(user),
    }
    return render(request, "dashboards/head.html", context)
