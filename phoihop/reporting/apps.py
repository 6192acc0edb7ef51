from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "phoihop.reporting"
    verbose_name = _("Periodic reporting")

    def ready(self) -> None:
        pass
