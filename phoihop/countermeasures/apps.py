from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountermeasuresConfig(AppConfig):
    name = "phoihop.countermeasures"
    verbose_name = _("Countermeasures")

    def ready(self) -> None:
        pass
