"""Routing's rule-set section: the rules of Chapter III (Đ12–16) and Chapter II duties, each naming a function."""

from __future__ import annotations

from phoihop.directory.models import Function
from phoihop.rulesets.loader import RuleSetData
from phoihop.rulesets.models import RuleSet
from phoihop.rulesets.sections import References, register_section
from phoihop.rulesets.writer import RecordWriter

from .models import RoutingRule

ROUTING = "routing.yaml"


def check_routing(data: RuleSetData, refs: References) -> None:
    """A rule's recipient function, and the sectors and behaviours (or `13.*` prefixes) it names, must exist."""
    behaviour_codes = refs.known("behaviour")
    for i, rec in enumerate(data.records("routing", "rules")):
        refs.check(ROUTING, "rules", i, rec, "recipient.function", rec["recipient"].get("function"), "function")
        when = rec.get("when") or {}
        for s in when.get("sectors") or []:
            refs.check(ROUTING, "rules", i, rec, "when.sectors", s, "sector")
        for b in when.get("behaviours") or []:
            if b.endswith(".*"):
                if not any(code.startswith(b[:-1]) for code in behaviour_codes):
                    refs.unknown(ROUTING, "rules", i, rec, "when.behaviours", b, "behaviour prefix")
            else:
                refs.check(ROUTING, "rules", i, rec, "when.behaviours", b, "behaviour")


def load_routing(data: RuleSetData, ruleset: RuleSet, w: RecordWriter) -> None:
    """Write this rule set's rules in file order; a rule the file no longer lists is deleted."""
    functions = {f.code: f for f in Function.objects.all()}
    rules = data.records("routing", "rules")
    for i, rec in enumerate(rules):
        w.upsert(
            RoutingRule,
            {"ruleset": ruleset, "code": rec["code"]},
            {
                "article": rec["article"],
                "description_vi": rec["description_vi"],
                "description_en": rec.get("description_en") or "",
                "conditions": rec.get("when") or {},
                "function": functions[rec["recipient"]["function"]],
                "resolve": rec["recipient"].get("resolve", "nearest"),
                "urgent": bool(rec.get("urgent", False)),
                "position": i,
            },
        )
    stale = RoutingRule.objects.filter(ruleset=ruleset).exclude(code__in=[r["code"] for r in rules])
    for rule in stale:
        w.removed(f"routing rule {rule.code}")
    stale.delete()


def register() -> None:
    """Register the routing section: last, as its rules name functions, sectors and behaviours."""
    register_section("routing", order=50, load=load_routing, check_references=check_routing)
