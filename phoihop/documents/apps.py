"""Official documents (Decree 30/2020/NĐ-CP): drafts, the head's approval and PAdES signature, outgoing and incoming
registers, verification (Đ3.2, Đ4.5, Đ5.4).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "phoihop.documents"
    verbose_name = _("Official documents")

    def ready(self) -> None:
        from phoihop.core.registry import DEMO_DATA_HOOK, NavItem, Panel, register_hook, register_nav, register_panel
        from phoihop.core.search import register_search_source
        from phoihop.directory.choices import Role

        from . import demo, panels, permissions, ruleset_section, search

        permissions.register()
        ruleset_section.register()
        staff = frozenset(r.value for r in permissions.DOCUMENT_ROLES)
        register_nav(
            NavItem("documents:index", _("Documents"), order=65, roles=staff),
            NavItem("documents:queue", _("To sign"), order=66, roles=frozenset({Role.HEAD.value})),
        )
        register_panel(
            Panel("cases.case_detail", "documents/partials/case_documents.html", panels.case_panel, order=40)
        )
        register_hook(DEMO_DATA_HOOK, demo.demo_documents_ensure)
        register_search_source("documents", search.LABEL, search.document_hits, order=40)
