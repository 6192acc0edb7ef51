"""The list behind every figure: the reports the user may see, received in a period, of a sector, a
behaviour, an area or delivered to an organisation. Its count is report_statistics' (the same rows).

Fast at a million reports: the page is the union of the permission scope's branches (core.permissions
scope_branches: delivered to my organisation, made by it, in a case I may see), each walked newest first
through its own index and merged (newest_ids); the count stops at COUNT_CAP ("more than 1,000", as the inbox
and the API say) instead of counting every row of the scope (3 s of SQL at a hub)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import render
from django.views.decorators.http import require_GET

from phoihop.core.permissions import newest_ids, scope, scope_branches
from phoihop.directory.models import AdministrativeUnit, Organisation
from phoihop.inbox.models import Delivery
from phoihop.intake.models import Report
from phoihop.intake.selectors import COUNT_CAP, LIST_ORDER, ReportListPage, reports_in_order
from phoihop.taxonomy.models import Behaviour, Sector

from ..forms import ReportListForm
from ..roles import may_see_work
from ..statistics import Period

PAGE_SIZE = 50
MAX_PAGE = 200  # further back, a narrower figure (a sector, an area, a shorter period) serves better
NONE = "none"  # the figure of reports that do not say (no sector, behaviour or area)


def _descendants(unit: AdministrativeUnit) -> list[int]:
    ids, frontier = [unit.pk], [unit.pk]
    while frontier:
        frontier = list(AdministrativeUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids += frontier
    return ids


def filtered_reports(user, form: ReportListForm) -> tuple[QuerySet[Report], dict]:
    """The reports of the list (within the user's scope), and what each filter was for the heading."""
    qs, shown = _filtered(form)
    return scope(user, qs), shown


def _filtered(form: ReportListForm) -> tuple[QuerySet[Report], dict]:
    """Every report of the period and filters, before the permission scope (the caller applies it)."""
    date_from, date_to = form.period()
    qs = Report.objects.filter(Period(date_from, date_to).received())
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


def _all_if_few(branches: list[QuerySet[Report]], cap: int) -> list[int] | None:
    """The ids of the union of `branches` newest first, when it holds at most `cap` rows (else None).

    The capped count (core.permissions.capped_count) with the rows' dates kept: each branch gives at most
    `cap + 1` rows in whatever order its index gives them cheapest; when no more than `cap` come back, they
    are the whole list, and its page needs no second walk."""
    rows: dict[int, tuple] = {}
    for branch in branches:
        found = list(branch.order_by().values_list("created_at", "pk")[: cap + 1])
        rows.update((pk, (created, pk)) for created, pk in found)
        if len(rows) > cap:
            return None
    return [pk for _created, pk in sorted(rows.values(), reverse=True)]  # LIST_ORDER: -created_at, -pk


def _page_number(raw: str | None) -> int:
    try:
        return min(max(int(raw or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


@login_required
@require_GET
def reports(request):
    user = request.user
    if not may_see_work(user):
        raise PermissionDenied
    form = ReportListForm(request.GET or None)
    qs, shown = _filtered(form)
    number = _page_number(request.GET.get("page"))
    # Đ3.1, Đ17.1: only what the user may see, read through the scope's own ways (one query per branch for the
    # page, one per branch for the count up to COUNT_CAP); never a count of the whole scope.
    offset = (number - 1) * PAGE_SIZE
    branches = scope_branches(user, qs)
    few = _all_if_few(branches, COUNT_CAP)
    if few is not None:  # every row was read to count them: the page is a slice of them
        count, ids = len(few), few[offset : offset + PAGE_SIZE + 1]
    else:
        count = COUNT_CAP + 1
        # A sector's reports newest first through the (sector, created_at) index, like behaviour's and area's.
        ids = newest_ids(branches, LIST_ORDER, limit=PAGE_SIZE + 1, offset=offset)
    page = ReportListPage(ids[:PAGE_SIZE], number, PAGE_SIZE, has_next=len(ids) > PAGE_SIZE, count=count, cap=COUNT_CAP)
    reports = reports_in_order(page.ids, Report.objects.select_related("behaviour", "area").defer("search_text"))
    date_from, date_to = form.period()
    return render(
        request,
        "dashboards/reports.html",
        {
            "form": form,
            "page": page,
            "reports": reports,
            "has_next": page.has_next and page.number < MAX_PAGE,
            "shown": shown,
            "date_from": date_from,
            "date_to": date_to,
        },
    )
