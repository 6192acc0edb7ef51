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


def detect_format(content: bytes) -> tuple[str, str | None, str | None]:
    """(format, text, encoding) of `content`: "xlsx" (no text), or "json"/"csv" with the decoded text and the
    name of its encoding; ImportRejected when empty or unreadable."""
    if not content.strip():
        raise ImportRejected(_("The file is empty."))
    if content.startswith(b"PK\x03\x04"):
        return "xlsx", None, None
    text, encoding = decode_text(content)
    return ("json" if text[:4096].lstrip()[:1] in ("[", "{") else "csv"), text, encoding


# The encodings a spreadsheet or a Vietnamese office system writes. Anything else charset-normalizer
# recognises is still named in the refusal, so the sender knows what to re-save the file as.
_ACCEPTED = {"utf_8", "utf_16", "utf_16_le", "utf_16_be", "cp1258", "cp1252", "latin_1", "ascii"}


def decode_text(content: bytes) -> tuple[str, str]:
    """The text of a CSV or JSON file and the name of its encoding, NFC-normalised.

    UTF-8 (with or without a BOM) and UTF-16 (with a BOM) are read as they are; otherwise charset-normalizer
    names the encoding (Windows-1258, whose tone marks are combining characters, becomes NFC like the rest).
    A file it cannot read is refused naming the encoding it looks like and the line of the first byte that is
    not UTF-8."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return unicodedata.normalize("NFC", content.decode("utf-16")), "utf-16"
        except UnicodeDecodeError as exc:
            raise _unreadable(content, "UTF-16", exc.start) from exc
    try:
        return unicodedata.normalize("NFC", content.decode("utf-8-sig")), "utf-8"
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    if b"\0" in content[:8192]:  # binary (an image, a .doc...): no text encoding has NUL bytes but UTF-16
        raise ImportRejected(_("This is not a CSV, XLSX or JSON file."))
    from charset_normalizer import from_bytes

    best = from_bytes(content).best()
    if best is None or best.encoding not in _ACCEPTED:
        raise _unreadable(content, best.encoding if best else None, bad_at)
    try:
        text = content.decode(best.encoding)
    except UnicodeDecodeError as exc:
        raise _unreadable(content, best.encoding, exc.start) from exc
    return unicodedata.normalize("NFC", text), best.encoding.replace("_", "-")


def _unreadable(content: bytes, encoding: str | None, offset: int) -> ImportRejected:
    line = content[:offset].count(b"\n") + 1
    if encoding:
        return ImportRejected(
            _(
                "The file is not UTF-8: it looks like %(encoding)s, which cannot be read (line %(line)d). Save it "
                "as CSV UTF-8 and send it again."
            )
            % {"encoding": encoding.replace("_", "-"), "line": line}
        )
    return ImportRejected(
        _(
            "The file is not UTF-8 and its encoding cannot be recognised (the first byte that is not UTF-8 is on "
            "line %(line)d). Save it as CSV UTF-8 and send it again."
        )
        % {"line": line}
    )


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


def _records_from_table(
    rows: Iterator[list[Any]], *, exact_width: bool = False
) -> tuple[list[tuple[int, dict, list[str]]], list[str]]:
    """Records of a header + data table; row numbers count data rows, blank ones included.

    With `exact_width` (CSV), a row with fewer cells than the header is refused too: a missing separator or an
    unclosed quote (which swallows the next rows into one cell) shows up as a row of the wrong width."""
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
        if extra or (exact_width and len(cells) < len(names)):
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


def _read_csv(text: str) -> tuple[list[tuple[int, dict, list[str]]], list[str]]:
    first_line = text.split("\n", 1)[0]
    # The separator that splits the header most; ";" inside cells is the multi-value separator, so a
    # semicolon-separated file must quote such cells (Excel does).
    delimiter = max((",", ";", "\t"), key=lambda d: (first_line.count(d), d == ","))
    # strict: a quote that is never closed is an error (not the rest of the file taken as one cell).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return _records_from_table(iter(reader), exact_width=True)
    except csv.Error as exc:
        raise ImportRejected(
            _(
                "The CSV file cannot be read at line %(line)d: %(error)s. Check the double quotes around that line: "
                "each cell that opens one must close it."
            )
            % {"line": reader.line_num, "error": exc}
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


def _read_json(text: str) -> tuple[list[tuple[int, dict, list[str]]], list[str]]:
    try:
        data = json.loads(text)
    except ValueError as exc:
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
