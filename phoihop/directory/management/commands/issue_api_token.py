"""`phoihop issue-api-token --org st-viettel --name "fraud feed"`: issue an organisation's API key.

The key is printed once and never stored (only its hash is): whoever runs this hands it over securely.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from phoihop.audit.services import AuditContext, operator_label
from phoihop.directory.models import Organisation
from phoihop.directory.services import api_token_issue


class Command(BaseCommand):
    help = "Issue an API key for an organisation; the key is shown once."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organisation code, e.g. st-viettel")
        parser.add_argument("--name", required=True, help="what the key is for, e.g. 'fraud feed'")

    def handle(self, *args, org, name, **options):
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None:
            raise CommandError(f"unknown organisation '{org}'")
        if not name.strip():
            raise CommandError("give the key a name (--name)")
        token, key = api_token_issue(
            organisation=organisation, name=name, ctx=AuditContext(label=operator_label("issue-api-token"))
        )
        self.stdout.write(f"API key for {organisation.code} ({token.name}), account {token.user.username}:")
        self.stdout.write(key)
        self.stdout.write(
            "Store it now: it is not kept and cannot be shown again. "
            "Send it as the header 'Authorization: Token <key>'."
        )
