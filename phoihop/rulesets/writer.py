"""Writing rule-set records: upserts that only touch what changed, so reloading the same files is a no-op."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from .loader import parse_date


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
        """Whether the load wrote anything (Đ19: an amendment is recorded as a new load of the rule set)."""
        return bool(self.created or self.updated)


class RecordWriter:
    """Upserts that only write when a value differs, counting what they did."""

    def __init__(self, result: LoadResult):
        self.result = result

    def upsert(
        self,
        model: type[models.Model],
        lookup: dict[str, Any],
        values: dict[str, Any],
        *,
        current: models.Model | None = None,
    ) -> models.Model:
        """Create the record found by `lookup`, or update the fields of `values` that differ; return it.

        `current` is the record as the caller already holds it (read in this load), which saves the look-up.
        """
        obj = current if current is not None else model._default_manager.filter(**lookup).first()
        label = f"{model._meta.model_name} {'/'.join(str(v) for v in lookup.values())}"
        if obj is None:
            obj = model._default_manager.create(**lookup, **values)
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

    def removed(self, label: str) -> None:
        """Count a record the section deleted because its file no longer lists it (counted as an update)."""
        self.result.updated += 1
        self.result.changes.append(f"- {label}")


def _comparable(value: Any) -> Any:
    """A value as the database holds it: a related record by its primary key."""
    return value.pk if isinstance(value, models.Model) else value


def _field_value(obj: models.Model, name: str) -> Any:
    """The stored value of one field, a foreign key as its id (no query)."""
    fld = obj._meta.get_field(name)
    if isinstance(fld, models.Field) and fld.is_relation:
        return getattr(obj, fld.attname)
    return getattr(obj, name)


def day_before(day: dt.date) -> dt.date:
    """The last day of a record that a successor replaces from `day`."""
    return day - dt.timedelta(days=1)


def record_end(rec: dict[str, Any]) -> dict[str, Any]:
    """A record's end date, only when its file gives one: an open-ended record in an older rule set
    must not reopen what a later rule set closed by `replaces`, so reloading either stays a no-op."""
    return {"valid_to": parse_date(rec["valid_to"])} if rec.get("valid_to") else {}


def apply_replaces(model: type[models.Model], by_code: dict[str, Any], rec: dict[str, Any], w: RecordWriter) -> None:
    """`replaces` on the new record: the old one gets a successor and, if open, ends the day before."""
    new = by_code[rec["code"]]
    for old_code in rec.get("replaces") or []:
        old: Any = by_code.get(old_code) or model._default_manager.get(code=old_code)
        values: dict[str, Any] = {"successor": new}
        if old.valid_to is None or old.valid_to >= new.valid_from:
            values["valid_to"] = day_before(new.valid_from)
        w.upsert(model, {"code": old_code}, values, current=old)


def apply_merges(model: type[models.Model], by_code: dict[str, Any], rec: dict[str, Any], w: RecordWriter) -> None:
    """`merged_from` on the new record: each unit merged into it gets it as successor and, when no file gave
    the old unit an end, ends the day before. An end its file gives is kept (Phường 9 ended on 2024-08-31
    when it joined Phường 1, a unit that had existed all along)."""
    new = by_code[rec["code"]]
    for old_code in rec.get("merged_from") or []:
        old: Any = by_code.get(old_code) or model._default_manager.get(code=old_code)
        values: dict[str, Any] = {"successor": new}
        if old.valid_to is None:
            values["valid_to"] = day_before(new.valid_from)
        w.upsert(model, {"code": old_code}, values, current=old)
