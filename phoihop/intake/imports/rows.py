"""Records to ReportInput: one ParsedRow per record, each carrying its own errors."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from phoihop.indicators.normalise import IndicatorKind
from phoihop.routing.engine import find_area

from ..services import IndicatorInput, ReportInput
from . import formats as fmt
from .formats import (
    _DATE_FORMATS,
    BANK_COLUMN,
    INDICATOR_COLUMNS,
    NON_FIELD,
    REPORT_COLUMNS,
    SEPARATOR,
    ParsedFile,
    ParsedRow,
    file_too_large,
)
from .read import _as_list, _blank, _read_csv, _read_json, _read_xlsx, detect_format


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


def read_records(content: bytes) -> tuple[str, list[tuple[int, dict, list[str]]], list[str], str | None]:
    """(format, records, ignored columns, encoding): the file read strictly, nothing looked up yet; ImportRejected
    (naming the line) if it cannot be read. Cheap enough to run while the sender waits (the web page)."""
    if len(content) > fmt.MAX_BYTES:
        raise file_too_large()
    kind, text, encoding = detect_format(content)
    if text is None:
        records, ignored = _read_xlsx(content)
    else:
        records, ignored = (_read_json if kind == "json" else _read_csv)(text)
    return kind, records, ignored, encoding


def parse_file(content: bytes) -> ParsedFile:
    """Read a CSV, XLSX or JSON file into rows (each with its own errors); ImportRejected if unreadable."""
    kind, records, ignored, encoding = read_records(content)
    areas = _Areas()
    rows = [_row(n, rec, problems, areas) for n, rec, problems in records]
    return ParsedFile(kind, rows, ignored, encoding=encoding)
