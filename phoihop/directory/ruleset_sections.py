"""The directory's rule-set sections: areas, functions and organisations (with the functions they hold)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from phoihop.rulesets.loader import DataError, RuleSetData, RuleSetInvalid, parse_date, record_label
from phoihop.rulesets.models import RuleSet
from phoihop.rulesets.sections import References, register_section
from phoihop.rulesets.writer import RecordBatch, RecordWriter, apply_merges, apply_replaces, record_end

from .models import CONTACT_FIELDS, AdministrativeUnit, Function, Organisation, OrganisationFunction
from .selectors import clear_directory_caches

AREAS, ORGANISATIONS = "areas.yaml", "organisations.yaml"


def _codes(model: Any, recs: Iterable[dict[str, Any]]) -> set[str]:
    """The codes a record may point at: those of this rule set's file and those already loaded."""
    return {r["code"] for r in recs} | set(model.objects.values_list("code", flat=True))


def area_codes(data: RuleSetData) -> Mapping[str, Iterable[str]]:
    """Publish the area codes of the file and the database."""
    return {"area": _codes(AdministrativeUnit, data.records("areas", "areas"))}


# Digits of an official code by kind; a city is province-level (2) or district-level (3).
GSO_DIGITS = {
    "province": {2},
    "city": {2, 3},
    "town": {3},
    "district": {3},
    "commune": {5},
    "ward": {5},
    "township": {5},
}


def check_areas(data: RuleSetData, refs: References) -> None:
    """A unit's parent, the units it replaces or took in and the units it closes must be known areas; a unit
    is merged into one unit only, never into itself, and its official code fits its kind and is not another
    unit's (unless that unit is the one it replaces or took in: a new unit may keep a former unit's code)."""
    recs = data.records("areas", "areas")
    # A unit has one successor: the unit that replaces it or that it is merged into, never two of them.
    succeeded: dict[str, str] = {}  # old code -> "replaced by 'x'" / "merged into 'x'"
    by_gso: dict[str, list[dict[str, Any]]] = {}
    for i, rec in enumerate(recs):
        label = record_label(rec, "areas", i)
        refs.check(AREAS, "areas", i, rec, "parent", rec.get("parent"), "area")
        for old in rec.get("replaces") or []:
            refs.check(AREAS, "areas", i, rec, "replaces", old, "area")
            _one_successor(AREAS, label, "replaces", old, f"replaced by '{rec['code']}'", succeeded, refs)
        for old in rec.get("merged_from") or []:
            refs.check(AREAS, "areas", i, rec, "merged_from", old, "area")
            if old == rec["code"]:
                refs.errors.append(DataError(AREAS, label, "merged_from", "a unit cannot be merged into itself"))
            elif old in (rec.get("replaces") or []):
                refs.errors.append(DataError(AREAS, label, "merged_from", f"'{old}' is also in replaces"))
            else:
                _one_successor(AREAS, label, "merged_from", old, f"merged into '{rec['code']}'", succeeded, refs)
        gso = rec.get("gso_code")
        if gso:
            if len(gso) not in GSO_DIGITS.get(rec.get("kind", ""), {len(gso)}):
                digits = " or ".join(str(n) for n in sorted(GSO_DIGITS[rec["kind"]]))
                message = f"'{gso}' does not fit a {rec['kind']} (an official code of {digits} digits)"
                refs.errors.append(DataError(AREAS, label, "gso_code", message))
            by_gso.setdefault(gso, []).append(rec)
    for i, rec in enumerate(recs):
        gso = rec.get("gso_code")
        for other in by_gso.get(gso, []) if gso else []:
            if other is rec:
                break  # name each clash once, on the later record
            if other["code"] not in _took_in(rec) and rec["code"] not in _took_in(other):
                message = f"official code '{gso}' is already used by '{other['code']}'"
                refs.errors.append(DataError(AREAS, record_label(rec, "areas", i), "gso_code", message))
    for i, rec in enumerate(data.records("areas", "closes")):
        refs.check(AREAS, "closes", i, rec, "code", rec.get("code"), "area")


def _one_successor(
    file: str, label: str, field: str, old: str, succession: str, succeeded: dict[str, str], refs: References
) -> None:
    """Refuse a record (area or organisation) given a second successor by the same rule set: `replaces` sets
    the old record's successor and end, and of two records listing it one would silently undo the other."""
    if old not in succeeded:
        succeeded[old] = succession
    elif succeeded[old] != succession:  # the same record naming it twice is not a second successor
        refs.errors.append(DataError(file, label, field, f"'{old}' is already {succeeded[old]}"))


def _took_in(rec: dict[str, Any]) -> set[str]:
    """The codes a record succeeds: those it replaces and those merged into it."""
    return set(rec.get("replaces") or []) | set(rec.get("merged_from") or [])


def load_areas(data: RuleSetData, ruleset: RuleSet, w: RecordWriter) -> None:
    """Write the administrative units, then their successions (`replaces`) and closures (`closes`)."""
    recs = data.records("areas", "areas")
    by_code: dict[str, AdministrativeUnit] = {a.code: a for a in AdministrativeUnit.objects.all()}
    # Parents are written before their children, whatever the order in the file.
    file_codes = {r["code"] for r in recs}
    written: set[str] = set()
    pending = list(recs)
    while pending:
        ready = [r for r in pending if r.get("parent") not in file_codes or r["parent"] in written]
        if not ready:
            raise RuleSetInvalid([DataError(AREAS, pending[0]["code"], "parent", "parents form a cycle")])
        for rec in ready:
            parent = by_code.get(rec["parent"]) if rec.get("parent") else None
            unit = w.upsert(
                AdministrativeUnit,
                {"code": rec["code"]},
                {
                    "name": rec["name"],
                    "kind": rec["kind"],
                    "parent": parent,
                    "coastal": rec.get("coastal", False),
                    "valid_from": parse_date(rec["valid_from"]),
                    **record_end(rec),
                    "ruleset": ruleset,
                    "depth": (parent.depth + 1) if parent else 0,
                    "gso_code": rec.get("gso_code") or "",
                },
                current=by_code.get(rec["code"]),
            )
            assert isinstance(unit, AdministrativeUnit)
            by_code[unit.code] = unit
            written.add(unit.code)
        pending = [r for r in pending if r["code"] not in written]
    for rec in recs:
        apply_replaces(AdministrativeUnit, by_code, rec, w)
        apply_merges(AdministrativeUnit, by_code, rec, w)
    for rec in data.records("areas", "closes"):
        closed = by_code.get(rec["code"])
        w.upsert(AdministrativeUnit, {"code": rec["code"]}, {"valid_to": parse_date(rec["valid_to"])}, current=closed)


def function_codes(data: RuleSetData) -> Mapping[str, Iterable[str]]:
    """Publish the function codes of the file and the database (routing rules and holdings name them)."""
    return {"function": _codes(Function, data.records("functions", "functions"))}


def load_functions(data: RuleSetData, ruleset: RuleSet, w: RecordWriter) -> None:
    """Write the functions: the duties the regulation gives, which routing rules send reports to."""
    recs = data.records("functions", "functions")
    current = {f.code: f for f in Function.objects.all()} if recs else {}  # read once, not once per function
    for rec in recs:
        w.upsert(
            Function,
            {"code": rec["code"]},
            {
                "name_vi": rec["name_vi"],
                "name_en": rec.get("name_en") or "",
                "article": rec.get("article") or "",
                "description_en": rec.get("description_en") or "",
                "sanctioning": bool(rec.get("sanctioning", False)),
            },
            current=current.get(rec["code"]),
        )


def organisation_codes(data: RuleSetData) -> Mapping[str, Iterable[str]]:
    """Publish the organisation codes of the file and the database."""
    return {"organisation": _codes(Organisation, data.records("organisations", "organisations"))}


def check_organisations(data: RuleSetData, refs: References) -> None:
    """An organisation's area, parent, predecessors and the functions and areas it holds must be known; an
    organisation is replaced by one organisation of the rule set only."""
    succeeded: dict[str, str] = {}
    for i, rec in enumerate(data.records("organisations", "organisations")):
        refs.check(ORGANISATIONS, "organisations", i, rec, "area", rec.get("area"), "area")
        refs.check(ORGANISATIONS, "organisations", i, rec, "parent", rec.get("parent"), "organisation")
        for old in rec.get("replaces") or []:
            refs.check(ORGANISATIONS, "organisations", i, rec, "replaces", old, "organisation")
            label = record_label(rec, "organisations", i)
            _one_successor(ORGANISATIONS, label, "replaces", old, f"replaced by '{rec['code']}'", succeeded, refs)
        for j, h in enumerate(rec.get("functions") or []):
            refs.check(ORGANISATIONS, "organisations", i, rec, f"functions.{j}.function", h.get("function"), "function")
            refs.check(ORGANISATIONS, "organisations", i, rec, f"functions.{j}.area", h.get("area"), "area")
    for i, rec in enumerate(data.records("organisations", "closes")):
        refs.check(ORGANISATIONS, "closes", i, rec, "code", rec.get("code"), "organisation")


def load_organisations(data: RuleSetData, ruleset: RuleSet, w: RecordWriter) -> None:
    """Write the parties of Đ2 and the functions each holds over an area; a holding the file drops is deleted.

    The organisations and the holdings of the file's organisations are read once each; a holding is written
    only when it changed (together, at the end: RecordBatch), so reloading an unchanged rule set costs a few
    queries instead of several per organisation."""
    recs = data.records("organisations", "organisations")
    areas = {a.code: a for a in AdministrativeUnit.objects.all()}
    functions = {f.code: f for f in Function.objects.all()}
    orgs: dict[str, Any] = {o.code: o for o in Organisation.objects.all()}
    for rec in recs:  # first pass without parents, so order in the file does not matter
        orgs[rec["code"]] = w.upsert(
            Organisation,
            {"code": rec["code"]},
            {
                "name_vi": rec["name_vi"],
                "name_en": rec.get("name_en") or "",
                "short_name": rec.get("short_name") or "",
                "type": rec["type"],
                "enterprise_kind": rec.get("enterprise_kind") or "",
                "area": areas[rec["area"]],
                "valid_from": parse_date(rec["valid_from"]),
                **record_end(rec),
                **_contact(rec),
                "ruleset": ruleset,
            },
            current=orgs.get(rec["code"]),
        )
    holdings = _holdings_of([orgs[rec["code"]] for rec in recs])
    batch = RecordBatch(w, OrganisationFunction)
    for rec in recs:
        org = orgs[rec["code"]]
        parent = orgs.get(rec["parent"]) if rec.get("parent") else None
        w.upsert(Organisation, {"code": rec["code"]}, {"parent": parent}, current=org)
        apply_replaces(Organisation, orgs, rec, w)
        held = holdings.get(org.pk, {})
        keep: set[tuple[int, int, dt.date]] = set()
        for h in rec.get("functions") or []:
            lookup = {
                "organisation": org,
                "function": functions[h["function"]],
                "area": areas[h.get("area") or rec["area"]],
                "valid_from": parse_date(h.get("valid_from") or rec["valid_from"]),
            }
            key = (lookup["function"].pk, lookup["area"].pk, lookup["valid_from"])
            values = {"valid_to": parse_date(h.get("valid_to") or rec.get("valid_to")), "ruleset": ruleset}
            holding = batch.upsert(lookup, values, current=held.get(key))
            assert isinstance(holding, OrganisationFunction)
            held[key] = holding  # a holding the file lists twice is found the second time, as in the database
            keep.add(key)
        for key, stale_holding in held.items():
            if key not in keep:
                batch.delete(stale_holding, f"holding {org.code}/{stale_holding.function_id}")
    batch.write()
    for rec in data.records("organisations", "closes"):
        values = {"valid_to": parse_date(rec["valid_to"])}
        w.upsert(Organisation, {"code": rec["code"]}, values, current=orgs.get(rec["code"]))


def _holdings_of(orgs: list[Organisation]) -> dict[int, dict[tuple[int, int, dt.date], OrganisationFunction]]:
    """The holdings of these organisations, by organisation and (function, area, valid_from): one query."""
    by_org: dict[int, dict[tuple[int, int, dt.date], OrganisationFunction]] = {}
    pks = [o.pk for o in orgs if o.pk is not None]
    for h in OrganisationFunction.objects.filter(organisation_id__in=pks).order_by("pk"):
        by_org.setdefault(h.organisation_id, {})[(h.function_id, h.area_id, h.valid_from)] = h
    return by_org


def _contact(rec: dict[str, Any]) -> dict[str, Any]:
    """The contact fields the file gives (versioned data, Đ19), and which they are. A field the file leaves
    out is not touched, so what the organisation's head keeps in the directory survives a reload."""
    given = {k: v for k, v in (rec.get("contact") or {}).items() if k in CONTACT_FIELDS and v}
    if rec.get("email"):
        given["email"] = rec["email"]
    return {**given, "contact_from_ruleset": sorted(given)}


def register() -> None:
    """Register the directory's sections; they load first, as taxonomy and routing rules point at them."""
    register_section(
        "areas",
        order=10,
        load=load_areas,
        known_codes=area_codes,
        check_references=check_areas,
        after_load=clear_directory_caches,
    )
    register_section(
        "functions", order=20, load=load_functions, known_codes=function_codes, after_load=clear_directory_caches
    )
    register_section(
        "organisations",
        order=30,
        load=load_organisations,
        known_codes=organisation_codes,
        check_references=check_organisations,
        after_load=clear_directory_caches,
    )
