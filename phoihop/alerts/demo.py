"""Demo advisories and public warnings, made through the same services and moves as real ones (once)."""

from __future__ import annotations

from django.db.models import Q

from phoihop.audit.services import AuditContext
from phoihop.directory.models import Organisation, User

from .models import Advisory, PublicWarning
from .services import AdvisoryInput, WarningInput, advisory_acknowledge, advisory_create, warning_create, warning_move


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).select_related("organisation").first()


def _advisories() -> int:
    police, dic, carrier = _user("police.focal"), _user("dic.focal"), _user("carrier.reporter")
    if police is None or dic is None or Advisory.objects.exists():
        return 0
    # Carriers, and banks and platforms when the directory has them (they are data, not code).
    types = ["enterprise:telecom"]
    banks = Organisation.objects.filter(Q(enterprise_kind__icontains="bank") | Q(type__icontains="bank"))
    types += sorted({f"{o.type}:{o.enterprise_kind}" if o.enterprise_kind else o.type for o in banks})
    first = advisory_create(
        data=AdvisoryInput(
            kind="crime_method",
            title="Thủ đoạn giả danh công an gọi điện yêu cầu chuyển tiền “xác minh”",
            method=(
                "Đối tượng gọi từ các số di động mới kích hoạt (như 0912 345 678), tự xưng cán bộ công an, đọc đúng "
                "họ tên và số CCCD của người nghe, đe doạ liên quan đường dây rửa tiền rồi yêu cầu chuyển tiền vào "
                "tài khoản “tạm giữ” để xác minh."
            ),
            advice=(
                "Nhà mạng rà soát thuê bao có lưu lượng gọi đi bất thường, nhắn tin cảnh báo khách hàng; ngân hàng "
                "theo dõi các tài khoản nhận tiền từ nhiều người trong thời gian ngắn và báo ngay cho Công an tỉnh."
            ),
            types=types,
            indicators="0912 345 678",
        ),
        ctx=AuditContext(actor=police),
        send=True,
    )
    if carrier is not None and first.recipients.filter(organisation_id=carrier.organisation_id).exists():
        advisory_acknowledge(advisory=first, ctx=AuditContext(actor=carrier))
    advisory_create(
        data=AdvisoryInput(
            kind="guidance",
            title="Hướng dẫn lưu trữ thông tin thuê bao và phối hợp cung cấp dữ liệu (Đ11)",
            method=(
                "Sở Thông tin và Truyền thông hướng dẫn doanh nghiệp viễn thông, Internet lưu trữ thông tin thuê bao, "
                "nhật ký truy cập theo quy định và đầu mối cung cấp dữ liệu khi cơ quan chức năng yêu cầu."
            ),
            advice="Cử đầu mối liên lạc và xác nhận đã nhận văn bản trên hệ thống.",
            types=["enterprise:telecom", "enterprise:isp"],
        ),
        ctx=AuditContext(actor=dic),
        send=True,
    )
    return 2


WARNINGS = [
    (
        "Cảnh báo cuộc gọi giả danh công an từ số 0912 345 678",
        "Nhiều người dân nhận cuộc gọi tự xưng công an, đe doạ liên quan vụ án rồi yêu cầu chuyển tiền để “xác minh”.",
        "Đối tượng gọi điện, đọc đúng họ tên và số căn cước của người nghe để tạo lòng tin, thông báo người nghe "
        "liên quan đường dây rửa tiền, yêu cầu giữ bí mật và chuyển tiền vào tài khoản do chúng chỉ định.",
        "Công an không làm việc qua điện thoại và không yêu cầu chuyển tiền. Không chuyển tiền, không cung cấp mã "
        "OTP; gác máy và báo ngay cho công an nơi gần nhất hoặc phản ánh trên hệ thống.",
        "0912 345 678",
    ),
    (
        "Cảnh báo trang web giả mạo ngân hàng cho vay nhanh",
        "Trang Facebook giả danh ngân hàng quảng cáo cho vay nhanh, dẫn đến trang web giả để lấy mật khẩu và mã OTP.",
        "Đối tượng chạy quảng cáo “vay nhanh lãi suất 0%”, dẫn người vay vào trang web có giao diện giống ngân hàng, "
        "yêu cầu đăng nhập và nhập mã OTP rồi chiếm đoạt tiền trong tài khoản.",
        "Chỉ giao dịch qua ứng dụng chính thức của ngân hàng; kiểm tra kỹ địa chỉ trang web; không nhập mã OTP "
        "trên trang lạ.",
        "vietcombank-vaynhanh.com",
    ),
    (
        "Cảnh báo tin nhắn báo trúng thưởng yêu cầu nộp phí",
        "Tin nhắn báo trúng thưởng xe máy, yêu cầu nộp phí nhận thưởng qua tài khoản ngân hàng.",
        "Đối tượng gửi tin nhắn mạo danh chương trình khuyến mại, yêu cầu nộp “phí trước bạ” hoặc “thuế thu nhập” "
        "để nhận giải, sau khi nhận tiền thì cắt liên lạc.",
        "Chương trình khuyến mại thật không thu phí trước khi trao giải. Gọi tổng đài chính thức của doanh nghiệp "
        "để kiểm tra; không chuyển tiền cho người lạ.",
        "",
    ),
]


def _warnings() -> int:
    author, head = _user("dic.focal"), _user("dic.head")
    if author is None or head is None or PublicWarning.objects.exists():
        return 0
    # The warning about 0912 345 678 names it; its page shows it once the listing app's demo lists it (the
    # public page asks the listing selectors each time, so the order of the demo steps does not matter).
    made = 0
    for title, summary, method, protection, indicators in WARNINGS:
        warning = warning_create(
            data=WarningInput(title, summary, method, protection, indicators=indicators), ctx=AuditContext(actor=author)
        )
        warning = warning_move(warning=warning, move="submit", ctx=AuditContext(actor=author))
        warning_move(warning=warning, move="approve", ctx=AuditContext(actor=head))
        made += 1
    return made


def demo_alerts_ensure() -> str:
    advisories, warnings = _advisories(), _warnings()
    if not (advisories or warnings):
        return ""
    return f"{advisories} advisories, {warnings} published warnings"
