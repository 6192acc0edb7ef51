from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "phoihop.routing"
    verbose_name = _("Routing")

    def ready(self) -> None:
        """Register this app's rule-set sections (phoihop.rulesets.sections) and its menu entry."""
        from phoihop.core import refcache
        from phoihop.core.registry import NavItem, register_nav
        from phoihop.directory.choices import Role

        from .models import RoutingRule
        from .ruleset_sections import register

        register()
        refcache.watch(RoutingRule)  # a change through the admin reaches every process's snapshot
        register_nav(
            NavItem(
                "routing:rules",
                _("Routing rules"),
                order=90,
                roles=frozenset(r.value for r in Role if r != Role.ENTERPRISE_REPORTER),
            )
        )
