"""Issue an API key with the feed scope (CSV, STIX 2.1, MISP feeds of verified indicators) for an organisation.

    phoihop issue-feed-token --org st-viettel --name "Viettel anti-fraud"
    manage.py issue_feed_token --org st-viettel --name "..."     (the same)
    manage.py issue_feed_token --grant PREFIX                    (give the scope to an existing key)

The key is printed once; only its hash is kept.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from phoihop.audit.services import SYSTEM
from phoihop.directory.models import ApiToken, Organisation
from phoihop.listing.services.feeds import feed_grant, feed_token_issue


class Command(BaseCommand):
    help = "Issue an API key that may read the feeds of verified indicators (or grant the scope to a key)."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="organisation code (a new key)")
        parser.add_argument("--name", default="indicator feed", help="what the key is for")
        parser.add_argument("--grant", metavar="PREFIX", help="give the feed scope to this existing key")

    def handle(self, *args, org, name, grant, **options):
        if grant:
            token = ApiToken.objects.filter(prefix=grant).first()
            if token is None:
                raise CommandError(f"no API key with prefix {grant!r}")
            feed_grant(token=token, ctx=SYSTEM)
            self.stdout.write(f"The key {grant}… may now read the indicator feeds.")
            return
        organisation = Organisation.objects.filter(code=org or "").first()
        if organisation is None:
            raise CommandError(f"no organisation with code {org!r}")
        _token, key = feed_token_issue(organisation=organisation, name=name, ctx=SYSTEM)
        self.stdout.write("The key (shown once; keep it secret):")
        self.stdout.write(key)
