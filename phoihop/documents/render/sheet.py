"""What goes on the page, prepared once for both renderers (no database access below this point)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"


def place_and_date(place: str, day: dt.date) -> str:
    """Decree 30, Appendix I, 5: "Sóc Trăng, ngày 05 tháng 3 năm 2026": a day under 10 and the months 1 and 2
    take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


@dataclass(frozen=True)
class Sheet:
    """The Decree-30 parts of one document, as printed."""

    parent_line: str  # the governing body, e.g. "UBND TỈNH SÓC TRĂNG" (may be empty)
    issuer_line: str  # the issuing organisation, in capitals
    reference: str  # "Số: 15/STTTT-TTra" is printed from it; empty on a draft
    place_date: str  # empty on a draft
    kind_title: str  # "QUYẾT ĐỊNH"...; empty for an official letter (công văn)
    summary: str
    body: str
    urgency_mark: str = ""
    addressees: list[str] = field(default_factory=list)  # "Kính gửi" of an official letter
    recipients: list[str] = field(default_factory=list)  # nơi nhận
    signer_lines: list[str] = field(default_factory=list)  # "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"
    signer_name: str = ""
    stamp_lines: list[str] = field(default_factory=list)  # the visible signature: signer, organisation, time
    draft: bool = False

    @property
    def is_letter(self) -> bool:
        return not self.kind_title
