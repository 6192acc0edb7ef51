from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "phoihop.taxonomy"
    verbose_name = _("Violation taxonomy")

    def ready(self) -> None:
        """Register this app's rule-set sections (phoihop.rulesets.sections) and its menu entry."""
        from phoihop.core import refcache
        from phoihop.core.registry import NavItem, register_nav
        from phoihop.directory.choices import Role

        from .models import Behaviour, Sector
        from .ruleset_sections import register

        register()
        refcache.watch(Behaviour, Sector)  # a change through the admin reaches every process's snapshot
        register_nav(NavItem("taxonomy:behaviours", _("Violations"), order=70, roles=frozenset(r.value for r in Role)))
