"""Panels this app adds to lower apps' pages (core.registry.register_panel): the listing state of an
indicator on its page, and the listing decisions of a case on the case page, each scoped to the viewer."""

from __future__ import annotations

from phoihop.cases.permissions import visible_cases
from phoihop.core.permissions import scope

from .choices import ACTIVE_STATES
from .models import Listing
from .permissions import may_propose
from .selectors import listing_for, listing_history


def indicator_panel(request, indicator) -> dict | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.organisation_id:
        return None
    rows = list(scope(user, listing_history(indicator))[:20])
    cases = []
    if not Listing.objects.filter(indicator=indicator, status__in=ACTIVE_STATES).exists():
        candidates = visible_cases(user).filter(
            lead_organisation_id=user.organisation_id, report_links__report__indicator_links__indicator=indicator
        )
        cases = [c for c in candidates.distinct().order_by("-created_at")[:5] if may_propose(user, c)]
    # That a value is listed (category, dates) is public; the decisions and cases only as the scope allows.
    return {"listing_public": listing_for(indicator), "listing_rows": rows, "listing_cases": cases}


def case_panel(request, case) -> dict | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    rows = list(scope(user, Listing.objects.filter(case=case).select_related("indicator", "category", "case")))
    allowed = may_propose(user, case)
    if not rows and not allowed:
        return None
    return {"case_listings": rows, "may_propose": allowed}
