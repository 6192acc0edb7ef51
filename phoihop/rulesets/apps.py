from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesetsConfig(AppConfig):
    name = "phoihop.rulesets"
    verbose_name = _("Rule sets")
