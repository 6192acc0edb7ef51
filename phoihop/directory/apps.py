from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "phoihop.directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        """Register this app's rule-set sections (phoihop.rulesets.sections) and its menu entry."""
        from phoihop.core import refcache
        from phoihop.core.registry import NavItem, register_nav

        from .choices import Role
        from .models import AdministrativeUnit, Function, Organisation, OrganisationFunction
        from .permissions import register as register_permissions
        from .ruleset_sections import register
        from .signin.receivers import connect as signin_connect

        register()
        register_permissions()  # core.permissions: the directory and who keeps contact details
        signin_connect()  # at each sign-in: its time and what the second step still owes
        refcache.watch(
            AdministrativeUnit, Function, Organisation, OrganisationFunction
        )  # a change through the admin reaches every process's snapshot
        register_nav(
            NavItem("directory:organisations", _("Organisations"), order=80, roles=frozenset(r.value for r in Role)),
            NavItem("signin:security", _("Security"), order=95),
        )
