"""The map page: reports the user may see in the period, by district-level unit, on the rule set's outlines."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from phoihop.routing.reference import active_ruleset

from ..charts import swatch
from ..forms import PeriodForm
from ..mapping import MapUnit, boundaries_of, class_breaks, fill_for, legend, render_map
from ..roles import may_see_map
from ..statistics import report_statistics
from .common import reports_url, stats_with_links


@login_required
@require_GET
def area_map(request):
    user = request.user
    if not may_see_map(user):
        raise PermissionDenied
    form = PeriodForm(request.GET or None)
    date_from, date_to = form.period()
    stats = stats_with_links(report_statistics(user=user, date_from=date_from, date_to=date_to, group_by="area"))
    counts = {g["key"]: g["count"] for g in stats["groups"]}
    ruleset = active_ruleset(date_to)
    units = [
        MapUnit(
            code=b.area.code,
            name=b.area.name,
            polygons=b.polygons,
            count=counts.get(b.area.code, 0),
            url=reports_url(**{"from": date_from, "to": date_to, "area": b.area.code}),
        )
        for b in boundaries_of(ruleset)
    ]
    breaks = class_breaks(max((u.count for u in units), default=0))
    for u in units:
        u.fill = fill_for(u.count, breaks)
    mapped = {u.code for u in units}
    title = _("Reports by area, %(start)s to %(end)s") % {
        "start": date_from.strftime("%d/%m/%Y"),
        "end": date_to.strftime("%d/%m/%Y"),
    }
    return render(
        request,
        "dashboards/map.html",
        {
            "form": form,
            "date_from": date_from,
            "date_to": date_to,
            "ruleset": ruleset,
            "svg": render_map(units, title=title),
            "title": title,
            "legend": [(swatch(colour), text) for colour, text in legend(breaks)],
            "stats": stats,
            "unmapped": [g for g in stats["groups"] if g["key"] not in mapped],
            "period_url": reports_url(**{"from": date_from, "to": date_to}),
        },
    )
