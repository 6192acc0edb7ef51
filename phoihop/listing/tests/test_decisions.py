"""Listing decisions: who may propose and decide, what is refused (naming the field, nothing written), the
workflow's moves, the review date, the lapse by the periodic sweep, and delisted values staying delisted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from phoihop.audit.models import AuditEvent
from phoihop.cases.tests.factories import ctx, open_case, submit_report
from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.core.registry import PERIODIC_SWEEP_HOOK, _hooks, register_hook
from phoihop.inbox.models import OutboxMessage

from ..choices import ListingStatus
from ..hooks import DELISTED_HOOK, LISTED_HOOK
from ..models import Listing, ReviewPeriod
from ..selectors import listed_indicators, listing_for
from ..services import listing_move, listings_sweep
from .helpers import indicator, listed, propose, scam_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls():
    """Record what the hooks the apps above register into receive."""
    seen: list[tuple[str, str, str]] = []

    def on_listed(listing, ctx):
        seen.append(("listed", listing.reference, listing.status))

    def on_delisted(listing, ctx):
        seen.append(("delisted", listing.reference, listing.status))

    register_hook(LISTED_HOOK, on_listed)
    register_hook(DELISTED_HOOK, on_delisted)
    yield seen
    _hooks[LISTED_HOOK].handlers.remove(on_listed)
    _hooks[DELISTED_HOOK].handlers.remove(on_delisted)


def test_proposed_by_the_lead_approved_by_the_hub_listed_until_its_review_date(cast, calls):
    case = scam_case(cast)
    listing = propose(cast, case)
    assert listing.status == ListingStatus.PROPOSED
    assert listing_for(indicator()) is None  # a proposal is not a listing
    listing = listing_move(listing=listing, move="approve", ctx=ctx(cast.dic_hub))
    assert listing.status == ListingStatus.LISTED and listing.decided_by == cast.dic_hub
    days = ReviewPeriod.objects.get(kind="phone").days  # rule-set data (listing.yaml)
    assert listing.review_on == timezone.localdate() + dt.timedelta(days=days)
    assert listing_for(indicator()) == listing
    assert list(listed_indicators(kinds=["phone"])) == [listing]
    assert calls == [("listed", listing.reference, "listed")]
    events = AuditEvent.objects.filter(object_type="listing.listing", object_id=str(listing.pk))
    actions = list(events.values_list("action", flat=True))
    assert actions == ["listing.propose", "listing.move.approve"]


@pytest.mark.parametrize("who", ["viettel", "police_focal", "bp_focal", "procuracy", "outsider", "sysadmin"])
def test_only_the_lead_organisation_proposes(cast, who):
    case = scam_case(cast)
    with pytest.raises(NotAllowed):
        propose(cast, case, by=cast[who])
    assert not Listing.objects.exists()


@pytest.mark.parametrize("who", ["dic_focal", "police_focal", "viettel", "investigator"])
def test_only_a_hub_coordinator_or_head_decides(cast, who):
    listing = propose(cast, scam_case(cast))
    with pytest.raises(NotAllowed):
        listing_move(listing=listing, move="approve", ctx=ctx(cast[who]))
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PROPOSED


def test_the_proposer_does_not_approve_their_own_proposal(cast):
    listing = propose(cast, scam_case(cast), by=cast.dic_head)  # a head of the lead may propose...
    with pytest.raises(NotAllowed):
        listing_move(listing=listing, move="approve", ctx=ctx(cast.dic_head))  # ...but four eyes decide
    listing_move(listing=listing, move="approve", ctx=ctx(cast.dic_hub))


def test_bad_proposals_name_the_field_and_write_nothing(cast):
    case = scam_case(cast)
    other = submit_report(phone="0987 654 321")  # a value of no report of this case
    from ..services import listing_propose

    with pytest.raises(Invalid) as short:
        listing_propose(case=case, indicator=indicator(), category="scam-call", reason="lừa", ctx=ctx(cast.dic_focal))
    assert set(short.value.errors) == {"reason"}
    with pytest.raises(Invalid) as foreign:
        listing_propose(
            case=case,
            indicator=indicator("+84987654321"),
            category="scam-call",
            reason="Một lý do đủ dài để đề xuất.",
            ctx=ctx(cast.dic_focal),
        )
    assert set(foreign.value.errors) == {"indicator"}
    with pytest.raises(Invalid) as wrong_kind:
        propose(cast, case, category="phishing-site")  # a category for sites, not phone numbers
    assert set(wrong_kind.value.errors) == {"category"}
    with pytest.raises(Invalid) as unknown:
        propose(cast, case, category="no-such-category")
    assert set(unknown.value.errors) == {"category"}
    assert not Listing.objects.exists() and other.pk


def test_one_proposal_or_listing_at_a_time_per_value(cast):
    case = scam_case(cast)
    first = propose(cast, case)
    with pytest.raises(Conflict, match=first.reference):
        propose(cast, case)
    assert Listing.objects.count() == 1


def test_reject_needs_a_reason(cast):
    listing = propose(cast, scam_case(cast))
    with pytest.raises(Invalid) as exc:
        listing_move(listing=listing, move="reject", ctx=ctx(cast.dic_hub))
    assert "note" in exc.value.errors
    listing = listing_move(listing=listing, move="reject", ctx=ctx(cast.dic_hub), note="Chưa đủ căn cứ.")
    assert listing.status == ListingStatus.REJECTED and listing.end_reason == "Chưa đủ căn cứ."
    propose(cast, listing.case)  # a rejected proposal does not hold the value


def test_a_delisted_value_stays_delisted_unless_a_new_case_lists_it(cast, calls):
    case = scam_case(cast)
    listing = listed(cast, case)
    listing_move(listing=listing, move="delist", ctx=ctx(cast.dic_hub), note="Thuê bao đã đổi chủ.")
    assert calls[-1] == ("delisted", listing.reference, "delisted")
    assert listing_for(indicator()) is None
    with pytest.raises(Conflict, match="new case"):
        propose(cast, case)
    new_case = open_case(cast.dic_focal, submit_report(phone="0912.345.678"))
    again = listed(cast, new_case)
    assert again.status == ListingStatus.LISTED and again.case == new_case


def test_the_sweep_reminds_once_then_lapses_an_unconfirmed_listing(cast, calls, settings):
    listing = listed(cast)
    today = timezone.localdate()
    Listing.objects.filter(pk=listing.pk).update(review_on=today + dt.timedelta(days=3))
    assert listings_sweep() == 0
    reminders = OutboxMessage.objects.filter(kind="listing_review")
    assert reminders.count() == 1 and listing.indicator.value in reminders.get().body
    listings_sweep()
    assert reminders.count() == 1  # sent once
    listing.refresh_from_db()
    assert listing.status == ListingStatus.LISTED
    Listing.objects.filter(pk=listing.pk).update(review_on=today - dt.timedelta(days=1))
    listings_sweep()
    listing.refresh_from_db()
    assert listing.status == ListingStatus.LAPSED and listing.ended_at is not None
    assert calls[-1] == ("delisted", listing.reference, "lapsed")
    assert AuditEvent.objects.filter(action="listing.move.lapse", object_id=str(listing.pk), actor=None).exists()
    listings_sweep()  # idempotent
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.LAPSED


def test_confirming_at_review_sets_a_new_review_date(cast):
    listing = listed(cast)
    Listing.objects.filter(pk=listing.pk).update(review_on=timezone.localdate() - dt.timedelta(days=1))
    listing.refresh_from_db()
    listing = listing_move(listing=listing, move="confirm", ctx=ctx(cast.dic_head))
    assert listing.review_on > timezone.localdate() and listing.confirmed_at is not None
    listings_sweep()
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.LISTED


def test_the_sweep_is_registered_for_the_worker():
    from phoihop.core.registry import hook_handlers

    assert listings_sweep in hook_handlers(PERIODIC_SWEEP_HOOK)


def test_the_system_alone_lapses(cast):
    listing = listed(cast)
    with pytest.raises(NotAllowed):
        listing_move(listing=listing, move="lapse", ctx=ctx(cast.dic_hub))
