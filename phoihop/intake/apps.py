from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "phoihop.intake"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from phoihop.core.registry import NavItem, register_hook, register_nav
        from phoihop.core.search import SearchIndex, register_search_index, register_search_source
        from phoihop.directory.choices import Role
        from phoihop.inbox.services import ACKNOWLEDGED_HOOK

        from . import permissions, search, services

        permissions.register()
        from phoihop.core.permissions import register_policy

        from .imports.jobs import ImportJobPolicy
        from .models import ImportJob

        register_policy(ImportJob, ImportJobPolicy())  # Đ11.5: an organisation's own web imports
        # Đ3.4: the first acknowledgement moves the report from "received" to "acknowledged".
        register_hook(ACKNOWLEDGED_HOOK, services.report_mark_acknowledged)
        register_search_index(
            SearchIndex("intake.report", "intake_report", "intake_report_fts", "intake_report_search_trgm")
        )
        register_search_source("indicators", search.INDICATORS_LABEL, search.indicator_hits, order=10)
        register_search_source("reports", search.REPORTS_LABEL, search.report_hits, order=20)
        staff = frozenset(r.value for r in Role if r != Role.ENTERPRISE_REPORTER)
        register_nav(
            NavItem("intake:public_report", _("Report a violation"), order=10, public=True, public_only=True),
            NavItem("intake:track", _("Track a report"), order=20, public=True),
            NavItem("intake:inbox", _("Inbox"), order=30, roles=staff),
            NavItem("intake:my_reports", _("Our reports"), order=40, roles=frozenset({Role.ENTERPRISE_REPORTER.value})),
            NavItem("intake:new_report", _("New report"), order=50, roles=frozenset(r.value for r in Role)),
            NavItem(
                "intake:import_reports",
                _("Import reports"),
                order=55,
                roles=frozenset(r.value for r in Role if r != Role.SYSADMIN),
            ),
        )
