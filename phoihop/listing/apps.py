from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingConfig(AppConfig):
    name = "phoihop.listing"
    verbose_name = _("Listed indicators")

    def ready(self) -> None:
        pass
