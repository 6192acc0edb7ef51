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


PANEL_LIMIT = 50  # a panel shows the newest; the list page (filtered by the case) has them all


def case_countermeasures(user, case) -> tuple[list[Countermeasure], int]:
    """The newest measures of `case` that `user` sees, and how many there are in all."""
    qs = visible_countermeasures(user).filter(case=case)
    items = with_labels(list(qs.select_related(*RELATED).order_by("-created_at", "-pk")[:PANEL_LIMIT]))
    return items, (len(items) if len(items) < PANEL_LIMIT else qs.count())


def indicator_countermeasures(user, indicator) -> list[Countermeasure]:
    qs = visible_countermeasures(user).filter(indicator=indicator).select_related(*RELATED)
    return with_labels(list(qs.order_by("-created_at", "-pk")[:PANEL_LIMIT]))
