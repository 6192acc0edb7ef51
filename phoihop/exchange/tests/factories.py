"""Helpers of the exchange tests: the cases app's named cast, and requests made through the services."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from phoihop.cases.tests.factories import ctx, org
from phoihop.directory.models import User
from phoihop.exchange.choices import RequestKind, Urgency
from phoihop.exchange.models import Recipient, Request
from phoihop.exchange.services import RequestInput, recipient_move, request_create

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def pdf_file(name: str = "subscriber.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def text_file(name: str = "log.txt", content: bytes = b"2026-11-30 10:00 call 0912345678 -> 0987654321\n"):
    return SimpleUploadedFile(name, content, content_type="text/plain")


def make_request(
    by: User,
    recipients=("st-viettel",),
    *,
    kind: str = RequestKind.INFORMATION,
    article: str = "Đ11.8",
    send: bool = True,
    urgency: str = Urgency.NORMAL,
    due_date: dt.date | None = None,
    case=None,
    report=None,
    files=(),
    subject: str = "Thông tin thuê bao số 0912 345 678",
) -> Request:
    data = RequestInput(
        kind=kind,
        subject=subject,
        article=article,
        body="Đề nghị cung cấp thông tin chủ thuê bao và nhật ký cuộc gọi từ 01/11 đến 30/11.",
        recipients=[org(c) for c in recipients],
        urgency=urgency,
        due_date=due_date,
        case=case,
        report=report,
        files=list(files),
    )
    return request_create(data=data, ctx=ctx(by), send=send)


def recipient(request: Request, code: str) -> Recipient:
    return Recipient.objects.select_related("request", "organisation").get(request=request, organisation__code=code)


def move(row: Recipient, name: str, by: User, **data) -> Recipient:
    return recipient_move(recipient=row, move=name, ctx=ctx(by), **data)


@contextmanager
def on_day(day: dt.date, hour: int = 9):
    """Every `timezone.now()` (and so `localdate()`) reads `day` at `hour` in Viet Nam."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def signed_document(drafter: User, head: User, *, kind: str, recipients=("st-police",), send: bool = False):
    """A document of `drafter`'s organisation signed by its head (and sent when `send`), through the documents
    app's services."""
    from phoihop.documents import services as docs

    doc = docs.document_draft(
        ctx=ctx(drafter),
        organisation=drafter.organisation,
        kind=kind,
        summary="Kết luận giám định trang web giả mạo cổng dịch vụ công",
        body="Căn cứ Quyết định số 11/2013/QĐ-UBND;\nHội đồng giám định kết luận: trang web là giả mạo./.",
        recipients=[org(c) for c in recipients],
        signer_position="GIÁM ĐỐC",
        drafting_unit="TTra",
    )
    doc = docs.document_submit(ctx=ctx(drafter), document=doc)
    doc = docs.document_sign(ctx=ctx(head), document=doc)
    return docs.document_send(ctx=ctx(head), document=doc) if send else doc
