"""The exchange app's part of a rule-set folder: `exchange.yaml`, the default periods of requests in working days.

The file is optional in a folder (a rule set without it loads; requests then need an explicit due date). Each
record names a kind of request and an urgency; a pair given twice, or a reminder not before the due date, is
refused naming the file, the record and the field, and nothing is loaded.
"""

from __future__ import annotations

from pathlib import Path

from phoihop.rulesets.loader import DataError, RuleSetData, record_label, register_file
from phoihop.rulesets.models import RuleSet
from phoihop.rulesets.sections import References, register_section
from phoihop.rulesets.writer import RecordWriter

from .models import RequestPeriod

KIND = "exchange"
FILENAME = "exchange.yaml"
ORDER = 120


def check_periods(data: RuleSetData, refs: References) -> None:
    """One record per (kind, urgency); a reminder strictly inside the period."""
    seen: dict[tuple[str, str], int] = {}
    for i, rec in enumerate(data.records(KIND, "periods")):
        label = record_label(rec, "periods", i)
        pair = (rec["kind"], rec["urgency"])
        if pair in seen:
            message = f"kind '{pair[0]}' at urgency '{pair[1]}' is already given by periods #{seen[pair] + 1}"
            refs.errors.append(DataError(FILENAME, label, "urgency", message))
        else:
            seen[pair] = i
        if rec.get("remind_before", 1) >= rec["working_days"]:
            refs.errors.append(DataError(FILENAME, label, "remind_before", "must be less than working_days"))


def load_periods(data: RuleSetData, ruleset: RuleSet, w: RecordWriter) -> None:
    """Write the rule set's periods; a period the file no longer lists is removed (requests keep their dates)."""
    if KIND not in data.files:
        return
    listed = set()
    for rec in data.records(KIND, "periods"):
        listed.add((rec["kind"], rec["urgency"]))
        w.upsert(
            RequestPeriod,
            {"ruleset": ruleset, "kind": rec["kind"], "urgency": rec["urgency"]},
            {
                "working_days": rec["working_days"],
                "remind_before": rec.get("remind_before", 1),
                "article": rec.get("article") or "",
            },
        )
    for period in RequestPeriod.objects.filter(ruleset=ruleset):
        if (period.kind, period.urgency) not in listed:
            period.delete()
            w.removed(f"requestperiod {period.kind}/{period.urgency}")


def register() -> None:
    register_file(
        KIND,
        filename=FILENAME,
        schema=Path(__file__).parent / "schemas" / "exchange.schema.json",
        record_keys=("periods",),
    )
    register_section("exchange", order=ORDER, load=load_periods, check_references=check_periods)
