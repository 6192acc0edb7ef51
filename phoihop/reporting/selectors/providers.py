"""Figures that other apps below reporting know: requests answered on time (exchange), countermeasures
executed (countermeasures). Each is read through that app's selector; until it offers one, the figure is
reported as unavailable with the reason (never as zero)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def unavailable(reason: str) -> dict[str, Any]:
    """A figure this installation cannot compute: shown as such, never as zero."""
    return {"available": False, "reason": reason}


def extra_figures(org_id: int, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    return {
        "requests": unavailable("information requests (Đ17.1) are not recorded in this installation yet"),
        "countermeasures": unavailable("countermeasures (Đ4.2) are not recorded in this installation yet"),
    }
