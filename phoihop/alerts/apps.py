"""Advisories to the parties with acknowledgements (Đ6.2, Đ8.1, Đ5.1, Đ5.7), public warnings and their feeds (Đ9)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "phoihop.alerts"
    verbose_name = _("Advisories and public warnings")

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
        from phoihop.listing.hooks import PUBLIC_WARNING_HOOK

        from . import demo, notify, permissions, ruleset_sections, selectors
        from .views.panels import case_panel_context

        permissions.register()
        ruleset_sections.register()
        staff = frozenset(r.value for r in Role if r != Role.SYSADMIN)
        register_nav(
            NavItem("alerts:advisories", _("Advisories"), order=70, roles=staff),
            NavItem("alerts:warnings", _("Public warnings"), order=72, roles=frozenset(permissions.STAFF_ROLES)),
            NavItem("alerts:public_list", _("Scam warnings"), order=20, public=True, public_only=True),
        )
        register_panel(Panel("cases.case_detail", "alerts/partials/case_panel.html", case_panel_context, order=40))
        register_hook(PERIODIC_SWEEP_HOOK, notify.advisory_reminders_sweep)
        register_hook(DEMO_DATA_HOOK, demo.demo_alerts_ensure)
        # The public look-up of the listing app shows the warning that names a listed value.
        register_hook(PUBLIC_WARNING_HOOK, lambda *, indicator_ids: selectors.warnings_naming(indicator_ids))
