from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "phoihop.routing"
    verbose_name = _("Routing")

    def ready(self) -> None:
        """Register this app's rule-set sections (phoihop.rulesets.sections)."""
        from .ruleset_sections import register

        register()
