"""Countermeasures asked of carriers, platforms and banks: block a number, a URL or a domain, take content down, freeze
an account (Đ4.2, Đ11.2–11.3).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountermeasuresConfig(AppConfig):
    name = "phoihop.countermeasures"
    verbose_name = _("Countermeasures")

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
        from phoihop.directory.choices import Role
        from phoihop.listing.hooks import DELISTED_HOOK

        from . import permissions, rules
        from .demo import demo_countermeasures_ensure
        from .notifications import countermeasures_sweep
        from .services import countermeasures_lift_delisted
        from .views import case_panel, indicator_panel

        permissions.register()
        rules.register()
        # A delisted value: the blocks asked for on it are lifted (listing runs the hook in its transaction).
        register_hook(DELISTED_HOOK, countermeasures_lift_delisted)
        # Reminders past the deadline and escalation to the head, each once (the worker's periodic sweep).
        register_hook(PERIODIC_SWEEP_HOOK, countermeasures_sweep)
        register_hook(DEMO_DATA_HOOK, demo_countermeasures_ensure)
        register_panel(Panel("cases.case_detail", "countermeasures/partials/case_panel.html", case_panel, order=40))
        register_panel(
            Panel("indicators.indicator_detail", "countermeasures/partials/indicator_panel.html", indicator_panel)
        )
        roles = frozenset(r.value for r in Role if r != Role.SYSADMIN)
        register_nav(NavItem("countermeasures:list", _("Countermeasures"), order=65, roles=roles))
