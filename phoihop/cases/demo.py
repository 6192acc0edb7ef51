"""Demo cases, made through the same services users call, so the timeline and audit log are real."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from phoihop.audit.services import AuditContext
from phoihop.directory.models import Organisation, User
from phoihop.indicators.models import Indicator
from phoihop.intake.models import Report

from .models import Case
from .services import case_add_participant, case_open, case_transition, note_add, task_create


def demo_cases_ensure() -> str:
    """Open a few cases from the demo reports (once): one being verified with the carrier, one
    transferred to the police investigation agency."""
    if Case.objects.exists():
        return ""
    dic = User.objects.filter(username="dic.focal").first()
    carrier_user = User.objects.filter(username="carrier.reporter").first()
    if dic is None:
        return ""
    ctx = AuditContext(actor=dic)
    phone = Indicator.objects.filter(kind="phone", value="+84323456789").first()
    fraud = list(Report.objects.filter(indicator_links__indicator=phone).distinct()) if phone else []
    made = 0
    if fraud:
        case = case_open(
            reports=fraud,
            ctx=ctx,
            title="Giả danh công an gọi điện lừa đảo từ số 0323 456 789 (Vĩnh Châu)",
            due_at=timezone.now() + dt.timedelta(days=7),
        )
        case = case_transition(case=case, move="verify", ctx=ctx)
        viettel = Organisation.objects.get(code="st-viettel")
        case_add_participant(case=case, organisation=viettel, ctx=ctx)
        task_create(
            case=case,
            title="Xác minh chủ thuê bao 0323 456 789 và lịch sử cuộc gọi (Đ11.8)",
            organisation=viettel,
            owner=carrier_user,
            ctx=ctx,
            due_at=timezone.now() + dt.timedelta(days=2),
        )
        note_add(case=case, text="Hai tin báo cùng số điện thoại; đề nghị nhà mạng xác minh khẩn.", ctx=ctx)
        made += 1
    fake_site = Report.objects.filter(behaviour__code="15.4", case_link__isnull=True).first()
    if fake_site:
        case = case_open(reports=[fake_site], ctx=ctx, title="Trang web giả mạo cổng dịch vụ công tỉnh")
        case = case_transition(case=case, move="verify", ctx=ctx)
        case_transition(
            case=case,
            move="transfer",
            ctx=ctx,
            receiving_police_unit=Organisation.objects.get(code="st-police-investigation"),
            transfer_dossier="Công văn 125/STTTT-TTra chuyển hồ sơ vụ việc có dấu hiệu tội phạm",
        )
        made += 1
    return f"{made} cases"
