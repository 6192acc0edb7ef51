"""Reads of the listing app, and the stable API the apps above it use (alerts, countermeasures).

listed_indicators(kinds=, since=)   the listings in force (status "listed"), with their indicators
listing_for(indicator)              the listing in force for one indicator, or None
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from .choices import ACTIVE_STATES, ListingStatus
from .models import Listing


def listed_indicators(*, kinds: Iterable[str] | None = None, since: dt.datetime | None = None) -> QuerySet[Listing]:
    """The listings in force (verified, never mere reports), newest first, with indicator and category.

    `kinds` keeps those indicator kinds; `since` those listed, confirmed or changed after that moment."""
    qs = Listing.objects.filter(status=ListingStatus.LISTED).select_related("indicator", "category")
    if kinds is not None:
        qs = qs.filter(indicator__kind__in=list(kinds))
    if since is not None:
        qs = qs.filter(updated_at__gt=since)
    return qs.order_by("-listed_at", "-pk")


def listing_for(indicator) -> Listing | None:
    """The listing in force for `indicator` (an indicators.Indicator or its id), or None."""
    indicator_id = getattr(indicator, "pk", indicator)
    return (
        Listing.objects.filter(indicator_id=indicator_id, status=ListingStatus.LISTED)
        .select_related("indicator", "category")
        .first()
    )


def active_listing_for(indicator) -> Listing | None:
    """The proposal or listing that holds `indicator` now (one at most), or None."""
    indicator_id = getattr(indicator, "pk", indicator)
    return Listing.objects.filter(indicator_id=indicator_id, status__in=ACTIVE_STATES).first()


def listing_history(indicator) -> QuerySet[Listing]:
    """Every decision ever taken on `indicator`, newest first."""
    indicator_id = getattr(indicator, "pk", indicator)
    return (
        Listing.objects.filter(indicator_id=indicator_id)
        .select_related("category", "case", "proposed_by", "decided_by")
        .order_by("-created_at", "-pk")
    )
