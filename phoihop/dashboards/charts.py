"""Charts drawn on the server as SVG: no script, no style attribute (the strict CSP), nothing fetched.

Each chart is a picture for the eye (role="img" with a title) whose bars are links to the filtered list;
the page puts the table behind it next to it for screen readers and for copying figures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Okabe-Ito and Tol's colours: told apart with the common colour-vision deficiencies.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#882255",
    "#44AA99",
    "#117733",
    "#332288",
    "#AA4499",
    "#999933",
    "#6B6B6B",
    "#000000",
)
NOT_GIVEN_COLOUR = "#B8BEC8"


def colour(index: int, key) -> str:
    return NOT_GIVEN_COLOUR if not key else PALETTE[index % len(PALETTE)]


@dataclass(frozen=True)
class Segment:
    value: int
    colour: str
    title: str
    url: str


@dataclass(frozen=True)
class Column:
    label: str  # under the bar (may be shown one in N)
    title: str  # the whole bar's tooltip
    segments: Sequence[Segment]

    @property
    def total(self) -> int:
        return sum(s.value for s in self.segments)


def _nice_max(value: int) -> int:
    if value <= 5:
        return 5
    step = 10 ** (len(str(value)) - 1)
    for m in (1, 2, 2.5, 5, 10):
        if value <= m * step:
            return int(m * step)
    return value


def stacked_columns(columns: Sequence[Column], *, title: str, label_every: int = 1) -> SafeString:
    """Vertical stacked bars; each segment is a link (its own tooltip)."""
    width, height, left, bottom, top = 640, 240, 40, 28, 10
    plot_h = height - bottom - top
    n = max(len(columns), 1)
    slot = (width - left - 8) / n
    bar = max(2.0, slot * 0.72)
    peak = _nice_max(max((c.total for c in columns), default=0))
    parts: list[str] = []
    for i in range(5):  # grid lines and their values
        value = peak * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d9dee6" stroke-width="1"/>'
                '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#5b6575">{}</text>',
                left,
                width - 4,
                f"{y:.1f}",
                f"{y:.1f}",
                left - 4,
                f"{y + 4:.1f}",
                f"{value:g}",
            )
        )
    for i, column in enumerate(columns):
        x = left + i * slot + (slot - bar) / 2
        y = top + plot_h
        segs = []
        for seg in column.segments:
            if not seg.value:
                continue
            h = plot_h * seg.value / peak
            y -= h
            segs.append(
                format_html(
                    '<a href="{}"><rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect></a>',
                    seg.url,
                    f"{x:.1f}",
                    f"{y:.1f}",
                    f"{bar:.1f}",
                    f"{max(h, 0.5):.1f}",
                    seg.colour,
                    seg.title,
                )
            )
        parts.append(format_html("<g><title>{}</title>{}</g>", column.title, mark_safe("".join(segs))))  # noqa: S308
        if i % label_every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#5b6575">{}</text>',
                    f"{x + bar / 2:.1f}",
                    height - 10,
                    column.label,
                )
            )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" focusable="false"><title>{}</title>{}</svg>',
        width,
        height,
        title,
        title,
        mark_safe("".join(parts)),  # noqa: S308 (every part was built with format_html)
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as shown
    url: str
    colour: str = PALETTE[0]


def horizontal_bars(bars: Sequence[Bar], *, title: str) -> SafeString:
    """One bar per row, label left, value at the end of the bar; each bar a link."""
    row_h, label_w, width = 26, 190, 640
    height = max(1, len(bars)) * row_h + 8
    peak = max((b.value for b in bars), default=0) or 1
    plot_w = width - label_w - 70

    def row(i: int, b: Bar) -> tuple:
        y = 4 + i * row_h
        w = max(plot_w * b.value / peak, 1 if b.value else 0)
        label = b.label if len(b.label) <= 28 else b.label[:27] + "…"
        return (b.url, label_w - 6, y + 17, label, label_w, y + 4, f"{w:.1f}", row_h - 8, b.colour)

    rows = format_html_join(
        "",
        '<a href="{}"><text x="{}" y="{}" font-size="12" text-anchor="end" fill="#1d2430">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/></a>',
        (row(i, b) for i, b in enumerate(bars)),
    )
    values = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="12" fill="#1d2430">{}</text>',
        ((label_w + max(plot_w * b.value / peak, 1) + 6, 4 + i * row_h + 17, b.text) for i, b in enumerate(bars)),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" focusable="false">'
        "<title>{}</title>{}{}</svg>",
        width,
        height,
        title,
        title,
        rows,
        values,
    )


def swatch(fill: str) -> SafeString:
    """A small square of colour for a legend (an SVG, as a style attribute is not allowed)."""
    return format_html(
        '<svg class="swatch" viewBox="0 0 10 10" width="12" height="12" aria-hidden="true" focusable="false">'
        '<rect width="10" height="10" fill="{}"/></svg>',
        fill,
    )


LinkFor = Callable[..., str]
