"""The documents services: the Decree-30 fields, the head's approval and signature, the registers, sending,
registering a document received by hand; every refusal names its field and writes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from phoihop.audit.models import AuditEvent
from phoihop.cases.tests.factories import org
from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.documents import services
from phoihop.documents.choices import DocumentKind, DocumentStatus, Verdict
from phoihop.documents.models import Document, DocumentRecipient, RegisterCounter
from phoihop.inbox.models import OutboxMessage

from .helpers import ctx, draft, sent, signed

pytestmark = pytest.mark.django_db


def test_the_journey_numbers_signs_and_delivers(people, demo_keys):
    doc = draft(people["dic_focal"])
    assert doc.status == DocumentStatus.DRAFT and doc.reference == "" and doc.pdf is None
    doc = services.document_submit(ctx=ctx(people["dic_focal"]), document=doc)
    assert doc.status == DocumentStatus.SUBMITTED and doc.submitted_at
    doc = services.document_sign(ctx=ctx(people["dic_head"]), document=doc)
    year = timezone.localdate().year
    assert doc.status == DocumentStatus.SIGNED
    assert (doc.year, doc.number, doc.reference) == (year, 1, "1/STTTT-TTra")  # công văn: the drafting unit
    assert doc.place == "Sóc Trăng" and doc.issued_on == timezone.localdate()
    assert doc.signer_name == "Lê Hoàng Phúc" and doc.signed_by == people["dic_head"]
    assert bytes(doc.pdf).startswith(b"%PDF-") and len(doc.pdf_sha256) == 64
    doc = services.document_send(ctx=ctx(people["dic_head"]), document=doc)
    assert doc.status == DocumentStatus.SENT and doc.verdict == Verdict.VALID
    assert doc.verification["integrity"] == "intact" and doc.verification["trust"] == "trusted"
    rows = {r.organisation.code: r for r in doc.recipients.select_related("organisation")}
    assert {c: (r.incoming_year, r.incoming_number, r.verdict) for c, r in rows.items()} == {
        "st-police": (year, 1, Verdict.VALID),
        "st-viettel": (year, 1, Verdict.VALID),
    }
    # The recipients' focal points are told through the outbox, once per organisation.
    keys = set(OutboxMessage.objects.filter(kind="document").values_list("dedup_key", flat=True))
    assert keys == {f"document:{doc.pk}:to:{org('st-police').pk}", f"document:{doc.pk}:to:{org('st-viettel').pk}"}
    actions = list(
        AuditEvent.objects.filter(object_id=str(doc.pk), object_type="documents.document").values_list(
            "action", flat=True
        )
    )
    assert actions == ["document.draft", "document.move.submit", "document.move.sign", "document.move.send"]


def test_a_decision_takes_the_kind_symbol_and_the_next_number(people, demo_keys):
    first = signed(people["dic_focal"], people["dic_head"])
    second = signed(people["dic_focal"], people["dic_head"], kind=DocumentKind.DECISION)
    assert first.reference == "1/STTTT-TTra"
    assert second.reference == "2/QĐ-STTTT"


@pytest.mark.parametrize(
    "field, value",
    [
        ("summary", "   "),
        ("body", ""),
        ("signer_position", ""),
        ("kind", "thu_tay"),
        ("urgency", "rat_khan"),
        ("recipients", []),
        ("drafting_unit", "Thanh tra"),
    ],
)
def test_a_missing_or_wrong_decree_30_field_is_refused_by_name(people, field, value):
    with pytest.raises(Invalid) as refused:
        if field == "recipients":
            services.document_draft(
                ctx=ctx(people["dic_focal"]),
                organisation=people["dic_focal"].organisation,
                kind=DocumentKind.OFFICIAL_LETTER,
                summary="V/v phối hợp",
                body="Nội dung",
                recipients=[],
                signer_position="GIÁM ĐỐC",
            )
        elif field == "kind":
            draft(people["dic_focal"], kind=value)
        else:
            draft(people["dic_focal"], **{field: value})
    assert field in refused.value.errors
    assert not Document.objects.exists() and not DocumentRecipient.objects.exists()


def test_recipients_cannot_include_the_issuer_and_staff_draft_only_for_their_own_organisation(people):
    with pytest.raises(Invalid) as refused:
        draft(people["dic_focal"], recipients=("st-dic", "st-police"))
    assert "recipients" in refused.value.errors
    with pytest.raises(NotAllowed):
        services.document_draft(
            ctx=ctx(people["dic_focal"]),
            organisation=org("st-police"),
            kind=DocumentKind.OFFICIAL_LETTER,
            summary="x",
            body="y",
            recipients=[org("st-doit")],
            signer_position="GIÁM ĐỐC",
        )
    with pytest.raises(NotAllowed):
        draft(people["viettel"], recipients=("st-dic",))  # an enterprise reporter drafts nothing here
    assert not Document.objects.exists()


def test_only_the_head_of_the_issuing_organisation_signs(people, demo_keys):
    doc = services.document_submit(ctx=ctx(people["dic_focal"]), document=draft(people["dic_focal"]))
    for who in ("dic_focal", "dic_officer", "police_head"):
        with pytest.raises(NotAllowed):
            services.document_sign(ctx=ctx(people[who]), document=doc)
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.SUBMITTED and doc.number is None
    assert not RegisterCounter.objects.exists()


def test_signing_without_a_key_names_the_organisation_and_takes_no_number(people, var_dir):
    doc = services.document_submit(ctx=ctx(people["dic_focal"]), document=draft(people["dic_focal"]))
    with pytest.raises(Conflict) as refused:
        services.document_sign(ctx=ctx(people["dic_head"]), document=doc)
    assert "Sở Thông tin và Truyền thông tỉnh Sóc Trăng" in str(refused.value.message)
    assert "no signing key" in str(refused.value.message)
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.SUBMITTED and doc.number is None and doc.pdf is None
    assert not RegisterCounter.objects.exists()


def test_a_failed_signature_leaves_no_gap(people, demo_keys, monkeypatch):
    first = signed(people["dic_focal"], people["dic_head"])
    doc = services.document_submit(ctx=ctx(people["dic_focal"]), document=draft(people["dic_focal"]))

    def token_unplugged(*args, **kwargs):
        raise OSError("CKR_TOKEN_NOT_PRESENT")

    monkeypatch.setattr("phoihop.documents.workflow.sign_pdf", token_unplugged)
    with pytest.raises(Exception) as failed:
        services.document_sign(ctx=ctx(people["dic_head"]), document=doc)
    assert "CKR_TOKEN_NOT_PRESENT" in str(failed.value)
    monkeypatch.undo()
    doc.refresh_from_db()
    assert doc.number is None and doc.status == DocumentStatus.SUBMITTED
    doc = services.document_sign(ctx=ctx(people["dic_head"]), document=doc)
    assert (first.number, doc.number) == (1, 2)


def test_the_head_returns_with_comments_and_the_drafter_resubmits(people, demo_keys):
    doc = services.document_submit(ctx=ctx(people["dic_focal"]), document=draft(people["dic_focal"]))
    with pytest.raises(Invalid) as refused:
        services.document_return(ctx=ctx(people["dic_head"]), document=doc, comment="  ")
    assert "comment" in refused.value.errors
    doc = services.document_return(ctx=ctx(people["dic_head"]), document=doc, comment="Bổ sung căn cứ pháp lý.")
    assert doc.status == DocumentStatus.RETURNED and doc.return_comment == "Bổ sung căn cứ pháp lý."
    with pytest.raises(Conflict):
        services.document_sign(ctx=ctx(people["dic_head"]), document=doc)
    doc = services.document_update(
        ctx=ctx(people["dic_focal"]), document=doc, body="Căn cứ Điều 11 Quy chế.\nNội dung."
    )
    doc = services.document_submit(ctx=ctx(people["dic_focal"]), document=doc)
    doc = services.document_sign(ctx=ctx(people["dic_head"]), document=doc)
    assert doc.number == 1
    with pytest.raises(Conflict):
        services.document_update(ctx=ctx(people["dic_focal"]), document=doc, summary="Sửa sau khi ký")


def test_sending_twice_is_refused_and_arrival_numbers_follow_each_register(people, demo_keys):
    one = sent(people["dic_focal"], people["dic_head"], recipients=("st-police",))
    with pytest.raises(Conflict):
        services.document_send(ctx=ctx(people["dic_head"]), document=one)
    two = sent(people["dic_focal"], people["dic_head"], recipients=("st-police", "st-doit"))
    numbers = dict(two.recipients.values_list("organisation__code", "incoming_number"))
    assert numbers == {"st-police": 2, "st-doit": 1}


def test_a_document_links_to_a_case_stage(people, demo_keys):
    from phoihop.cases.models import PoliceTransfer
    from phoihop.cases.services import case_transition
    from phoihop.cases.tests.factories import open_case, submit_report

    focal = people["dic_focal"]
    case = open_case(focal, submit_report())
    case = case_transition(case=case, move="verify", ctx=ctx(focal))
    case = case_transition(
        case=case,
        move="transfer",
        ctx=ctx(focal),
        receiving_police_unit=org("st-police-investigation"),
        transfer_dossier="Hồ sơ chuyển",
    )
    transfer = PoliceTransfer.objects.get(case=case)
    doc = draft(focal, recipients=("st-police-investigation",), case=case, stage=transfer)
    assert doc.case == case and doc.police_transfer == transfer
    other = open_case(focal, submit_report(phone="0987 654 321"))
    with pytest.raises(Invalid) as refused:
        draft(focal, case=other, stage=transfer)
    assert "stage" in refused.value.errors
