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
        if obj is None:
            obj = model._default_manager.create(**lookup, **values)
            self.created(model, lookup)
            return obj
        diff = self.changed(model, lookup, values, obj)
        if diff:
            obj.save(update_fields=diff)
        return obj

    def created(self, model: type[models.Model], lookup: dict[str, Any]) -> None:
        """Count a record created (by upsert, or by the caller at once: RecordBatch)."""
        self.result.created += 1
        self.result.changes.append(f"+ {_label(model, lookup)}")

    def changed(
        self, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any], obj: models.Model
    ) -> list[str]:
        """Set on `obj` the fields of `values` that differ, count the update if any, and name those fields (the
        caller saves them)."""
        diff = [k for k, v in values.items() if _field_value(obj, k) != _comparable(v)]
        if diff:
            for k in diff:
                setattr(obj, k, values[k])
            self.result.updated += 1
            self.result.changes.append(f"~ {_label(model, lookup)}: {', '.join(diff)}")
        return diff

    def removed(self, label: str) -> None:
        """Count a record the section deleted because its file no longer lists it (counted as an update)."""
        self.result.updated += 1
        self.result.changes.append(f"- {label}")


class RecordBatch:
    """Upserts of many records of one model, counted and reported as RecordWriter.upsert reports them (in the
    same order), but written together by `write()`: one bulk insert, one bulk update per set of changed
    fields, one delete. The caller reads the current records in one query and passes each one, so a reload
    that changes nothing costs that query alone instead of one per record."""

    def __init__(self, w: RecordWriter, model: type[models.Model]):
        self.w, self.model = w, model
        self._new: list[models.Model] = []
        self._changed: dict[Any, tuple[models.Model, set[str]]] = {}  # by pk: the record and its changed fields
        self._gone: list[Any] = []

    def upsert(self, lookup: dict[str, Any], values: dict[str, Any], *, current: models.Model | None) -> models.Model:
        """The record found by `lookup` (`current`, None when there is none yet) with `values`, to be written."""
        if current is None:
            obj = self.model(**lookup, **values)
            self._new.append(obj)
            self.w.created(self.model, lookup)
            return obj
        diff = self.w.changed(self.model, lookup, values, current)
        if diff and current.pk is not None:  # a record new in this batch is inserted with its last values
            self._changed.setdefault(current.pk, (current, set()))[1].update(diff)
        return current

    def delete(self, obj: models.Model, label: str) -> None:
        """Delete a record the file no longer lists (counted as RecordWriter.removed counts it)."""
        self._gone.append(obj.pk)
        self.w.removed(label)

    def write(self) -> None:
        """Write what the batch holds: deletions first, then updates, then new records."""
        manager = self.model._default_manager
        if self._gone:
            manager.filter(pk__in=self._gone).delete()
        by_fields: dict[tuple[str, ...], list[models.Model]] = {}
        for obj, changed in self._changed.values():
            by_fields.setdefault(tuple(sorted(changed)), []).append(obj)
        for fields, objs in by_fields.items():
            manager.bulk_update(objs, list(fields))
        if self._new:
            manager.bulk_create(self._new)
        self._new, self._changed, self._gone = [], {}, []


def _label(model: type[models.Model], lookup: dict[str, Any]) -> str:
    """How the change report names a record: its model and the values it is found by."""
    return f"{model._meta.model_name} {'/'.join(str(v) for v in lookup.values())}"


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
