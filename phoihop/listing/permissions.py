"""Who may see and decide listings and appeals (Đ3.1, Đ5.2, Đ17.1). One policy for the pages and the API.

- a listing is seen by the hubs (DIC, Provincial Police: Đ5.2) and by whoever sees its case;
- an officer, focal point or head of the case's lead organisation proposes a listing;
- a hub coordinator or the head of a hub decides: approves or rejects a proposal, confirms a listing at its
  review, delists; never the one who proposed it (four eyes);
- appeals (with the appellant's contact, personal data) are seen and decided by the hubs' coordinators and
  heads only.

That a value is listed (its category and date) is public: the look-up tells anyone.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from phoihop.cases.permissions import visible_cases
from phoihop.core.permissions import memo, register_policy
from phoihop.directory.choices import Role

from .models import Appeal, Listing

PROPOSING_ROLES = {Role.OFFICER, Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR}
DECIDING_ROLES = {Role.HUB_COORDINATOR, Role.HEAD}


class Action:
    VIEW = "view"
    PROPOSE = "propose"
    DECIDE = "decide"


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.organisation_id)


def _hub(user) -> bool:
    return _active(user) and memo(user, "listing.hub", lambda: user.is_hub_member)


def may_decide(user) -> bool:
    """Đ5.2: a hub coordinator or the head of DIC or the Provincial Police."""
    return _hub(user) and user.role in DECIDING_ROLES


def may_propose(user, case) -> bool:
    """An officer, focal point or head of the case's lead organisation, who sees the case."""
    return (
        _active(user)
        and user.role in PROPOSING_ROLES
        and user.organisation_id == case.lead_organisation_id
        and visible_cases(user).filter(pk=case.pk).exists()
    )


def visible_listings(user, qs: QuerySet[Listing] | None = None) -> QuerySet[Listing]:
    qs = Listing.objects.all() if qs is None else qs
    if not _active(user) or user.role == Role.SYSADMIN:
        return qs.none()
    if _hub(user):
        return qs
    return qs.filter(Exists(visible_cases(user).filter(pk=OuterRef("case_id"))))


def visible_appeals(user, qs: QuerySet[Appeal] | None = None) -> QuerySet[Appeal]:
    qs = Appeal.objects.all() if qs is None else qs
    return qs if may_decide(user) else qs.none()


def approver_may_decide(user, listing: Listing) -> bool:
    """The actor rule of approve/reject: a hub decider who did not propose it."""
    return may_decide(user) and listing.proposed_by_id != getattr(user, "pk", None)


def decider(user, listing: Listing) -> bool:
    """The actor rule of confirm and delist."""
    return may_decide(user)


def system_only(user, listing: Listing) -> bool:
    """The actor rule of lapse: the periodic sweep (no person)."""
    return user is None


class ListingPolicy:
    def scope(self, user, qs: QuerySet[Listing], action: str = Action.VIEW) -> QuerySet[Listing]:
        if action == Action.DECIDE:
            return qs if may_decide(user) else qs.none()
        return visible_listings(user, qs)

    def can(self, user, action: str, listing: Listing) -> bool:
        if action == Action.DECIDE:
            return may_decide(user)
        if action == Action.PROPOSE:
            return may_propose(user, listing.case)
        return visible_listings(user).filter(pk=listing.pk).exists()


class AppealPolicy:
    def scope(self, user, qs: QuerySet[Appeal], action: str = Action.VIEW) -> QuerySet[Appeal]:
        return visible_appeals(user, qs)

    def can(self, user, action: str, appeal: Appeal) -> bool:
        return may_decide(user)


def register() -> None:
    register_policy(Listing, ListingPolicy())
    register_policy(Appeal, AppealPolicy())


def has_feed_scope(token) -> bool:
    """Does this API key (request.auth) hold the feed scope (a FeedGrant not revoked)?"""
    from phoihop.directory.models import ApiToken

    from .models import FeedGrant

    if not isinstance(token, ApiToken) or token.revoked_at is not None:
        return False
    return FeedGrant.objects.filter(token_id=token.pk, revoked_at__isnull=True).exists()
