"""Abstract bases shared by the domain apps (no domain models live here)."""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds created/updated timestamps."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class BilingualNameMixin:
    """Reference data carries its names in Vietnamese and English; `name` follows the active language."""

    if TYPE_CHECKING:  # the fields of the models that use the mixin
        name_vi: str
        name_en: str

    @property
    def name(self) -> str:
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name_vi

    def __str__(self) -> str:
        return self.name
