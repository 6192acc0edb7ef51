"""The documents section of a rule set (documents.yaml, optional in a folder): Decree 30/2020, Appendix III
abbreviations of the kinds, and each organisation's symbol, governing body, place and head's title."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from phoihop.directory.models import Organisation
from phoihop.rulesets.loader import RuleSetData, register_file
from phoihop.rulesets.sections import References, register_section

from .models import KindConvention, OrganisationConvention

FILE = "documents"


def check_documents(data: RuleSetData, refs: References) -> None:
    for i, rec in enumerate(data.records(FILE, "organisations")):
        refs.check(f"{FILE}.yaml", "organisations", i, rec, "code", rec.get("code"), "organisation")


def load_documents(data: RuleSetData, ruleset: Any, w: Any) -> None:
    if FILE not in data.files:
        return
    place = data.files[FILE].get("place", "")
    for rec in data.records(FILE, "kinds"):
        w.upsert(
            KindConvention, {"kind": rec["code"]}, {"symbol": rec.get("symbol", ""), "title": rec.get("title", "")}
        )
    orgs = {
        o.code: o
        for o in Organisation.objects.filter(code__in=[r["code"] for r in data.records(FILE, "organisations")])
    }
    for rec in data.records(FILE, "organisations"):
        w.upsert(
            OrganisationConvention,
            {"organisation": orgs[rec["code"]]},
            {
                "symbol": rec["symbol"],
                "parent_line": rec.get("parent_line", ""),
                "place": rec.get("place", place),
                "head_title": rec.get("head_title", ""),
            },
        )


def register() -> None:
    register_file(
        FILE,
        filename="documents.yaml",
        schema=Path(__file__).parent / "schemas" / "documents.schema.json",
        record_keys=("kinds", "organisations"),
    )
    register_section("documents", order=110, load=load_documents, check_references=check_documents)
