"""Demo documents (once, through the services): the DEMO CA and a DEMO key per organisation, then official letters
between the DIC, the Police and a carrier, signed by the DIC's head, sent and verified; a carrier's signed
report registered by hand by the Police; a draft waiting in the DIC head's "to sign" queue."""

from __future__ import annotations

from django.utils import timezone

from phoihop.audit.services import AuditContext
from phoihop.cases.models import Case
from phoihop.directory.models import Organisation, User

from . import services
from .choices import DocumentKind, Urgency
from .models import Document
from .render.sheet import Sheet, place_and_date
from .signing import demo as demo_keys
from .signing.keys import signer_for
from .signing.pades import sign_pdf

VERIFY_BODY = (
    "Thực hiện Quy chế phối hợp ban hành kèm theo Quyết định số 11/2013/QĐ-UBND của Ủy ban nhân dân tỉnh Sóc Trăng, "
    "Sở Thông tin và Truyền thông nhận được hai tin báo về cuộc gọi giả danh cơ quan công an từ số 0323 456 789, "
    "yêu cầu người dân chuyển tiền vào tài khoản để “xác minh”.\n"
    "Căn cứ khoản 8 Điều 11 của Quy chế, đề nghị Viettel Sóc Trăng cung cấp thông tin chủ thuê bao và lịch sử cuộc gọi "
    "của số điện thoại nêu trên trong thời hạn 02 ngày làm việc; đề nghị Công an tỉnh phối hợp xác minh "
    "dấu hiệu tội phạm.\n"
    "Sở Thông tin và Truyền thông đề nghị các cơ quan, đơn vị phối hợp thực hiện./."
)
TRANSFER_BODY = (
    "Qua kiểm tra, xác minh tin báo về trang thông tin điện tử giả mạo Cổng dịch vụ công của tỉnh, Sở Thông tin và "
    "Truyền thông nhận thấy vụ việc có dấu hiệu tội phạm sử dụng mạng máy tính, mạng viễn thông, phương tiện điện tử "
    "thực hiện hành vi chiếm đoạt tài sản.\n"
    "Căn cứ khoản 4 Điều 5 của Quy chế, Sở Thông tin và Truyền thông chuyển hồ sơ vụ việc đến Cơ quan Cảnh sát "
    "điều tra Công an tỉnh để xem xét, xử lý theo thẩm quyền./."
)


def _carrier_report_pdf(viettel: Organisation) -> bytes:
    """The carrier's answer, as it would arrive by e-mail: a PDF signed with its own (DEMO) key."""
    from .render.pdf import render_pdf  # loaded on first use: the web processes stay small

    today = timezone.localdate()
    sheet = Sheet(
        parent_line="TẬP ĐOÀN CÔNG NGHIỆP - VIỄN THÔNG QUÂN ĐỘI",
        issuer_line=viettel.name_vi,
        reference="58/BC-VTST",
        place_date=place_and_date("Sóc Trăng", today),
        kind_title="BÁO CÁO",
        summary="Kết quả xác minh chủ thuê bao 0323 456 789",
        body="Viettel Sóc Trăng báo cáo kết quả xác minh thông tin chủ thuê bao 0323 456 789 theo đề nghị của "
        "Sở Thông tin và Truyền thông (thông tin chi tiết gửi kèm theo đường công văn mật)./.",
        recipients=["Công an tỉnh Sóc Trăng", "Sở Thông tin và Truyền thông"],
        signer_lines=["GIÁM ĐỐC"],
        signer_name="Nguyễn Văn An",
        stamp_lines=["Ký bởi: Nguyễn Văn An", f"Cơ quan: {viettel.name_vi}", f"Thời gian: {today:%d/%m/%Y}"],
    )
    rendered = render_pdf(sheet)
    return sign_pdf(
        rendered.pdf,
        signer=signer_for(viettel),
        box=rendered.box,
        page=rendered.page,
        reason="Báo cáo",
        location="Sóc Trăng",
    )


def demo_documents_ensure() -> str:
    if Document.objects.exists():
        return ""
    made_keys = demo_keys.keys_ensure(Organisation.objects.valid_on(timezone.localdate()))
    people = {u.username: u for u in User.objects.filter(username__in=["dic.focal", "dic.head", "police.focal"])}
    if not {"dic.focal", "dic.head"} <= set(people):
        return f"{made_keys} DEMO keys"
    focal, head = AuditContext(actor=people["dic.focal"]), AuditContext(actor=people["dic.head"])
    orgs = {
        o.code: o for o in Organisation.objects.filter(code__in=["st-police", "st-viettel", "st-police-investigation"])
    }
    dic = people["dic.focal"].organisation
    made = 0
    fraud = Case.objects.filter(title__startswith="Giả danh công an").first()
    if "st-police" in orgs and "st-viettel" in orgs:
        doc = services.document_draft(
            ctx=focal,
            organisation=dic,
            kind=DocumentKind.OFFICIAL_LETTER,
            summary="Đề nghị cung cấp thông tin chủ thuê bao 0323 456 789",
            body=VERIFY_BODY,
            recipients=[orgs["st-viettel"], orgs["st-police"]],
            urgency=Urgency.URGENT,
            signer_position="KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
            drafting_unit="TTra",
            other_recipients="Giám đốc Sở (để báo cáo)",
            case=fraud,
        )
        doc = services.document_submit(ctx=focal, document=doc)
        doc = services.document_sign(ctx=head, document=doc)
        services.document_send(ctx=head, document=doc)
        made += 1
    transfer_case = Case.objects.filter(police_transfers__isnull=False).first()
    if transfer_case is not None and "st-police-investigation" in orgs:
        doc = services.document_draft(
            ctx=focal,
            organisation=dic,
            kind=DocumentKind.OFFICIAL_LETTER,
            summary="Chuyển hồ sơ vụ việc trang web giả mạo Cổng dịch vụ công tỉnh",
            body=TRANSFER_BODY,
            recipients=[orgs["st-police-investigation"]],
            signer_position="GIÁM ĐỐC",
            drafting_unit="TTra",
            case=transfer_case,
            stage=transfer_case.police_transfer,
        )
        doc = services.document_submit(ctx=focal, document=doc)
        doc = services.document_sign(ctx=head, document=doc)
        services.document_send(ctx=head, document=doc)
        made += 1
    if "police.focal" in people and "st-viettel" in orgs:
        services.document_register_incoming(
            ctx=AuditContext(actor=people["police.focal"]),
            organisation=people["police.focal"].organisation,
            file=_carrier_report_pdf(orgs["st-viettel"]),
            kind=DocumentKind.REPORT,
            summary="Kết quả xác minh chủ thuê bao 0323 456 789",
            reference="58/BC-VTST",
            issuer=orgs["st-viettel"],
            issued_on=timezone.localdate(),
            case=fraud
            if fraud and fraud.participants.filter(organisation=people["police.focal"].organisation).exists()
            else None,
        )
        made += 1
    if "st-police" in orgs:
        doc = services.document_draft(
            ctx=focal,
            organisation=dic,
            kind=DocumentKind.INVITATION,
            summary="Mời dự họp giao ban công tác phối hợp phòng, chống tội phạm 6 tháng",
            body="Sở Thông tin và Truyền thông trân trọng kính mời đại diện lãnh đạo Công an tỉnh dự họp giao ban "
            "công tác phối hợp theo Điều 18 của Quy chế.\nThời gian: 08 giờ 00, tại Phòng họp Sở./.",
            recipients=[orgs["st-police"]],
            signer_position="GIÁM ĐỐC",
        )
        services.document_submit(ctx=focal, document=doc)
        made += 1
    return f"{made} documents, {made_keys} DEMO keys"
