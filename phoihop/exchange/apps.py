from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "phoihop.exchange"
    verbose_name = _("Requests between agencies")

    def ready(self) -> None:
        pass
