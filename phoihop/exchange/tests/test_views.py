"""The pages: the focal points' queues, a new request, the request page with its moves, files and council,
the case panel, 404 out of scope, and every view of a restricted request in the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from phoihop.audit.models import AuditEvent
from phoihop.cases.tests.factories import make_cast, open_case, submit_report
from phoihop.exchange.choices import RecipientStatus as R
from phoihop.exchange.models import Attachment, Request

from .factories import make_request, move, on_day, pdf_file, recipient, signed_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db):
    return make_cast()


def page(client, user, url, **kwargs):
    client.force_login(user)
    return client.get(url, **kwargs)


def test_the_queues_list_requests_to_answer_and_awaiting_answers_with_overdue_flagged(client, cast):
    with on_day(dt.date(2026, 11, 2)):
        late = make_request(cast.dic_focal, ["st-viettel"], subject="Yêu cầu quá hạn")
    soon = make_request(cast.dic_focal, ["st-viettel"], subject="Yêu cầu mới")
    html = page(client, cast.viettel, reverse("exchange:inbox")).content.decode()
    assert late.reference in html and soon.reference in html
    assert html.count('data-testid="overdue"') == 1
    html = page(client, cast.dic_focal, reverse("exchange:inbox")).content.decode()
    assert 'data-testid="awaiting"' in html and late.reference in html and 'data-testid="overdue"' in html


def test_a_request_is_drafted_and_sent_from_the_page(client, cast):
    client.force_login(cast.police_focal)
    response = client.post(
        reverse("exchange:new"),
        {
            "kind": "assessment",
            "recipients": ["st-dic"],
            "subject": "Trưng cầu giám định thiết bị phát sóng",
            "article": "Đ5.6",
            "body": "Đề nghị giám định thiết bị thu giữ.",
            "urgency": "normal",
            "files": [pdf_file()],
            "send": "1",
        },
    )
    req = Request.objects.get(subject="Trưng cầu giám định thiết bị phát sóng")
    assert response.status_code == 302 and response.url == reverse("exchange:detail", args=[req.reference])
    assert req.status == "sent" and req.attachments.count() == 1


def test_bad_input_on_the_page_names_the_fields_and_writes_nothing(client, cast):
    client.force_login(cast.police_focal)
    count = Request.objects.count()
    response = client.post(
        reverse("exchange:new"),
        {"kind": "information", "recipients": [], "subject": "", "article": "Đ11.8", "body": "x", "urgency": "normal"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "recipients" in errors and "subject" in errors
    assert Request.objects.count() == count


def test_a_recipient_moves_the_request_from_its_page(client, cast):
    req = make_request(cast.dic_focal, ["st-viettel"])
    row = recipient(req, "st-viettel")
    client.force_login(cast.viettel)
    url = reverse("exchange:recipient_move", args=[req.reference, row.pk, "receive"])
    assert client.post(url).status_code == 302
    url = reverse("exchange:recipient_move", args=[req.reference, row.pk, "answer"])
    response = client.post(
        url, {f"r{row.pk}-answer-text": "Chủ thuê bao: Nguyễn Văn A", f"r{row.pk}-answer-files": [pdf_file()]}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == R.ANSWERED
    # a move refused for its state says why and changes nothing
    response = client.post(reverse("exchange:recipient_move", args=[req.reference, row.pk, "receive"]))
    assert response.status_code == 409 and "refused" in response.content.decode()
    row.refresh_from_db()
    assert row.status == R.ANSWERED


def test_out_of_scope_is_a_404_and_the_files_too(client, cast):
    req = make_request(cast.dic_focal, ["st-viettel"], files=[pdf_file()])
    attachment = Attachment.objects.get(request=req)
    file_url = reverse("exchange:file", args=[req.reference, attachment.pk])
    assert page(client, cast.vnpt, reverse("exchange:detail", args=[req.reference])).status_code == 404
    assert page(client, cast.vnpt, file_url).status_code == 404
    response = page(client, cast.viettel, file_url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment")


def test_every_view_of_a_restricted_request_is_audited(client, cast):
    case = open_case(cast.dic_focal, submit_report(), access_level="restricted")
    req = make_request(cast.dic_focal, ["st-police"], case=case)
    before = AuditEvent.objects.filter(action="request.view").count()
    page(client, cast.dic_focal, reverse("exchange:detail", args=[req.reference]))
    page(client, cast.dic_focal, reverse("exchange:detail", args=[req.reference]))
    assert AuditEvent.objects.filter(action="request.view", object_id=str(req.pk)).count() == before + 2
    normal = make_request(cast.dic_focal, ["st-police"])
    page(client, cast.dic_focal, reverse("exchange:detail", args=[normal.reference]))
    assert not AuditEvent.objects.filter(action="request.view", object_id=str(normal.pk)).exists()


def test_the_case_page_lists_its_requests_with_overdue_flagged(client, cast):
    case = open_case(cast.dic_focal, submit_report())
    with on_day(dt.date(2026, 11, 2)):
        req = make_request(cast.dic_focal, ["st-viettel"], case=case)
    html = page(client, cast.dic_focal, reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'data-testid="case-requests"' in html and req.reference in html and 'data-testid="overdue"' in html


def test_the_council_is_formed_and_runs_from_the_page(client, cast, demo_keys):
    from phoihop.documents.choices import DocumentKind

    req = make_request(cast.police_focal, ["st-dic"], kind="assessment", article="Đ5.6")
    row = move(recipient(req, "st-dic"), "receive", cast.dic_focal)
    client.force_login(cast.dic_focal)
    url = reverse("exchange:council", args=[req.reference, row.pk, "form"])
    assert (
        client.post(
            url,
            {"council-form-decision_ref": "12/QĐ-STTTT", "council-form-user": "dic.head", "council-form-role": "chair"},
        ).status_code
        == 302
    )
    url = reverse("exchange:council", args=[req.reference, row.pk, "member"])
    assert (
        client.post(url, {"council-member-name": "TS. Lê Văn Chuyên", "council-member-role": "member"}).status_code
        == 302
    )
    doc = signed_document(cast.dic_focal, cast.dic_head, kind=DocumentKind.ASSESSMENT)
    url = reverse("exchange:council", args=[req.reference, row.pk, "adopt"])
    response = client.post(
        url, {"council-adopt-conclusion": "Thiết bị là trạm BTS giả", "council-adopt-conclusion_document": str(doc.pk)}
    )
    assert response.status_code == 409  # no session yet
    url = reverse("exchange:council", args=[req.reference, row.pk, "session"])
    today = dt.date.today().isoformat()
    assert (
        client.post(
            url,
            {
                "council-session-held_on": today,
                "council-session-place": "Sở TTTT",
                "council-session-attendees": "Đủ",
                "council-session-minutes": "Đã kiểm tra",
            },
        ).status_code
        == 302
    )
    url = reverse("exchange:council", args=[req.reference, row.pk, "adopt"])
    response = client.post(
        url, {"council-adopt-conclusion": "Thiết bị là trạm BTS giả", "council-adopt-conclusion_document": str(doc.pk)}
    )
    assert response.status_code == 302
    html = client.get(reverse("exchange:detail", args=[req.reference])).content.decode()
    assert 'data-testid="council-adopted"' in html and 'data-testid="move-answer"' in html
    url = reverse("exchange:recipient_move", args=[req.reference, row.pk, "answer"])
    assert client.post(url, {f"r{row.pk}-answer-text": "Kết luận giám định kèm theo"}).status_code == 302
    client.force_login(cast.police_focal)  # the requester sees the signed conclusion, verified on arrival
    html = client.get(reverse("exchange:detail", args=[req.reference])).content.decode()
    assert 'data-testid="reply-verdict" data-verdict="valid"' in html
