"""The PDF of a document (fpdf2), after Decree 30/2020, Appendix I: A4, margins top 20, bottom 20, left 30,
right 15 mm; a serif font shipped with the project (DejaVu Serif: every Vietnamese letter); 13 pt text.

    render_pdf(sheet) -> Rendered(pdf bytes, page and box of the signature, in PDF points)
"""

from __future__ import annotations

import copy
import io
import logging
import threading
from dataclasses import dataclass

from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import SubsetMap, TTFFont

from ..conf import FONT_BOLD, FONT_BOLD_ITALIC, FONT_ITALIC, FONT_REGULAR
from .sheet import MOTTO_1, MOTTO_2, Sheet

PAGE_W, PAGE_H = 210.0, 297.0
TOP, BOTTOM, LEFT, RIGHT = 20.0, 20.0, 30.0, 15.0
WIDTH = PAGE_W - LEFT - RIGHT
LEFT_COL = 64.0  # the issuer's block and the number
RIGHT_COL = WIDTH - LEFT_COL
SIGN_COL = 80.0  # the signature block, at the right
STAMP_W, STAMP_H = 72.0, 20.0  # the visible signature
PT = 72 / 25.4
logging.getLogger("fontTools").setLevel(logging.WARNING)  # fpdf2 subsets the font; its steps are not news


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    page: int  # 0-based page of the signature
    box: tuple[int, int, int, int]  # x1, y1, x2, y2 in points from the bottom left


class _Page(FPDF):
    def header(self) -> None:
        # Decree 30, Appendix I, 4: pages numbered from the second, centred in the top margin.
        if self.page_no() > 1:
            self.set_font("serif", "", 13)
            self.set_xy(LEFT, 10)
            self.cell(WIDTH, 5, str(self.page_no()), align="C")
            self.set_xy(LEFT, TOP)


FONTS = {"": FONT_REGULAR, "B": FONT_BOLD, "I": FONT_ITALIC, "BI": FONT_BOLD_ITALIC}
_parsed: dict[str, tuple[TTFFont, bytes]] = {}
_parsed_lock = threading.Lock()


def _fonts() -> dict[str, tuple[TTFFont, bytes]]:
    """The fonts parsed once per process (fpdf2's parsing is most of a page's cost); each document gets a copy
    with a fresh glyph subset and its own fontTools object, since writing the PDF subsets that object."""
    with _parsed_lock:
        if not _parsed:
            template = FPDF()
            for style, path in FONTS.items():
                template.add_font("serif", style, str(path))
                _parsed[style] = (template.fonts[f"serif{style}"], path.read_bytes())
    return _parsed


def _new() -> _Page:
    pdf = _Page(orientation="P", unit="mm", format="A4")
    pdf.set_margins(LEFT, TOP, RIGHT)
    pdf.set_auto_page_break(True, margin=BOTTOM)
    for style, (font, data) in _fonts().items():
        mine = copy.copy(font)  # widths, cmap, glyph ids: read only, shared
        mine.ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
        mine.subset, mine.missing_glyphs, mine.biggest_size_pt = SubsetMap(mine), [], 0
        mine.i = len(pdf.fonts) + 1
        pdf.fonts[f"serif{style}"] = mine
    pdf.set_creator("phoihop")
    pdf.set_lang("vi")
    return pdf


def _centred(pdf: FPDF, x: float, w: float, text: str, style: str, size: float, *, h: float = 5.6) -> None:
    pdf.set_font("serif", style, size)
    pdf.set_x(x)
    pdf.multi_cell(w, h, text, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)


def _fit(pdf: FPDF, text: str, style: str, size: float, width: float, smallest: float = 11) -> float:
    """The largest size from `size` down to `smallest` at which `text` holds on one line of `width`."""
    while size > smallest:
        pdf.set_font("serif", style, size)
        if pdf.get_string_width(text) <= width:
            break
        size -= 0.5
    return size


def _rule(pdf: FPDF, x_mid: float, length: float) -> None:
    y = pdf.get_y() + 0.6
    pdf.set_line_width(0.3)
    pdf.line(x_mid - length / 2, y, x_mid + length / 2, y)
    pdf.set_y(y + 1.4)


def _header(pdf: FPDF, sheet: Sheet) -> None:
    top = pdf.get_y()
    # Issuer (left): the governing body, then the organisation in bold, a short rule beneath.
    pdf.set_y(top)
    if sheet.parent_line:
        _centred(pdf, LEFT, LEFT_COL, sheet.parent_line.upper(), "", 12)
    _centred(pdf, LEFT, LEFT_COL, sheet.issuer_line.upper(), "B", 12)
    _rule(pdf, LEFT + LEFT_COL / 2, 24)
    left_end = pdf.get_y()
    # National title and motto (right), the motto underlined by a rule of its width.
    pdf.set_y(top)
    _centred(pdf, LEFT + LEFT_COL, RIGHT_COL, MOTTO_1, "B", _fit(pdf, MOTTO_1, "B", 12.5, RIGHT_COL - 1))
    _centred(pdf, LEFT + LEFT_COL, RIGHT_COL, MOTTO_2, "B", 13)
    pdf.set_font("serif", "B", 13)
    _rule(pdf, LEFT + LEFT_COL + RIGHT_COL / 2, pdf.get_string_width(MOTTO_2))
    row = max(left_end, pdf.get_y()) + 1.5
    # Number and symbol (left); place and date (right, italic).
    pdf.set_y(row)
    _centred(pdf, LEFT, LEFT_COL, f"Số: {sheet.reference}" if sheet.reference else "Số:      /", "", 13)
    if sheet.is_letter:
        _centred(pdf, LEFT, LEFT_COL, f"V/v {sheet.summary}", "", 12, h=5.2)
    if sheet.urgency_mark:
        pdf.ln(1.5)
        pdf.set_font("serif", "B", 13)
        w = pdf.get_string_width(sheet.urgency_mark) + 6
        pdf.set_x(LEFT + (LEFT_COL - w) / 2)
        pdf.cell(w, 7, sheet.urgency_mark, border=1, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    left_end = pdf.get_y()
    pdf.set_y(row)
    date = sheet.place_date or "………, ngày … tháng … năm …"
    _centred(pdf, LEFT + LEFT_COL, RIGHT_COL, date, "I", 13)
    pdf.set_y(max(left_end, pdf.get_y()) + 4)
    if sheet.draft:
        pdf.set_text_color(180, 0, 0)
        _centred(pdf, LEFT, WIDTH, "DỰ THẢO", "B", 13)
        pdf.set_text_color(0, 0, 0)
    if not sheet.is_letter:
        _centred(pdf, LEFT, WIDTH, sheet.kind_title.upper(), "B", 14, h=6.5)
        _centred(pdf, LEFT, WIDTH, sheet.summary, "B", 14, h=6.5)
        _rule(pdf, LEFT + WIDTH / 2, 35)
        pdf.ln(3)


def _body(pdf: FPDF, sheet: Sheet) -> None:
    if sheet.is_letter and sheet.addressees:
        pdf.set_font("serif", "", 14)
        pdf.set_x(LEFT + 15)
        if len(sheet.addressees) == 1:
            pdf.multi_cell(WIDTH - 15, 7, f"Kính gửi: {sheet.addressees[0]}.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            pdf.cell(25, 7, "Kính gửi:", new_x=XPos.RIGHT, new_y=YPos.TOP)
            for line in sheet.addressees:
                pdf.set_x(LEFT + 40)
                pdf.multi_cell(WIDTH - 40, 7, f"- {line};", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    pdf.set_font("serif", "", 13)
    paragraphs = [p.strip() for p in sheet.body.replace("\r\n", "\n").split("\n") if p.strip()]
    with pdf.text_columns(text_align="J", line_height=1.25) as cols:
        for text in paragraphs:
            with cols.paragraph(first_line_indent=10, bottom_margin=2) as par:
                par.write(text)


def _closing(pdf: FPDF, sheet: Sheet) -> tuple[int, tuple[int, int, int, int]]:
    signer_h = 7 * len(sheet.signer_lines) + STAMP_H + 14
    needed = max(signer_h, 6 + 5 * len(sheet.recipients))
    if pdf.get_y() + 6 + min(needed, 60) > PAGE_H - BOTTOM:
        pdf.add_page()
    top = pdf.get_y() + 6
    # Nơi nhận (left): bold italic 12, the lines 11.
    pdf.set_xy(LEFT, top)
    pdf.set_font("serif", "BI", 12)
    pdf.cell(LEFT_COL, 6, "Nơi nhận:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("serif", "", 11)
    for i, line in enumerate(sheet.recipients):
        end = "." if i == len(sheet.recipients) - 1 else ";"
        pdf.set_x(LEFT)
        pdf.multi_cell(LEFT_COL + 8, 5, f"- {line}{end}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    # Signature block (right): authority and position in bold capitals, the stamp, the signer's name.
    x = LEFT + WIDTH - SIGN_COL
    pdf.set_y(top)
    for line in sheet.signer_lines:
        _centred(pdf, x, SIGN_COL, line.upper(), "B", 13, h=6)
    stamp_top = pdf.get_y() + 2
    page = pdf.page_no() - 1
    pdf.set_y(stamp_top + STAMP_H + 3)
    if sheet.signer_name:
        _centred(pdf, x, SIGN_COL, sheet.signer_name, "B", 13, h=6)
    sx = x + (SIGN_COL - STAMP_W) / 2
    if sheet.stamp_lines:
        _stamp(pdf, sx, stamp_top, sheet.stamp_lines)
    box = (
        round(sx * PT),
        round((PAGE_H - stamp_top - STAMP_H) * PT),
        round((sx + STAMP_W) * PT),
        round((PAGE_H - stamp_top) * PT),
    )
    return page, box


def _stamp(pdf: FPDF, x: float, y: float, lines: list[str]) -> None:
    """The visible signature (signer, organisation, time) in the page's own font, inside the box where the
    signature field is placed: it is part of what the signature covers."""
    pdf.set_draw_color(190, 0, 0)
    pdf.set_text_color(190, 0, 0)
    pdf.set_line_width(0.4)
    pdf.rect(x, y, STAMP_W, STAMP_H)
    pdf.set_xy(x + 2, y + (STAMP_H - 4.2 * len(lines)) / 2)
    for line in lines:
        pdf.set_x(x + 2)
        pdf.set_font("serif", "", _fit(pdf, line, "", 8.5, STAMP_W - 4, smallest=6.5))
        pdf.multi_cell(STAMP_W - 4, 4.2, line, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_text_color(0, 0, 0)


def render_pdf(sheet: Sheet) -> Rendered:
    pdf = _new()
    pdf.set_title(sheet.summary[:200])
    pdf.add_page()
    _header(pdf, sheet)
    _body(pdf, sheet)
    page, box = _closing(pdf, sheet)
    return Rendered(pdf=bytes(pdf.output()), page=page, box=box)
