"""Bulk import of reports from a CSV, XLSX or JSON file (Đ11.5: enterprises report to DIC and Police).

A carrier's fraud desk exports hundreds of numbers a day; this turns such a file into ReportInput rows
and hands them to services.report_submit_many, the same validation as every other door. Good rows are
kept, bad rows come back with their row number, and the whole file is idempotent on the client's key.

File format
-----------
**File**: CSV (UTF-8, with or without a BOM; comma, semicolon or tab separated), XLSX (the first sheet)
or JSON. The type is read from the content, not the file name: JSON starts with `[` or `{`, XLSX is a
ZIP archive, anything else must be UTF-8 CSV. At most 10 MB and 50,000 rows per file.

**Columns** (the first row of a CSV or XLSX file; the keys of each object in JSON), in any order,
names case-insensitive, unknown columns ignored and listed in `ignored_columns`:

| column | meaning |
|---|---|
| `description` | what happened (required, at least 10 characters) |
| `behaviour` | violation code of the taxonomy, e.g. `13.4` (`GET /api/v1/behaviours/`); empty = not sure |
| `sector` | sector code, when the behaviour is not known |
| `area` | where: an area code (`st-vinh-chau`) or its name (`Vĩnh Châu`, `Thị xã Vĩnh Châu`) |
| `address` | street address or place |
| `occurred_at` | when: ISO 8601 (`2026-03-01T14:30:00+07:00`, `2026-03-01`) or `dd/mm/yyyy [hh:mm]`; \
a time without offset is Vietnam time |
| `external_ref` | your own reference; a row whose reference you already sent is not created again |
| `on_behalf_of` | the customer or unit you report for |
| `phone`, `url`, `email`, `bank_account`, `sms_sender`, `imei` (and the other indicator kinds: \
`domain`, `social_account`, `sim_serial`, `licence_plate`, `ip_address`) | indicators; several values \
in one cell separated by `;` |
| `bank` | the bank of the `bank_account` values (code or name) |

In JSON a value may also be a list, and an object may carry `indicators`:
`[{"kind": "phone", "value": "0912345678"}, {"kind": "bank_account", "value": "0071000123456",
"bank": "VCB"}]`. JSON may be a list of objects or `{"reports": [...]}`.

**Rows** are numbered from 1 for the first data row (the header of a CSV/XLSX file is not a row); empty
rows are skipped but keep their numbers. A row without `external_ref` gets `<key>:<row>` as its
reference: a retry of the file with the same key never creates a second report, and a row with its own
`external_ref` is never created twice, whatever the key.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import unicodedata
import warnings
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import Conflict, DomainError
from phoihop.directory.models import Organisation
from phoihop.indicators.normalise import IndicatorKind
from phoihop.routing.engine import find_area

from .choices import Channel
from .models import ImportBatch
from .services import IndicatorInput, IntakeContext, ReportInput, ReportInvalid, report_prepare, report_submit_many

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_KEY_LENGTH = 64  # so that "<key>:<row>" fits the 100-character external_ref
SEPARATOR = ";"  # several values of one kind in one cell

REPORT_COLUMNS = (
    "behaviour",
    "sector",
    "area",
    "address",
    "occurred_at",
    "description",
    "external_ref",
    "on_behalf_of",
)
INDICATOR_COLUMNS = tuple(kind.value for kind in IndicatorKind)
BANK_COLUMN = "bank"
KNOWN_COLUMNS = frozenset((*REPORT_COLUMNS, *INDICATOR_COLUMNS, BANK_COLUMN))
NON_FIELD = "non_field_errors"

# The format section of the module docstring is also the API's description of the import endpoint.
FORMAT_HELP = (__doc__ or "").partition("File format\n-----------\n")[2]

_DATE_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y")


class ImportRejected(DomainError):
    """The file as a whole cannot be read: nothing was imported."""

    def __init__(self, message, *, field: str = "file"):
        super().__init__(message, code="import_rejected", field=field)


def file_too_large() -> ImportRejected:
    return ImportRejected(_("The file is too large: at most %(size)s.") % {"size": filesizeformat(MAX_BYTES)})


@dataclass
class ParsedRow:
    row: int
    data: ReportInput
    errors: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ParsedFile:
    format: str
    rows: list[ParsedRow]
    ignored_columns: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# Reading the three formats into records {column: value}
# --------------------------------------------------------------------------------------------------


def detect_format(content: bytes) -> str:
    """The format of `content` ("json", "xlsx" or "csv") from its first bytes; ImportRejected otherwise."""
    if not content.strip():
        raise ImportRejected(_("The file is empty."))
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    start = content[:4096].removeprefix(codecs.BOM_UTF8).lstrip()
    if start[:1] in (b"[", b"{"):
        return "json"
    if b"\0" in content[:8192] or not _is_utf8(content):
        raise ImportRejected(_("This is not a CSV (UTF-8), XLSX or JSON file."))
    return "csv"


def _is_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _column(name: Any) -> str:
    text = unicodedata.normalize("NFC", str(name or "")).replace("\ufeff", "").strip().lower()
    return "_".join(text.replace("-", " ").split())


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header(cells: list[Any]) -> tuple[list[str], list[str]]:
    """(normalised names, ignored names); refuses a header with no known column or a repeated one."""
    names = [_column(c) for c in cells]
    known = [n for n in names if n in KNOWN_COLUMNS]
    if not known:
        raise ImportRejected(
            _("The first row names no known column. Expected columns such as: %(cols)s.")
            % {"cols": ", ".join(("description", "behaviour", "area", "occurred_at", "phone", "url"))}
        )
    repeated = sorted({n for n in known if known.count(n) > 1 and n not in INDICATOR_COLUMNS})
    if repeated:
        raise ImportRejected(_("These columns appear more than once: %(cols)s.") % {"cols": ", ".join(repeated)})
    ignored = [str(c).strip() for c, n in zip(cells, names, strict=True) if n and n not in KNOWN_COLUMNS]
    return names, ignored


def _records_from_table(rows: Iterator[list[Any]]) -> tuple[list[tuple[int, dict, list[str]]], list[str]]:
    """Records of a header + data table; row numbers count data rows, blank ones included."""
    header = next(rows, None)
    if header is None:
        return [], []
    names, ignored = _header(list(header))
    out = []
    for number, cells in enumerate(rows, start=1):
        cells = list(cells)
        if all(_blank(c) for c in cells):
            continue
        if len(out) >= MAX_ROWS:
            raise ImportRejected(_("Too many rows: at most %(n)s per file. Split the file.") % {"n": f"{MAX_ROWS:,}"})
        problems = []
        extra = [c for c in cells[len(names) :] if not _blank(c)]
        if extra:
            problems.append(
                _(
                    "This row has %(cells)d cells but the header has %(cols)d columns: put cells that contain "
                    "the separator in double quotes."
                )
                % {"cells": len(cells), "cols": len(names)}
            )
        record: dict[str, Any] = {}
        for name, value in zip(names, cells, strict=False):
            if name not in KNOWN_COLUMNS or _blank(value):
                continue
            if name in record:  # a repeated indicator column: its values add up
                record[name] = [*_as_list(record[name]), value]
            else:
                record[name] = value
        out.append((number, record, problems))
    return out, ignored


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, list) else [value]


def _read_csv(content: bytes) -> tuple[list[tuple[int, dict, list[str]]], list[str]]:
    text = content.decode("utf-8-sig")
    first_line = text.split("\n", 1)[0]
    # The separator that splits the header most; ";" inside cells is the multi-value separator, so a
    # semicolon-separated file must quote such cells (Excel does).
    delimiter = max((",", ";", "\t"), key=lambda d: (first_line.count(d), d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _records_from_table(iter(reader))
    except csv.Error as exc:
        raise ImportRejected(
            _("The CSV file cannot be read at line %(line)d: %(error)s") % {"line": reader.line_num, "error": exc}
        ) from exc


def _read_xlsx(content: bytes) -> tuple[list[tuple[int, dict, list[str]]], list[str]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportRejected(_("This ZIP file is not a readable Excel workbook (.xlsx).")) from exc
    try:
        if not book.worksheets:
            raise ImportRejected(_("The workbook has no sheet."))
        return _records_from_table(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def _read_json(content: bytes) -> tuple[list[tuple[int, dict, list[str]]], list[str]]:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportRejected(_("This is not valid JSON: %(error)s") % {"error": exc}) from exc
    if isinstance(data, dict):
        if isinstance(data.get("reports"), list):
            data = data["reports"]
        elif any(_column(k) in KNOWN_COLUMNS for k in data):
            data = [data]
        else:
            raise ImportRejected(_('Send a list of reports, or an object {"reports": [...]}.'))
    if not isinstance(data, list):
        raise ImportRejected(_('Send a list of reports, or an object {"reports": [...]}.'))
    if len(data) > MAX_ROWS:
        raise ImportRejected(_("Too many rows: at most %(n)s per file. Split the file.") % {"n": f"{MAX_ROWS:,}"})
    out, ignored = [], set()
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            out.append((number, {}, [_("Each entry must be an object with the report's fields.")]))
            continue
        record = {}
        for key, value in item.items():
            name = _column(key)
            if name in KNOWN_COLUMNS or name == "indicators":
                if not _blank(value):
                    record[name] = value
            else:
                ignored.add(str(key))
        out.append((number, record, []))
    return out, sorted(ignored)


# --------------------------------------------------------------------------------------------------
# Records to ReportInput
# --------------------------------------------------------------------------------------------------


class _Areas:
    """Area names resolved once per file ("Vĩnh Châu" -> st-vinh-chau); unknown ones kept as written."""

    def __init__(self):
        self._cache: dict[str, str] = {}

    def code(self, value: str) -> str:
        value = unicodedata.normalize("NFC", value.strip())
        if value not in self._cache:
            unit = find_area(value)
            # An unresolved name goes on as written: the service then says "Unknown place" for the row.
            self._cache[value] = unit.code if unit else value
        return self._cache[value]


def _text(value: Any) -> str | None:
    """A cell as text; None for a value that is not text (a JSON object, say)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps "84912345678" or an IMEI as a number
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return None


def parse_when(value: Any) -> dt.datetime | None:
    """A date/time cell as an aware datetime (Vietnam time when no offset is given); ValueError if unreadable."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    elif isinstance(value, str):
        text = value.strip()
        moment = None
        try:
            moment = parse_datetime(text)
        except ValueError:
            moment = None
        if moment is None:
            for fmt in _DATE_FORMATS:
                try:
                    moment = dt.datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
        if moment is None:
            raise ValueError(text)
    else:
        raise ValueError(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _indicator_values(value: Any) -> list[str] | None:
    values = []
    for item in _as_list(value):
        text = _text(item)
        if text is None:
            return None
        values += [v.strip() for v in text.split(SEPARATOR) if v.strip()]
    return values


def _row(number: int, record: dict[str, Any], problems: list[str], areas: _Areas) -> ParsedRow:
    errors: dict[str, list[str]] = defaultdict(list)
    if problems:
        errors[NON_FIELD] += problems
    values: dict[str, str] = {}
    for name in (*REPORT_COLUMNS, BANK_COLUMN):
        if name == "occurred_at":
            continue
        text = _text(record.get(name))
        if text is None:
            errors[name].append(_("Expected text."))
            text = ""
        values[name] = text
    occurred_at = None
    if not _blank(record.get("occurred_at")):
        try:
            occurred_at = parse_when(record["occurred_at"])
        except (ValueError, OverflowError):
            errors["occurred_at"].append(
                _("Cannot read this date: use ISO 8601 (2026-03-01T14:30) or dd/mm/yyyy hh:mm.")
            )
    indicators: list[IndicatorInput] = []
    given = record.get("indicators")
    if given is not None:
        if isinstance(given, list) and all(isinstance(i, dict) and "kind" in i and "value" in i for i in given):
            for item in given:
                kind, value, bank = _text(item["kind"]), _text(item["value"]), _text(item.get("bank"))
                if kind is None or value is None or bank is None:
                    errors["indicators"].append(_("Each indicator has a text kind, value and bank."))
                    break
                indicators.append(IndicatorInput(kind=kind, value=value, bank=bank or None))
        else:
            errors["indicators"].append(_('Give indicators as a list of {"kind": ..., "value": ...}.'))
    for kind in INDICATOR_COLUMNS:
        if kind not in record:
            continue
        found = _indicator_values(record[kind])
        if found is None:
            errors[kind].append(_("Expected text, or several values separated by '%(sep)s'.") % {"sep": SEPARATOR})
            continue
        bank = (values[BANK_COLUMN] or None) if kind == IndicatorKind.BANK_ACCOUNT else None
        indicators += [IndicatorInput(kind=kind, value=v, bank=bank) for v in found]
    data = ReportInput(
        description=values["description"],
        behaviour=values["behaviour"] or None,
        sector=values["sector"] or None,
        area=areas.code(values["area"]) if values["area"] else None,
        address=values["address"],
        occurred_at=occurred_at,
        indicators=indicators,
        on_behalf_of=values["on_behalf_of"],
        external_ref=values["external_ref"],
    )
    return ParsedRow(number, data, dict(errors))


def parse_file(content: bytes) -> ParsedFile:
    """Read a CSV, XLSX or JSON file into rows (each with its own errors); ImportRejected if unreadable."""
    if len(content) > MAX_BYTES:
        raise file_too_large()
    kind = detect_format(content)
    reader = {"csv": _read_csv, "xlsx": _read_xlsx, "json": _read_json}[kind]
    records, ignored = reader(content)
    areas = _Areas()
    return ParsedFile(kind, [_row(n, rec, problems, areas) for n, rec, problems in records], ignored)


# --------------------------------------------------------------------------------------------------
# Running an import
# --------------------------------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    body: dict[str, Any]
    replayed: bool


def _check_key(key: str | None) -> str:
    key = (key or "").strip()
    if not key:
        raise ImportRejected(
            _(
                "Send an Idempotency-Key header (or a 'key' form field): a retry with the same key imports nothing "
                "twice."
            ),
            field="Idempotency-Key",
        )
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ImportRejected(
            _("The Idempotency-Key must be printable and at most %(n)d characters.") % {"n": MAX_KEY_LENGTH},
            field="Idempotency-Key",
        )
    return key


def _replay(batch: ImportBatch, sha256: str) -> ImportOutcome:
    if batch.file_sha256 != sha256:
        raise Conflict(
            _("The key '%(key)s' was already used on %(when)s for a different file. Send a new file with a new key.")
            % {"key": batch.key, "when": timezone.localtime(batch.created_at).strftime("%d/%m/%Y %H:%M")},
            code="idempotency_conflict",
        )
    return ImportOutcome(batch.result, replayed=True)


def _validation_errors(rows: list[ParsedRow]) -> None:
    """Add the service's own complaints to rows that already failed to parse, so a row lists all its faults."""
    if not rows:
        return
    ictx = IntakeContext()
    for row in rows:
        try:
            report_prepare(data=row.data, ictx=ictx)
        except ReportInvalid as exc:
            for name, messages in exc.errors.items():
                if name not in row.errors:  # the parse error says more (e.g. the unreadable date)
                    row.errors[name] = [str(m) for m in messages]


def reports_import(*, organisation: Organisation, key: str | None, content: bytes, ctx: AuditContext) -> ImportOutcome:
    """Import a file of reports for `organisation`, once per key: a retry returns the stored result.

    The same key with a different file is a Conflict (409). Rows go through report_submit_many on the
    BULK channel; each row's external_ref (its own, else "<key>:<row>") makes row-level replays safe
    even when the batch record was never written (a crash half-way).
    """
    key = _check_key(key)
    if len(content) > MAX_BYTES:
        raise file_too_large()
    digest = hashlib.sha256(content).hexdigest()
    batch = ImportBatch.objects.filter(organisation=organisation, key=key).first()
    if batch is not None:
        return _replay(batch, digest)

    parsed = parse_file(content)
    for row in parsed.rows:
        if not row.data.external_ref.strip():
            row.data.external_ref = f"{key}:{row.row}"
    good = [r for r in parsed.rows if not r.errors]
    bad = [r for r in parsed.rows if r.errors]
    _validation_errors(bad)
    submitted = report_submit_many(rows=[r.data for r in good], channel=Channel.BULK, ctx=ctx)

    errors = {r.row: r.errors for r in bad}
    results = []
    for row, outcome in zip(good, submitted, strict=True):
        if outcome.errors:
            errors[row.row] = {k: [str(m) for m in v] for k, v in outcome.errors.items()}
        else:
            results.append({"row": row.row, "reference": outcome.reference, "created": outcome.created})
    created = sum(1 for r in results if r["created"])
    body = {
        "batch": key,
        "format": parsed.format,
        "rows": len(parsed.rows),
        "created": created,
        "existing": len(results) - created,
        "errors": [{"row": n, "errors": errors[n]} for n in sorted(errors)],
        "results": results,
        "ignored_columns": parsed.ignored_columns,
    }
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                organisation=organisation,
                key=key,
                file_sha256=digest,
                created_by=ctx.actor,
                rows=len(parsed.rows),
                created_count=created,
                error_count=len(errors),
                result=body,
            )
            audit_record(
                ctx=ctx,
                action="report.import",
                obj=batch,
                summary=f"{organisation.code}: {key}",
                data={
                    "format": parsed.format,
                    "rows": len(parsed.rows),
                    "created": created,
                    "existing": body["existing"],
                    "errors": len(errors),
                    "sha256": digest,
                },
            )
    except IntegrityError:
        # A concurrent run with the same key stored its batch first; its rows and ours share references.
        batch = ImportBatch.objects.get(organisation=organisation, key=key)
        return _replay(batch, digest)
    return ImportOutcome(body, replayed=False)
