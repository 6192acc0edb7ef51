"""The routing table of one day, held in memory: rules, behaviours, areas and who holds which function.

Routing a report must cost nothing but the report: the rules of the rule set in force, the taxonomy,
the areas with their parents and successors, and every function holding valid that day are read once
per process (core.refcache: revalidated every few seconds by one query, dropped when a rule set loads)
and resolved in Python, so routing runs no query at all.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from phoihop.core.refcache import ReferenceCache
from phoihop.directory.models import AdministrativeUnit, Organisation, OrganisationFunction
from phoihop.rulesets.models import RuleSet
from phoihop.taxonomy.models import Behaviour, Sector

from .models import RoutingRule


def active_ruleset(day: dt.date | None = None) -> RuleSet | None:
    """The rule set in force on `day`: the latest loaded one that has started and not ended."""
    day = day or timezone.localdate()
    qs = RuleSet.objects.filter(effective_from__lte=day).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
    return qs.order_by("-effective_from").first() or RuleSet.objects.order_by("effective_from").first()


@dataclass
class RoutingTable:
    """Everything routing and intake need to know of the reference data on `day`."""

    day: dt.date
    ruleset: RuleSet | None
    rules: list[RoutingRule]
    behaviours: dict[str, Behaviour]  # active behaviours by code, with their sector
    sectors: dict[str, Sector]
    sector_of_behaviour: dict[str, str]  # every behaviour code (active or retired) -> sector code
    areas: dict[str, AdministrativeUnit]  # by code, parents and successors linked in memory
    _areas_by_pk: dict[int, AdministrativeUnit] = field(default_factory=dict)
    _holdings: dict[str, list[OrganisationFunction]] = field(default_factory=dict)
    _holders: dict[tuple, list[Organisation]] = field(default_factory=dict)
    # Router.route's answers for the rule set in force, by what it looks at (routing.engine).
    routes: dict[tuple, list[tuple[Organisation, tuple]]] = field(default_factory=dict)

    def area_chain(self, area: AdministrativeUnit | None) -> list[int]:
        """Ids of the area and those above it, most specific first, following successors of ended units
        (directory.selectors.area_chain, on the units in memory)."""
        ids: list[int] = []
        seen: set[int] = set()
        frontier = [area.pk] if area else []
        while frontier:
            pk = frontier.pop(0)
            unit = self._areas_by_pk.get(pk)
            if unit is None or pk in seen:
                continue
            seen.add(pk)
            ids.append(pk)
            if unit.parent_id:
                frontier.append(unit.parent_id)
            if unit.successor_id:
                frontier.append(unit.successor_id)
        return ids

    def holders(self, function: str, area: AdministrativeUnit | None, resolve: str) -> list[Organisation]:
        """directory.selectors.function_holders, answered from memory."""
        key = (function, area.pk if area else None, resolve)
        if key in self._holders:
            return self._holders[key]
        holdings = self._holdings.get(function, [])
        if resolve == "all" or not holdings:
            found = _unique(h.organisation for h in holdings)
        elif area is None:
            top = min(self._areas_by_pk[h.area_id].depth for h in holdings)
            found = _unique(h.organisation for h in holdings if self._areas_by_pk[h.area_id].depth == top)
        else:
            rank = {area_id: i for i, area_id in enumerate(self.area_chain(area))}
            covering = [h for h in holdings if h.area_id in rank]
            best = min((rank[h.area_id] for h in covering), default=None)
            found = _unique(h.organisation for h in covering if rank[h.area_id] == best) if covering else []
        self._holders[key] = found
        return found


def _unique(orgs) -> list[Organisation]:
    seen: dict[int, Organisation] = {}
    for org in orgs:
        seen.setdefault(org.pk, org)
    return list(seen.values())


def _build(day: Hashable) -> RoutingTable:
    assert isinstance(day, dt.date)
    ruleset = active_ruleset(day)
    rules = (
        list(RoutingRule.objects.filter(ruleset=ruleset).select_related("function").order_by("position"))
        if ruleset
        else []
    )
    sectors = {s.code: s for s in Sector.objects.all()}
    by_sector_pk = {s.pk: s for s in sectors.values()}
    behaviours: dict[str, Behaviour] = {}
    sector_of: dict[str, str] = {}
    for b in Behaviour.objects.all():
        b.sector = by_sector_pk[b.sector_id]  # linked in memory: no query when read
        sector_of[b.code] = b.sector.code
        if b.is_active:
            behaviours[b.code] = b
    units = list(AdministrativeUnit.objects.all())
    by_pk = {u.pk: u for u in units}
    for u in units:  # link parents and successors in memory, so reading them runs no query
        u.parent = by_pk.get(u.parent_id) if u.parent_id else None
        u.successor = by_pk.get(u.successor_id) if u.successor_id else None
    holdings: dict[str, list[OrganisationFunction]] = defaultdict(list)
    for h in (
        OrganisationFunction.objects.valid_on(day)
        .filter(organisation__valid_from__lte=day)
        .exclude(organisation__valid_to__lt=day)
        .select_related("organisation", "function")
        .order_by("organisation__code")
    ):
        h.organisation.area = by_pk.get(h.organisation.area_id)
        holdings[h.function.code].append(h)
    return RoutingTable(
        day=day,
        ruleset=ruleset,
        rules=rules,
        behaviours=behaviours,
        sectors=sectors,
        sector_of_behaviour=sector_of,
        areas={u.code: u for u in units},
        _areas_by_pk=by_pk,
        _holdings=dict(holdings),
    )


_tables: ReferenceCache[RoutingTable] = ReferenceCache(_build)


def routing_table(day: dt.date) -> RoutingTable:
    """The routing table of `day`, from this process's snapshot when it is fresh."""
    return _tables.get(day)
