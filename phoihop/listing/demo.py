"""Demo listings, made through the same decision path as real ones: proposed by an officer of the case's
lead, approved by the DIC hub coordinator; among them the phone number 0912 345 678 of the issue."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from phoihop.audit.services import AuditContext
from phoihop.cases.models import Case
from phoihop.cases.services import case_open
from phoihop.directory.models import User
from phoihop.indicators.models import Indicator
from phoihop.intake.choices import Channel
from phoihop.intake.services import IndicatorInput, ReportInput, report_submit

from .models import Listing
from .services import listing_move, listing_propose

# (kind, value as a citizen writes it, bank, category, reason)
DEMO_VALUES = [
    (
        "phone",
        "0912 345 678",
        None,
        "impersonation",
        "Gọi giả danh công an đòi chuyển tiền 'xác minh'; nhà mạng xác nhận thuê bao sim rác.",
    ),
    (
        "url",
        "https://vietcombank-xacminh.com/dang-nhap",
        None,
        "phishing-site",
        "Trang giả mạo đăng nhập ngân hàng, thu thập mật khẩu và OTP.",
    ),
    (
        "bank_account",
        "0071000123456",
        "VCB",
        "mule-account",
        "Tài khoản nhận tiền của nhiều nạn nhân; ngân hàng xác nhận.",
    ),
]
DEMO_TEXT = "Tôi bị gọi điện giả danh công an, yêu cầu vào trang {value} và chuyển tiền vào tài khoản để 'xác minh'."


def demo_listings_ensure() -> str:
    """Report the demo values (public form path), open a DIC case from them, propose and approve each (once)."""
    if Listing.objects.exists():
        return ""
    focal = User.objects.filter(username="dic.focal").first()
    hub = User.objects.filter(username="dic.hub").first()
    if focal is None or hub is None:
        return ""
    public = AuditContext(label="public", ip_address="203.0.113.50")
    reports = []
    for kind, value, bank, _category, _reason in DEMO_VALUES:
        data = ReportInput(
            description=DEMO_TEXT.format(value=value),
            behaviour="13.4",
            area="st-vinh-chau",
            indicators=[IndicatorInput(kind, value, bank)],
        )
        reports.append(report_submit(data=data, channel=Channel.WEB, ctx=public).report)
    ctx_focal, ctx_hub = AuditContext(actor=focal), AuditContext(actor=hub)
    case = case_open(
        reports=reports,
        ctx=ctx_focal,
        title="Đường dây giả danh công an và ngân hàng lừa chuyển tiền (số 0912 345 678)",
        due_at=timezone.now() + dt.timedelta(days=14),
    )
    made = 0
    for kind, value, bank, category, reason in DEMO_VALUES:
        indicator = _indicator(case, kind, value, bank)
        if indicator is None:
            continue
        listing = listing_propose(case=case, indicator=indicator, category=category, reason=reason, ctx=ctx_focal)
        listing_move(listing=listing, move="approve", ctx=ctx_hub, note="Đã xác minh với nhà mạng / ngân hàng.")
        made += 1
    return f"{made} listed values (case {case.reference})"


def _indicator(case: Case, kind: str, value: str, bank: str | None) -> Indicator | None:
    from phoihop.indicators.normalise import normalise

    key = normalise(kind, value, bank=bank)
    return Indicator.objects.filter(kind=kind, value=key.value, links__report__case_link__case=case).first()
