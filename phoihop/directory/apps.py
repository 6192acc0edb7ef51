from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "phoihop.directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        """Register this app's rule-set sections (phoihop.rulesets.sections)."""
        from .ruleset_sections import register

        register()
