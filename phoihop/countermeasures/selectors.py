"""Reads of the countermeasures app, every one through the permission scope (permissions.py)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Countermeasure
from .permissions import visible_countermeasures
from .rules import action_labels

RELATED = ("case", "indicator", "target", "requesting_organisation", "requested_by", "document")


def action_label(code: str) -> str:
    return action_labels().get(code, code)


def with_labels(items: list[Countermeasure]) -> list[Countermeasure]:
    """Each measure with `action_label`, its action's name in the active language (one query for all)."""
    labels = action_labels()
    for cm in items:
        cm.action_label = labels.get(cm.action, cm.action)
    return items


def countermeasure_for(user, reference: str) -> Countermeasure | None:
    """One measure through the scope: out of scope is the same as missing (a 404)."""
    return visible_countermeasures(user).select_related(*RELATED).filter(reference=reference).first()


def countermeasure_list_for(user) -> QuerySet[Countermeasure]:
    """The measures `user` sees, newest first (filters.CountermeasureFilter narrows it for the page and the API)."""
    return visible_countermeasures(user).select_related(*RELATED).order_by("-created_at", "-pk")


def case_countermeasures(user, case) -> list[Countermeasure]:
    return with_labels(list(visible_countermeasures(user).filter(case=case).select_related(*RELATED)))


def indicator_countermeasures(user, indicator) -> list[Countermeasure]:
    return with_labels(list(visible_countermeasures(user).filter(indicator=indicator).select_related(*RELATED)))
