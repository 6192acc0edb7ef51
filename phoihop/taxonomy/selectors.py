"""Reads of the taxonomy."""

from django.db.models import Prefetch, QuerySet

from .models import Behaviour, Sector


def sectors_with_behaviours() -> QuerySet[Sector]:
    """Every sector with its active behaviours, in the regulation's order (two queries)."""
    return Sector.objects.prefetch_related(
        Prefetch("behaviours", queryset=Behaviour.objects.filter(is_active=True).order_by("position"))
    ).order_by("position")
