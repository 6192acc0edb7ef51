"""Official documents (Decree 30/2020/NĐ-CP): drafts, the head's approval and PAdES signature, outgoing and incoming
registers, verification (Đ3.2, Đ4.5, Đ5.4).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "phoihop.documents"
    verbose_name = _("Official documents")

    def ready(self) -> None:
        from . import permissions, ruleset_section

        permissions.register()
        ruleset_section.register()
