"""What the listing tests share: a case of DIC with a report of the scam number, and a listing made through
the same decision path as real ones (proposed by the lead's focal point, approved by the DIC hub coordinator)."""

from __future__ import annotations

from phoihop.cases.tests.factories import ctx, open_case, submit_report
from phoihop.indicators.models import Indicator

from ..models import Listing
from ..services import listing_move, listing_propose

PHONE = "+84912345678"


def scam_case(cast, *, phone: str = "0912 345 678", **report):
    rep = submit_report(phone=phone, **report)
    return open_case(cast.dic_focal, rep)


def indicator(value: str = PHONE, kind: str = "phone") -> Indicator:
    return Indicator.objects.get(kind=kind, value=value)


def propose(cast, case, ind=None, *, category: str = "scam-call", by=None) -> Listing:
    return listing_propose(
        case=case,
        indicator=ind or indicator(),
        category=category,
        reason="Nhà mạng xác nhận thuê bao dùng để gọi lừa đảo.",
        ctx=ctx(by or cast.dic_focal),
    )


def listed(cast, case=None, ind=None, **kwargs) -> Listing:
    case = case or scam_case(cast)
    listing = propose(cast, case, ind, **kwargs)
    return listing_move(listing=listing, move="approve", ctx=ctx(cast.dic_hub), note="Đã xác minh.")
