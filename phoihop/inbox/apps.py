from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "phoihop.inbox"
    verbose_name = _("Inbox")

    def ready(self) -> None:
        from . import permissions

        permissions.register()
