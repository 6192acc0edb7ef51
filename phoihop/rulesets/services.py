"""Loading a rule set into the database: idempotent, all-or-nothing, audited.

Loading the same files twice changes nothing; loading changed files updates records in place and
records the rule set's new version and what changed (Đ19: amendments to the rules are data changes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from phoihop.audit.services import SYSTEM, AuditContext, audit_record
from phoihop.directory.models import AdministrativeUnit, Function, Organisation, OrganisationFunction
from phoihop.directory.selectors import clear_directory_caches
from phoihop.routing.models import RoutingRule
from phoihop.taxonomy.models import Behaviour, Sector

from .loader import DataError, RuleSetData, RuleSetInvalid, find_ruleset, parse_date, read_ruleset
from .models import RuleSet, RuleSetLoad


@dataclass
class LoadResult:
    """What one load did."""

    code: str
    version: int
    created: int = 0
    updated: int = 0
    changes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


class _Writer:
    """Upserts that only write when a value differs, counting what they did."""

    def __init__(self, result: LoadResult):
        self.result = result

    def upsert(self, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> models.Model:
        obj = model.objects.filter(**lookup).first()
        label = f"{model._meta.model_name} {'/'.join(str(v) for v in lookup.values())}"
        if obj is None:
            obj = model.objects.create(**lookup, **values)
            self.result.created += 1
            self.result.changes.append(f"+ {label}")
            return obj
        diff = [k for k, v in values.items() if _field_value(obj, k) != _comparable(v)]
        if diff:
            for k in diff:
                setattr(obj, k, values[k])
            obj.save(update_fields=diff)
            self.result.updated += 1
            self.result.changes.append(f"~ {label}: {', '.join(diff)}")
        return obj


def _comparable(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _field_value(obj: models.Model, name: str) -> Any:
    fld = obj._meta.get_field(name)
    if fld.is_relation:
        return getattr(obj, fld.attname)
    return getattr(obj, name)


def ruleset_load(*, code_or_path: str, ctx: AuditContext = SYSTEM) -> LoadResult:
    """Load one rule-set folder (and the one it extends, first). Raises RuleSetInvalid, changing nothing."""
    data = read_ruleset(find_ruleset(code_or_path))
    parent_result = None
    if data.meta.get("extends") and not RuleSet.objects.filter(code=data.meta["extends"]).exists():
        parent_result = ruleset_load(code_or_path=data.meta["extends"], ctx=ctx)
    _check_references(data)
    result = LoadResult(code=data.code, version=data.meta["version"])
    with transaction.atomic():
        ruleset = _load(data, result)
        if result.changed:
            RuleSet.objects.filter(pk=ruleset.pk).update(loaded_at=timezone.now())
            RuleSetLoad.objects.create(
                ruleset=ruleset,
                version=ruleset.version,
                checksum=data.checksum,
                created=result.created,
                updated=result.updated,
                changes=result.changes[:2000],
            )
            audit_record(
                ctx=ctx,
                action="ruleset.load",
                obj=ruleset,
                summary=f"{ruleset.code} v{ruleset.version}",
                data={"created": result.created, "updated": result.updated, "checksum": data.checksum},
            )
    if result.changed:
        clear_directory_caches()
    if parent_result:
        result.created += parent_result.created
        result.updated += parent_result.updated
    return result


def _load(data: RuleSetData, result: LoadResult) -> RuleSet:
    w = _Writer(result)
    meta = data.meta
    extends = RuleSet.objects.get(code=meta["extends"]) if meta.get("extends") else None
    ruleset = w.upsert(
        RuleSet,
        {"code": data.code},
        {
            "version": meta["version"],
            "title_vi": meta["title_vi"],
            "title_en": meta.get("title_en") or "",
            "legal_source": meta["legal_source"],
            "effective_from": parse_date(meta["effective_from"]),
            "effective_to": parse_date(meta.get("effective_to")),
            "extends": extends,
            "checksum": data.checksum,
        },
    )
    _load_areas(data, ruleset, w)
    _load_functions(data, w)
    _load_organisations(data, ruleset, w)
    _load_taxonomy(data, ruleset, w)
    _load_routing(data, ruleset, w)
    ruleset.refresh_from_db()
    return ruleset


def _day_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=1)


def _load_areas(data: RuleSetData, ruleset: RuleSet, w: _Writer) -> None:
    recs = data.records("areas", "areas")
    by_code: dict[str, AdministrativeUnit] = {a.code: a for a in AdministrativeUnit.objects.all()}
    # Parents are written before their children, whatever the order in the file.
    file_codes = {r["code"] for r in recs}
    written: set[str] = set()
    pending = list(recs)
    while pending:
        ready = [r for r in pending if r.get("parent") not in file_codes or r["parent"] in written]
        if not ready:
            raise RuleSetInvalid([DataError("areas.yaml", pending[0]["code"], "parent", "parents form a cycle")])
        for rec in ready:
            parent = by_code.get(rec.get("parent")) if rec.get("parent") else None
            unit = w.upsert(
                AdministrativeUnit,
                {"code": rec["code"]},
                {
                    "name": rec["name"],
                    "kind": rec["kind"],
                    "parent": parent,
                    "coastal": rec.get("coastal", False),
                    "valid_from": parse_date(rec["valid_from"]),
                    **_end(rec),
                    "ruleset": ruleset,
                    "depth": (parent.depth + 1) if parent else 0,
                },
            )
            by_code[unit.code] = unit
            written.add(unit.code)
        pending = [r for r in pending if r["code"] not in written]
    for rec in recs:
        _apply_replaces(AdministrativeUnit, by_code, rec, w)
    for rec in data.records("areas", "closes"):
        w.upsert(AdministrativeUnit, {"code": rec["code"]}, {"valid_to": parse_date(rec["valid_to"])})


def _end(rec: dict[str, Any]) -> dict[str, Any]:
    """A record's end date, only when its file gives one: an open-ended record in an older rule set
    must not reopen what a later rule set closed by `replaces`, so reloading either stays a no-op."""
    return {"valid_to": parse_date(rec["valid_to"])} if rec.get("valid_to") else {}


def _apply_replaces(model, by_code: dict[str, Any], rec: dict[str, Any], w: _Writer) -> None:
    """`replaces` on the new record: the old one gets a successor and, if open, ends the day before."""
    new = by_code[rec["code"]]
    for old_code in rec.get("replaces") or []:
        old = model.objects.get(code=old_code)
        values: dict[str, Any] = {"successor": new}
        if old.valid_to is None or old.valid_to >= new.valid_from:
            values["valid_to"] = _day_before(new.valid_from)
        w.upsert(model, {"code": old_code}, values)


def _load_functions(data: RuleSetData, w: _Writer) -> None:
    for rec in data.records("functions", "functions"):
        w.upsert(
            Function,
            {"code": rec["code"]},
            {
                "name_vi": rec["name_vi"],
                "name_en": rec.get("name_en") or "",
                "article": rec.get("article") or "",
                "description_en": rec.get("description_en") or "",
            },
        )


def _load_organisations(data: RuleSetData, ruleset: RuleSet, w: _Writer) -> None:
    recs = data.records("organisations", "organisations")
    areas = {a.code: a for a in AdministrativeUnit.objects.all()}
    functions = {f.code: f for f in Function.objects.all()}
    by_code: dict[str, Organisation] = {}
    for rec in recs:  # first pass without parents, so order in the file does not matter
        by_code[rec["code"]] = w.upsert(
            Organisation,
            {"code": rec["code"]},
            {
                "name_vi": rec["name_vi"],
                "name_en": rec.get("name_en") or "",
                "short_name": rec.get("short_name") or "",
                "type": rec["type"],
                "enterprise_kind": rec.get("enterprise_kind") or "",
                "area": areas[rec["area"]],
                "email": rec.get("email") or "",
                "valid_from": parse_date(rec["valid_from"]),
                **_end(rec),
                "ruleset": ruleset,
            },
        )
    existing = {o.code: o for o in Organisation.objects.all()}
    for rec in recs:
        parent = existing.get(rec.get("parent")) if rec.get("parent") else None
        w.upsert(Organisation, {"code": rec["code"]}, {"parent": parent})
        _apply_replaces(Organisation, existing, rec, w)
        org = by_code[rec["code"]]
        keep: set[int] = set()
        for h in rec.get("functions") or []:
            holding = w.upsert(
                OrganisationFunction,
                {
                    "organisation": org,
                    "function": functions[h["function"]],
                    "area": areas[h.get("area") or rec["area"]],
                    "valid_from": parse_date(h.get("valid_from") or rec["valid_from"]),
                },
                {"valid_to": parse_date(h.get("valid_to") or rec.get("valid_to")), "ruleset": ruleset},
            )
            keep.add(holding.pk)
        stale = OrganisationFunction.objects.filter(organisation=org).exclude(pk__in=keep)
        for holding in stale:
            w.result.updated += 1
            w.result.changes.append(f"- holding {org.code}/{holding.function_id}")
        stale.delete()
    for rec in data.records("organisations", "closes"):
        w.upsert(Organisation, {"code": rec["code"]}, {"valid_to": parse_date(rec["valid_to"])})


def _load_taxonomy(data: RuleSetData, ruleset: RuleSet, w: _Writer) -> None:
    sectors = {s.code: s for s in Sector.objects.all()}
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


def _load_routing(data: RuleSetData, ruleset: RuleSet, w: _Writer) -> None:
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
                "position": i,
            },
        )
    stale = RoutingRule.objects.filter(ruleset=ruleset).exclude(code__in=[r["code"] for r in rules])
    for rule in stale:
        w.result.updated += 1
        w.result.changes.append(f"- routing rule {rule.code}")
    stale.delete()


def _check_references(data: RuleSetData) -> None:
    """Every code a record points at must exist in this rule set, or already in the database."""
    errors: list[DataError] = []

    def known(model, file_codes: set[str]) -> set[str]:
        return file_codes | set(model.objects.values_list("code", flat=True))

    area_codes = known(AdministrativeUnit, {r["code"] for r in data.records("areas", "areas")})
    func_codes = known(Function, {r["code"] for r in data.records("functions", "functions")})
    org_codes = known(Organisation, {r["code"] for r in data.records("organisations", "organisations")})
    sector_codes = known(Sector, {r["code"] for r in data.records("taxonomy", "sectors")})
    behaviour_codes = known(Behaviour, {r["code"] for r in data.records("taxonomy", "behaviours")})

    def check(file: str, key: str, rec: dict, i: int, fld: str, value: Any, pool: set[str], what: str):
        if value and value not in pool:
            label = f"{rec.get('code', '')} ({key} #{i + 1})"
            errors.append(DataError(file, label, fld, f"unknown {what} '{value}'"))

    for i, rec in enumerate(data.records("areas", "areas")):
        check("areas.yaml", "areas", rec, i, "parent", rec.get("parent"), area_codes, "area")
        for old in rec.get("replaces") or []:
            check("areas.yaml", "areas", rec, i, "replaces", old, area_codes, "area")
    for i, rec in enumerate(data.records("areas", "closes")):
        check("areas.yaml", "closes", rec, i, "code", rec.get("code"), area_codes, "area")
    for i, rec in enumerate(data.records("organisations", "organisations")):
        f = "organisations.yaml"
        check(f, "organisations", rec, i, "area", rec.get("area"), area_codes, "area")
        check(f, "organisations", rec, i, "parent", rec.get("parent"), org_codes, "organisation")
        for old in rec.get("replaces") or []:
            check(f, "organisations", rec, i, "replaces", old, org_codes, "organisation")
        for j, h in enumerate(rec.get("functions") or []):
            check(f, "organisations", rec, i, f"functions.{j}.function", h.get("function"), func_codes, "function")
            check(f, "organisations", rec, i, f"functions.{j}.area", h.get("area"), area_codes, "area")
    for i, rec in enumerate(data.records("organisations", "closes")):
        check("organisations.yaml", "closes", rec, i, "code", rec.get("code"), org_codes, "organisation")
    for i, rec in enumerate(data.records("taxonomy", "behaviours")):
        check("taxonomy.yaml", "behaviours", rec, i, "sector", rec.get("sector"), sector_codes, "sector")
    for i, rec in enumerate(data.records("routing", "rules")):
        f = "routing.yaml"
        check(f, "rules", rec, i, "recipient.function", rec["recipient"].get("function"), func_codes, "function")
        when = rec.get("when") or {}
        for s in when.get("sectors") or []:
            check(f, "rules", rec, i, "when.sectors", s, sector_codes, "sector")
        for b in when.get("behaviours") or []:
            if b.endswith(".*"):
                if not any(code.startswith(b[:-1]) for code in behaviour_codes):
                    check(f, "rules", rec, i, "when.behaviours", b, set(), "behaviour prefix")
            else:
                check(f, "rules", rec, i, "when.behaviours", b, behaviour_codes, "behaviour")
    if errors:
        raise RuleSetInvalid(errors)
