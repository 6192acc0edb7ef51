"""A realistic demo data set: reports of the kinds Sóc Trăng's agencies receive, through every door."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from phoihop.audit.services import AuditContext
from phoihop.directory.models import User

from .choices import Channel
from .models import Report
from .services import ContactInput, IndicatorInput, ReportInput, report_submit

PUBLIC = AuditContext(label="public")

# (behaviour, area, description, indicators, contact?, hours ago)
DEMO_PUBLIC = [
    (
        "13.4",
        "st-vinh-chau",
        "Tôi nhận cuộc gọi từ số 0162 345 6789 tự xưng là công an, yêu cầu chuyển 20 triệu đồng vào tài khoản "
        "để 'xác minh' vì liên quan đến đường dây rửa tiền. Họ đọc đúng họ tên và số CCCD của tôi.",
        [("phone", "0162 345 6789"), ("bank_account", "0071000123456", "VCB")],
        True,
        2,
    ),
    (
        "13.4",
        "st-soc-trang",
        "Tin nhắn báo trúng thưởng xe máy, yêu cầu nộp phí 3.500.000đ qua số tài khoản và gọi lại số 0912345678.",
        [("phone", "0912 345 678"), ("sms_sender", "KHUYEN MAI")],
        False,
        20,
    ),
    (
        "14.4",
        "st-tran-de",
        "Trang Facebook giả danh ngân hàng cho vay nhanh, dẫn đến trang web vietcombank-vaynhanh.com yêu cầu nhập "
        "mật khẩu và mã OTP.",
        [("url", "https://vietcombank-vaynhanh.com/dang-nhap"), ("social_account", "facebook.com/vaynhanh.vcb")],
        True,
        30,
    ),
    (
        "13.7",
        "st-cu-lao-dung",
        "Phát hiện một đoạn cáp quang dọc đê biển bị cắt trộm khoảng 200 mét, gần trạm phát sóng.",
        [],
        False,
        50,
    ),
    (
        "15.4",
        "st-my-xuyen",
        "Website giả mạo cổng dịch vụ công của tỉnh, thu phí làm hộ chiếu: dichvucong-soctrang.online",
        [("url", "dichvucong-soctrang.online")],
        False,
        70,
    ),
    (
        "16.1",
        "st-soc-trang",
        "Cơ sở photocopy gần trường học in sách giáo khoa lậu số lượng lớn, không có giấy phép.",
        [],
        True,
        120,
    ),
    (
        None,
        "st-nga-nam",
        "Có người gọi nhiều lần từ số 0912345678 đe dọa vì tôi không trả nợ app vay tiền. Tôi không rõ thuộc loại "
        "vi phạm nào.",
        [("phone", "+84912345678")],
        False,
        5,
    ),
]

DEMO_ENTERPRISE = [
    (
        "13.6",
        "st-chau-thanh",
        "Phát hiện điểm bán SIM đã kích hoạt sẵn thông tin thuê bao không chính chủ, "
        "kèm thiết bị kích hoạt SIM hàng loạt.",
        [("sim_serial", "8984048000123456789")],
        "VT-2026-1187",
    ),
    (
        "13.4",
        "st-vinh-chau",
        "Thuê bao 0162 345 6789 phát sinh 1.200 cuộc gọi ra trong 1 giờ đến khách hàng trong tỉnh, nhiều khách "
        "hàng phản ánh bị giả danh công an lừa đảo.",
        [("phone", "0162 345 6789")],
        "VT-2026-1190",
    ),
]


def demo_reports_ensure() -> str:
    """Create the demo reports once (skipped when any report exists)."""
    if Report.objects.exists():
        return ""
    now = timezone.now()
    for behaviour, area, text, inds, contact, hours in DEMO_PUBLIC:
        report_submit(
            data=ReportInput(
                description=text,
                behaviour=behaviour,
                area=area,
                occurred_at=now - dt.timedelta(hours=hours + 1),
                indicators=[IndicatorInput(*i) for i in inds],
                contact=ContactInput(name="Nguyễn Văn An", phone="0909 123 456", consent=True) if contact else None,
            ),
            channel=Channel.WEB,
            ctx=PUBLIC,
        )
    reporter = User.objects.filter(username="carrier.reporter").first()
    if reporter:
        ctx = AuditContext(actor=reporter)
        for behaviour, area, text, inds, ref in DEMO_ENTERPRISE:
            report_submit(
                data=ReportInput(
                    description=text,
                    behaviour=behaviour,
                    area=area,
                    external_ref=ref,
                    indicators=[IndicatorInput(*i) for i in inds],
                ),
                channel=Channel.SIGNED_IN,
                ctx=ctx,
            )
    return f"{Report.objects.count()} reports"
