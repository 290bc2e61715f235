"""A person's well-being over time: the rows of their measures by date (the chart's text
alternative, a table) and two server-drawn SVG charts of the same rows, ONS4's four questions
(0 to 10) and SWEMWBS's metric score (7 to 35). Drawn as the Deal's "Our part" chart is
(thedeal.deal.charts: its size, type and colours), with no JavaScript and no inline style.

The lines are told apart by more than colour (WCAG 1.4.1): each has its own dash and marker,
and a legend names them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from thedeal.casework.measures import ons4
from thedeal.deal.charts import FONT, GREY, INK, LEFT, RIGHT, TOP, WIDTH

# Room below the plot for the dates (two lines: day and month, then year) and the legend.
DATES = 2 * FONT + 14
LEGEND_ROW = FONT + 10
PLOT_HEIGHT = 200
# A date's label is about six characters wide: closer labels than this would overlap.
LABEL_SPACE = 64


@dataclass(frozen=True)
class Row:
    """One day's measures: each ONS4 score and SWEMWBS's scores, or None where not recorded."""

    taken_on: datetime.date
    occasion: str
    life_satisfaction: int | None
    worthwhile: int | None
    happiness: int | None
    anxiety: int | None
    swemwbs_metric: Decimal | None
    swemwbs_raw: int | None
    pam_level: int | None

    @property
    def has_ons4(self) -> bool:
        return any(self.ons4(item.key) is not None for item in ons4.items())

    def ons4(self, key: str) -> int | None:
        value: int | None = getattr(self, key)
        return value


def rows(measures: Iterable) -> list[Row]:
    """A row for each WellbeingMeasure, oldest first."""
    found = []
    for measure in sorted(measures, key=lambda m: (m.taken_on, m.pk or 0)):
        scale = measure.swemwbs()
        level = measure.pam_level()
        found.append(
            Row(
                taken_on=measure.taken_on,
                occasion=measure.get_occasion_display(),
                life_satisfaction=measure.life_satisfaction,
                worthwhile=measure.worthwhile,
                happiness=measure.happiness,
                anxiety=measure.anxiety,
                swemwbs_metric=scale.metric_score if scale else None,
                swemwbs_raw=scale.raw_total if scale else None,
                pam_level=level.level if level else None,
            )
        )
    return found


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    colour: str
    dash: str
    marker: str


# Colours from GOV.UK's palette, each at least 3:1 against white; dashes and markers differ too.
ONS4_STYLES = {
    "life_satisfaction": ("#1d70b8", "", "circle"),
    "worthwhile": ("#00703c", "10 5", "square"),
    "happiness": ("#4c2c92", "3 4", "triangle"),
    "anxiety": ("#d4351c", "12 4 3 4", "diamond"),
}


def ons4_chart(found: Sequence[Row], *, chart_id: str) -> str:
    """ONS4's four questions by date, on their 0-10 scale; empty if none was answered."""
    found = [row for row in found if row.has_ons4]
    series = [
        Series(
            name=item.name + (" (lower is better)" if item.lower_is_better else ""),
            values=tuple(row.ons4(item.key) for row in found),
            colour=ONS4_STYLES[item.key][0],
            dash=ONS4_STYLES[item.key][1],
            marker=ONS4_STYLES[item.key][2],
        )
        for item in ons4.items()
    ]
    return _chart(
        [row.taken_on for row in found],
        series,
        ticks=(0, 2, 4, 6, 8, 10),
        title="ONS4 well-being scores by date, 0 to 10",
        unit="Score (0 to 10)",
        chart_id=chart_id,
    )


def swemwbs_chart(found: Sequence[Row], *, chart_id: str) -> str:
    """SWEMWBS's metric score by date, on its 7-35 scale; empty if it was never recorded."""
    found = [row for row in found if row.swemwbs_metric is not None]
    values = tuple(None if r.swemwbs_metric is None else float(r.swemwbs_metric) for r in found)
    return _chart(
        [row.taken_on for row in found],
        [Series("SWEMWBS metric score", values, INK, "", "circle")],
        ticks=(7, 14, 21, 28, 35),
        title="SWEMWBS metric score by date, 7 to 35",
        unit="Metric score (7 to 35)",
        chart_id=chart_id,
    )


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{colour}"/>'
    if kind == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 7:.1f} {x + 6:.1f},{y + 5:.1f} {x - 6:.1f},{y + 5:.1f}"'
            f' fill="{colour}"/>'
        )
    if kind == "diamond":
        return (
            f'<polygon points="{x:.1f},{y - 7:.1f} {x + 7:.1f},{y:.1f} {x:.1f},{y + 7:.1f} '
            f'{x - 7:.1f},{y:.1f}" fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"/>'


def _labelled(xs: Sequence[float]) -> list[int]:
    """Which dates to label, so that no two labels overlap: the latest always, then from the
    first onwards each far enough from the one before and from the latest."""
    last = len(xs) - 1
    chosen: list[int] = []
    for i, x in enumerate(xs[:-1]):
        if (not chosen or x - xs[chosen[-1]] >= LABEL_SPACE) and xs[last] - x >= LABEL_SPACE:
            chosen.append(i)
    return [*chosen, last]


def _chart(
    dates: Sequence[datetime.date],
    series: Sequence[Series],
    *,
    ticks: Sequence[float],
    title: str,
    unit: str,
    chart_id: str,
) -> str:
    if not dates or not any(v is not None for s in series for v in s.values):
        return ""
    legend_rows = (len(series) + 1) // 2 if len(series) > 1 else 0
    height = TOP + PLOT_HEIGHT + DATES + legend_rows * LEGEND_ROW + 6
    lo, hi = ticks[0], ticks[-1]
    first, last = dates[0].toordinal(), dates[-1].toordinal()
    span = last - first
    inner = WIDTH - LEFT - RIGHT - 2 * FONT  # room for half a date label at each end

    def x(day: datetime.date) -> float:
        if span == 0:
            return LEFT + FONT + inner / 2
        return LEFT + FONT + (day.toordinal() - first) / span * inner

    def y(value: float) -> float:
        return TOP + (hi - value) / (hi - lo) * PLOT_HEIGHT

    parts = [
        f'<svg class="deal-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">The same scores are in the table below the chart.</desc>',
        f'<text x="0" y="{FONT}" font-size="{FONT}" fill="{GREY}">{escape(unit)}</text>',
    ]
    for tick in ticks:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{LEFT - 8}" y="{y(tick) + 5:.1f}" text-anchor="end" font-size="{FONT}" '
            f'fill="{INK}">{tick:g}</text>'
        )
    xs = [x(day) for day in dates]
    base = TOP + PLOT_HEIGHT
    for i in _labelled(xs):
        day = dates[i]
        parts.append(
            f'<text x="{xs[i]:.1f}" y="{base + FONT + 6}" text-anchor="middle" '
            f'font-size="{FONT}" fill="{INK}">{day.day} {day:%b}</text>'
            f'<text x="{xs[i]:.1f}" y="{base + 2 * FONT + 8}" text-anchor="middle" '
            f'font-size="{FONT}" fill="{GREY}">{day.year}</text>'
        )
    for s in series:
        points = [(xs[i], y(v)) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
            line = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(
                f'<polyline points="{line}" fill="none" stroke="{s.colour}" stroke-width="3"{dash}/>'
            )
        parts.extend(_marker(s.marker, px, py, s.colour) for px, py in points)
    if legend_rows:
        top = base + DATES + 6
        for n, s in enumerate(series):
            lx = 4 + (n % 2) * (WIDTH // 2)
            ly = top + (n // 2) * LEGEND_ROW + FONT / 2
            dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
            parts.append(
                f'<line x1="{lx}" x2="{lx + 34}" y1="{ly:.1f}" y2="{ly:.1f}" stroke="{s.colour}" '
                f'stroke-width="3"{dash}/>{_marker(s.marker, lx + 17, ly, s.colour)}'
                f'<text x="{lx + 42}" y="{ly + 6:.1f}" font-size="{FONT}" fill="{INK}">'
                f"{escape(s.name.replace(' (lower is better)', '*'))}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)
