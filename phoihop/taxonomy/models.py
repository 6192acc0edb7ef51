"""The violation taxonomy: the sectors of Đ1 and every behaviour of Đ12–16 and the laws they cite."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import BilingualNameMixin
from phoihop.rulesets.models import RuleSet


class Sector(BilingualNameMixin, models.Model):
    """A field of Đ1 (press, postal, telecom, internet, IT, printing...)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    article = models.CharField(_("article"), max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["position"]


class BehaviourSource(models.TextChoices):
    REGULATION = "regulation", _("Regulation")
    LAW = "law", _("Law's prohibited acts")


class Behaviour(models.Model):
    """One reportable behaviour (`13.4`), with its citation and legal basis."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="behaviours")
    article = models.CharField(_("article"), max_length=40)
    source = models.CharField(_("source"), max_length=16, choices=BehaviourSource.choices)
    law_citation = models.CharField(_("law citation"), max_length=200, blank=True)
    legal_basis_vi = models.TextField(_("legal basis (Vietnamese)"))
    gloss_en = models.CharField(_("English gloss"), max_length=400)
    help_vi = models.CharField(_("plain-language help (Vietnamese)"), max_length=400)
    help_en = models.CharField(_("plain-language help (English)"), max_length=400)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("behaviour")
        verbose_name_plural = _("behaviours")
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.code} {self.help}"

    @property
    def help(self) -> str:
        return self.help_en if (get_language() or "vi").startswith("en") else self.help_vi

    @property
    def citation(self) -> str:
        """The article, plus the law's clause where the behaviour comes from a law's list."""
        return f"{self.article} ({self.law_citation})" if self.law_citation else self.article
