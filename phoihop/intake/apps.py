from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "phoihop.intake"
    verbose_name = _("Reports")
