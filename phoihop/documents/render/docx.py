"""The same document as a Word file (python-docx), for editing: the Decree-30 page set-up and parts."""

from __future__ import annotations

import io

from docx import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .sheet import MOTTO_1, MOTTO_2, Sheet

FONT = "Times New Roman"  # Decree 30: Times New Roman (Unicode, TCVN 6909:2001) in the editable copy


def _para(cell_or_doc, text: str, *, bold=False, italic=False, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False):
    p = cell_or_doc.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(3)
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)
    run = p.add_run(text)
    run.bold, run.italic, run.font.size, run.font.name = bold, italic, Pt(size), FONT
    return p


def render_docx(sheet: Sheet) -> bytes:
    doc = Docx()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
        Mm(20),
        Mm(20),
        Mm(30),
        Mm(15),
    )
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    table = doc.add_table(rows=2, cols=2)
    left, right = table.cell(0, 0), table.cell(0, 1)
    left.paragraphs[0].text = ""
    if sheet.parent_line:
        _para(left, sheet.parent_line.upper(), size=12)
    _para(left, sheet.issuer_line.upper(), bold=True, size=12)
    _para(right, MOTTO_1, bold=True, size=12)
    _para(right, MOTTO_2, bold=True, size=13)
    number, date = table.cell(1, 0), table.cell(1, 1)
    _para(number, f"Số: {sheet.reference}" if sheet.reference else "Số:      /")
    if sheet.is_letter:
        _para(number, f"V/v {sheet.summary}", size=12)
    if sheet.urgency_mark:
        _para(number, sheet.urgency_mark, bold=True)
    _para(date, sheet.place_date or "………, ngày … tháng … năm …", italic=True)
    if sheet.draft:
        _para(doc, "DỰ THẢO", bold=True)
    if not sheet.is_letter:
        _para(doc, sheet.kind_title.upper(), bold=True, size=14)
        _para(doc, sheet.summary, bold=True, size=14)
    elif sheet.addressees:
        _para(doc, "Kính gửi: " + "; ".join(sheet.addressees) + ".", size=14)
    for text in (p.strip() for p in sheet.body.splitlines()):
        if text:
            _para(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    closing = doc.add_table(rows=1, cols=2)
    recipients, signer = closing.cell(0, 0), closing.cell(0, 1)
    _para(recipients, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    for i, line in enumerate(sheet.recipients):
        _para(
            recipients,
            f"- {line}{'.' if i == len(sheet.recipients) - 1 else ';'}",
            size=11,
            align=WD_ALIGN_PARAGRAPH.LEFT,
        )
    for line in sheet.signer_lines:
        _para(signer, line.upper(), bold=True)
    _para(signer, "\n\n\n")
    if sheet.signer_name:
        _para(signer, sheet.signer_name, bold=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
