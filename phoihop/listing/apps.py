from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingConfig(AppConfig):
    name = "phoihop.listing"
    verbose_name = _("Listed indicators")

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

        from . import demo, panels, permissions, ruleset_sections
        from .services import listings_sweep

        permissions.register()
        ruleset_sections.register()
        register_hook(PERIODIC_SWEEP_HOOK, listings_sweep)
        register_hook(DEMO_DATA_HOOK, demo.demo_listings_ensure)
        register_panel(
            Panel("indicators.indicator_detail", "listing/partials/indicator_panel.html", panels.indicator_panel)
        )
        register_panel(Panel("cases.case_aside", "listing/partials/case_panel.html", panels.case_panel, order=60))
        staff = frozenset(r.value for r in Role if r not in (Role.ENTERPRISE_REPORTER, Role.SYSADMIN))
        register_nav(
            NavItem("listing:lookup", _("Is it a scam?"), order=15, public=True),
            NavItem("listing:queue", _("Listed values"), order=65, roles=staff),
        )
