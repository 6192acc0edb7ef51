"""A delisted value: the measures on it are lifted once, by the system, through listing's DELISTED_HOOK (the real
decision path of phoihop.listing: proposed by the lead, approved by a hub coordinator, delisted by a hub's decision)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from phoihop.audit.models import AuditEvent
from phoihop.cases.tests.factories import ctx
from phoihop.core.registry import run_hook
from phoihop.countermeasures.choices import LiftCause, Status
from phoihop.countermeasures.models import Countermeasure
from phoihop.countermeasures.services import countermeasure_move
from phoihop.inbox.models import OutboxMessage
from phoihop.listing.hooks import DELISTED_HOOK
from phoihop.listing.services import listing_move, listing_propose

from .conftest import request_block

pytestmark = pytest.mark.django_db


def _listed(world):
    listing = listing_propose(
        case=world.case,
        indicator=world.phone,
        category="scam-call",
        reason="Nhà mạng xác nhận thuê bao dùng để gọi lừa đảo.",
        ctx=ctx(world.cast.dic_focal),
    )
    return listing_move(listing=listing, move="approve", ctx=ctx(world.cast.dic_hub), note="Đã xác minh.")


def test_delisting_lifts_the_executed_block_once_and_tells_the_carrier(world):
    listing = _listed(world)
    cm = request_block(world)
    carrier = ctx(world.cast.viettel)
    cm, _ = countermeasure_move(countermeasure=cm, move="acknowledge", ctx=carrier)
    countermeasure_move(
        countermeasure=cm,
        move="execute",
        ctx=carrier,
        data={"executed_at": timezone.now(), "execution_reference": "VT-77"},
    )
    listing_move(listing=listing, move="delist", ctx=ctx(world.cast.dic_hub), note="Chủ thuê bao khiếu nại đúng.")
    cm.refresh_from_db()
    assert cm.status == Status.LIFTED and cm.lift_cause == LiftCause.DELISTING and cm.lifted_by is None
    assert listing.reference in cm.lift_reason and "khiếu nại" in cm.lift_reason
    event = AuditEvent.objects.get(action="countermeasure.move.lift_on_delisting", object_id=str(cm.pk))
    assert event.actor is None and event.data["by"] == "dic.hub" and event.data["listing"] == listing.reference
    assert OutboxMessage.objects.filter(dedup_key=f"cm.lift_on_delisting:{cm.pk}").count() == 1
    # The hook run again (a retried task, a second path) lifts nothing twice.
    listing.refresh_from_db()
    run_hook(DELISTED_HOOK, listing=listing, ctx=ctx(world.cast.dic_hub))
    assert AuditEvent.objects.filter(action="countermeasure.move.lift_on_delisting").count() == 1


def test_delisting_withdraws_a_pending_request_and_leaves_other_values_alone(world):
    from phoihop.indicators.models import Indicator

    listing = _listed(world)
    pending = request_block(world)
    other_value = Indicator.objects.create(kind="phone", value="+84987000222")
    Countermeasure.objects.create(  # a measure on another value (made directly: only its state matters here)
        reference="BP26-OTHER1",
        case=world.case,
        indicator=other_value,
        action="block_number",
        article="Đ11.3",
        target=pending.target,
        requesting_organisation=pending.requesting_organisation,
        requested_by=world.cast.dic_focal,
        legal_basis="Đ11.3",
        due_on=pending.due_on,
    )
    listing_move(listing=listing, move="delist", ctx=ctx(world.cast.dic_hub), note="Số đã thu hồi, cấp lại.")
    assert Countermeasure.objects.get(pk=pending.pk).status == Status.LIFTED
    assert Countermeasure.objects.get(reference="BP26-OTHER1").status == Status.REQUESTED
