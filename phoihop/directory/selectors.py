"""Reads of the directory that need thought: who holds a function where, on a given day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.cache import cache
from django.utils import timezone

from .models import HUB_CACHE_KEY, AdministrativeUnit, Organisation, OrganisationFunction, hub_organisation_ids

__all__ = ["area_chain", "clear_directory_caches", "function_holders", "hub_organisation_ids", "today"]


def today() -> dt.date:
    return timezone.localdate()


def area_chain(area: AdministrativeUnit | None) -> list[int]:
    """Ids of the area and the areas above it, most specific first, following successors of ended units.

    A report filed against a 2013 district is still routed after the 2025 reform: the district's
    province has a successor (the new city), whose holders then cover it.
    """
    ids: list[int] = []
    seen: set[int] = set()
    frontier: list[AdministrativeUnit | None] = [area] if area else []
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


def clear_directory_caches() -> None:
    """Called after a rule set load changes the directory."""
    cache.delete(HUB_CACHE_KEY.format(day=today().isoformat()))
