from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "phoihop.api"
    verbose_name = _("API")

    def ready(self) -> None:
        from phoihop.core.registry import PERIODIC_SWEEP_HOOK, register_hook

        from . import authentication  # noqa: F401 - registers the token scheme with drf-spectacular
        from .idempotency import sweep

        register_hook(PERIODIC_SWEEP_HOOK, sweep)  # idempotency keys expire after 24 hours
