from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "phoihop.taxonomy"
    verbose_name = _("Violation taxonomy")

    def ready(self) -> None:
        """Register this app's rule-set sections (phoihop.rulesets.sections)."""
        from .ruleset_sections import register

        register()
