"""The offline map (Đ18: where in the province the reports come from): the outlines of the rule set in force,
projected by hand and drawn as SVG on the server, each unit coloured by its reports in the period.

No tile server, no script: an equirectangular projection centred on the province (x scaled by the cosine
of the mean latitude) is exact enough at this size. The shipped outlines are simplified approximations
(boundaries.geojson's note).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .models import AreaBoundary

# Sequential, light to dark (ColorBrewer OrRd): readable in grey too; "no report" is a neutral grey.
CLASSES = ("#fee8c8", "#fdbb84", "#fc8d59", "#e34a33", "#b30000")
EMPTY = "#eef0f4"


@dataclass
class MapUnit:
    code: str
    name: str
    polygons: list
    count: int
    url: str
    fill: str = EMPTY
    label_x: float = 0
    label_y: float = 0


def boundaries_of(ruleset) -> list[AreaBoundary]:
    if ruleset is None:
        return []
    return list(AreaBoundary.objects.filter(ruleset=ruleset).select_related("area").order_by("area__name"))


def class_breaks(peak: int) -> list[int]:
    """Upper bounds of the five classes (equal steps of the largest count, at least 1 apart)."""
    step = max(1, math.ceil(peak / len(CLASSES)))
    return [step * (i + 1) for i in range(len(CLASSES))]


def fill_for(count: int, breaks: list[int]) -> str:
    if count <= 0:
        return EMPTY
    for bound, colour in zip(breaks, CLASSES, strict=True):
        if count <= bound:
            return colour
    return CLASSES[-1]


def legend(breaks: list[int]) -> list[tuple[str, str]]:
    """(colour, "from–to") of each class, "0" first."""
    out, low = [(EMPTY, "0")], 1
    for bound, colour in zip(breaks, CLASSES, strict=True):
        out.append((colour, f"{low}–{bound}" if bound > low else f"{low}"))
        low = bound + 1
    return out


def render_map(units: list[MapUnit], *, title: str, width: int = 640) -> SafeString:
    """Project and draw the units; each is a link to its reports with its name and count as the tooltip."""
    points = [pt for u in units for polygon in u.polygons for ring in polygon for pt in ring]
    if not points:
        return SafeString("")
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x, span_y = (max(lons) - min(lons)) * k or 1, (max(lats) - min(lats)) or 1
    pad = 12
    scale = (width - 2 * pad) / span_x
    height = round(span_y * scale + 2 * pad)

    def xy(pt) -> tuple[float, float]:
        return pad + (pt[0] - min(lons)) * k * scale, pad + (max(lats) - pt[1]) * scale

    shapes = []
    for u in units:
        d = " ".join(
            "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in map(xy, ring)) + " Z"
            for polygon in u.polygons
            for ring in polygon
        )
        outer = max((polygon[0] for polygon in u.polygons), key=len)
        pts = [xy(p) for p in outer[:-1]]
        u.label_x, u.label_y = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
        shapes.append((u, d))
    paths = format_html_join(
        "",
        '<a href="{}" data-area="{}"><path d="{}" fill="{}" stroke="#5b6575" stroke-width="1" fill-rule="evenodd">'
        "<title>{}: {}</title></path></a>",
        ((u.url, u.code, d, u.fill, u.name, _("%(n)d reports") % {"n": u.count}) for u, d in shapes),
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="13" font-weight="700" text-anchor="middle" fill="{}" stroke="{}" '
        'stroke-width="3" paint-order="stroke" aria-hidden="true">{}</text>',
        (
            (
                f"{u.label_x:.1f}",
                f"{u.label_y + 4:.1f}",
                "#fff" if u.fill in CLASSES[3:] else "#1d2430",
                "#1d2430" if u.fill in CLASSES[3:] else "#fff",
                u.count,
            )
            for u, _d in shapes
        ),
    )
    return format_html(
        '<svg class="map" viewBox="0 0 {} {}" role="img" aria-label="{}" focusable="false"><title>{}</title>{}{}</svg>',
        width,
        height,
        title,
        title,
        paths,
        labels,
    )
