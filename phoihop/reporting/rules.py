"""The reporting section of a rule-set folder (`reporting.yaml`, optional): Đ18's periods, due dates, obliged
parties and report sections, checked by the loader (naming file, record and field) and kept per rule set."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

from phoihop.rulesets.loader import DataError, RuleSetData, record_label, register_file
from phoihop.rulesets.models import RuleSet
from phoihop.rulesets.sections import References, register_section
from phoihop.rulesets.writer import RecordWriter

KIND = "reporting"
FILE = "reporting.yaml"
SECTION_ORDER = 170


def month_day(value: str) -> tuple[int, int]:
    """(month, day) of "MM-DD"; ValueError when no such day exists (29 February exists)."""
    month, day = (int(p) for p in value.split("-"))
    dt.date(2024, month, day)  # a leap year: 02-29 is a day
    return month, day


def check_reporting(data: RuleSetData, refs: References) -> None:
    """Real month-days, a period that ends after it starts, periods that do not overlap, known functions."""
    if KIND not in data.files:
        return
    spans: list[tuple[tuple[int, int], tuple[int, int], str]] = []
    for i, rec in enumerate(data.records(KIND, "periods")):
        label = record_label(rec, "periods", i)
        days: dict[str, tuple[int, int]] = {}
        for fld in ("starts", "ends", "due"):
            try:
                days[fld] = month_day(rec[fld])
            except ValueError:
                refs.errors.append(DataError(FILE, label, fld, f"'{rec[fld]}' is not a day of the year (MM-DD)"))
        if "starts" in days and "ends" in days:
            if days["ends"] < days["starts"]:
                refs.errors.append(DataError(FILE, label, "ends", "ends before it starts"))
            else:
                spans.append((days["starts"], days["ends"], label))
    spans.sort()
    for (_s1, e1, first), (s2, _e2, second) in itertools.pairwise(spans):
        if s2 <= e1:
            refs.errors.append(DataError(FILE, second, "starts", f"overlaps {first}"))
    for i, rec in enumerate(data.records(KIND, "obliged")):
        if rec.get("function"):
            refs.check(FILE, "obliged", i, rec, "function", rec["function"], "function")
    if not any(s.get("required") for s in data.records(KIND, "sections")):
        refs.errors.append(DataError(FILE, "", "sections", "at least one section must be required"))


def load_reporting(data: RuleSetData, ruleset: RuleSet, w: RecordWriter) -> None:
    """Keep the folder's schedule with its rule set (or drop it when the folder no longer has the file)."""
    from .models import ReportingSchedule

    doc: dict[str, Any] | None = data.files.get(KIND)
    if doc is None:
        stale = ReportingSchedule.objects.filter(ruleset=ruleset)
        if stale.exists():
            w.removed(f"reporting schedule {ruleset.code}")
            stale.delete()
        return
    w.upsert(
        ReportingSchedule,
        {"ruleset": ruleset},
        {
            "article": doc["article"],
            "periods": doc["periods"],
            "obliged": doc["obliged"],
            "sections": doc["sections"],
            "reminder_days": sorted(doc.get("reminder_days") or [], reverse=True),
            "escalate_after_days": doc.get("escalate_after_days", 0),
        },
    )


def register() -> None:
    """The optional file and its section (loaded last: its records name functions)."""
    register_file(
        KIND,
        filename=FILE,
        schema=Path(__file__).parent / "schemas" / "reporting.schema.json",
        record_keys=("periods", "obliged", "sections"),
    )
    register_section(KIND, order=SECTION_ORDER, load=load_reporting, check_references=check_reporting)
