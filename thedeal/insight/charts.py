"""Insight's charts, drawn on the server as SVG: a ward's spine chart, an indicator's trend, a
funnel plot across wards and a map of wards or LSOAs.

No JavaScript and no inline style (the Content Security Policy forbids both): colours are SVG
presentation attributes. No figure is told by colour alone (WCAG 1.4.1): a comparison has its
own marker shape as well as Fingertips' colour, a suppressed area its own hatching, and every
chart has a table beside it with the same figures in words. Charts scale with their viewBox, so
none makes a 320 px phone scroll sideways.

These functions draw what they are given: which figures may be published, and what they say,
is decided before (insight.queries).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from thedeal.indicators.polarity import (
    BETTER,
    HIGHER,
    LOWER,
    NOT_COMPARED,
    SIMILAR,
    WORSE,
)
from thedeal.web.charts import FONT, GREY, INK, RULE, WIDTH, nice_ticks, svg_open

# Fingertips' colours for a comparison with the benchmark (its "RAG" and "BOB" keys), each with
# a shape of its own so that the colour is never the only cue.
COMPARISON_COLOURS = {
    BETTER: "#92d050",
    SIMILAR: "#ffc000",
    WORSE: "#c00000",
    HIGHER: "#bed2ff",
    LOWER: "#5555e6",
    NOT_COMPARED: "#ffffff",
}
COMPARISON_SHAPES = {
    BETTER: "circle",
    SIMILAR: "diamond",
    WORSE: "square",
    HIGHER: "triangle-up",
    LOWER: "triangle-down",
    NOT_COMPARED: "ring",
}
# The spine's bars: the wards' whole range, and their middle half (25th to 75th percentile).
RANGE_COLOUR, MIDDLE_COLOUR = "#c9c9c9", "#8b8b8b"
# A map's classes, lightest (lowest) to darkest (highest): ColorBrewer's single-hue Blues, which
# people with any of the common colour-vision deficiencies see in the same order.
MAP_COLOURS = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_DATA_COLOUR = "#ffffff"


def marker(kind: str, x: float, y: float, size: float = 8) -> str:
    """A comparison's marker, centred on (x, y), `size` its half-width."""
    colour = COMPARISON_COLOURS[kind]
    shape = COMPARISON_SHAPES[kind]
    edge = f'fill="{colour}" stroke="{INK}" stroke-width="1.5"'
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:g}" {edge}/>'
    if shape == "ring":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size * 0.8:g}" {edge}/>'
    if shape == "square":
        s = size * 0.9
        return f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}" {edge}/>'
    if shape == "diamond":
        s = size * 1.2
        points = [(x, y - s), (x + s, y), (x, y + s), (x - s, y)]
    elif shape == "triangle-up":
        s = size * 1.15
        points = [(x, y - s), (x + s, y + s * 0.8), (x - s, y + s * 0.8)]
    else:
        s = size * 1.15
        points = [(x, y + s), (x + s, y - s * 0.8), (x - s, y - s * 0.8)]
    return f'<polygon points="{_points(points)}" {edge}/>'


# --- the spine chart -------------------------------------------------------------------------


@dataclass(frozen=True)
class SpineRow:
    """One indicator on a ward's spine: positions from 0 (worst, left) to 1 (best, right),
    the borough at 0.5. None where there is nothing to draw (a suppressed value, or too few
    wards for percentiles)."""

    label: str
    position: float | None
    worst: float | None
    p25: float | None
    p75: float | None
    best: float | None
    comparison: str


SPINE_LEFT, SPINE_RIGHT = 12, 12
KEY_ROW = FONT + 11
KEY_WORDS = {
    BETTER: "Better than the borough",
    SIMILAR: "Similar to the borough",
    WORSE: "Worse than the borough",
    HIGHER: "Higher than the borough",
    LOWER: "Lower than the borough",
    NOT_COMPARED: "Not compared",
}
SPINE_ROW = 2 * FONT + 26  # a label line, then the bar


def spine_chart(rows: Sequence[SpineRow], *, title: str, chart_id: str) -> str:
    """Fingertips' spine chart: for each indicator, a bar from the worst ward to the best (the
    middle half darker), the borough as the line down the middle, and the ward as a marker
    shaped and coloured by its comparison with the borough. Better is always to the right."""
    if not rows:
        return ""
    span = WIDTH - SPINE_LEFT - SPINE_RIGHT
    top_margin = FONT + 10
    shown = [kind for kind in COMPARISON_SHAPES if any(r.comparison == kind for r in rows)]
    key_top = top_margin + len(rows) * SPINE_ROW + 10
    height = key_top + (3 + len(shown)) * KEY_ROW + 4

    def x(position: float) -> float:
        return SPINE_LEFT + min(max(position, 0.0), 1.0) * span

    parts = svg_open(WIDTH, height, title=title, chart_id=chart_id)
    parts.append(
        f'<text x="{SPINE_LEFT}" y="{FONT}" font-size="{FONT}" fill="{GREY}">Worse</text>'
        f'<text x="{WIDTH - SPINE_RIGHT}" y="{FONT}" font-size="{FONT}" fill="{GREY}" '
        'text-anchor="end">Better</text>'
        f'<text x="{x(0.5):.1f}" y="{FONT}" font-size="{FONT}" fill="{GREY}" '
        'text-anchor="middle">Borough</text>'
    )
    for n, row in enumerate(rows):
        top = top_margin + n * SPINE_ROW
        parts.append(
            f'<text x="{SPINE_LEFT}" y="{top + FONT:.0f}" font-size="{FONT}" fill="{INK}">'
            f"{escape(_short(row.label, 46))}</text>"
        )
        bar_top, bar_height = top + FONT + 6, FONT + 2
        middle = bar_top + bar_height / 2
        if row.worst is not None and row.best is not None:
            parts.append(_bar(x(row.worst), x(row.best), bar_top, bar_height, RANGE_COLOUR))
        if row.p25 is not None and row.p75 is not None:
            parts.append(_bar(x(row.p25), x(row.p75), bar_top, bar_height, MIDDLE_COLOUR))
        parts.append(
            f'<line x1="{x(0.5):.1f}" x2="{x(0.5):.1f}" y1="{bar_top - 3:.1f}" '
            f'y2="{bar_top + bar_height + 3:.1f}" stroke="{INK}" stroke-width="2"/>'
        )
        if row.position is None:
            parts.append(
                f'<text x="{x(0.5) + 8:.1f}" y="{middle + 6:.1f}" font-size="{FONT}" '
                f'fill="{INK}">no value shown</text>'
            )
        else:
            parts.append(marker(row.comparison, x(row.position), middle, 8))
    # The key: the bars, the borough's line, and each marker used, in words.
    parts.append(
        f'<line x1="0" x2="{WIDTH}" y1="{key_top - 6}" y2="{key_top - 6}" stroke="{RULE}"/>'
    )
    entries = [
        (_bar(SPINE_LEFT, SPINE_LEFT + 32, 0, 14, RANGE_COLOUR), "Worst ward to best"),
        (_bar(SPINE_LEFT, SPINE_LEFT + 32, 0, 14, MIDDLE_COLOUR), "The middle half of the wards"),
        (
            f'<line x1="{SPINE_LEFT + 16}" x2="{SPINE_LEFT + 16}" y1="-3" y2="17" '
            f'stroke="{INK}" stroke-width="2"/>',
            "The borough",
        ),
    ]
    entries += [(marker(kind, SPINE_LEFT + 16, 7, 8), KEY_WORDS[kind]) for kind in shown]
    for n, (drawing, words) in enumerate(entries):
        top = key_top + n * KEY_ROW
        parts.append(
            f'<g transform="translate(0 {top + 4:.0f})">{drawing}</g>'
            f'<text x="{SPINE_LEFT + 44}" y="{top + 17:.0f}" font-size="{FONT}" fill="{INK}">'
            f"{escape(words)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _bar(x1: float, x2: float, top: float, height: float, colour: str) -> str:
    left, right = min(x1, x2), max(x1, x2)
    return (
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{max(right - left, 1):.1f}" '
        f'height="{height:.1f}" fill="{colour}"/>'
    )


# --- trends ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    """One period of a trend: the area's value with its 95% limits (None when suppressed or
    not given) and the benchmark's value."""

    period: str
    value: float | None
    lower: float | None
    upper: float | None
    benchmark: float | None


TREND_HEIGHT = 270
T_RIGHT, T_TOP, T_BOTTOM = 20, 40, 64


def trend_chart(
    points: Sequence[TrendPoint],
    *,
    title: str,
    unit: str,
    area_name: str,
    benchmark_name: str,
    chart_id: str,
) -> str:
    """The area's value in each period (dots on a line, with their intervals) and the
    benchmark's as a dashed line of open squares. A suppressed period is a gap in the line."""
    figures = [
        v
        for p in points
        for v in (p.value, p.lower, p.upper, p.benchmark)
        if v is not None and math.isfinite(v)
    ]
    if not figures:
        return ""
    low, high = min(figures), max(figures)
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1
    ticks = _ticks(low - pad, high + pad, 4)
    lo, hi = ticks[0], ticks[-1]
    count = len(points)
    left = _tick_width(ticks)

    def x(i: int) -> float:
        if count == 1:
            return (left + WIDTH - T_RIGHT) / 2
        return left + i * (WIDTH - left - T_RIGHT) / (count - 1)

    def y(value: float) -> float:
        return T_TOP + (hi - value) / (hi - lo) * (TREND_HEIGHT - T_TOP - T_BOTTOM)

    parts = svg_open(WIDTH, TREND_HEIGHT, title=title, chart_id=chart_id)
    parts.append(f'<text x="0" y="{FONT}" font-size="{FONT}" fill="{GREY}">{escape(unit)}</text>')
    for tick in ticks:
        parts.append(
            f'<line x1="{left:.0f}" x2="{WIDTH - T_RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{RULE}" stroke-width="1"/>'
            f'<text x="{left - 6:.0f}" y="{y(tick) + 5:.1f}" text-anchor="end" font-size="{FONT}" '
            f'fill="{INK}">{_tick(tick)}</text>'
        )
    # The first and last periods only: Fingertips' labels ("2019/20 - 21/22") are too long for
    # every one to fit on a phone; the table below names them all.
    baseline = TREND_HEIGHT - T_BOTTOM + 22
    # The key, under the periods: the area's dots and the benchmark's squares.
    key_y = TREND_HEIGHT - 12
    parts.append(
        f'<circle cx="8" cy="{key_y - 6}" r="5" fill="{INK}"/>'
        f'<text x="20" y="{key_y}" font-size="{FONT}" fill="{INK}">{escape(_short(area_name, 18))}</text>'
        f'<rect x="{WIDTH / 2 - 4:.0f}" y="{key_y - 10}" width="8" height="8" fill="#ffffff" '
        f'stroke="{GREY}" stroke-width="2"/>'
        f'<line x1="{WIDTH / 2 - 16:.0f}" x2="{WIDTH / 2 + 16:.0f}" y1="{key_y - 6}" '
        f'y2="{key_y - 6}" stroke="{GREY}" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="{WIDTH / 2 + 24:.0f}" y="{key_y}" font-size="{FONT}" fill="{INK}">'
        f"{escape(_short(benchmark_name, 18))}</text>"
    )
    parts.append(
        f'<text x="{x(0):.1f}" y="{baseline}" font-size="{FONT}" fill="{INK}" '
        f'text-anchor="{"middle" if count == 1 else "start"}">{escape(points[0].period)}</text>'
    )
    if count > 1:
        parts.append(
            f'<text x="{x(count - 1):.1f}" y="{baseline}" font-size="{FONT}" fill="{INK}" '
            f'text-anchor="end">{escape(points[-1].period)}</text>'
        )
    for line in _segments([(x(i), p.benchmark) for i, p in enumerate(points)], y):
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{GREY}" stroke-width="2" '
            'stroke-dasharray="6 4"/>'
        )
    for i, p in enumerate(points):
        if p.benchmark is not None:
            parts.append(
                f'<rect x="{x(i) - 4:.1f}" y="{y(p.benchmark) - 4:.1f}" width="8" height="8" '
                f'fill="#ffffff" stroke="{GREY}" stroke-width="2"/>'
            )
    for line in _segments([(x(i), p.value) for i, p in enumerate(points)], y):
        parts.append(f'<polyline points="{line}" fill="none" stroke="{INK}" stroke-width="3"/>')
    for i, p in enumerate(points):
        if p.value is None:
            continue
        if p.lower is not None and p.upper is not None:
            parts.append(
                f'<line x1="{x(i):.1f}" x2="{x(i):.1f}" y1="{y(p.lower):.1f}" '
                f'y2="{y(p.upper):.1f}" stroke="{GREY}" stroke-width="2"/>'
            )
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(p.value):.1f}" r="5" fill="{INK}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _segments(points, y) -> list[str]:
    """Runs of points with a value, each a polyline's points: a missing value breaks the line."""
    runs, run = [], []
    for px, value in points:
        if value is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append(f"{px:.1f},{y(value):.1f}")
    if run:
        runs.append(run)
    return [" ".join(r) for r in runs if len(r) > 1]


# --- the funnel plot -------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelPoint:
    label: str
    x: float  # the denominator (population, for a rate one year's)
    y: float  # the value
    significance: str  # funnels.NOT_SIGNIFICANT, HIGH_2S, ...


FUNNEL_HEIGHT = 320
F_RIGHT, F_TOP, F_BOTTOM = 30, 40, 54
# A point beyond the 99.8% limits is filled, beyond the 95% half-filled (grey), within hollow;
# above or below by the triangle's direction.
FUNNEL_FILLS = {"0.001": INK, "0.025": "#b1b4b6"}


def funnel_plot(
    points: Sequence[FunnelPoint],
    limits: dict[str, Sequence[tuple[float, float]]],
    *,
    average: float,
    title: str,
    unit: str,
    x_label: str,
    chart_id: str,
) -> str:
    """Each ward's value against its denominator, with the borough's average and the 95% and
    99.8% control limits (dashed and solid) either side of it. `limits` maps "lower_2s",
    "upper_2s", "lower_3s" and "upper_3s" to (x, y) lines."""
    if not points:
        return ""
    ys = [p.y for p in points] + [average]
    # From a little left of the smallest area to a little right of the largest: the limits are
    # drawn across that span, and an axis from 0 would squeeze the areas into a corner.
    x_low, x_high = min(p.x for p in points) * 0.9, max(p.x for p in points) * 1.05
    ys += [
        v for line in limits.values() for x, v in line if x_low <= x <= x_high and math.isfinite(v)
    ]
    x_ticks = _ticks(x_low, x_high, 4)
    low, high = min(ys), max(ys)
    pad = (high - low) * 0.05 or 1
    y_ticks = _ticks(max(low - pad, 0) if low >= 0 else low - pad, high + pad, 5)
    x_lo, x_hi, y_lo, y_hi = x_ticks[0], x_ticks[-1], y_ticks[0], y_ticks[-1]
    left = _tick_width(y_ticks)

    def px(v: float) -> float:
        return left + (v - x_lo) / (x_hi - x_lo) * (WIDTH - left - F_RIGHT)

    def py(v: float) -> float:
        return F_TOP + (y_hi - v) / (y_hi - y_lo) * (FUNNEL_HEIGHT - F_TOP - F_BOTTOM)

    parts = svg_open(WIDTH, FUNNEL_HEIGHT, title=title, chart_id=chart_id)
    parts.append(
        f'<defs><clipPath id="{chart_id}-plot"><rect x="{left:.0f}" y="{F_TOP}" '
        f'width="{WIDTH - left - F_RIGHT:.0f}" height="{FUNNEL_HEIGHT - F_TOP - F_BOTTOM}"/>'
        "</clipPath></defs>"
    )
    parts.append(f'<text x="0" y="{FONT}" font-size="{FONT}" fill="{GREY}">{escape(unit)}</text>')
    for tick in y_ticks:
        parts.append(
            f'<line x1="{left:.0f}" x2="{WIDTH - F_RIGHT}" y1="{py(tick):.1f}" y2="{py(tick):.1f}" '
            f'stroke="{RULE}" stroke-width="1"/>'
            f'<text x="{left - 6:.0f}" y="{py(tick) + 5:.1f}" text-anchor="end" '
            f'font-size="{FONT}" fill="{INK}">{_tick(tick)}</text>'
        )
    axis_y = FUNNEL_HEIGHT - F_BOTTOM
    for n, tick in enumerate(x_ticks):
        anchor = "start" if n == 0 else "end" if n == len(x_ticks) - 1 else "middle"
        parts.append(
            f'<text x="{px(tick):.1f}" y="{axis_y + 20}" text-anchor="{anchor}" '
            f'font-size="{FONT}" fill="{INK}">{_tick(tick)}</text>'
        )
    parts.append(
        f'<text x="{(left + WIDTH - F_RIGHT) / 2:.1f}" y="{FUNNEL_HEIGHT - 6}" '
        f'text-anchor="middle" font-size="{FONT}" fill="{GREY}">{escape(x_label)}</text>'
    )
    parts.append(f'<g clip-path="url(#{chart_id}-plot)">')
    parts.append(
        f'<line x1="{left:.0f}" x2="{WIDTH - F_RIGHT}" y1="{py(average):.1f}" '
        f'y2="{py(average):.1f}" stroke="{INK}" stroke-width="3"/>'
    )
    for name, line in limits.items():
        shown = [(x, v) for x, v in line if math.isfinite(v) and x_lo <= x <= x_hi]
        if len(shown) < 2:
            continue
        dash = ' stroke-dasharray="7 5"' if name.endswith("2s") else ""
        parts.append(
            f'<polyline points="{_points((px(x), py(v)) for x, v in shown)}" fill="none" '
            f'stroke="{GREY}" stroke-width="2"{dash}/>'
        )
    parts.append("</g>")
    for p in points:
        parts.append(_funnel_marker(p, px(p.x), py(p.y)))
    parts.append("</svg>")
    return "".join(parts)


def _funnel_marker(point: FunnelPoint, x: float, y: float) -> str:
    label = point.significance
    edge = f'stroke="{INK}" stroke-width="1.5"'
    if label.startswith(("High", "Low")):
        fill = FUNNEL_FILLS["0.001" if "0.001" in label else "0.025"]
        s = 7
        if label.startswith("High"):
            corners = [(x, y - s), (x + s, y + s * 0.8), (x - s, y + s * 0.8)]
        else:
            corners = [(x, y + s), (x + s, y - s * 0.8), (x - s, y - s * 0.8)]
        return f'<polygon points="{_points(corners)}" fill="{fill}" {edge}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#ffffff" {edge}/>'


# --- the map ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapArea:
    """An area on the map: its SVG path, where its link goes, the words of its <title>, and
    its class (an index into the legend's classes), or None when suppressed or with no value."""

    code: str
    path: str
    href: str
    label: str
    colour_class: int | None
    suppressed: bool = False


@dataclass(frozen=True)
class LegendClass:
    label: str  # "1,234 to 1,456"
    colour: str


LEGEND_ROW = FONT + 12


def choropleth(
    areas: Sequence[MapArea],
    *,
    width: float,
    height: float,
    classes: Sequence[LegendClass],
    title: str,
    desc: str,
    chart_id: str,
) -> str:
    """Areas shaded by class, with the legend drawn under the map: every class, then "Value
    suppressed" (hatched) and "No value" where any area is so. Each area is a link to its page
    with a <title> naming it and its value, so the map is a group of links (role="group"), not
    an image: an image's children are hidden from assistive technology, and these are links."""
    hatch = f"{chart_id}-hatch"
    any_suppressed = any(a.suppressed for a in areas)
    any_missing = any(a.colour_class is None and not a.suppressed for a in areas)
    entries = [(c.label, f'fill="{c.colour}"') for c in classes]
    if any_suppressed:
        entries.append(("Value suppressed (too few to publish)", f'fill="url(#{hatch})"'))
    if any_missing:
        entries.append(("No value", f'fill="{NO_DATA_COLOUR}"'))
    total_height = height + 12 + len(entries) * LEGEND_ROW
    parts = [
        f'<svg class="deal-chart insight-map" viewBox="0 0 {width:g} {total_height:g}" '
        f'role="group" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        'xmlns="http://www.w3.org/2000/svg" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<defs><pattern id="{hatch}" patternUnits="userSpaceOnUse" width="8" height="8" '
        'patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/>'
        f'<line x1="2" y1="0" x2="2" y2="8" stroke="{GREY}" stroke-width="3"/></pattern></defs>',
    ]
    for area in areas:
        if area.suppressed:
            fill = f"url(#{hatch})"
        elif area.colour_class is None:
            fill = NO_DATA_COLOUR
        else:
            fill = classes[area.colour_class].colour
        parts.append(
            f'<a href="{escape(area.href)}" class="insight-map__area">'
            f'<path d="{area.path}" fill="{fill}" stroke="{INK}" stroke-width="0.75" '
            f'stroke-linejoin="round"><title>{escape(area.label)}</title></path></a>'
        )
    for n, (label, fill) in enumerate(entries):
        top = height + 12 + n * LEGEND_ROW
        parts.append(
            f'<rect class="insight-map__key" x="2" y="{top:.0f}" width="28" height="{FONT + 2}" '
            f'{fill} stroke="{INK}" stroke-width="1"/>'
            f'<text x="40" y="{top + FONT - 1:.0f}" font-size="{FONT}" fill="{INK}">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


# --- helpers ---------------------------------------------------------------------------------


def _ticks(low: float, high: float, count: int) -> list[float]:
    """Round ticks that reach past both `low` and `high` (nice_ticks may stop half a step
    short of `high`, which would put the highest figure above the chart)."""
    ticks = nice_ticks(low, high, count)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    while ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _tick_width(ticks: Sequence[float]) -> float:
    """Room for the widest tick label at the chart's font size (about 0.6 em a character)."""
    return max(len(_tick(t)) for t in ticks) * FONT * 0.6 + 10


def _points(points) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _short(label: str, most: int) -> str:
    """A label cut to fit the chart's width (the table beside it has it whole)."""
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def _tick(value: float) -> str:
    """A tick's figure: thousands separated, no needless decimals."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:g}"
