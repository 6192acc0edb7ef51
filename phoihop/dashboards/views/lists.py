"""The list behind every figure: the reports the user may see, received in a period, of a sector, a
behaviour, an area or delivered to an organisation. Its count is report_statistics' (the same rows)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import render
from django.views.decorators.http import require_GET

from phoihop.core.permissions import scope
from phoihop.directory.models import AdministrativeUnit, Organisation
from phoihop.inbox.models import Delivery
from phoihop.intake.models import Report
from phoihop.taxonomy.models import Behaviour, Sector

from ..forms import ReportListForm
from ..roles import may_see_work
from ..statistics import Period

PAGE_SIZE = 50
NONE = "none"  # the figure of reports that do not say (no sector, behaviour or area)


def _descendants(unit: AdministrativeUnit) -> list[int]:
    ids, frontier = [unit.pk], [unit.pk]
    while frontier:
        frontier = list(AdministrativeUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids += frontier
    return ids


def filtered_reports(user, form: ReportListForm) -> tuple[QuerySet[Report], dict]:
    """The reports of the list, and what each filter was (name of the sector, area...) for the heading."""
    date_from, date_to = form.period()
    qs = scope(user, Report.objects.all()).filter(Period(date_from, date_to).received())
    data = form.cleaned_data if form.is_valid() else {}
    shown: dict[str, str] = {}
    for name, model, field in (("sector", Sector, "sector"), ("behaviour", Behaviour, "behaviour")):
        code = data.get(name)
        if code == NONE:
            qs = qs.filter(**{f"{field}__isnull": True})
            shown[name] = "—"
        elif code:
            obj = model.objects.filter(code=code).first()
            qs = qs.filter(**{field: obj}) if obj else qs.none()
            shown[name] = str(obj) if obj else code
    area = data.get("area")
    if area == NONE:
        qs = qs.filter(area__isnull=True)
        shown["area"] = "—"
    elif area:
        unit = AdministrativeUnit.objects.filter(code=area).first()
        qs = qs.filter(area_id__in=_descendants(unit)) if unit else qs.none()
        shown["area"] = unit.name if unit else area
    code = data.get("organisation")
    if code:
        org = Organisation.objects.filter(code=code).first()
        if org:
            qs = qs.filter(Exists(Delivery.objects.filter(report_id=OuterRef("pk"), organisation=org)))
        else:
            qs = qs.none()
        shown["organisation"] = org.display_name if org else code
    return qs, shown


@login_required
@require_GET
def reports(request):
    user = request.user
    if not may_see_work(user):
        raise PermissionDenied
    form = ReportListForm(request.GET or None)
    qs, shown = filtered_reports(user, form)
    page = Paginator(qs.select_related("behaviour", "area", "sector").order_by("-created_at"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    date_from, date_to = form.period()
    return render(
        request,
        "dashboards/reports.html",
        {
            "form": form,
            "page": page,
            "reports": list(page.object_list),
            "shown": shown,
            "date_from": date_from,
            "date_to": date_to,
        },
    )
