"""The shipped font covers every Vietnamese letter in every style, and the PDF holds the text as written."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest
from fontTools.ttLib import TTFont

from phoihop.documents.conf import FONT_BOLD, FONT_BOLD_ITALIC, FONT_ITALIC, FONT_REGULAR
from phoihop.documents.render.pdf import render_pdf
from phoihop.documents.render.sheet import MOTTO_1, MOTTO_2, Sheet, place_and_date

BASES = "aăâeêioôơuưy"
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]  # huyền, sắc, ngã, hỏi, nặng


def vietnamese_letters() -> set[str]:
    letters = {unicodedata.normalize("NFC", b + t) for b in BASES for t in TONES}
    letters |= set("bcdđghklmnpqrstvx")
    return letters | {c.upper() for c in letters}


def test_every_vietnamese_letter_is_in_every_style():
    letters = vietnamese_letters()
    assert len(letters) == 2 * (12 * 6 + 17)
    for path in (FONT_REGULAR, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC):
        cmap = TTFont(path).getBestCmap()
        missing = sorted(c for c in letters if ord(c) not in cmap)
        assert not missing, f"{path.name} lacks {''.join(missing)}"
        assert all(ord(c) in cmap for c in "–“”…§№")  # (amounts are written "đồng": the serif has no ₫)


def test_place_and_date_in_the_decrees_wording():
    import datetime as dt

    assert place_and_date("Sóc Trăng", dt.date(2026, 3, 5)) == "Sóc Trăng, ngày 05 tháng 3 năm 2026"
    assert place_and_date("Cần Thơ", dt.date(2026, 2, 14)) == "Cần Thơ, ngày 14 tháng 02 năm 2026"
    assert place_and_date("Cần Thơ", dt.date(2025, 12, 1)) == "Cần Thơ, ngày 01 tháng 12 năm 2025"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")
def test_the_pdf_is_a4_and_holds_the_vietnamese_text(tmp_path):
    every = "".join(sorted(vietnamese_letters()))
    sheet = Sheet(
        "UBND TỈNH SÓC TRĂNG",
        "Sở Thông tin và Truyền thông",
        "15/STTTT-TTra",
        "Sóc Trăng, ngày 05 tháng 3 năm 2026",
        "",
        "Phối hợp xác minh",
        f"Đủ các chữ: {every}",
        recipients=["Như trên", "Lưu: VT"],
        signer_lines=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
        signer_name="Lê Hoàng Phúc",
    )
    path = tmp_path / "doc.pdf"
    path.write_bytes(render_pdf(sheet).pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, timeout=30).stdout
    flat = unicodedata.normalize("NFC", " ".join(text.split()))
    for expected in (
        MOTTO_1,
        MOTTO_2,
        "Số: 15/STTTT-TTra",
        "Sóc Trăng, ngày 05 tháng 3 năm 2026",
        "PHÓ GIÁM ĐỐC",
    ):
        assert expected in flat, expected
    assert every in "".join(flat.split())  # the line of every letter wraps where the page ends
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, timeout=30).stdout
    assert "x 841.89 pts (A4)" in info
