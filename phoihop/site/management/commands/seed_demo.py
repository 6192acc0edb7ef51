"""Demo data for a first look: one account per role and a realistic set of reports."""

from django.core.management.base import BaseCommand

from phoihop.directory.demo import demo_accounts_ensure


class Command(BaseCommand):
    help = "Create the demo accounts (idempotent) and print them with their passwords."

    def handle(self, *args, **options):
        accounts = demo_accounts_ensure()
        from phoihop.site.demo import demo_data_ensure

        created = demo_data_ensure()
        if created:
            self.stdout.write(f"demo data: {created}")
        self.stdout.write("Demo accounts (username / password / role @ organisation):")
        for account, password in accounts:
            self.stdout.write(f"  {account.username:<18} {password:<18} {account.role.label} @ {account.organisation}")
