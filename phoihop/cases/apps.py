from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "phoihop.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from phoihop.core.registry import NavItem, Panel, register_hook, register_nav, register_panel
        from phoihop.core.search import SearchIndex, register_search_index, register_search_source
        from phoihop.directory.choices import Role
        from phoihop.inbox.selectors import HIDDEN_REPORTS_HOOK
        from phoihop.intake.selectors import CASE_COUNTS_HOOK, RESTRICTED_HOOK
        from phoihop.intake.services.evidence import EVIDENCE_REFERENCES_HOOK

        from . import permissions, selectors, services

        permissions.register()
        register_hook(HIDDEN_REPORTS_HOOK, permissions.hidden_report_ids)
        register_hook(CASE_COUNTS_HOOK, selectors.indicator_case_counts)
        register_hook(RESTRICTED_HOOK, selectors.restricted_report_ids)
        # The evidence storage's discard and hourly orphan sweep keep the files of cases' evidence.
        register_hook(EVIDENCE_REFERENCES_HOOK, services.referenced_evidence_files)
        # The triage panel on the report page (it reads `report` and `request` from the page's context).
        register_panel(Panel("intake.report_detail", "cases/partials/report_triage.html", lambda request, obj: {}))
        register_search_index(SearchIndex("cases.case", "cases_case", "cases_case_fts", "cases_case_search_trgm"))
        register_search_source("cases", _("Cases"), selectors.case_search_hits, order=30)
        # Enterprises see the cases they take part in.
        register_nav(NavItem("cases:list", _("Cases"), order=60, roles=frozenset(r.value for r in Role)))
