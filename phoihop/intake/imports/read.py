"""Reading the three formats (CSV, XLSX, JSON) into records {column: value}; nothing is validated here."""

from __future__ import annotations

import codecs
import csv
import io
import json
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from . import formats as fmt
from .formats import INDICATOR_COLUMNS, KNOWN_COLUMNS, ImportRejected


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
        if len(out) >= fmt.MAX_ROWS:
            raise ImportRejected(
                _("Too many rows: at most %(n)s per file. Split the file.") % {"n": f"{fmt.MAX_ROWS:,}"}
            )
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
    if len(data) > fmt.MAX_ROWS:
        raise fmt.too_many_rows()
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
