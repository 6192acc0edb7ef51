"""The body of a party's report and of a review meeting's invitation, as the documents app lays it out (plain
paragraphs, Vietnamese: the language of official documents)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from phoihop.cases.choices import CaseStatus

from ..choices import ActivityKind
from ..selectors.sections import report_sections

CASE_STAGE_VI = {
    CaseStatus.NEW: "mới tiếp nhận",
    CaseStatus.VERIFYING: "đang xác minh",
    CaseStatus.ADMINISTRATIVE: "xử lý hành chính",
    CaseStatus.TRANSFERRED: "đã chuyển cơ quan công an",
    CaseStatus.INVESTIGATING: "đang điều tra",
    CaseStatus.RECOMMENDED: "đã kiến nghị truy tố",
    CaseStatus.CLOSED: "đã kết thúc",
}
ACTIVITY_VI = {
    ActivityKind.CAMPAIGN: "đợt tuyên truyền",
    ActivityKind.ARTICLE: "tin, bài",
    ActivityKind.BROADCAST: "chương trình phát thanh, truyền hình",
    ActivityKind.TRAINING: "lớp tập huấn",
    ActivityKind.OTHER: "hoạt động khác",
}


def number(value: Any) -> str:
    """A count or an amount the Vietnamese way (1.234.567); "—" when there is none."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"{int(value):,}".replace(",", ".")


def share(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%".replace(".", ",")


def figure_lines(figures: dict[str, Any]) -> list[str]:
    """The system's figures as sentences of a report (each says what it counts)."""
    if not figures:
        return []
    lines: list[str] = []
    reports = figures.get("reports") or {}
    lines.append(f"- Tin báo tiếp nhận trong kỳ: {number(reports.get('total'))}.")
    for row in (reports.get("by_sector") or [])[:8]:
        lines.append(f"  + {row['name'] or 'Không xác định lĩnh vực'}: {number(row['count'])}")
    ack = figures.get("acknowledgement") or {}
    if ack.get("deliveries"):
        lines.append(
            f"- Xác nhận tiếp nhận đúng hạn ({number(ack.get('deadline_minutes'))} phút): {number(ack.get('on_time'))}"
            f"/{number(ack.get('deliveries'))} ({share(ack.get('on_time_share'))}); thời gian trung vị "
            f"{number(ack.get('median_minutes'))} phút, phân vị 90 {number(ack.get('p90_minutes'))} phút."
        )
    cases = figures.get("cases") or {}
    led = ", ".join(f"{CASE_STAGE_VI.get(k, k)}: {number(v)}" for k, v in (cases.get("led") or {}).items())
    joined = ", ".join(f"{CASE_STAGE_VI.get(k, k)}: {number(v)}" for k, v in (cases.get("joined") or {}).items())
    lines.append(f"- Vụ việc chủ trì: {number(cases.get('led_total'))}" + (f" ({led})." if led else "."))
    lines.append(f"- Vụ việc phối hợp: {number(cases.get('joined_total'))}" + (f" ({joined})." if joined else "."))
    stages = figures.get("stages") or {}
    lines.append(
        f"- Xử phạt vi phạm hành chính: {number(stages.get('sanctions'))} quyết định, tổng số tiền phạt "
        f"{number(stages.get('fines_total'))} đồng."
    )
    lines.append(f"- Chuyển hồ sơ cho cơ quan công an: {number(stages.get('police_transfers'))}.")
    lines.append(f"- Kiến nghị Viện kiểm sát: {number(stages.get('procuracy_recommendations'))}.")
    for key, label in (
        ("requests", "Yêu cầu cung cấp thông tin được trả lời đúng hạn"),
        ("countermeasures", "Biện pháp ngăn chặn đã thực hiện"),
    ):
        item = figures.get(key) or {}
        if item.get("available") is False:
            lines.append(f"- {label}: chưa có số liệu trong hệ thống.")
        elif item:
            lines.append(f"- {label}: {number(item.get('done'))}/{number(item.get('total'))}.")
    awareness = figures.get("awareness") or {}
    kinds = ", ".join(f"{ACTIVITY_VI.get(k, k)}: {number(v)}" for k, v in (awareness.get("by_kind") or {}).items())
    lines.append(
        f"- Hoạt động tuyên truyền: {number(awareness.get('total'))}"
        + (f" ({kinds})" if kinds else "")
        + f", tiếp cận {number(awareness.get('reached'))} người."
    )
    return lines


def party_report_body(report) -> str:
    """The báo cáo of a party: the figures read from the system (with their date), then its sections."""
    period = report.obligation.period
    as_of = timezone.localtime(report.figures_as_of or timezone.now())
    parts = [
        f"Thực hiện Điều 18 Quy chế ban hành kèm theo Quyết định số 11/2013/QĐ-UBND, "
        f"{report.obligation.organisation.name_vi} báo cáo kết quả thực hiện công tác phối hợp phòng, chống tội "
        f"phạm trong lĩnh vực thông tin và truyền thông {period.title.lower()} "
        f"(từ ngày {period.starts_on:%d/%m/%Y} đến ngày {period.ends_on:%d/%m/%Y}) như sau:",
        f"I. SỐ LIỆU TỪ HỆ THỐNG (số liệu tính đến {as_of:%H:%M ngày %d/%m/%Y})",
        *figure_lines(report.figures),
    ]
    for i, section in enumerate(report_sections(report), start=2):
        text = str(report.sections.get(section["code"], "")).strip()
        if text or section["required"]:
            parts += [f"{_roman(i)}. {section['name_vi'].upper()}", text]
    return "\n".join(parts)


def invitation_body(meeting) -> str:
    at = timezone.localtime(meeting.starts_at)
    lines = [
        f"Thực hiện khoản 1 Điều 18 Quy chế ban hành kèm theo Quyết định số 11/2013/QĐ-UBND, "
        f"{meeting.convenor.name_vi} trân trọng kính mời đại diện lãnh đạo quý cơ quan, đơn vị dự họp sơ kết, "
        f"đánh giá kết quả thực hiện Quy chế phối hợp {meeting.period.title.lower()}.",
        f"Thời gian: {at:%H} giờ {at:%M}, ngày {at:%d/%m/%Y}.",
        f"Địa điểm: {meeting.place}.",
    ]
    if meeting.agenda:
        lines += ["Nội dung:", meeting.agenda]
    lines.append("Đề nghị quý cơ quan, đơn vị chuẩn bị ý kiến về khó khăn, vướng mắc và đề xuất, kiến nghị.")
    return "\n".join(lines)


def _roman(n: int) -> str:
    return ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n] if n <= 10 else str(n)


def consolidated_body(figures: dict[str, Any]) -> str:
    """The consolidated report as the text of a signed document (the DOCX carries the same, with tables)."""
    period = figures["period"]
    province = figures["province"]
    summed = figures["from_reports"]
    lines = [
        "Thực hiện Điều 18 Quy chế ban hành kèm theo Quyết định số 11/2013/QĐ-UBND, báo cáo kết quả thực hiện "
        f"công tác phối hợp {period['title'].lower()} (từ {period['starts_on']} đến {period['ends_on']}) như sau:",
        "I. TÌNH HÌNH TIẾP NHẬN TIN BÁO VI PHẠM",
        f"Tổng số tin báo tiếp nhận trong kỳ: {number(province['total'])}.",
    ]
    trend = figures.get("trend")
    if trend:
        lines.append(f"Kỳ trước ({trend['title']}): {number(trend['total'])}; chênh lệch {trend['change']:+d}.")
    lines += [f"- {g['name']}: {number(g['count'])}" for g in province["by_area"]]
    lines.append("Theo lĩnh vực:")
    lines += [f"- {g['name']}: {number(g['count'])}" for g in province["by_sector"]]
    lines += [
        "II. KẾT QUẢ PHỐI HỢP CỦA CÁC CƠ QUAN, ĐƠN VỊ",
        f"Đã nhận {figures['submitted']}/{figures['obliged']} báo cáo. Chủ trì {number(summed['cases.led_total'])} vụ "
        f"việc; {number(summed['stages.sanctions'])} quyết định xử phạt, tiền phạt "
        f"{number(summed['stages.fines_total'])} đồng; chuyển {number(summed['stages.police_transfers'])} hồ sơ "
        "cho công an; "
        f"{number(summed['stages.procuracy_recommendations'])} kiến nghị Viện kiểm sát.",
    ]
    if figures["missing"]:
        lines.append("Chưa gửi báo cáo (quá hạn, chưa tổng hợp số liệu): " + "; ".join(figures["missing"]) + ".")
    if figures["late"]:
        lines.append("Gửi báo cáo muộn: " + "; ".join(figures["late"]) + ".")
    lines.append("III. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ")
    lines += [
        f"- {d['organisation']} ({d['article']}): {d['what']} Đề xuất: {d['proposal']}" for d in figures["difficulties"]
    ]
    lines += [f"- {p['organisation']}: {p['text']}" for p in figures["proposals"]]
    return "\n".join(lines)
