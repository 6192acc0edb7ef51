"""Panels of the apps that feed the dashboards but are still being built (documents to sign, requests to
answer, countermeasures due): each is read through that app's selectors once it offers them.

Until then a panel says plainly that the figure is not available yet, rather than showing a zero."""

from __future__ import annotations


def upcoming_panels(user, *, kind: str) -> list[dict]:
    """Panels from the apps below the dashboards (documents, exchange, countermeasures), when present."""
    return []
