"""Demo countermeasures, made through the same services and moves as users make them: a block of the demo scam
number (0912 345 678) asked of the demo carrier and executed, and a block of a fake site still pending at an ISP."""

from __future__ import annotations

from django.utils import timezone

from phoihop.audit.services import AuditContext
from phoihop.cases.models import Case
from phoihop.cases.services import case_open, case_transition
from phoihop.directory.models import Organisation, User
from phoihop.indicators.models import Indicator
from phoihop.intake.models import Report

from .models import Countermeasure
from .services import countermeasure_move, countermeasure_request

LEGAL_BASIS = "Điều 4 khoản 2, Điều 11 khoản 3 Quy chế ban hành kèm theo Quyết định 11/2013/QĐ-UBND"
ISSUED = "Công văn số 215/STTTT-TTra về việc đề nghị áp dụng biện pháp ngăn chặn"


def _open_case_of(indicator: Indicator, officer: User, title: str) -> Case | None:
    """An open case led by the officer's organisation whose reports name the value; opened from them if none."""
    case = (
        Case.objects.filter(report_links__report__indicator_links__indicator=indicator)
        .filter(lead_organisation_id=officer.organisation_id)
        .exclude(status="closed")
        .first()
    )
    if case is not None:
        return case
    reports = list(Report.objects.filter(indicator_links__indicator=indicator, case_link__isnull=True).distinct())
    if not reports:
        return None
    ctx = AuditContext(actor=officer)
    case = case_open(reports=reports, ctx=ctx, title=title)
    return case_transition(case=case, move="verify", ctx=ctx)


def _request(case, indicator, action, target, ctx, instructions=""):
    return countermeasure_request(
        case=case,
        indicator=indicator,
        action=action,
        target=target,
        legal_basis=f"{LEGAL_BASIS}; {ISSUED}",
        instructions=instructions,
        ctx=ctx,
    )


def demo_countermeasures_ensure() -> str:
    """Create the demo measures once (nothing when any measure exists)."""
    if Countermeasure.objects.exists():
        return ""
    officer = User.objects.filter(username="dic.focal").first()
    carrier = User.objects.filter(username="carrier.reporter").first()
    scam = Indicator.objects.filter(kind="phone", value="+84912345678").first()
    if officer is None or carrier is None or carrier.organisation is None or scam is None:
        return ""
    ctx = AuditContext(actor=officer)
    case = _open_case_of(scam, officer, "Tin nhắn trúng thưởng giả mạo, yêu cầu gọi lại số 0912 345 678")
    if case is None:
        return ""
    cm = _request(
        case,
        scam,
        "block_number",
        carrier.organisation,
        ctx,
        "Tạm dừng chiều gọi đi và nhắn tin của thuê bao; giữ nguyên dữ liệu cuộc gọi để phục vụ xác minh.",
    )
    carrier_ctx = AuditContext(actor=carrier)
    countermeasure_move(countermeasure=cm, move="acknowledge", ctx=carrier_ctx)
    executed = {"executed_at": timezone.now(), "execution_reference": "VTST-CHAN-0001"}
    countermeasure_move(countermeasure=cm, move="execute", ctx=carrier_ctx, data=executed)
    made = 1
    # Pending: a fake site of another demo case at an ISP (else the number of the other demo case at the carrier).
    led = officer.organisation
    site = (
        Indicator.objects.filter(kind__in=["domain", "url"], links__report__case_link__case__lead_organisation=led)
        .exclude(links__report__case_link__case__status="closed")
        .order_by("kind", "pk")
        .first()
    )
    isp = Organisation.objects.filter(type="enterprise", enterprise_kind="isp").order_by("code").first()
    site_case = Case.objects.filter(report_links__report__indicator_links__indicator=site).first() if site else None
    if site is not None and isp is not None and site_case is not None:
        _request(site_case, site, "block_site", isp, ctx)
        return f"{made + 1} countermeasures"
    other = Indicator.objects.filter(kind="phone", value="+84323456789").first()
    other_case = _open_case_of(other, officer, "Giả danh công an gọi điện lừa đảo") if other else None
    if other is not None and other_case is not None:
        _request(other_case, other, "block_number", carrier.organisation, ctx)
        made += 1
    return f"{made} countermeasures"
