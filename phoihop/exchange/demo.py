"""Demo requests (DEMO_DATA_HOOK), made once through the same services people use, so the timelines and the
audit log are real: the Police ask the DIC for an expert assessment (Đ5.6; the council formed and one session
held, the conclusion left for the demo to adopt and sign), the DIC asks Viettel for a subscriber's data
(Đ11.8; answered with a file and accepted), and a hand-over of call logs is recorded (Đ17.2)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from phoihop.audit.services import AuditContext
from phoihop.cases.models import Case
from phoihop.directory.models import Organisation, User

from .choices import RequestKind, Urgency
from .inputs import HandoverItemInput, MemberInput, RequestInput
from .models import Recipient, Request
from .services import council_form, council_session_record, handover_record, recipient_move, request_create


def _people() -> dict[str, User]:
    wanted = ["dic.focal", "dic.head", "police.focal", "carrier.reporter"]
    return {u.username: u for u in User.objects.filter(username__in=wanted).select_related("organisation")}


def demo_requests() -> str:
    """Create the demo requests once; a short summary, or "" when they exist or the accounts are missing."""
    if Request.objects.exists():
        return ""
    people = _people()
    if len(people) < 4:
        return ""
    dic, head, carrier = (people[k] for k in ("dic.focal", "dic.head", "carrier.reporter"))
    ctx = {u.username: AuditContext(actor=u, label=None) for u in people.values()}
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=["st-dic", "st-viettel", "st-police"])}
    if len(orgs) < 3 or carrier.organisation is None:
        return ""
    fake_site = Case.objects.filter(title__startswith="Trang web giả mạo").first()
    fraud = Case.objects.filter(title__startswith="Giả danh công an").first()

    # 1. Đ5.6: the Police ask the DIC for an expert assessment; the DIC forms its council and holds a session.
    assessment = request_create(
        data=RequestInput(
            kind=RequestKind.ASSESSMENT,
            subject="Trưng cầu giám định trang web giả mạo cổng dịch vụ công tỉnh",
            article="Đ5.6",
            body=(
                "Đề nghị Sở Thông tin và Truyền thông giám định: trang web có phải giả mạo cổng dịch vụ công của "
                "tỉnh không; máy chủ đặt ở đâu; dữ liệu người dân nhập vào được gửi đi đâu."
            ),
            recipients=[orgs["st-dic"]],
            urgency=Urgency.URGENT,
            case=fake_site,
        ),
        ctx=ctx["police.focal"],
        send=True,
    )
    row = Recipient.objects.get(request=assessment, organisation=orgs["st-dic"])
    row = recipient_move(recipient=row, move="receive", ctx=ctx["dic.focal"])
    row = recipient_move(recipient=row, move="assign", ctx=ctx["dic.focal"], assignee=dic)
    council = council_form(
        recipient=row,
        decision_ref="Quyết định thành lập Hội đồng giám định (dự thảo)",
        members=[
            MemberInput(role="chair", user=head, position="Giám đốc"),
            MemberInput(role="secretary", user=dic, position="Chuyên viên"),
            MemberInput(
                role="member",
                name="ThS. Nguyễn Văn An",
                position="Chuyên gia an toàn thông tin",
                affiliation="Trường Đại học Cần Thơ",
            ),
        ],
        ctx=ctx["dic.focal"],
    )
    council_session_record(
        council=council,
        held_on=timezone.localdate(),
        place="Phòng họp Sở Thông tin và Truyền thông",
        attendees="Đủ 3/3 thành viên",
        minutes="Kiểm tra mã nguồn, tên miền và máy chủ của trang web; đối chiếu với cổng dịch vụ công của tỉnh.",
        ctx=ctx["dic.focal"],
    )

    # 2. Đ11.8: the DIC asks Viettel for the subscriber of a number; Viettel answers with a file; accepted.
    info = request_create(
        data=RequestInput(
            kind=RequestKind.INFORMATION,
            subject="Cung cấp thông tin chủ thuê bao 0323 456 789",
            article="Đ11.8",
            body="Đề nghị cung cấp thông tin chủ thuê bao và nhật ký cuộc gọi đi từ ngày 01 đến ngày 15 của tháng.",
            recipients=[carrier.organisation],
            case=fraud,
        ),
        ctx=ctx["dic.focal"],
        send=True,
    )
    row = Recipient.objects.get(request=info, organisation=carrier.organisation)
    row = recipient_move(recipient=row, move="receive", ctx=ctx["carrier.reporter"])
    log = b"thoi_gian,so_goi,so_nhan,thoi_luong\n2026-11-02 09:14,0323456789,0912000111,185\n"
    row = recipient_move(
        recipient=row,
        move="answer",
        ctx=ctx["carrier.reporter"],
        text="Thuê bao đăng ký tên Trần Văn B, CCCD kết thúc 1234; nhật ký cuộc gọi kèm theo.",
        files=[SimpleUploadedFile("nhat-ky-cuoc-goi.csv", log, content_type="text/csv")],
    )
    recipient_move(recipient=row, move="accept", ctx=ctx["dic.focal"])
    handover_record(
        request=info,
        from_organisation=carrier.organisation,
        to_organisation=orgs["st-dic"],
        handed_by=carrier.get_full_name(),
        received_by=dic.get_full_name(),
        handed_at=timezone.now() - dt.timedelta(minutes=30),
        place="Sở Thông tin và Truyền thông Sóc Trăng",
        items=[HandoverItemInput("USB chứa bản sao nhật ký cuộc gọi", hashlib.sha256(log).hexdigest(), len(log))],
        ctx=ctx["carrier.reporter"],
    )

    # 3. Đ5.5: the DIC asks the Police for information, still awaiting an answer (the queues show its due date).
    request_create(
        data=RequestInput(
            kind=RequestKind.INFORMATION,
            subject="Thông tin về đối tượng sử dụng trạm BTS giả tại Vĩnh Châu",
            article="Đ5.5",
            body="Đề nghị Công an tỉnh cung cấp thông tin phục vụ xác minh vụ việc.",
            recipients=[orgs["st-police"]],
        ),
        ctx=ctx["dic.focal"],
        send=True,
    )
    return "3 requests (an expert assessment with its council, an information request answered, one awaiting)"
