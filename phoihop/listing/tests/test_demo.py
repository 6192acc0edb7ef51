"""The demo data lists a few values, among them 0912 345 678, through the same decision path as real ones."""

from __future__ import annotations

import pytest

from phoihop.audit.models import AuditEvent
from phoihop.core.registry import DEMO_DATA_HOOK, hook_handlers
from phoihop.directory.demo import demo_accounts_ensure

from ..choices import ListingStatus
from ..demo import demo_listings_ensure
from ..lookup import lookup
from ..models import Listing

pytestmark = pytest.mark.django_db


def test_the_demo_lists_0912_345_678_through_the_decision_path(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo_accounts_ensure()
    summary = demo_listings_ensure()
    assert summary.startswith("3 listed values")
    assert demo_listings_ensure() == ""  # once
    listings = Listing.objects.all()
    assert {x.status for x in listings} == {ListingStatus.LISTED}
    assert {x.proposed_by.username for x in listings} == {"dic.focal"}
    assert {x.decided_by.username for x in listings} == {"dic.hub"}
    assert AuditEvent.objects.filter(action="listing.move.approve").count() == 3
    assert lookup("0912 345 678").status == "listed"
    assert demo_listings_ensure in hook_handlers(DEMO_DATA_HOOK)
