"""Requests through their services and workflows: drafting, sending, each recipient's lifecycle, refusals that
change nothing, files checked by content, withdrawal and closing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import storages

from phoihop.audit.models import AuditEvent
from phoihop.cases.tests.factories import ctx, make_cast, org
from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.core.workdays import add_working_days
from phoihop.exchange.choices import RecipientStatus as R
from phoihop.exchange.choices import RequestKind
from phoihop.exchange.choices import RequestStatus as S
from phoihop.exchange.models import Answer, Attachment, Recipient, Request
from phoihop.exchange.services import RequestInput, request_create, request_move
from phoihop.exchange.workflow import RECIPIENT_WORKFLOW

from .factories import make_request, move, on_day, pdf_file, recipient, signed_document, text_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db):
    return make_cast()


def stored_files(folder: str = "exchange") -> list[str]:
    """Every file kept under `folder` of the default storage."""
    storage = storages["default"]
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    return [f"{folder}/{f}" for f in files] + [x for d in dirs for x in stored_files(f"{folder}/{d}")]


def snapshot(request: Request) -> dict:
    """Everything a refused move must leave as it was."""
    request.refresh_from_db()
    return {
        "request": Request.objects.filter(pk=request.pk).values().get(),
        "recipients": list(Recipient.objects.filter(request=request).order_by("pk").values()),
        "answers": list(Answer.objects.filter(recipient__request=request).values()),
        "files": list(Attachment.objects.filter(request=request).values()),
        "events": AuditEvent.objects.count(),
        "stored": stored_files(),
    }


def test_a_draft_is_sent_with_a_due_date_in_working_days_from_the_rule_set(cast):
    with on_day(dt.date(2026, 12, 4)):  # a Friday
        req = make_request(cast.dic_focal, ["st-viettel", "st-vnpt"], send=False)
        assert req.status == S.DRAFT and req.reference.startswith("YC-2026-")
        assert set(req.recipients.values_list("status", flat=True)) == {R.DRAFT}
        req = request_move(request=req, move="send", ctx=ctx(cast.dic_focal))
    # exchange.yaml: an information request at normal urgency has 7 working days: Mon 7 .. Tue 15 December
    assert req.status == S.SENT and req.period_days == 7
    assert req.due_date == dt.date(2026, 12, 15) == add_working_days(dt.date(2026, 12, 4), 7)
    assert set(req.recipients.values_list("status", "due_date")) == {(R.SENT, dt.date(2026, 12, 15))}


def test_sent_across_tet_the_due_date_skips_the_holiday_and_the_weekends(cast):
    # Sent on Wed 2027-02-03, the last working day before Tết (Thu 4 .. Wed 10 February off): an urgent
    # (khẩn) request has 3 working days: Thu 11, Fri 12, Mon 15 February.
    with on_day(dt.date(2027, 2, 3)):
        req = make_request(cast.police_focal, ["st-dic"], urgency="khan")
    assert req.due_date == dt.date(2027, 2, 15)


def test_a_due_date_given_by_the_sender_is_kept(cast):
    with on_day(dt.date(2026, 12, 1)):
        req = make_request(cast.dic_focal, due_date=dt.date(2026, 12, 10))
    assert req.due_date == dt.date(2026, 12, 10)
    assert req.period_days == 7  # Wed 2 .. Thu 10 December: 7 working days


def test_the_whole_lifecycle_of_one_recipient(cast):
    req = make_request(cast.dic_focal, ["st-viettel"])
    row = recipient(req, "st-viettel")
    row = move(row, "receive", cast.viettel)
    assert row.status == R.RECEIVED and row.received_by == cast.viettel
    row = move(row, "assign", cast.viettel, assignee=cast.viettel)
    assert row.status == R.ASSIGNED
    row = move(row, "answer", cast.viettel, text="Chủ thuê bao: Nguyễn Văn A", files=[pdf_file()])
    assert row.status == R.ANSWERED
    answer = row.answers.get()
    attachment = answer.attachments.get()
    assert attachment.sha256 == __import__("hashlib").sha256(pdf_file().read()).hexdigest()
    assert storages["default"].exists(attachment.file)
    row = move(row, "return", cast.dic_focal, reason="Thiếu nhật ký cuộc gọi")
    assert row.status == R.RETURNED and row.answers.get().return_reason == "Thiếu nhật ký cuộc gọi"
    row = move(row, "answer", cast.viettel, text="Bổ sung nhật ký", files=[text_file()])
    assert row.status == R.ANSWERED and row.answers.count() == 2
    row = move(row, "accept", cast.dic_focal)
    assert row.status == R.ACCEPTED
    row = move(row, "close", cast.dic_focal)
    assert row.status == R.CLOSED
    req.refresh_from_db()
    assert req.status == S.CLOSED and req.closed_at is not None
    actions = list(
        AuditEvent.objects.filter(object_type="exchange.request", object_id=str(req.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "request.create",
        "request.move.send",
        *[
            f"request.recipient.move.{m}"
            for m in ("receive", "assign", "answer", "return", "answer", "accept", "close")
        ],
    ]


def test_each_recipient_has_its_own_lifecycle_and_the_request_closes_when_all_are_done(cast):
    req = make_request(cast.dic_focal, ["st-viettel", "st-vnpt"])
    a, b = recipient(req, "st-viettel"), recipient(req, "st-vnpt")
    a = move(move(a, "receive", cast.viettel), "answer", cast.viettel, text="Đã cung cấp")
    assert recipient(req, "st-vnpt").status == R.SENT
    move(move(a, "accept", cast.dic_focal), "close", cast.dic_focal)
    req.refresh_from_db()
    assert req.status == S.SENT  # VNPT still owes its answer
    move(b, "withdraw", cast.dic_focal, reason="Không còn cần")
    req.refresh_from_db()
    assert req.status == S.CLOSED


ALL_MOVES = [m.name for m in RECIPIENT_WORKFLOW]


@pytest.mark.parametrize("name", ALL_MOVES)
def test_a_move_not_allowed_from_the_state_is_refused_and_changes_nothing(cast, name):
    req = make_request(cast.dic_focal, ["st-viettel"])
    row = move(recipient(req, "st-viettel"), "receive", cast.viettel)
    row = move(row, "answer", cast.viettel, text="Trả lời")
    move(move(row, "accept", cast.dic_focal), "close", cast.dic_focal)  # closed: no move is possible any more
    before = snapshot(req)
    actor = cast.dic_focal if name in {"accept", "return", "close", "withdraw"} else cast.viettel
    with pytest.raises(Conflict):
        move(recipient(req, "st-viettel"), name, actor, text="x", reason="x", assignee=cast.viettel)
    assert snapshot(req) == before


@pytest.mark.parametrize(
    ("name", "who"),
    [("receive", "dic_focal"), ("receive", "vnpt"), ("receive", "police_focal"), ("accept", "viettel")],
)
def test_a_move_by_the_wrong_party_is_refused_and_changes_nothing(cast, name, who):
    req = make_request(cast.dic_focal, ["st-viettel"])
    row = recipient(req, "st-viettel")
    if name == "accept":
        row = move(move(row, "receive", cast.viettel), "answer", cast.viettel, text="Trả lời")
    before = snapshot(req)
    with pytest.raises(NotAllowed):
        move(row, name, cast[who])
    assert snapshot(req) == before


def test_an_answer_without_text_names_the_field_and_keeps_no_file(cast):
    req = make_request(cast.dic_focal, ["st-viettel"])
    row = move(recipient(req, "st-viettel"), "receive", cast.viettel)
    before = snapshot(req)
    with pytest.raises(Invalid) as err:
        move(row, "answer", cast.viettel, text="   ", files=[pdf_file()])
    assert "text" in err.value.errors
    assert snapshot(req) == before


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_kept(cast):
    req = make_request(cast.dic_focal, ["st-viettel"])
    row = move(recipient(req, "st-viettel"), "receive", cast.viettel)
    before = snapshot(req)
    fake = pdf_file("data.pdf", b"MZ\x90\x00 this is a program, not a PDF")
    with pytest.raises(Invalid) as err:
        move(row, "answer", cast.viettel, text="Trả lời", files=[fake])
    assert "files" in err.value.errors and "data.pdf" in err.value.errors["files"][0]
    assert snapshot(req) == before


def test_a_refused_answer_leaves_no_orphan_file(cast, monkeypatch):
    req = make_request(cast.dic_focal, ["st-viettel"])
    row = move(recipient(req, "st-viettel"), "receive", cast.viettel)

    def boom(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("phoihop.exchange.workflow.Answer.objects.create", boom)
    with pytest.raises(RuntimeError):
        move(row, "answer", cast.viettel, text="Trả lời", files=[pdf_file("unique.pdf", b"%PDF-1.4\n% unique\n")])
    assert not Attachment.objects.filter(request=req).exists()
    assert stored_files() == []


def test_bad_input_names_every_field_and_writes_nothing(cast):
    count = Request.objects.count()
    data = RequestInput(
        kind="gossip",
        subject="",
        article="Đ99",
        body=" ",
        recipients=[org("st-dic")],  # the sender itself
        urgency="whenever",
        due_date=dt.date(2000, 1, 1),
    )
    with pytest.raises(Invalid) as err:
        request_create(data=data, ctx=ctx(cast.dic_focal))
    assert set(err.value.errors) == {"kind", "subject", "article", "body", "recipients", "urgency", "due_date"}
    assert Request.objects.count() == count


def test_only_a_case_the_drafter_may_see_can_be_linked(cast):
    from phoihop.cases.tests.factories import open_case, submit_report

    case = open_case(cast.dic_focal, submit_report(), access_level="restricted")
    with pytest.raises(Invalid) as err:
        make_request(cast.doit_focal, ["st-viettel"], case=case)
    assert "case" in err.value.errors


def test_an_enterprise_reporter_may_not_draft(cast):
    with pytest.raises(NotAllowed):
        make_request(cast.viettel, ["st-dic"])


def test_withdrawing_a_sent_request_withdraws_every_open_recipient(cast):
    req = make_request(cast.dic_focal, ["st-viettel", "st-vnpt"])
    row = move(move(recipient(req, "st-viettel"), "receive", cast.viettel), "answer", cast.viettel, text="x")
    move(row, "accept", cast.dic_focal)
    req = request_move(request=req, move="withdraw", ctx=ctx(cast.dic_focal), reason="Vụ việc đã rõ")
    assert req.status == S.WITHDRAWN
    assert dict(req.recipients.values_list("organisation__code", "status")) == {
        "st-viettel": R.CLOSED,
        "st-vnpt": R.WITHDRAWN,
    }
    with pytest.raises(Conflict):
        move(recipient(req, "st-vnpt"), "receive", cast.vnpt)


def test_sending_without_a_period_and_without_a_due_date_names_the_due_date(cast):
    from phoihop.exchange.models import RequestPeriod

    RequestPeriod.objects.filter(kind=RequestKind.HANDOVER).delete()
    req = make_request(cast.dic_focal, kind=RequestKind.HANDOVER, article="Đ17.2", send=False)
    with pytest.raises(Invalid) as err:
        request_move(request=req, move="send", ctx=ctx(cast.dic_focal))
    assert "due_date" in err.value.errors
    req.refresh_from_db()
    assert req.status == S.DRAFT


def test_an_assessment_is_answered_only_with_the_councils_adopted_conclusion(cast, demo_keys):
    from phoihop.documents.choices import DocumentKind, DocumentStatus
    from phoihop.documents.models import DocumentRecipient
    from phoihop.exchange.services import council_adopt, council_form, council_session_record
    from phoihop.exchange.services.council import MemberInput

    req = make_request(cast.police_focal, ["st-dic"], kind=RequestKind.ASSESSMENT, article="Đ5.6")
    row = move(recipient(req, "st-dic"), "receive", cast.dic_focal)
    with pytest.raises(Conflict):
        move(row, "answer", cast.dic_focal, text="Kết luận")
    council = council_form(
        recipient=row,
        decision_ref="12/QĐ-STTTT",
        members=[
            MemberInput(role="chair", user=cast.dic_head),
            MemberInput(role="member", name="TS. Lê Văn Chuyên", affiliation="Trường Đại học Cần Thơ"),
        ],
        ctx=ctx(cast.dic_focal),
    )
    conclusion = signed_document(cast.dic_focal, cast.dic_head, kind=DocumentKind.ASSESSMENT)
    letter = signed_document(cast.dic_focal, cast.dic_head, kind=DocumentKind.OFFICIAL_LETTER)
    with pytest.raises(Conflict):  # no session yet
        council_adopt(
            council=council, conclusion="Thiết bị là trạm BTS giả", document=conclusion, ctx=ctx(cast.dic_focal)
        )
    council_session_record(
        council=council,
        held_on=dt.date.today(),
        place="Sở TTTT",
        attendees="Đủ thành viên",
        minutes="Kiểm tra thiết bị",
        ctx=ctx(cast.dic_focal),
    )
    with pytest.raises(Invalid) as err:  # a letter is not a conclusion
        council_adopt(council=council, conclusion="Kết luận", document=letter, ctx=ctx(cast.dic_focal))
    assert "conclusion_document" in err.value.errors
    council_adopt(council=council, conclusion="Thiết bị là trạm BTS giả", document=conclusion, ctx=ctx(cast.dic_focal))
    row = move(recipient(req, "st-dic"), "answer", cast.dic_focal, text="Kết luận giám định kèm theo")
    assert row.status == R.ANSWERED
    # the signed conclusion went back with the answer: sent, in the Police's incoming register, verified valid
    answer = row.answers.get()
    assert answer.reply_document_id == conclusion.pk
    conclusion.refresh_from_db()
    assert conclusion.status == DocumentStatus.SENT
    arrival = DocumentRecipient.objects.get(document=conclusion, organisation__code="st-police")
    assert arrival.incoming_number and arrival.verdict == "valid"
    with pytest.raises(Conflict):
        council_session_record(
            council=council, held_on=dt.date.today(), place="x", attendees="x", minutes="x", ctx=ctx(cast.dic_focal)
        )


def test_a_council_needs_exactly_one_chair_and_is_formed_once(cast):
    from phoihop.exchange.services import council_form
    from phoihop.exchange.services.council import MemberInput

    req = make_request(cast.police_focal, ["st-dic"], kind=RequestKind.ASSESSMENT, article="Đ5.6")
    row = move(recipient(req, "st-dic"), "receive", cast.dic_focal)
    with pytest.raises(Invalid) as err:
        council_form(
            recipient=row, decision_ref="", members=[MemberInput(role="member", name="A")], ctx=ctx(cast.dic_focal)
        )
    assert "members" in err.value.errors
    council_form(recipient=row, decision_ref="", members=[MemberInput(role="chair", name="A")], ctx=ctx(cast.dic_focal))
    with pytest.raises(Conflict):
        council_form(
            recipient=row, decision_ref="", members=[MemberInput(role="chair", name="B")], ctx=ctx(cast.dic_focal)
        )
    with pytest.raises(NotAllowed):  # the police asked; only the DIC forms the council
        council_form(
            recipient=row, decision_ref="", members=[MemberInput(role="chair", name="C")], ctx=ctx(cast.police_focal)
        )


def test_a_handover_records_items_with_their_sha256(cast):
    from django.utils import timezone

    from phoihop.exchange.services import HandoverItemInput, handover_record

    req = make_request(cast.dic_focal, ["st-viettel"])
    digest = "a" * 64
    handover = handover_record(
        request=req,
        from_organisation=org("st-viettel"),
        to_organisation=org("st-dic"),
        handed_by="Huỳnh Mỹ Linh",
        received_by="Trần Văn Minh",
        handed_at=timezone.now(),
        place="Sở TTTT Sóc Trăng",
        items=[HandoverItemInput("Ổ cứng chứa nhật ký cuộc gọi", digest.upper())],
        files=[text_file()],
        ctx=ctx(cast.viettel),
    )
    items = list(handover.items.order_by("pk").values_list("description", "sha256"))
    assert items[0] == ("Ổ cứng chứa nhật ký cuộc gọi", digest)
    assert items[1][0] == "log.txt" and len(items[1][1]) == 64
    with pytest.raises(Invalid) as err:
        handover_record(
            request=req,
            from_organisation=org("st-viettel"),
            to_organisation=org("st-vnpt"),
            handed_by="",
            received_by="x",
            handed_at=None,
            place="x",
            items=[HandoverItemInput("x", "not-a-digest")],
            ctx=ctx(cast.viettel),
        )
    assert {"to_organisation", "handed_by", "handed_at", "items"} <= set(err.value.errors)
    assert req.handovers.count() == 1
