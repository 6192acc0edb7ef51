"""Loading a rule set into the database: idempotent, all-or-nothing, audited.

Loading the same files twice changes nothing; loading changed files updates records in place and
records the rule set's new version and what changed (Đ19: amendments to the rules are data changes).
The records themselves are loaded by the sections their apps register (`sections.register_section`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from phoihop.audit.services import SYSTEM, AuditContext, audit_record
from phoihop.core import refcache

from .loader import RuleSetData, RuleSetInvalid, find_ruleset, parse_date, read_ruleset
from .models import RuleSet, RuleSetLoad
from .sections import Section, check_references, registered_sections
from .writer import LoadResult, RecordWriter

__all__ = ["LoadResult", "ruleset_load"]


def ruleset_load(*, code_or_path: str, ctx: AuditContext = SYSTEM) -> LoadResult:
    """Load one rule-set folder (and the one it extends, first). Raises RuleSetInvalid, changing nothing."""
    data = read_ruleset(find_ruleset(code_or_path))
    parent_result = None
    if data.meta.get("extends") and not RuleSet.objects.filter(code=data.meta["extends"]).exists():
        parent_result = ruleset_load(code_or_path=data.meta["extends"], ctx=ctx)
    sections = registered_sections()
    errors = check_references(data, sections)
    if errors:
        raise RuleSetInvalid(errors)
    result = LoadResult(code=data.code, version=data.meta["version"])
    with transaction.atomic():
        ruleset = _load(data, result, sections)
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
        refcache.bump()  # every process rebuilds its routing table and taxonomy snapshots
        for hook in dict.fromkeys(s.after_load for s in sections if s.after_load is not None):
            hook()
    if parent_result:
        result.created += parent_result.created
        result.updated += parent_result.updated
    return result


def _load(data: RuleSetData, result: LoadResult, sections: list[Section]) -> RuleSet:
    """Write the rule set's own record, then every section's records, in section order."""
    w = RecordWriter(result)
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
    assert isinstance(ruleset, RuleSet)
    for section in sections:
        section.load(data, ruleset, w)
    ruleset.refresh_from_db()
    return ruleset
