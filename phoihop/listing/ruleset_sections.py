"""The listing app's rule-set section: categories of listed values and review periods (listing.yaml).

A folder without listing.yaml loads (an older rule set); one with it must be valid, every error naming the
file, the record and the field. A category the file drops is retired (listings keep pointing at it).
"""

from __future__ import annotations

from pathlib import Path

from phoihop.rulesets.loader import DataError, RuleSetData, record_label, register_file
from phoihop.rulesets.models import RuleSet
from phoihop.rulesets.sections import References, register_section
from phoihop.rulesets.writer import RecordWriter

from .models import ListingCategory, ReviewPeriod

FILE = "listing.yaml"
KIND = "listing"
ORDER = 130


def check_listing(data: RuleSetData, refs: References) -> None:
    """One review period per kind, and one for "*" (every kind without its own)."""
    if KIND not in data.files:
        return
    seen: dict[str, int] = {}
    periods = data.records(KIND, "review_periods")
    for i, rec in enumerate(periods):
        kind = rec["kind"]
        label = record_label({"code": kind}, "review_periods", i)
        if kind in seen:
            refs.errors.append(
                DataError(FILE, label, "kind", f"duplicate kind '{kind}', already in review_periods #{seen[kind] + 1}")
            )
        seen.setdefault(kind, i)
    if periods and "*" not in seen:
        refs.errors.append(DataError(FILE, "", "review_periods", "no period for '*' (every other kind)"))


def load_listing(data: RuleSetData, ruleset: RuleSet, w: RecordWriter) -> None:
    if KIND not in data.files:
        return
    categories = data.records(KIND, "categories")
    for i, rec in enumerate(categories):
        w.upsert(
            ListingCategory,
            {"code": rec["code"]},
            {
                "name_vi": rec["name_vi"],
                "name_en": rec["name_en"],
                "kinds": list(rec["kinds"]),
                "article": rec.get("article") or "",
                "position": i,
                "is_active": True,
            },
        )
    listed = {r["code"] for r in categories}
    for category in ListingCategory.objects.filter(is_active=True).exclude(code__in=listed):
        w.upsert(ListingCategory, {"code": category.code}, {"is_active": False})
    periods = {r["kind"]: r["days"] for r in data.records(KIND, "review_periods")}
    for kind, days in periods.items():
        w.upsert(ReviewPeriod, {"kind": kind}, {"days": days})
    for old in ReviewPeriod.objects.exclude(kind__in=list(periods)):
        old.delete()
        w.removed(f"reviewperiod {old.kind}")


def register() -> None:
    register_file(
        KIND,
        filename=FILE,
        schema=Path(__file__).parent / "schemas" / "listing.schema.json",
        record_keys=("categories",),
    )
    register_section("listing", order=ORDER, load=load_listing, check_references=check_listing)
