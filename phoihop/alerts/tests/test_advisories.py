"""Advisories: who may issue which kind, recipients resolved on sending, acknowledgement, need to know, bad input."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from phoihop.alerts import permissions as perm
from phoihop.alerts.models import Advisory, AdvisoryFile, AdvisoryRecipient
from phoihop.alerts.selectors import advisories_received, advisory_for, advisory_recipients
from phoihop.alerts.services import advisory_acknowledge, advisory_move
from phoihop.audit.models import AuditEvent
from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.core.permissions import scope
from phoihop.indicators.models import Indicator

from .factories import advisory_to_carriers, ctx, png_upload

pytestmark = pytest.mark.django_db


def codes(advisory) -> set[str]:
    return set(advisory.recipients.values_list("organisation__code", flat=True))


def test_police_send_to_carriers_by_type(cast):
    advisory = advisory_to_carriers(cast.police_focal)
    assert advisory.status == "sent" and advisory.sent_at
    assert advisory.reference.startswith("CB-")
    assert {"st-viettel", "st-vnpt", "st-mobifone"} <= codes(advisory)
    assert "st-police" not in codes(advisory) and "st-dic" not in codes(advisory)
    assert list(advisory.indicators.values_list("kind", "value")) == [("phone", "+84912345678")]
    assert AuditEvent.objects.filter(action="advisory.move.send", object_id=str(advisory.pk)).exists()


def test_recipients_by_function_and_by_name(cast):
    advisory = advisory_to_carriers(
        cast.police_focal, types=[], functions=["trade_market_regulator"], organisations=["st-newspaper"]
    )
    assert codes(advisory) == {"st-doit", "st-newspaper"}


def test_each_kind_has_its_issuers(cast):
    assert perm.issuable_kinds(cast.police_focal) == ["crime_method"]
    assert perm.issuable_kinds(cast.doit_focal) == ["banned_goods"]
    assert perm.issuable_kinds(cast.dic_focal) == ["guidance"]
    assert perm.issuable_kinds(cast.viettel) == []
    with pytest.raises(NotAllowed) as refused:
        advisory_to_carriers(cast.doit_focal)  # Đ6.2 is the Police's
    assert refused.value.field == "kind"
    with pytest.raises(NotAllowed):
        advisory_to_carriers(cast.viettel)
    assert not Advisory.objects.exists()


def test_an_officer_drafts_but_only_focal_points_and_heads_send(cast):
    draft = advisory_to_carriers(cast.investigator, send=False)
    assert draft.status == "draft"
    with pytest.raises(NotAllowed):
        advisory_move(advisory=draft, move="send", ctx=ctx(cast.investigator))
    # Another police unit's focal point does not see the investigation agency's draft.
    assert advisory_for(cast.police_focal, draft.reference) is None


def test_bad_input_names_every_field_and_writes_nothing(cast):
    before = Indicator.objects.count()
    with pytest.raises(Invalid) as refused:
        advisory_to_carriers(
            cast.police_focal, title=" ", method="", types=["no-such-type"], indicators="0912 345 678\nxin chào"
        )
    errors = refused.value.errors
    assert {"title", "method", "types", "indicators"} <= set(errors)
    assert "Line 2" in errors["indicators"][0]
    with pytest.raises(Invalid) as refused:
        advisory_to_carriers(cast.police_focal, types=[])
    assert set(refused.value.errors) == {"audience"}
    assert not Advisory.objects.exists() and Indicator.objects.count() == before


def test_a_program_disguised_as_a_pdf_is_refused_and_nothing_kept(cast):
    fake = SimpleUploadedFile("huong-dan.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    with pytest.raises(Invalid) as refused:
        advisory_to_carriers(cast.police_focal, files=[png_upload(), fake])
    assert "files" in refused.value.errors and "huong-dan.pdf" in refused.value.errors["files"][0]
    assert not Advisory.objects.exists() and not AdvisoryFile.objects.exists()


def test_files_are_kept_with_the_advisory(cast):
    advisory = advisory_to_carriers(cast.police_focal, files=[png_upload()])
    stored = advisory.files.get()
    assert (stored.content_type, stored.name) == ("image/png", "tin-nhan.png")
    assert bytes(stored.data).startswith(b"\x89PNG")


def test_a_send_that_reaches_nobody_leaves_no_draft(cast):
    # DIC is the only holder of review_convenor, and the sender is never its own recipient.
    with pytest.raises(Invalid) as refused:
        advisory_to_carriers(cast.dic_focal, kind="guidance", types=[], functions=["review_convenor"])
    assert set(refused.value.errors) == {"audience"}
    assert not Advisory.objects.exists()


def test_acknowledge_once_and_the_sender_sees_who_has_not(cast):
    advisory = advisory_to_carriers(cast.police_focal)
    row = advisory_acknowledge(advisory=advisory, ctx=ctx(cast.viettel))
    assert row.acknowledged_by == cast.viettel and row.acknowledged_at
    with pytest.raises(Conflict):
        advisory_acknowledge(advisory=advisory, ctx=ctx(cast.viettel))
    with pytest.raises(NotAllowed):
        advisory_acknowledge(advisory=advisory, ctx=ctx(cast.bp_focal))  # not a recipient
    status = {r.organisation.code: bool(r.acknowledged_at) for r in advisory_recipients(advisory)}
    assert status["st-viettel"] is True and status["st-vnpt"] is False
    # The first rows are those still to acknowledge.
    assert next(iter(advisory_recipients(advisory))).acknowledged_at is None
    assert AuditEvent.objects.filter(action="advisory.acknowledge", object_id=str(advisory.pk)).count() == 1


def test_a_withdrawn_advisory_cannot_be_acknowledged(cast):
    advisory = advisory_to_carriers(cast.police_focal)
    with pytest.raises(Invalid) as refused:
        advisory_move(advisory=advisory, move="withdraw", ctx=ctx(cast.police_focal))
    assert refused.value.field == "reason"
    advisory_move(advisory=advisory, move="withdraw", ctx=ctx(cast.police_focal), reason="Số liệu sai")
    with pytest.raises(Conflict):
        advisory_acknowledge(advisory=Advisory.objects.get(pk=advisory.pk), ctx=ctx(cast.vnpt))


def test_need_to_know(cast):
    normal = advisory_to_carriers(cast.police_focal)
    restricted = advisory_to_carriers(cast.police_focal, access_level="restricted")
    draft = advisory_to_carriers(cast.police_focal, send=False)
    # The hub DIC sees normal advisories, never a restricted one it did not receive, nor a draft.
    seen_by_dic = set(scope(cast.dic_focal, Advisory).values_list("pk", flat=True))
    assert normal.pk in seen_by_dic and restricted.pk not in seen_by_dic and draft.pk not in seen_by_dic
    # A recipient sees both sent ones; a party that is neither sender, recipient nor hub sees none.
    assert {a.pk for a in advisories_received(cast.viettel)} == {normal.pk, restricted.pk}
    assert not scope(cast.bp_focal, Advisory).exists()
    assert not scope(cast.outsider, Advisory).exists()
    assert not scope(cast.sysadmin, Advisory).exists()
    assert AdvisoryRecipient.objects.filter(advisory=draft).count() == 0


def test_a_view_of_a_restricted_advisory_is_recorded(cast, client):
    restricted = advisory_to_carriers(cast.police_focal, access_level="restricted")
    client.force_login(cast.viettel)
    assert client.get(f"/alerts/advisories/{restricted.reference}/").status_code == 200
    event = AuditEvent.objects.get(action="advisory.view", object_id=str(restricted.pk))
    assert event.actor == cast.viettel and event.data["via"] == "web"
    client.force_login(cast.dic_focal)
    assert client.get(f"/alerts/advisories/{restricted.reference}/").status_code == 404
