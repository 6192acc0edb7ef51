from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "phoihop.alerts"
    verbose_name = _("Advisories and public warnings")

    def ready(self) -> None:
        pass
