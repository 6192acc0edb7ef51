"""Reads of the directory that need thought: who holds a function where, on a given day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.cache import cache
from django.utils import timezone

from .models import AdministrativeUnit, Organisation, OrganisationFunction

HUB_FUNCTION = "hub"
_HUB_CACHE_KEY = "directory:hub-org-ids:{day}"


def today() -> dt.date:
    return timezone.localdate()


def area_chain(area: AdministrativeUnit | None) -> list[int]:
    """Ids of the area and the areas above it, most specific first, following successors of ended units.

    A report filed against a 2013 district is still routed after the 2025 reform: the district's
    province has a successor (the new city), whose holders then cover it.
    """
    ids: list[int] = []
    seen: set[int] = set()
    frontier = [area] if area else []
    while frontier:
        unit = frontier.pop(0)
        if unit is None or unit.pk in seen:
            continue
        seen.add(unit.pk)
        ids.append(unit.pk)
        if unit.parent_id:
            frontier.append(unit.parent)
        if unit.successor_id:
            frontier.append(unit.successor)
    return ids


def function_holders(
    function_code: str,
    *,
    day: dt.date | None = None,
    area: AdministrativeUnit | None = None,
    resolve: str = "nearest",
) -> list[Organisation]:
    """The organisations that hold `function_code` on `day`.

    resolve="all": every holder. resolve="nearest": the holders whose area covers `area` most
    specifically (district police before the provincial police); with no area, the widest holders.
    """
    day = day or today()
    holdings = list(
        OrganisationFunction.objects.valid_on(day)
        .filter(function__code=function_code, organisation__valid_from__lte=day)
        .exclude(organisation__valid_to__lt=day)
        .select_related("organisation", "area")
        .order_by("organisation__code")
    )
    if resolve == "all" or not holdings:
        return _unique(h.organisation for h in holdings)
    if area is None:
        top = min(h.area.depth for h in holdings)
        return _unique(h.organisation for h in holdings if h.area.depth == top)
    chain = area_chain(area)
    rank = {area_id: i for i, area_id in enumerate(chain)}
    covering = [h for h in holdings if h.area_id in rank]
    if not covering:
        return []
    best = min(rank[h.area_id] for h in covering)
    return _unique(h.organisation for h in covering if rank[h.area_id] == best)


def _unique(orgs: Iterable[Organisation]) -> list[Organisation]:
    seen: dict[int, Organisation] = {}
    for org in orgs:
        seen.setdefault(org.pk, org)
    return list(seen.values())


def hub_organisation_ids(day: dt.date | None = None) -> frozenset[int]:
    """Đ5.2: the organisations that are hubs (DIC and Provincial Police, or their successors) on `day`."""
    day = day or today()
    key = _HUB_CACHE_KEY.format(day=day.isoformat())
    ids = cache.get(key)
    if ids is None:
        ids = frozenset(o.pk for o in function_holders(HUB_FUNCTION, day=day, resolve="all"))
        cache.set(key, ids, 60)
    return ids


def clear_directory_caches() -> None:
    """Called after a rule set load changes the directory."""
    cache.delete(_HUB_CACHE_KEY.format(day=today().isoformat()))
