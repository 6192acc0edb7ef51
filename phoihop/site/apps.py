from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "phoihop.site"
    label = "phoihop_site"
    verbose_name = _("Site")

    def ready(self) -> None:
        from phoihop.core.registry import NavItem, register_nav
        from phoihop.directory.choices import Role

        ALL_ROLES = frozenset(r.value for r in Role)
        STAFF = frozenset(r.value for r in Role if r != Role.ENTERPRISE_REPORTER)

        register_nav(
            NavItem("home", _("Home"), order=0, public=True),
            NavItem("taxonomy:behaviours", _("Violations"), order=70, roles=ALL_ROLES),
            NavItem("directory:organisations", _("Organisations"), order=80, roles=ALL_ROLES),
            NavItem("routing:rules", _("Routing rules"), order=90, roles=STAFF),
            NavItem("admin:index", _("Administration"), order=1000, staff_only=True),
        )
