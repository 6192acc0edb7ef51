"""Helpers shared by the documents tests."""

from __future__ import annotations

from phoihop.audit.services import AuditContext
from phoihop.cases.tests.factories import org
from phoihop.documents import services
from phoihop.documents.choices import DocumentKind

BODY = (
    "Căn cứ Quyết định số 11/2013/QĐ-UBND ngày 07/5/2013 của Ủy ban nhân dân tỉnh Sóc Trăng ban hành Quy chế phối hợp "
    "phòng, chống tội phạm trong lĩnh vực thông tin và truyền thông;\n"
    "Sở Thông tin và Truyền thông đề nghị Công an tỉnh phối hợp xác minh thuê bao 0912 345 678 có dấu hiệu lừa đảo, "
    "giả danh cơ quan công an để chiếm đoạt tài sản của người dân trên địa bàn thị xã Vĩnh Châu.\n"
    "Đề nghị quý cơ quan phối hợp thực hiện./."
)


def ctx(user) -> AuditContext:
    return AuditContext(actor=user, ip_address="192.0.2.10")


def draft(user, *, recipients=("st-police", "st-viettel"), kind=DocumentKind.OFFICIAL_LETTER, **extra):
    values = {
        "summary": "Phối hợp xác minh thuê bao có dấu hiệu lừa đảo",
        "body": BODY,
        "urgency": "khan",
        "signer_position": "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
        "drafting_unit": "TTra",
        **extra,
    }
    return services.document_draft(
        ctx=ctx(user),
        organisation=user.organisation,
        kind=kind,
        recipients=[org(c) for c in recipients],
        **values,
    )


def signed(drafter, head, **kw):
    doc = draft(drafter, **kw)
    doc = services.document_submit(ctx=ctx(drafter), document=doc)
    return services.document_sign(ctx=ctx(head), document=doc)


def sent(drafter, head, **kw):
    doc = signed(drafter, head, **kw)
    return services.document_send(ctx=ctx(head), document=doc)


def token_for(user) -> str:
    """An API key acting as `user` (the head signs with a key of their own)."""
    import hashlib
    import secrets

    from phoihop.directory.models import ApiToken

    prefix = secrets.token_hex(4)
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    ApiToken.objects.create(
        organisation=user.organisation,
        user=user,
        name=f"key of {user.username}",
        prefix=prefix,
        key_hash=hashlib.sha256(key.encode()).hexdigest(),
    )
    return key
