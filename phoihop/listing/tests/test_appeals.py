"""Appeals: refused naming the field when contact or explanation is missing (nothing written), proof checked
by its content, decided by a hub coordinator with a reason, the appellant told by e-mail and on the tracking
page; an upheld appeal delists the value."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phoihop.audit.models import AuditEvent
from phoihop.cases.tests.factories import ctx
from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.inbox.models import OutboxMessage

from ..choices import AppealStatus, ListingStatus
from ..models import Appeal, AppealProof
from ..services import appeal_decide, appeal_submit, appeal_track
from .helpers import listed

pytestmark = pytest.mark.django_db

EXPLANATION = "Tôi là chủ thuê bao mới của số này từ tháng 10, có hợp đồng với nhà mạng Viettel."
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def listing(cast):
    return listed(cast)


def submit(listing, **kwargs):
    data = {"email": "chu-moi@example.vn", "explanation": EXPLANATION, **kwargs}
    return appeal_submit(listing=listing, ctx=ctx(None), **data)


def test_contact_and_explanation_are_required_each_named(listing):
    with pytest.raises(Invalid) as exc:
        appeal_submit(listing=listing, explanation="", ctx=ctx(None))
    assert set(exc.value.errors) == {"contact", "explanation"}
    with pytest.raises(Invalid) as bad:
        submit(listing, email="not-an-address", phone="12")
    assert set(bad.value.errors) == {"contact"}
    assert not Appeal.objects.exists() and not OutboxMessage.objects.filter(kind="listing_appeal").exists()


def test_a_proof_is_checked_by_its_content_and_nothing_is_written_when_refused(listing):
    fake = SimpleUploadedFile("hop-dong.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    with pytest.raises(Invalid) as exc:
        submit(listing, proof=fake)
    assert set(exc.value.errors) == {"proof"}
    assert not Appeal.objects.exists() and not AppealProof.objects.exists()
    submitted = submit(listing, proof=SimpleUploadedFile("hop-dong.png", PNG, content_type="image/png"))
    proof = submitted.appeal.proofs.get()
    assert proof.content_type == "image/png" and bytes(proof.content) == PNG


def test_an_appeal_is_received_tracked_and_upheld(client, cast, listing):
    submitted = submit(listing, name="Lê Văn C", phone="0912 345 678")
    appeal = submitted.appeal
    assert appeal.status == AppealStatus.OPEN
    received = OutboxMessage.objects.get(kind="listing_appeal", recipients=["chu-moi@example.vn"])
    assert appeal.reference in received.body and submitted.secret in received.body
    event = AuditEvent.objects.get(action="appeal.submit")
    assert "chu-moi" not in str(event.data) + event.summary and "Lê Văn C" not in str(event.data) + event.summary
    assert appeal_track(reference=appeal.reference, secret=submitted.secret) == appeal
    assert appeal_track(reference=appeal.reference, secret="wrong") is None
    page = client.get(submitted.track_path)
    assert page.status_code == 200 and appeal.reference.encode() in page.content
    assert client.get(reverse("listing:appeal_status", args=[appeal.reference, "wrong"])).status_code == 404

    with pytest.raises(NotAllowed):
        appeal_decide(appeal=appeal, decision="uphold", reason="Đã xác minh.", ctx=ctx(cast.dic_focal))
    with pytest.raises(Invalid) as exc:
        appeal_decide(appeal=appeal, decision="maybe", reason="", ctx=ctx(cast.dic_hub))
    assert set(exc.value.errors) == {"decision", "reason"}
    appeal = appeal_decide(
        appeal=appeal, decision="uphold", reason="Nhà mạng xác nhận đã đổi chủ.", ctx=ctx(cast.dic_hub)
    )
    assert appeal.status == AppealStatus.UPHELD and appeal.decided_by == cast.dic_hub
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DELISTED
    told = OutboxMessage.objects.get(dedup_key=f"listing:appeal:{appeal.pk}:decided")
    assert "Nhà mạng xác nhận đã đổi chủ." in told.body
    assert b"Nh\xc3\xa0 m\xe1\xba\xa1ng x\xc3\xa1c nh\xe1\xba\xadn" in client.get(submitted.track_path).content
    with pytest.raises(Conflict):
        appeal_decide(appeal=appeal, decision="dismiss", reason="Lần hai.", ctx=ctx(cast.dic_hub))
    with pytest.raises(Conflict):  # nothing left to appeal
        submit(listing)


def test_a_dismissed_appeal_leaves_the_listing(cast, listing):
    appeal = submit(listing).appeal
    with pytest.raises(NotAllowed):  # a focal point of a hub is no decider; the head of the Police hub is
        appeal_decide(appeal=appeal, decision="dismiss", reason="Số vẫn đang gọi lừa đảo.", ctx=ctx(cast.police_focal))
    from phoihop.cases.tests.factories import make_user

    head = make_user("police.head", "st-police", "head", "Trưởng Công an")
    appeal_decide(appeal=appeal, decision="dismiss", reason="Số vẫn đang gọi lừa đảo.", ctx=ctx(head))
    listing.refresh_from_db()
    assert listing.status == ListingStatus.LISTED


def test_the_public_form_names_the_missing_fields_and_then_takes_the_appeal(client, listing):
    url = reverse("listing:appeal", args=[listing.reference])
    page = client.get(url)
    assert page.status_code == 200 and listing.indicator.value.encode() in page.content
    refused = client.post(url, {"name": "", "email": "", "phone": "", "explanation": ""})
    assert refused.status_code == 400
    assert b'id="field-email"' in refused.content and b"has-error" in refused.content
    assert not Appeal.objects.exists()
    proof = SimpleUploadedFile("cmnd.png", PNG, content_type="image/png")
    accepted = client.post(url, {"email": "a@example.vn", "explanation": EXPLANATION, "proof": proof})
    assert accepted.status_code == 302
    appeal = Appeal.objects.get()
    assert accepted["Location"].startswith(reverse("listing:appeal_lookup")) and appeal.proofs.count() == 1
    status = client.get(accepted["Location"])
    assert b"appeal-received" in status.content and appeal.reference.encode() in status.content


def test_the_appeal_form_of_a_value_not_listed_is_a_404(client, cast, listing):
    from ..services import listing_move

    listing_move(listing=listing, move="delist", ctx=ctx(cast.dic_hub), note="Đã gỡ.")
    assert client.get(reverse("listing:appeal", args=[listing.reference])).status_code == 404


def test_deciders_see_the_contact_others_get_a_404(client, cast, listing):
    appeal = submit(listing, name="Lê Văn C").appeal
    url = reverse("listing:appeal_detail", args=[appeal.reference])
    client.force_login(cast.dic_focal)
    assert client.get(url).status_code == 404
    client.force_login(cast.dic_hub)
    page = client.get(url)
    assert page.status_code == 200 and b"chu-moi@example.vn" in page.content
    response = client.post(url, {"decision": "uphold", "reason": "Đúng là chủ mới."})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD
