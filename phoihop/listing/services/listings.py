"""Proposing a value for listing, and the decisions on it (Đ4.1, Đ9, Đ11.2–11.3)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext, audit_record
from phoihop.cases.models import Case
from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.indicators.models import Indicator

from ..choices import ACTIVE_STATES, ListingStatus
from ..models import Listing, ListingCategory
from ..permissions import may_propose, visible_listings
from ..workflow import LISTING_WORKFLOW
from .common import create_with_reference

MIN_REASON = 10


def case_indicators(case: Case):
    """The indicators of the case's reports: what the case may propose for listing."""
    return Indicator.objects.filter(links__report__case_link__case=case).distinct().order_by("kind", "value")


def _category(code_or_obj: Any, kind: str) -> ListingCategory:
    code = getattr(code_or_obj, "code", code_or_obj)
    category = ListingCategory.objects.filter(code=str(code or ""), is_active=True).first()
    if category is None:
        raise Invalid({"category": [_("Choose a category.")]})
    if not category.applies_to(kind):
        raise Invalid(
            {
                "category": [
                    _("The category '%(category)s' does not apply to this kind of value.") % {"category": category.name}
                ]
            }
        )
    return category


def listing_propose(*, case: Case, indicator: Indicator, category: Any, reason: str, ctx: AuditContext) -> Listing:
    """Đ4.1, Đ9: propose `indicator` (a value of the case's reports) for listing, with a category and reason.

    Refused when the actor is not staff of the case's lead, when the value is proposed or listed already, or
    when it was delisted on appeal and this case is the one that listed it (only a new case lists it again).
    """
    user = ctx.actor
    if not may_propose(user, case):
        raise NotAllowed(
            _("Only an officer, focal point or head of the case's lead organisation may propose a listing.")
        )
    errors: dict[str, list[str]] = {}
    if indicator is None or not case_indicators(case).filter(pk=getattr(indicator, "pk", None)).exists():
        errors["indicator"] = [_("Choose a value from the case's reports.")]
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        errors["reason"] = [_("Explain what shows the value was used for fraud (at least 10 characters).")]
    if errors:
        raise Invalid(errors)
    category_obj = _category(category, indicator.kind)
    with transaction.atomic():
        # One proposer at a time per value: the second waits, then sees the first's proposal.
        Indicator.objects.select_for_update().filter(pk=indicator.pk).values("pk").first()
        active = Listing.objects.filter(indicator=indicator, status__in=ACTIVE_STATES).first()
        if active is not None:
            if visible_listings(user).filter(pk=active.pk).exists():
                raise Conflict(
                    _("This value is already %(status)s (%(ref)s).")
                    % {"status": ListingStatus(active.status).label.lower(), "ref": active.reference}
                )
            raise Conflict(_("This value is already proposed or listed."))
        last = Listing.objects.filter(indicator=indicator).exclude(status__in=ACTIVE_STATES).order_by("-pk").first()
        if last is not None and last.status == ListingStatus.DELISTED and last.case_id == case.pk:
            raise Conflict(
                _("This value was delisted (%(ref)s); only a new case can list it again.") % {"ref": last.reference}
            )
        try:
            listing = create_with_reference(
                Listing,
                "DS",
                6,
                {
                    "indicator": indicator,
                    "case": case,
                    "category": category_obj,
                    "reason": reason[:2000],
                    "proposed_by": user,
                },
            )
        except IntegrityError as exc:  # the partial unique index is the last guard
            raise Conflict(_("This value is already proposed or listed.")) from exc
        audit_record(
            ctx=ctx,
            action="listing.propose",
            obj=listing,
            summary=f"{listing.reference} {indicator}",
            data={"indicator": str(indicator), "case": case.reference, "category": category_obj.code},
        )
    return listing


def listing_move(*, listing: Listing, move: str, ctx: AuditContext, note: str = "", **extra: Any) -> Listing:
    """Make a workflow move (approve, reject, confirm, delist) on `listing`, as `ctx.actor`."""
    data = {"note": (note or "").strip(), **extra}
    return LISTING_WORKFLOW.run(move, obj=listing, data={k: v for k, v in data.items() if v}, ctx=ctx)
