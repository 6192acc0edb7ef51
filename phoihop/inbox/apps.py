from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "phoihop.inbox"
    verbose_name = _("Inbox")

    def ready(self) -> None:
        from phoihop.core.registry import PERIODIC_SWEEP_HOOK, register_hook

        from . import permissions
        from .outbox import outbox_sweep

        permissions.register()
        register_hook(PERIODIC_SWEEP_HOOK, outbox_sweep)  # sent e-mail kept PHOIHOP_OUTBOX_RETENTION_DAYS
