"""Every write of the listing app: keyword-only arguments, an AuditContext, one transaction, an audit event.

listing_propose      an officer of the case's lead proposes a value of the case (Đ4.1, Đ9)
listing_move         approve / reject / confirm / delist (workflow.py), by a hub coordinator or head
appeal_submit        the owner of a listed value appeals (public form or API)
appeal_decide        a hub coordinator upholds (delists) or dismisses, with a reason; the appellant is told
listings_sweep       the periodic sweep: reminders before the review date, lapses after it
"""

from .appeals import AppealSubmitted, appeal_decide, appeal_submit, appeal_track
from .listings import listing_move, listing_propose
from .sweep import listings_sweep

__all__ = [
    "AppealSubmitted",
    "appeal_decide",
    "appeal_submit",
    "appeal_track",
    "listing_move",
    "listing_propose",
    "listings_sweep",
]
