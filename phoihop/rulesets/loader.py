"""Reading a rule-set folder: parse the YAML files, validate them against their schemas and each other.

Nothing here touches the database; `services.ruleset_load` writes what this module has checked.
Every error names the file, the record and the field, so a rule administrator can fix the data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.conf import settings

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

DATA_DIR = Path(__file__).resolve().parent / "data"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
FILES = ("ruleset", "areas", "functions", "organisations", "taxonomy", "routing")
# The top-level list in each file whose items are "records" (for error messages).
RECORD_KEYS = {
    "areas": ("areas", "closes"),
    "functions": ("functions",),
    "organisations": ("organisations", "closes"),
    "taxonomy": ("sectors", "behaviours"),
    "routing": ("rules",),
}


@dataclass(frozen=True)
class OptionalFile:
    """A file an app adds to rule-set folders (e.g. `exchange.yaml`, `boundaries.geojson`), checked by its schema.

    A folder may leave it out (an older rule set without that part still loads); when present it is parsed
    (YAML, or JSON for `.json`/`.geojson`), validated against `schema` and counted in the folder's checksum.
    """

    kind: str  # the key in RuleSetData.files and for RuleSetData.records()
    filename: str
    schema: Path
    record_keys: tuple[str, ...] = ()  # top-level lists whose items are records (dates and codes checked)


_optional_files: dict[str, OptionalFile] = {}


def register_file(kind: str, *, filename: str, schema: Path, record_keys: tuple[str, ...] = ()) -> None:
    """Called by the app that owns a section, in its AppConfig.ready() (registering again replaces)."""
    if kind in FILES:
        raise ValueError(f"{kind!r} is one of the rule set's own files")
    _optional_files[kind] = OptionalFile(kind, filename, schema, record_keys)


@dataclass(frozen=True)
class DataError:
    """One problem in one field of one record of one file."""

    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}"
        if self.record:
            where += f", record {self.record}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class RuleSetInvalid(Exception):
    """The folder's data is wrong; nothing was loaded."""

    def __init__(self, errors: list[DataError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class RuleSetData:
    """The parsed, validated content of one folder."""

    path: Path
    code: str
    checksum: str
    files: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def meta(self) -> dict[str, Any]:
        return self.files["ruleset"]

    def records(self, file: str, key: str) -> list[dict[str, Any]]:
        """The items of one top-level list of one file (empty when the file leaves it out)."""
        return self.files.get(file, {}).get(key) or []


def record_label(rec: dict[str, Any], key: str, index: int) -> str:
    """How an error names a record: its code and its place in its list, e.g. `st (areas #1)`."""
    return f"{rec.get('code', '')} ({key} #{index + 1})"


def ruleset_dirs() -> list[Path]:
    """Folders searched for rule sets: the ones shipped with the product, then PHOIHOP_RULESET_DIRS."""
    extra = getattr(settings, "PHOIHOP_RULESET_DIRS", [])
    return [DATA_DIR, *(Path(p) for p in extra)]


def find_ruleset(code_or_path: str) -> Path:
    """The folder named by a path, or the folder of that code in one of `ruleset_dirs()`."""
    path = Path(code_or_path)
    if path.is_dir():
        return path
    for base in ruleset_dirs():
        if (base / code_or_path).is_dir():
            return base / code_or_path
    raise RuleSetInvalid([DataError(code_or_path, "", "", "no such rule set folder")])


@cache
def _validator(kind: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # loaded when a rule set is checked, not in every web process

    extra = _optional_files.get(kind)
    path = extra.schema if extra else SCHEMA_DIR / f"{kind}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _record_label(doc: Any, path: list[Any]) -> tuple[str, str]:
    """From a jsonschema error path like ['areas', 3, 'coastal'], the record label and the field name."""
    if len(path) >= 2 and isinstance(path[1], int) and isinstance(doc, dict):
        items = doc.get(path[0]) or []
        item = items[path[1]] if path[1] < len(items) else None
        code = item.get("code") if isinstance(item, dict) else None
        label = f"{code} ({path[0]} #{path[1] + 1})" if code else f"{path[0]} #{path[1] + 1}"
        return label, ".".join(str(p) for p in path[2:])
    return "", ".".join(str(p) for p in path)


# libyaml's parser when the system has it (several times faster on the larger files), else the pure-Python one.
_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _YamlLoader(_SafeLoader):
    """The safe loader, keeping an unquoted date that does not exist (2025-02-30) as a string for `_check_records`."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """A date or timestamp; the text itself when no such day exists, so the error names the field."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _YamlLoader.construct_yaml_timestamp)


def read_ruleset(folder: Path) -> RuleSetData:
    """Parse and schema-check every file of `folder`; raise RuleSetInvalid listing every problem."""
    errors: list[DataError] = []
    files: dict[str, Any] = {}
    digest = hashlib.sha256()
    wanted = [(kind, f"{kind}.yaml", True) for kind in FILES]
    wanted += [(f.kind, f.filename, False) for f in sorted(_optional_files.values(), key=lambda f: f.filename)]
    for kind, name, required in wanted:
        path = folder / name
        if not path.exists():
            if required:
                errors.append(DataError(name, "", "", "file is missing"))
            continue
        raw = path.read_bytes()
        digest.update(name.encode() + b"\0" + raw)
        try:
            as_json = name.endswith((".json", ".geojson"))
            doc = json.loads(raw) if as_json else yaml.load(raw, Loader=_YamlLoader)  # noqa: S506 (SafeLoader)
        except json.JSONDecodeError as exc:
            errors.append(DataError(name, f"line {exc.lineno}", "", f"not valid JSON: {exc.msg}"))
            continue
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f"line {mark.line + 1}" if mark else ""
            errors.append(DataError(name, line, "", f"not valid YAML: {getattr(exc, 'problem', exc)}"))
            continue
        for err in sorted(_validator(kind).iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
            record, fld = _record_label(doc, list(err.absolute_path))
            errors.append(DataError(name, record, fld, err.message))
        files[kind] = doc
    if errors:
        raise RuleSetInvalid(errors)
    data = RuleSetData(path=folder, code=files["ruleset"]["code"], checksum=digest.hexdigest(), files=files)
    _check_records(data)
    return data


def parse_date(value: str | None) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) from a file, None when empty; ValueError when the day does not exist."""
    return dt.date.fromisoformat(value) if value else None


DATE_FIELDS = ("valid_from", "valid_to", "effective_from", "effective_to")


def _date_fields(rec: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every date field of a record, nested lists included, as (field path, value)."""
    for key, value in rec.items():
        if key in DATE_FIELDS and isinstance(value, str):
            yield prefix + key, value
        elif isinstance(value, dict):
            yield from _date_fields(value, f"{prefix}{key}.")
        elif isinstance(value, list):
            for j, item in enumerate(value):
                if isinstance(item, dict):
                    yield from _date_fields(item, f"{prefix}{key}.{j}.")


def _bad_dates(file: str, label: str, rec: dict[str, Any]) -> list[DataError]:
    """A date that has the right shape but does not exist (2025-02-30), in any date field of `rec`."""
    errors = []
    for fld, value in _date_fields(rec):
        try:
            parse_date(value)
        except ValueError:
            errors.append(DataError(file, label, fld, f"'{value}' is not a date"))
    return errors


def _check_records(data: RuleSetData) -> None:
    """Checks the schemas cannot express: real dates, end after start, and one record per code in a list."""
    errors: list[DataError] = _bad_dates("ruleset.yaml", "", data.meta)
    record_files = [(file, f"{file}.yaml", keys) for file, keys in RECORD_KEYS.items()]
    record_files += [(f.kind, f.filename, f.record_keys) for f in _optional_files.values() if f.kind in data.files]
    for file, name, keys in record_files:
        for key in keys:
            first_at: dict[str, int] = {}
            for i, rec in enumerate(data.records(file, key)):
                label = record_label(rec, key, i)
                bad = _bad_dates(name, label, rec)
                errors += bad
                if not bad:
                    start, end = parse_date(rec.get("valid_from")), parse_date(rec.get("valid_to"))
                    if start and end and end < start:
                        errors.append(DataError(name, label, "valid_to", "ends before it starts"))
                code = rec.get("code")
                if code in first_at:
                    message = f"duplicate code '{code}', already used by {key} #{first_at[code] + 1}"
                    errors.append(DataError(name, label, "code", message))
                elif code:
                    first_at[code] = i
    if errors:
        raise RuleSetInvalid(errors)
