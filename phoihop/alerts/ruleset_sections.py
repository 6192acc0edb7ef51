"""The alerts app's rule-set section (alerts.yaml): who issues each kind of advisory (by the functions they hold)
and how often the recipients that have not acknowledged are reminded.

A folder without alerts.yaml loads (an older rule set) and the rules already in the database stay; a file
that is there must be valid, each error naming the file, the record and the field.
"""

from __future__ import annotations

from pathlib import Path

from phoihop.rulesets.loader import RuleSetData, register_file
from phoihop.rulesets.models import RuleSet
from phoihop.rulesets.sections import References, register_section
from phoihop.rulesets.writer import RecordWriter

from .models import AdvisoryKindRule

FILE = "alerts.yaml"
KIND = "alerts"
KEY = "advisory_kinds"
ORDER = 140


def check_alerts(data: RuleSetData, refs: References) -> None:
    """Each issuer function a function of the rule set (a kind named twice is refused by the loader)."""
    if KIND not in data.files:
        return
    for i, rec in enumerate(data.records(KIND, KEY)):
        for j, function in enumerate(rec["issuer_functions"]):
            refs.check(FILE, KEY, i, rec, f"issuer_functions.{j}", function, "function")


def load_alerts(data: RuleSetData, ruleset: RuleSet, w: RecordWriter) -> None:
    if KIND not in data.files:
        return
    records = data.records(KIND, KEY)
    for rec in records:
        w.upsert(
            AdvisoryKindRule,
            {"kind": rec["code"]},
            {
                "article": rec.get("article") or "",
                "issuer_functions": list(rec["issuer_functions"]),
                "reminder_hours": rec["reminder_hours"],
                "max_reminders": rec["max_reminders"],
            },
        )
    for old in AdvisoryKindRule.objects.exclude(kind__in=[r["code"] for r in records]):
        old.delete()
        w.removed(f"advisorykindrule {old.kind}")


def register() -> None:
    register_file(
        KIND, filename=FILE, schema=Path(__file__).parent / "schemas" / "alerts.schema.json", record_keys=(KEY,)
    )
    register_section("alerts", order=ORDER, load=load_alerts, check_references=check_alerts)
