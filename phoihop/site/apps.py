from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "phoihop.site"
    label = "phoihop_site"
    verbose_name = _("Site")

    def ready(self) -> None:
        from phoihop.core.registry import NavItem, register_nav

        register_nav(
            NavItem("home", _("Home"), order=0, public=True),
            NavItem("admin:index", _("Administration"), order=1000, staff_only=True),
        )
