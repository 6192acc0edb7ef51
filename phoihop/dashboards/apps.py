from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "phoihop.dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from phoihop.cases.events import CASE_CHANGED_HOOK
        from phoihop.core.registry import PERIODIC_SWEEP_HOOK, NavItem, register_hook, register_nav
        from phoihop.inbox.services import ACKNOWLEDGED_HOOK
        from phoihop.intake.services.write import REPORTS_WRITTEN_HOOK

        from . import aggregates, restricted, ruleset_section, sweep
        from .roles import WORKING_ROLES

        ruleset_section.register()  # boundaries.geojson, the outlines of the offline map
        # Đ18: the daily counts follow every report and acknowledgement, in the same transaction.
        register_hook(REPORTS_WRITTEN_HOOK, aggregates.record_reports)
        register_hook(ACKNOWLEDGED_HOOK, aggregates.record_acknowledgement)
        # Đ3.1: what restricted cases hide, counted as their cases change and their deliveries are acknowledged.
        register_hook(CASE_CHANGED_HOOK, restricted.case_changed)
        register_hook(ACKNOWLEDGED_HOOK, restricted.record_acknowledgement)
        # Đ5.2: the daily indicator counts are kept only for the days the hub's week can read.
        register_hook(PERIODIC_SWEEP_HOOK, sweep.dashboards_sweep)
        register_nav(
            NavItem("dashboards:home", _("Dashboard"), order=5, roles=frozenset(r.value for r in WORKING_ROLES))
        )
