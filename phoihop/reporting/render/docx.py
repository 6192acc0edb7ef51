"""The consolidated report to the PPC as an editable DOCX in the Decree-30 layout (Decree 30/2020, Appendix I):
issuer and national motto side by side, number, place and date, the title, the body with its tables, then
"Nơi nhận" and the signature block; Times New Roman 13–14 pt on A4 with the decree's margins."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from docx import Document as Docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .text import number, share

FONT = "Times New Roman"
STATE_VI = {
    "submitted": "Đã nộp đúng hạn",
    "late_submitted": "Nộp muộn",
    "missing": "Chưa nộp (quá hạn)",
    "due": "Chưa đến hạn",
    "awaiting_head": "Chờ lãnh đạo ký",
}


def _font(run, size: float = 13, bold: bool = False, italic: bool = False, underline: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(
    container,
    text: str = "",
    *,
    size: float = 13,
    bold=False,
    italic=False,
    underline=False,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = False,
    space_after: float = 6,
):
    p = container.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)
    if text:
        _font(p.add_run(text), size, bold, italic, underline)
    return p


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = tbl_pr.makeelement(qn("w:tblBorders"), {})
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(borders.makeelement(qn(f"w:{edge}"), {qn("w:val"): "nil"}))
    tbl_pr.append(borders)


def _grid(doc, headers: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(text), 12, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT if i == 0 else WD_ALIGN_PARAGRAPH.CENTER
            _font(cell.paragraphs[0].add_run(text), 12)
    _para(doc, space_after=4)


def _heading(doc, text: str) -> None:
    _para(doc, text, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)


def consolidated_docx(
    figures: dict[str, Any],
    *,
    parent_line: str,
    issuer: str,
    reference: str,
    place: str,
    day: dt.date,
    signer_position: str,
    signer_name: str,
    recipients: list[str],
) -> bytes:
    """The DOCX bytes of a consolidated report whose content is `figures` (selectors.consolidation)."""
    doc = Docx()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)

    # Decree 30, Appendix I, 1–4: issuer (left) and national motto (right), number, place and date.
    head = doc.add_table(rows=2, cols=2)
    _no_borders(head)
    left, right = head.rows[0].cells
    p = left.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(parent_line.upper()), 12.5)
    _font(left.add_paragraph().add_run(issuer.upper()), 12.5, bold=True)
    left.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), 12.5, bold=True)
    motto = right.add_paragraph()
    motto.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(motto.add_run("Độc lập - Tự do - Hạnh phúc"), 13.5, bold=True, underline=True)
    number_cell, date_cell = head.rows[1].cells
    number_cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(number_cell.paragraphs[0].add_run(f"Số: {reference}"), 13)
    date_cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(
        date_cell.paragraphs[0].add_run(f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"),
        13,
        italic=True,
    )

    period = figures["period"]
    _para(doc, space_after=2)
    _para(doc, "BÁO CÁO", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(
        doc,
        f"Kết quả thực hiện Quy chế phối hợp phòng, chống tội phạm trong lĩnh vực thông tin và truyền thông "
        f"{period['title'].lower()}",
        size=14,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _para(doc, "Kính gửi: Ủy ban nhân dân tỉnh.", align=WD_ALIGN_PARAGRAPH.CENTER)
    starts, ends = dt.date.fromisoformat(period["starts_on"]), dt.date.fromisoformat(period["ends_on"])
    as_of = dt.datetime.fromisoformat(figures["as_of"])
    _para(
        doc,
        f"Thực hiện Điều 18 Quy chế ban hành kèm theo Quyết định số 11/2013/QĐ-UBND, {issuer} tổng hợp báo "
        f"cáo kết quả thực hiện công tác phối hợp từ ngày {starts:%d/%m/%Y} đến ngày {ends:%d/%m/%Y} (số liệu "
        f"của hệ thống tính đến {as_of:%H:%M ngày %d/%m/%Y}) như sau:",
        indent=True,
    )

    province = figures["province"]
    _heading(doc, "I. TÌNH HÌNH TIẾP NHẬN TIN BÁO VI PHẠM")
    text = f"Tổng số tin báo tiếp nhận trong kỳ: {number(province['total'])}."
    trend = figures.get("trend")
    if trend:
        change = trend["change"]
        word = "tăng" if change > 0 else "giảm" if change < 0 else "không thay đổi"
        text += f" So với kỳ trước ({trend['title']}: {number(trend['total'])}), {word}" + (
            f" {number(abs(change))}." if change else "."
        )
    _para(doc, text, indent=True)
    _para(doc, "Bảng 1. Tin báo theo địa bàn (cấp huyện)", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _grid(
        doc,
        ["Địa bàn", "Số tin báo"],
        [[g["name"], number(g["count"])] for g in province["by_area"]] or [["(không có tin báo)", "0"]],
    )
    _para(doc, "Bảng 2. Tin báo theo lĩnh vực", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    if trend:
        rows = [[g["name"], number(g["count"]), number(g["previous"])] for g in trend["by_sector"]]
        _grid(doc, ["Lĩnh vực", "Kỳ này", f"Kỳ trước ({trend['code']})"], rows or [["(không có)", "0", "0"]])
    else:
        _grid(
            doc,
            ["Lĩnh vực", "Số tin báo"],
            [[g["name"], number(g["count"])] for g in province["by_sector"]] or [["(không có)", "0"]],
        )

    _heading(doc, "II. KẾT QUẢ PHỐI HỢP CỦA CÁC CƠ QUAN, ĐƠN VỊ")
    summed = figures["from_reports"]
    _para(
        doc,
        f"Đã nhận {number(figures['submitted'])}/{number(figures['obliged'])} báo cáo của các cơ quan, đơn vị "
        f"có trách nhiệm báo cáo (khoản 2 Điều 18). Theo các báo cáo đã nhận: chủ trì "
        f"{number(summed['cases.led_total'])} vụ việc; {number(summed['stages.sanctions'])} quyết định xử phạt "
        f"vi phạm hành chính với tổng số tiền {number(summed['stages.fines_total'])} đồng; chuyển "
        f"{number(summed['stages.police_transfers'])} hồ sơ cho cơ quan công an; "
        f"{number(summed['stages.procuracy_recommendations'])} kiến nghị Viện kiểm sát.",
        indent=True,
    )
    awareness = figures["awareness"]
    _para(
        doc,
        f"Công tác tuyên truyền (Điều 4, Điều 5, Điều 9): {number(awareness['total'])} hoạt động, tiếp cận "
        f"{number(awareness['reached'])} người.",
        indent=True,
    )
    _para(doc, "Bảng 3. Tình hình báo cáo của các cơ quan, đơn vị", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _grid(
        doc,
        ["Cơ quan, đơn vị", "Hạn nộp", "Tình trạng", "Văn bản"],
        [
            [
                p["name"],
                dt.date.fromisoformat(p["due_on"]).strftime("%d/%m/%Y"),
                STATE_VI.get(p["state"], p["state"]),
                p["document"] or "—",
            ]
            for p in figures["parties"]
        ],
    )
    if figures["missing"]:
        _para(
            doc,
            "Các cơ quan, đơn vị chưa gửi báo cáo (quá hạn), số liệu chưa được tổng hợp: "
            + "; ".join(figures["missing"])
            + ".",
            indent=True,
            bold=True,
        )
    if figures["late"]:
        _para(doc, "Các cơ quan, đơn vị gửi báo cáo muộn: " + "; ".join(figures["late"]) + ".", indent=True)
    if figures["not_yet_due"]:
        _para(doc, "Chưa đến hạn nộp: " + "; ".join(figures["not_yet_due"]) + ".", indent=True)

    _heading(doc, "III. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ")
    for d in figures["difficulties"]:
        _para(doc, f"- {d['organisation']} ({d['article']}): {d['what']} Đề xuất: {d['proposal']}", indent=True)
    for p in figures["proposals"]:
        _para(doc, f"- {p['organisation']}: {p['text']}", indent=True)
    if not figures["difficulties"] and not figures["proposals"]:
        _para(doc, "Không có khó khăn, vướng mắc được ghi nhận trong kỳ.", indent=True)
    _para(
        doc,
        f"Trên đây là báo cáo kết quả thực hiện Quy chế phối hợp {period['title'].lower()} của {issuer}, "
        f"kính trình Ủy ban nhân dân tỉnh xem xét, chỉ đạo./.",
        indent=True,
    )

    # Decree 30, Appendix I, 8–9: nơi nhận (left, 12 pt / 11 pt) and the signature block (right).
    tail = doc.add_table(rows=1, cols=2)
    _no_borders(tail)
    left, right = tail.rows[0].cells
    _font(left.paragraphs[0].add_run("Nơi nhận:"), 12, bold=True, italic=True)
    for name in [*recipients, "Lưu: VT."]:
        _font(left.add_paragraph().add_run(f"- {name};" if not name.endswith(".") else f"- {name}"), 11)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, line in enumerate(signer_position.split("/")):
        para = right.paragraphs[0] if i == 0 else right.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(para.add_run(line.strip()), 13, bold=True)
    for _ in range(3):
        right.add_paragraph()
    sign = right.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(sign.add_run(signer_name), 13, bold=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


__all__ = ["consolidated_docx", "share"]
