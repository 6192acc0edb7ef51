"""Requests between organisations: information, expert assessment and hand-over requests, their working-day deadlines,
councils and hand-over records (Đ3.3, Đ5.5, Đ5.6, Đ8.3, Đ11.8, Đ17.2).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "phoihop.exchange"
    verbose_name = _("Requests between agencies")

    def ready(self) -> None:
        from phoihop.core.registry import (
            DEMO_DATA_HOOK,
            PERIODIC_SWEEP_HOOK,
            NavItem,
            Panel,
            register_hook,
            register_nav,
            register_panel,
        )
        from phoihop.core.search import register_search_source

        from . import demo, permissions, reminders, ruleset_sections, search
        from .views.panels import case_panel_context

        permissions.register()
        ruleset_sections.register()
        register_hook(PERIODIC_SWEEP_HOOK, reminders.periodic_sweep)
        register_hook(DEMO_DATA_HOOK, demo.demo_requests)
        register_search_source("requests", search.LABEL, search.request_hits, order=50)
        # Đ3.3: focal points (and heads, officers, enterprises' reporters) see the requests of their organisation.
        roles = frozenset(r.value for r in permissions.PARTY_ROLES)
        register_nav(NavItem("exchange:inbox", _("Requests"), order=65, roles=roles))
        register_panel(Panel("cases.case_detail", "exchange/partials/case_panel.html", case_panel_context, order=50))
