"""Bulk import of reports from a CSV, XLSX or JSON file (Đ11.5: enterprises report to DIC and Police).

formats: the documented file format, its limits and columns; read: the three formats into records;
rows: records into ReportInput rows with their errors; batch: running an import once per key.
"""

from .batch import ImportOutcome, ImportProgress, reports_import, row_fingerprint
from .formats import (
    BANK_COLUMN,
    FORMAT_HELP,
    INDICATOR_COLUMNS,
    KNOWN_COLUMNS,
    MAX_BYTES,
    MAX_KEY_LENGTH,
    MAX_ROWS,
    NON_FIELD,
    REPORT_COLUMNS,
    SEPARATOR,
    ImportRejected,
    ParsedFile,
    ParsedRow,
    file_too_large,
)
from .read import detect_format
from .rows import parse_file, parse_when

__all__ = [
    "BANK_COLUMN",
    "FORMAT_HELP",
    "INDICATOR_COLUMNS",
    "KNOWN_COLUMNS",
    "MAX_BYTES",
    "MAX_KEY_LENGTH",
    "MAX_ROWS",
    "NON_FIELD",
    "REPORT_COLUMNS",
    "SEPARATOR",
    "ImportOutcome",
    "ImportProgress",
    "ImportRejected",
    "ParsedFile",
    "ParsedRow",
    "detect_format",
    "file_too_large",
    "parse_file",
    "parse_when",
    "reports_import",
    "row_fingerprint",
]
