"""Reads of the directory that need thought: who holds a function where, on a given day."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import COMMUNE_KINDS, AreaKind
from .models import HUB_CACHE_KEY, AdministrativeUnit, Organisation, OrganisationFunction, hub_organisation_ids

__all__ = [
    "area_chain",
    "area_choices",
    "clear_directory_caches",
    "current_area",
    "function_holders",
    "hub_organisation_ids",
    "today",
]


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


def current_area(area: AdministrativeUnit | None, day: dt.date | None = None) -> AdministrativeUnit | None:
    """The unit in force on `day` that `area` became: a report filed under a former commune maps to the
    commune it was merged into (`merged_from` in the rule set). The unit itself when it is in force, or
    when it ended with no successor (a district-level unit closed in 2025)."""
    day = day or today()
    unit, seen = area, set()
    while unit is not None and unit.valid_to is not None and unit.valid_to < day and unit.successor_id:
        if unit.pk in seen:
            break
        seen.add(unit.pk)
        unit = unit.successor
    return unit


def _fold(word: str) -> str:
    """A word without its Vietnamese marks, for sorting ("Đông" with the d's, not after "Z")."""
    word = word.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)).casefold()


def _natural(name: str) -> tuple:
    """Sort key putting "Phường 2" before "Phường 10" and "Xã Đông" among the D's."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, _fold(part)) for part in name.split())


def area_choices(day: dt.date | None = None) -> list:
    """The places a report may name on `day`, for a picker that must stay usable with 100+ communes.

    Below-province units in force that day, in optgroups: district-level units under their province, each
    commune under its district-level unit; after the 2025 reform (no districts) each commune under the
    former district its former communes belonged to, its label naming them ("Xã Kế Sách (trước đây: Thị trấn
    Kế Sách, Xã Kế An, Xã Kế Thành)") so that a search by an old name finds it. A top-level unit below
    province rank (a city) comes first, ungrouped. Two queries.
    """
    day = day or today()
    units = list(AdministrativeUnit.objects.valid_on(day).exclude(kind=AreaKind.PROVINCE).select_related("parent"))
    formers: dict[int, list[AdministrativeUnit]] = {}
    merged = AdministrativeUnit.objects.filter(successor_id__in=[u.pk for u in units], valid_to__lt=day, depth__gt=1)
    for old in merged.select_related("parent"):
        if old.successor_id is not None:
            formers.setdefault(old.successor_id, []).append(old)
    top: list[tuple[str, str]] = []
    groups: dict[str, list[tuple[AdministrativeUnit, str]]] = {}
    for unit in units:
        olds = sorted(formers.get(unit.pk, []), key=lambda u: _natural(u.name))
        label = unit.name
        if olds:
            label = _("%(name)s (formerly %(former)s)") % {"name": unit.name, "former": ", ".join(o.name for o in olds)}
        if unit.parent is None:
            top.append((unit.code, label))
            continue
        group = unit.parent.name
        if unit.kind in COMMUNE_KINDS and unit.parent.parent_id is None:  # a commune with no district above it
            districts = sorted({o.parent.name for o in olds if o.parent is not None}, key=_natural)
            if districts:
                group = _("%(district)s (former)") % {"district": districts[0]}
        groups.setdefault(group, []).append((unit, label))
    choices: list = sorted(top, key=lambda c: _natural(c[1]))
    for group in sorted(groups, key=lambda g: (min(u.depth for u, _l in groups[g]), _natural(g))):
        options = sorted(groups[group], key=lambda o: _natural(o[0].name))
        choices.append((group, [(unit.code, label) for unit, label in options]))
    return choices
