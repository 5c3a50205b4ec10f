"""Charts drawn on the server as SVG: no script, no external library, readable offline and by
screen readers (each chart has a title, a description and its numbers as text). Pure
functions of their data; the page puts the figures beside each chart in a table too."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 180
VALUE_WIDTH = 56


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    css_class: str = "bar"


@dataclass(frozen=True)
class Segment:
    value: int
    css_class: str
    name: str


@dataclass(frozen=True)
class StackedBar:
    label: str
    segments: tuple[Segment, ...]

    @property
    def total(self) -> int:
        return sum(segment.value for segment in self.segments)


def _svg(chart_id: str, title: str, height: int, body: str) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{chart_id}-title">{escape(title)}</title>'
        f"{body}</svg>"
    )


def _scale(values: Sequence[int]) -> float:
    """Pixels per unit so the largest value fills the plotting width (1 when all are 0)."""
    largest = max(values, default=0)
    return (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / largest if largest > 0 else 1.0


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar]) -> Markup:
    """Horizontal bars, one per row, labelled on the left and valued on the right."""
    scale = _scale([bar.value for bar in bars])
    rows = []
    for index, bar in enumerate(bars):
        y = index * (BAR_HEIGHT + GAP)
        length = max(bar.value * scale, 1 if bar.value else 0)
        rows.append(
            f'<g transform="translate(0 {y})">'
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{BAR_HEIGHT - 6}" '
            f'text-anchor="end">{escape(bar.label)}</text>'
            f'<rect class="{escape(bar.css_class)}" x="{LABEL_WIDTH}" y="0" '
            f'width="{length:.1f}" height="{BAR_HEIGHT}" rx="3"/>'
            f'<text class="chart-value" x="{LABEL_WIDTH + length + 6:.1f}" '
            f'y="{BAR_HEIGHT - 6}">{bar.value}</text></g>'
        )
    height = max(len(bars) * (BAR_HEIGHT + GAP), BAR_HEIGHT)
    return _svg(chart_id, title, height, "".join(rows))


def stacked_bar_chart(chart_id: str, title: str, bars: Sequence[StackedBar]) -> Markup:
    """One bar per row split into segments (grades in a region), with a total on the right."""
    scale = _scale([bar.total for bar in bars])
    rows = []
    for index, bar in enumerate(bars):
        y = index * (BAR_HEIGHT + GAP)
        x = float(LABEL_WIDTH)
        parts = []
        for segment in bar.segments:
            length = segment.value * scale
            if length:
                parts.append(
                    f'<rect class="{escape(segment.css_class)}" x="{x:.1f}" y="0" '
                    f'width="{length:.1f}" height="{BAR_HEIGHT}">'
                    f"<title>{escape(segment.name)}: {segment.value}</title></rect>"
                )
            x += length
        rows.append(
            f'<g transform="translate(0 {y})">'
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{BAR_HEIGHT - 6}" '
            f'text-anchor="end">{escape(bar.label)}</text>{"".join(parts)}'
            f'<text class="chart-value" x="{x + 6:.1f}" y="{BAR_HEIGHT - 6}">{bar.total}</text>'
            "</g>"
        )
    height = max(len(bars) * (BAR_HEIGHT + GAP), BAR_HEIGHT)
    return _svg(chart_id, title, height, "".join(rows))
