"""The feed scope of API keys: granted (a new key for the feeds, or an existing one) and revoked, audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import Invalid
from phoihop.directory.models import ApiToken, Organisation
from phoihop.directory.services import api_token_issue

from ..models import FeedGrant


def feed_grant(*, token: ApiToken, ctx: AuditContext) -> FeedGrant:
    """Give `token` the feed scope (again, if it was revoked)."""
    if token.revoked_at is not None:
        raise Invalid({"token": [_("This API key is revoked.")]})
    with transaction.atomic():
        grant, _created = FeedGrant.objects.update_or_create(
            token=token,
            defaults={"revoked_at": None, "granted_by": ctx.actor if getattr(ctx.actor, "pk", None) else None},
        )
        audit_record(ctx=ctx, action="listing.feed_grant", obj=grant, summary=str(token))
    return grant


def feed_token_issue(*, organisation: Organisation, name: str, ctx: AuditContext) -> tuple[ApiToken, str]:
    """A new API key for `organisation` with the feed scope; returns (token, key): the key is shown once."""
    with transaction.atomic():
        token, key = api_token_issue(organisation=organisation, name=name, ctx=ctx)
        feed_grant(token=token, ctx=ctx)
    return token, key


def feed_revoke(*, token: ApiToken, ctx: AuditContext) -> None:
    with transaction.atomic():
        changed = FeedGrant.objects.filter(token=token, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if changed:
            audit_record(ctx=ctx, action="listing.feed_revoke", obj=token, summary=str(token))
