"""The taxonomy's rule-set section: the sectors of Đ1 and the behaviours of Đ12–16 and the laws they cite."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from phoihop.rulesets.loader import RuleSetData
from phoihop.rulesets.models import RuleSet
from phoihop.rulesets.sections import References, register_section
from phoihop.rulesets.writer import RecordWriter

from .models import Behaviour, Sector

TAXONOMY = "taxonomy.yaml"


def taxonomy_codes(data: RuleSetData) -> Mapping[str, Iterable[str]]:
    """Publish the sector and behaviour codes of the file and the database (routing rules name them)."""
    sectors = {r["code"] for r in data.records("taxonomy", "sectors")}
    behaviours = {r["code"] for r in data.records("taxonomy", "behaviours")}
    return {
        "sector": sectors | set(Sector.objects.values_list("code", flat=True)),
        "behaviour": behaviours | set(Behaviour.objects.values_list("code", flat=True)),
    }


def check_taxonomy(data: RuleSetData, refs: References) -> None:
    """Every behaviour belongs to a known sector."""
    for i, rec in enumerate(data.records("taxonomy", "behaviours")):
        refs.check(TAXONOMY, "behaviours", i, rec, "sector", rec.get("sector"), "sector")


def load_taxonomy(data: RuleSetData, ruleset: RuleSet, w: RecordWriter) -> None:
    """Write sectors and behaviours in file order; a behaviour the file drops is retired, not deleted."""
    sectors: dict[str, Any] = {s.code: s for s in Sector.objects.all()}
    for i, rec in enumerate(data.records("taxonomy", "sectors")):
        sectors[rec["code"]] = w.upsert(
            Sector,
            {"code": rec["code"]},
            {
                "name_vi": rec["name_vi"],
                "name_en": rec.get("name_en") or "",
                "article": rec["article"],
                "position": i,
                "ruleset": ruleset,
            },
        )
    behaviours = data.records("taxonomy", "behaviours")
    for i, rec in enumerate(behaviours):
        w.upsert(
            Behaviour,
            {"code": rec["code"]},
            {
                "sector": sectors[rec["sector"]],
                "article": rec["article"],
                "source": rec["source"],
                "law_citation": rec.get("law_citation") or "",
                "legal_basis_vi": rec["legal_basis_vi"],
                "gloss_en": rec["gloss_en"],
                "help_vi": rec["help_vi"],
                "help_en": rec["help_en"],
                "position": i,
                "is_active": True,
                "ruleset": ruleset,
            },
        )
    if behaviours:  # a behaviour dropped from this rule set's file is retired, not deleted (reports cite it)
        listed = {r["code"] for r in behaviours}
        for b in Behaviour.objects.filter(ruleset=ruleset, is_active=True).exclude(code__in=listed):
            w.upsert(Behaviour, {"code": b.code}, {"is_active": False})


def register() -> None:
    """Register the taxonomy section: after the directory, before the routing rules that name behaviours."""
    register_section(
        "taxonomy", order=40, load=load_taxonomy, known_codes=taxonomy_codes, check_references=check_taxonomy
    )
