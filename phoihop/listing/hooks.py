"""What the listing app offers the apps above it (alerts, countermeasures): hooks they register into.

    DELISTED_HOOK        run inside the transaction that ends a listing (appeal upheld, lapse, a hub's
                         decision): handler(listing=Listing, ctx=AuditContext) -> None. Countermeasures lifts
                         the blocks it asked for; alerts drops the value from its public warnings.
    LISTED_HOOK          run inside the transaction that approves a listing:
                         handler(listing=Listing, ctx=AuditContext) -> None.
    PUBLIC_WARNING_HOOK  asked when the public index is built: handler(indicator_ids=list[int]) returns
                         {indicator_id: {"title": str, "url": str}} for the values a published public warning
                         names (alerts answers it); the first answer for an id wins.

When what PUBLIC_WARNING_HOOK answers changes (a warning published or withdrawn), the app that answers it
calls `public_index_changed()` so the look-up shows it within seconds in every process.
"""

from __future__ import annotations

from phoihop.core import refcache

DELISTED_HOOK = "listing.delisted"
LISTED_HOOK = "listing.listed"
PUBLIC_WARNING_HOOK = "listing.public_warnings"

# The generation of the public look-up index (core.refcache named generations).
INDEX_GENERATION_KEY = "phoihop:listing-index-generation"


def public_index_changed() -> None:
    """The listed values or their public warnings changed: every process rebuilds its look-up index."""
    refcache.bump(INDEX_GENERATION_KEY)
