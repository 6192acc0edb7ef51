"""The routing engine: which parties must hear of a report, and which article says so.

It reads the rule set's routing table (data, not `if` statements): each rule names conditions and a
function; the function resolves to whichever organisation holds it for the report's place on the day.
"Or" in Đ12–16 means the reporter may go to any one party; the shared channel delivers to every party
named (Đ5.2 makes DIC and the Provincial Police the hubs that always hear).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from phoihop.directory.models import AdministrativeUnit, Organisation
from phoihop.directory.selectors import today
from phoihop.rulesets.models import RuleSet

from .models import RoutingRule
from .reference import active_ruleset, routing_table

__all__ = ["Reason", "Recipient", "Router", "RoutingInput", "active_ruleset", "describe", "find_area", "route"]


MAX_REMEMBERED_ROUTES = 4096  # behaviours × places × reporter types × kinds of indicators actually seen


class ReporterType:
    PUBLIC = "public"
    ENTERPRISE = "enterprise"
    AGENCY = "agency"
    ALL = (PUBLIC, ENTERPRISE, AGENCY)


@dataclass(frozen=True)
class RoutingInput:
    """What routing looks at: the behaviour, the place, who reported and the kinds of indicators."""

    behaviour: str | None = None
    sector: str | None = None
    area: AdministrativeUnit | None = None
    reporter_type: str = ReporterType.PUBLIC
    indicator_kinds: frozenset[str] = frozenset()
    day: dt.date | None = None


@dataclass(frozen=True)
class Reason:
    rule: str
    article: str
    function: str
    description_vi: str
    description_en: str
    urgent: bool = False


@dataclass
class Recipient:
    organisation: Organisation
    reasons: list[Reason] = field(default_factory=list)

    @property
    def urgent(self) -> bool:
        """Urgent when any rule that sends the report here is (its focal points hear at once)."""
        return any(r.urgent for r in self.reasons)

    @property
    def articles(self) -> list[str]:
        return sorted({r.article for r in self.reasons}, key=_article_key)

    def as_dict(self) -> dict:
        return {
            "organisation": self.organisation.code,
            "name": self.organisation.name_vi,
            "articles": self.articles,
            "reasons": [r.__dict__ for r in self.reasons],
        }


def _article_key(article: str) -> tuple:
    digits = "".join(ch if ch.isdigit() or ch == "." else " " for ch in article).split()
    return tuple(int(p) for p in (digits[0].split(".") if digits else []) if p.isdigit()), article


def _matches(conditions: dict, *, behaviour: str | None, sector: str | None, inp: RoutingInput) -> bool:
    if "behaviours" in conditions and not (
        behaviour
        and any(behaviour.startswith(p[:-1]) if p.endswith(".*") else behaviour == p for p in conditions["behaviours"])
    ):
        return False
    if "sectors" in conditions and sector not in conditions["sectors"]:
        return False
    if "coastal" in conditions and bool(inp.area and inp.area.coastal) != conditions["coastal"]:
        return False
    if "reporter_types" in conditions and inp.reporter_type not in conditions["reporter_types"]:
        return False
    return not ("indicator_kinds" in conditions and not inp.indicator_kinds & set(conditions["indicator_kinds"]))


class Router:
    """Routes many reports against one rule set, from the day's routing table held in memory.

    Routing runs no query once the process has the day's table (routing.reference).
    """

    def __init__(self, ruleset: RuleSet | None = None, day: dt.date | None = None):
        self.day = day or today()
        self.table = routing_table(self.day)
        if ruleset is None or (self.table.ruleset is not None and ruleset.pk == self.table.ruleset.pk):
            self.ruleset, self.rules = self.table.ruleset, self.table.rules
        else:  # an explicit rule set other than the one in force (the `route` command's --ruleset)
            self.ruleset = ruleset
            self.rules = list(
                RoutingRule.objects.filter(ruleset=ruleset).select_related("function").order_by("position")
            )

    def sector_of(self, behaviour: str | None) -> str | None:
        return self.table.sector_of_behaviour.get(behaviour) if behaviour else None

    def holders(self, function: str, area: AdministrativeUnit | None, resolve: str) -> list[Organisation]:
        return self.table.holders(function, area, resolve)

    def route(self, inp: RoutingInput) -> list[Recipient]:
        """Every organisation to notify, each with the rules (and articles) that name it."""
        sector = inp.sector or self.sector_of(inp.behaviour)
        if self.rules is not self.table.rules:  # an explicit rule set: not the table's to remember
            return self._route(inp, sector)
        # The answer depends only on these and on the day's table, which a new rule set replaces: remembered
        # on the table (the rules' loop was ~2 % of an API create's CPU). Each caller gets its own lists.
        area = inp.area
        area_key = (area.pk, bool(area.coastal)) if area else None
        key = (inp.behaviour, sector, area_key, inp.reporter_type, inp.indicator_kinds)
        known = self.table.routes.get(key)
        if known is None:
            recipients = self._route(inp, sector)
            if len(self.table.routes) < MAX_REMEMBERED_ROUTES:
                self.table.routes[key] = [(r.organisation, tuple(r.reasons)) for r in recipients]
            return recipients
        return [Recipient(org, list(reasons)) for org, reasons in known]

    def _route(self, inp: RoutingInput, sector: str | None) -> list[Recipient]:
        recipients: dict[int, Recipient] = {}
        for rule in self.rules:
            if not _matches(rule.conditions, behaviour=inp.behaviour, sector=sector, inp=inp):
                continue
            reason = Reason(
                rule.code, rule.article, rule.function.code, rule.description_vi, rule.description_en, rule.urgent
            )
            for org in self.holders(rule.function.code, inp.area, rule.resolve):
                recipients.setdefault(org.pk, Recipient(org)).reasons.append(reason)
        return list(recipients.values())


def route(inp: RoutingInput) -> list[Recipient]:
    """Route one report (see Router for many)."""
    return Router(day=inp.day).route(inp)


def find_area(name_or_code: str, day: dt.date | None = None) -> AdministrativeUnit | None:
    """An area by code or by name ("Vĩnh Châu" finds "Thị xã Vĩnh Châu"), preferring units valid on `day`."""
    value = " ".join(name_or_code.split())
    if not value:
        return None
    hit = AdministrativeUnit.objects.filter(code=value).first()
    if hit:
        return hit
    lowered = value.lower()
    candidates = [
        unit
        for unit in AdministrativeUnit.objects.filter(name__icontains=value).order_by("depth", "name")
        if unit.name.lower() == lowered or unit.name.lower().endswith(" " + lowered)
    ] or [
        u
        for u in AdministrativeUnit.objects.order_by("depth", "name")
        if u.name.lower() == lowered or u.name.lower().endswith(" " + lowered)
    ]
    day = day or today()
    valid = [u for u in candidates if u.is_valid_on(day)]
    found = valid or candidates
    return found[0] if found else None


def describe(recipients: Iterable[Recipient]) -> list[dict]:
    return [r.as_dict() for r in recipients]
