"""Rule sets: versioned folders of reference data (areas, organisations, functions, taxonomy, routing).

The 2013 Sóc Trăng regulation is the first rule set; a later reform (the 2025 merger into Cần Thơ)
or another province is another folder of data, not a code change (Đ19: amendments are data).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import BilingualNameMixin


class RuleSet(BilingualNameMixin, models.Model):
    """One loaded rule set and the version of its files last loaded."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    version = models.PositiveIntegerField(_("version"))
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=400)
    title_en = models.CharField(_("title (English)"), max_length=400, blank=True)
    legal_source = models.CharField(_("legal source"), max_length=400)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    extends = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("extends"))
    checksum = models.CharField(_("checksum of the files"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["effective_from"]

    @property
    def name_vi(self) -> str:
        return self.title_vi

    @property
    def name_en(self) -> str:
        return self.title_en


class RuleSetLoad(models.Model):
    """History: each load that changed something, with what it changed."""

    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="loads")
    version = models.PositiveIntegerField(_("version"))
    checksum = models.CharField(_("checksum"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("rule set load")
        verbose_name_plural = _("rule set loads")
        ordering = ["-loaded_at"]


class ValidityQuerySet(models.QuerySet):
    """Records that carry validity dates (units, organisations, function holdings)."""

    def valid_on(self, day):
        return self.filter(models.Q(valid_from__lte=day), models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day))


class Validity(models.Model):
    """Validity dates and the rule set that defined the record."""

    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("rule set"))

    objects = ValidityQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)
