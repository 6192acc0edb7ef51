"""Staff pages: the proposals queue, proposing from a case, deciding on the listing page, the panels on the
indicator and case pages; everything through the permission scope (out of scope: 404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ..choices import ListingStatus
from ..models import Listing
from .helpers import indicator, listed, propose, scam_case

pytestmark = pytest.mark.django_db


def test_propose_from_the_case_then_approve_on_the_listing_page(client, cast):
    case = scam_case(cast)
    ind = indicator()
    client.force_login(cast.dic_focal)
    case_page = client.get(reverse("cases:detail", args=[case.reference]))
    assert reverse("listing:propose", args=[case.reference]).encode() in case_page.content
    url = reverse("listing:propose", args=[case.reference])
    refused = client.post(url, {"indicator": str(ind.pk), "category": "phishing-site", "reason": "Đủ căn cứ rồi."})
    assert refused.status_code == 400 and b'id="field-category"' in refused.content and not Listing.objects.exists()
    done = client.post(url, {"indicator": str(ind.pk), "category": "scam-call", "reason": "Nhà mạng đã xác minh."})
    listing = Listing.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("listing:detail", args=[listing.reference])
    page = client.get(done["Location"])
    assert page.status_code == 200 and b"move-approve" not in page.content  # a focal point does not decide

    client.force_login(cast.dic_hub)
    queue = client.get(reverse("listing:queue"))
    assert listing.reference.encode() in queue.content
    page = client.get(reverse("listing:detail", args=[listing.reference]))
    assert b"move-approve" in page.content and b"move-reject" in page.content
    client.post(reverse("listing:move", args=[listing.reference, "approve"]), {"note": ""})
    listing.refresh_from_db()
    assert listing.status == ListingStatus.LISTED
    missing = client.post(reverse("listing:move", args=[listing.reference, "delist"]), {"note": ""})
    assert missing.status_code == 302
    listing.refresh_from_db()
    assert listing.status == ListingStatus.LISTED  # a delisting needs its reason


def test_out_of_scope_is_a_404(client, cast):
    listing = listed(cast)
    client.force_login(cast.viettel)  # an enterprise takes no part in the case
    assert client.get(reverse("listing:detail", args=[listing.reference])).status_code == 404
    assert client.post(reverse("listing:move", args=[listing.reference, "delist"]), {"note": "x"}).status_code == 404
    client.force_login(cast.police_focal)  # the other hub sees it, and may not decide as a focal point
    assert client.get(reverse("listing:detail", args=[listing.reference])).status_code == 200
    client.logout()
    assert client.get(reverse("listing:queue")).status_code == 302  # to sign in


def test_only_the_lead_opens_the_propose_page(client, cast):
    case = scam_case(cast)
    client.force_login(cast.police_focal)  # sees the case (a hub), is not its lead
    assert client.get(reverse("listing:propose", args=[case.reference])).status_code == 403
    client.force_login(cast.viettel)
    assert client.get(reverse("listing:propose", args=[case.reference])).status_code == 404


def test_the_indicator_page_shows_the_listing_state(client, cast):
    case = scam_case(cast)
    client.force_login(cast.dic_focal)
    url = reverse("intake:indicator", args=["phone", "+84912345678"])
    page = client.get(url).content.decode()
    assert 'data-testid="listing-panel"' in page and reverse("listing:propose", args=[case.reference]) in page
    listing = propose(cast, case)
    page = client.get(url).content.decode()
    assert listing.reference in page and reverse("listing:propose", args=[case.reference]) not in page
