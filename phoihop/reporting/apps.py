"""The six-monthly reporting cycle: periods and obligations, each party's report, the consolidated report to the
Provincial People's Committee, review meetings, difficulties and awareness activities (Đ18, Đ19, Đ4.1, Đ5.3, Đ9).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "phoihop.reporting"
    verbose_name = _("Periodic reporting")

    def ready(self) -> None:
        from phoihop.core.registry import DEMO_DATA_HOOK, PERIODIC_SWEEP_HOOK, NavItem, register_hook, register_nav
        from phoihop.directory.choices import Role

        from . import permissions, rules
        from .demo import demo_reporting_ensure
        from .reminders import reporting_sweep

        rules.register()
        permissions.register()
        register_hook(PERIODIC_SWEEP_HOOK, reporting_sweep)
        register_hook(DEMO_DATA_HOOK, demo_reporting_ensure)
        staff = frozenset(r.value for r in Role if r != Role.SYSADMIN)
        register_nav(NavItem("reporting:periods", _("Six-monthly reports"), order=70, roles=staff))
