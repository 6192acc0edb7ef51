"""API keys with the **feed scope**: they may read the feeds of verified indicators (CSV, STIX 2.1, MISP).

    phoihop issue-feed-token --org st-viettel --name "Viettel anti-fraud"   a new key with the feed scope
    phoihop issue-feed-token --grant PREFIX                                 give the scope to an existing key
    phoihop issue-feed-token --revoke PREFIX                                take the scope back (the key stays)
    phoihop issue-feed-token --list                                         the keys that hold it

A key is an organisation's API key (`phoihop issue-api-token`); the feed scope is one more thing it may do,
granted by DIC and recorded in the audit log (listing.models.FeedGrant). A key without it gets 403 on the feeds;
a key revoked altogether reads nothing. A new key is printed once; only its hash is kept.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from phoihop.audit.services import AuditContext, operator_label
from phoihop.core.errors import Invalid
from phoihop.directory.models import ApiToken, Organisation
from phoihop.listing.models import FeedGrant
from phoihop.listing.services.feeds import feed_grant, feed_revoke, feed_token_issue

FEEDS = ("api:listing-feed-csv", "api:listing-feed-stix", "api:listing-feed-misp-manifest")


class Command(BaseCommand):
    help = "Issue an API key with the feed scope (verified indicators as CSV, STIX, MISP), or grant, revoke, list it."

    def add_arguments(self, parser):
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--org", help="organisation code: a new key with the feed scope")
        what.add_argument("--grant", metavar="PREFIX", help="give the feed scope to this existing key")
        what.add_argument("--revoke", metavar="PREFIX", help="take the feed scope from this key (the key stays)")
        what.add_argument("--list", action="store_true", help="the keys with the feed scope")
        parser.add_argument("--name", default="indicator feed", help="with --org: what the key is for")

    def handle(self, *args, org, grant, revoke, list, name, **options):
        ctx = AuditContext(label=operator_label("issue-feed-token"))
        if list:
            return self._list()
        if grant or revoke:
            token = ApiToken.objects.select_related("organisation").filter(prefix=grant or revoke).first()
            if token is None:
                raise CommandError(f"no API key with prefix {grant or revoke!r}")
            if revoke:
                feed_revoke(token=token, ctx=ctx)
                self.stdout.write(f"The key {token} may no longer read the indicator feeds.")
                return
            try:
                feed_grant(token=token, ctx=ctx)
            except Invalid as error:
                raise CommandError(f"{token}: {error}") from error
            self.stdout.write(f"The key {token} may now read the indicator feeds.")
            self._usage()
            return
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None:
            raise CommandError(f"no organisation with code {org!r}")
        if not name.strip():
            raise CommandError("give the key a name (--name)")
        token, key = feed_token_issue(organisation=organisation, name=name, ctx=ctx)
        self.stdout.write(f"API key with the feed scope for {organisation.code} ({token.name}), prefix {token.prefix}:")
        self.stdout.write(key)
        self.stdout.write("Store it now: it is not kept and cannot be shown again.")
        self._usage()

    def _usage(self) -> None:
        paths = ", ".join(reverse(name) for name in FEEDS)
        self.stdout.write(
            f"Send it as the header 'Authorization: Token <key>' to {paths} (add ?since=<ISO time> for what changed)."
        )

    def _list(self) -> None:
        grants = (
            FeedGrant.objects.filter(revoked_at__isnull=True, token__revoked_at__isnull=True)
            .select_related("token__organisation")
            .order_by("token__organisation__code", "granted_at")
        )
        rows = [
            f"{g.token.prefix}\t{g.token.organisation.code}\t{g.token.name}\t{g.granted_at:%Y-%m-%d}" for g in grants
        ]
        self.stdout.write("\n".join(rows) if rows else "No key holds the feed scope.")
