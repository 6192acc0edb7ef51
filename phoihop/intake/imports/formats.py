"""Bulk import of reports from a CSV, XLSX or JSON file (Đ11.5: enterprises report to DIC and Police).

A carrier's fraud desk exports hundreds of numbers a day; this turns such a file into ReportInput rows
and hands them to services.report_submit_many, the same validation as every other door. Good rows are
kept, bad rows come back with their row number, and the whole file is idempotent on the client's key.

File format
-----------
**File**: CSV (comma, semicolon or tab separated), XLSX (the first sheet) or JSON. The type is read from
the content, not the file name: JSON starts with `[` or `{`, XLSX is a ZIP archive, anything else is CSV.
Text is best sent as UTF-8 (with or without a BOM); UTF-16 with a BOM and legacy encodings such as
Windows-1258 are recognised and read (the result names the encoding); a file whose encoding cannot be
read is refused naming the line of its first unreadable byte. A CSV row must have as many cells as the
header (an unclosed double quote or a missing separator is refused naming the row or line). At most
10 MB and 50,000 rows per file.

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
rows are skipped but keep their numbers. A row without `external_ref` gets a fingerprint of its content
as its reference (`fp:` and 32 hex digits of the SHA-256 of its fields, whitespace and Unicode form
normalised): the same row sent again — in a corrected file, under another key, with a BOM, another
separator or another encoding — is reported as existing, never created twice; a row with its own
`external_ref` is never created twice either, whatever the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from phoihop.core.errors import DomainError
from phoihop.indicators.normalise import IndicatorKind

from ..services import ReportInput

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
    encoding: str | None = None  # of a CSV or JSON file ("utf-8", "utf-16", "cp1258"...); None for XLSX


def too_many_rows() -> ImportRejected:
    return ImportRejected(_("Too many rows: at most %(n)s per file. Split the file.") % {"n": f"{MAX_ROWS:,}"})
