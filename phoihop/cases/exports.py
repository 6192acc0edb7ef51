"""Exports of a case list (the list as filtered on screen) to CSV and XLSX.

CSV is streamed row by row, so a long list never sits in memory; XLSX is written by openpyxl in
write-only mode to a temporary file. Both carry the same columns. A case title is text typed by someone
and must never run as a formula on the machine of whoever opens the file: in CSV, text that a spreadsheet
would read as a formula (=, +, -, @ first) gets an apostrophe in front; in XLSX, text is typed as text.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import Outcome
from .models import Case
from .selectors import with_outcome

CHUNK = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    value: object  # a callable Case -> value


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _name(org) -> str:
    return org.display_name if org else ""


def columns() -> list[Column]:
    """The exported columns, headers in the active language."""
    return [
        Column(_("Case number"), lambda c: c.reference),
        Column(_("Title"), lambda c: c.title),
        Column(_("Status"), lambda c: c.get_status_display()),
        Column(_("Access"), lambda c: c.get_access_level_display()),
        Column(_("State-secret dossier"), lambda c: _("yes") if c.has_secret_dossier else ""),
        Column(_("Lead organisation"), lambda c: _name(c.lead_organisation)),
        Column(_("Sector"), lambda c: c.sector.name if c.sector else ""),
        Column(_("Violation"), lambda c: c.behaviour.citation if c.behaviour else ""),
        Column(_("Area"), lambda c: c.area.name if c.area else ""),
        Column(_("Opened"), lambda c: _local(c.created_at)),
        Column(_("Deadline"), lambda c: _local(c.due_at)),
        Column(_("Overdue"), lambda c: _("yes") if c.is_overdue else ""),
        Column(_("Open tasks"), lambda c: getattr(c, "open_tasks", None)),
        Column(_("Outcome"), lambda c: Outcome(c.outcome).label if c.outcome in Outcome.values else ""),
        Column(_("Closed"), lambda c: _local(c.closed_at)),
    ]


def safe_cell(value):
    """Text that a spreadsheet would take for a formula, defused; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export_queryset(qs: QuerySet[Case]) -> QuerySet[Case]:
    """The list's queryset with what the columns read, in one query per chunk."""
    if "outcome" not in qs.query.annotations:
        qs = with_outcome(qs)
    return qs.select_related("lead_organisation", "sector", "behaviour", "area")


def _rows(qs: QuerySet[Case], cols: list[Column]) -> Iterator[list]:
    for case in export_queryset(qs).iterator(chunk_size=CHUNK):
        yield [col.value(case) for col in cols]


def filename(extension: str) -> str:
    return f"cases-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a streaming response."""

    def write(self, value: str) -> str:
        return value


def _csv_value(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def csv_response(qs: QuerySet[Case]) -> StreamingHttpResponse:
    """The list as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the accents right).

    Text that starts like a formula gets an apostrophe in front (CSV has no types to say "this is text")."""
    cols = columns()
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([c.header for c in cols])
        for row in _rows(qs, cols):
            yield writer.writerow([safe_cell(_csv_value(v)) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename("csv")}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _xlsx_cell(sheet, value):
    """A string is always stored as a string: openpyxl would otherwise store "=..." as a formula."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_response(qs: QuerySet[Case]) -> FileResponse:
    """The list as an Excel workbook, written row by row (openpyxl write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cols = columns()
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(_("Cases"))[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for col in cols:
        cell = WriteOnlyCell(sheet, value=col.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in _rows(qs, cols):
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    book.save(handle)
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True, filename=filename("xlsx"), content_type=XLSX_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response
