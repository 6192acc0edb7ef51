"""Abstract bases shared by the domain apps (no domain models live here)."""

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

    @property
    def name(self) -> str:
        if (get_language() or "vi").startswith("en") and getattr(self, "name_en", ""):
            return self.name_en
        return self.name_vi

    def __str__(self) -> str:
        return self.name
