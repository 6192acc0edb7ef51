"""In-app notices: what the outbox e-mails a person (and what an app tells a person without e-mail) also waits
for them in the header's bell, with its link, until read."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "phoihop.notices"
    verbose_name = _("Notices")

    def ready(self) -> None:
        from phoihop.core.registry import PERIODIC_SWEEP_HOOK, register_hook

        from . import permissions, services

        permissions.register()
        register_hook(PERIODIC_SWEEP_HOOK, services.notices_sweep)
