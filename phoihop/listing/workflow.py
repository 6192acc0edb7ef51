"""The listing workflow, declared once (core.workflow): each move says who may make it, what it needs, what
it refuses and does, and the article it rests on. Pages, the API, the appeal service and the periodic sweep
all go through these objects.

    proposed -> listed    (approve: a hub coordinator or head, not the proposer; Đ4.1, Đ9)
    proposed -> rejected  (reject, with a reason)
    listed   -> listed    (confirm at the review: a new review date)
    listed   -> lapsed    (the periodic sweep, once the review date passed unconfirmed: numbers are recycled)
    listed   -> delisted  (a hub's decision, or an upheld appeal; run_hook(DELISTED_HOOK))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.audit.services import audit_record
from phoihop.core.errors import Conflict
from phoihop.core.registry import run_hook
from phoihop.core.workflow import Move, Workflow

from . import permissions as perm
from .choices import ListingStatus as S
from .forms import MoveForm
from .hooks import DELISTED_HOOK, LISTED_HOOK, public_index_changed
from .models import Listing, ReviewPeriod


def review_date(kind: str, start: dt.date | None = None) -> dt.date:
    """The day a listing of `kind` must be confirmed by (rule-set review periods, "*" for other kinds)."""
    periods = dict(ReviewPeriod.objects.filter(kind__in=[kind, "*"]).values_list("kind", "days"))
    days = periods.get(kind, periods.get("*"))
    if days is None:
        raise Conflict(_("The rule set in force has no review period for listings; load one with listing.yaml."))
    return (start or timezone.localdate()) + dt.timedelta(days=days)


def _note(data: Mapping[str, Any]) -> str:
    return str(data.get("note") or "").strip()


class ListingMove(Move):
    form_class = MoveForm

    def not_allowed_message(self, obj) -> str:
        return _("You may not '%(move)s' on this listing.") % {"move": self.label}

    def conflict_message(self, obj) -> str:
        return _("'%(move)s' is not possible while the listing is '%(status)s'.") % {
            "move": self.label,
            "status": S(obj.status).label,
        }

    def stale_message(self, obj) -> str:
        return _("The listing was changed by someone else; reload it.")

    def decided(self, obj: Listing, data, ctx) -> list[str]:
        obj.decided_by = ctx.actor if getattr(ctx.actor, "pk", None) else obj.decided_by
        obj.decided_at = timezone.now()
        obj.decision_note = _note(data) or obj.decision_note
        return ["decided_by", "decided_at", "decision_note"]


class Approve(ListingMove):
    """Đ4.1, Đ9: the hub verifies the proposal; the value is listed from now until its review date."""

    name, label, article = "approve", gettext_lazy("Approve and list"), "Đ4.1, Đ9"
    sources, target = frozenset({S.PROPOSED}), S.LISTED
    actor = perm.approver_may_decide

    def execute(self, *, obj, data, ctx) -> list[str]:
        now = timezone.now()
        obj.listed_at = now
        obj.review_on = review_date(obj.indicator.kind)
        return [*self.decided(obj, data, ctx), "listed_at", "review_on"]

    def after(self, *, obj, ctx) -> None:
        run_hook(LISTED_HOOK, listing=obj, ctx=ctx)
        public_index_changed()


class Reject(ListingMove):
    name, label = "reject", gettext_lazy("Reject")
    sources, target = frozenset({S.PROPOSED}), S.REJECTED
    actor = perm.approver_may_decide
    requires = ("note",)

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.ended_at = timezone.now()
        obj.end_reason = _note(data)
        return [*self.decided(obj, data, ctx), "ended_at", "end_reason"]


class Confirm(ListingMove):
    """The review: the value is still used for fraud; it stays listed until a new review date."""

    name, label, article = "confirm", gettext_lazy("Confirm at review"), "Đ11.2"
    sources, target = frozenset({S.LISTED}), S.LISTED
    actor = perm.decider

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.confirmed_at = timezone.now()
        obj.review_on = review_date(obj.indicator.kind)
        obj.review_reminded_at = None
        return [*self.decided(obj, data, ctx), "confirmed_at", "review_on", "review_reminded_at"]

    def after(self, *, obj, ctx) -> None:
        public_index_changed()


class Lapse(ListingMove):
    """Not confirmed by its review date: a recycled number must not stay listed for its new subscriber."""

    name, label = "lapse", gettext_lazy("Lapse")
    sources, target = frozenset({S.LISTED}), S.LAPSED
    actor = perm.system_only

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.ended_at = timezone.now()
        obj.end_reason = _("Not confirmed by its review date (%(day)s).") % {"day": obj.review_on}
        return ["ended_at", "end_reason"]

    def after(self, *, obj, ctx) -> None:
        run_hook(DELISTED_HOOK, listing=obj, ctx=ctx)
        public_index_changed()


class Delist(ListingMove):
    """A hub's decision, or an upheld appeal: the value is no longer listed; blocks are lifted (hook)."""

    name, label = "delist", gettext_lazy("Delist")
    sources, target = frozenset({S.LISTED}), S.DELISTED
    actor = perm.decider
    requires = ("note",)

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.ended_at = timezone.now()
        obj.end_reason = _note(data)
        return ["ended_at", "end_reason"]

    def audit_data(self, data) -> dict:
        return {k: str(v) for k, v in data.items() if k in ("note", "appeal")}

    def after(self, *, obj, ctx) -> None:
        run_hook(DELISTED_HOOK, listing=obj, ctx=ctx)
        public_index_changed()


def _record(ctx, listing: Listing, action: str, summary: str, data: dict) -> None:
    data = {**data, "indicator": str(listing.indicator), "case": listing.case.reference}
    audit_record(ctx=ctx, action=action, obj=listing, summary=f"{listing.reference} {summary}", data=data)


LISTING_WORKFLOW = Workflow(
    "listing",
    [Approve(), Reject(), Confirm(), Lapse(), Delist()],
    record=_record,
    lock=lambda obj: Listing.objects.select_for_update(of=("self",)).select_related("indicator", "case").get(pk=obj.pk),
)
