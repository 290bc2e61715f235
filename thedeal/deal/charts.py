"""Server-drawn SVG charts, so a chart needs no JavaScript and no inline style (the page's
Content Security Policy forbids both). Each chart comes with a table as its text alternative."""

from __future__ import annotations

import itertools
import math
from html import escape

from thedeal.web.charts import ENGLAND, FONT, GREY, HEIGHT, INK, TARGET, WIDTH  # noqa: F401
from thedeal.web.charts import nice_ticks as _nice_ticks

# Room for half a year label at the right, and at the top for the unit, written level above the
# figures (turned on its side it ran into the top figure and was cut off at the left edge).
LEFT, RIGHT, TOP, BOTTOM = 52, 28, 36, 40
YEAR_LABEL = 2.4 * FONT + 6  # a four-digit year's width, with a little space


def progress_chart(points, *, title: str, unit: str, target: float | None, chart_id: str) -> str:
    """A line of the figures with their 95% intervals, the target as a dashed line and England
    as red dots. `points` are progress.Point; suppressed years and years with no survey are gaps
    in the line."""
    shown = [p for p in points if p.value is not None]
    years = [p.year for p in points]
    if not shown or not years:
        return ""
    values = [v for p in shown for v in (p.value, p.lower, p.upper) if v is not None]
    values += [p.comparator for p in points if p.comparator is not None]
    if target is not None:
        values.append(target)
    ticks = _nice_ticks(min(0.0, min(values)), max(values) * 1.1)
    lo, hi = ticks[0], ticks[-1]
    first, last = min(years), max(years)
    span = max(last - first, 1)

    def x(year: float) -> float:
        return LEFT + (year - first) / span * (WIDTH - LEFT - RIGHT)

    def y(value: float) -> float:
        return TOP + (hi - value) / (hi - lo) * (HEIGHT - TOP - BOTTOM)

    parts = [
        f'<svg class="deal-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">The same figures are in the table below the chart.</desc>',
    ]
    for tick in ticks:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{LEFT - 8}" y="{y(tick) + 5:.1f}" text-anchor="end" font-size="{FONT}" '
            f'fill="{INK}">{tick:g}</text>'
        )
    # Label every year, or every second or third, so that the labels never overlap.
    step = math.ceil(YEAR_LABEL / ((WIDTH - LEFT - RIGHT) / span))
    for year in sorted(set(years)):
        if (year - first) % step == 0:
            parts.append(
                f'<text x="{x(year):.1f}" y="{HEIGHT - BOTTOM + 22}" text-anchor="middle" '
                f'font-size="{FONT}" fill="{INK}">{year}</text>'
            )
    parts.append(
        f'<text class="deal-chart__unit" x="0" y="{FONT}" font-size="{FONT}" fill="{GREY}">'
        f"{escape(unit)}</text>"
    )
    if target is not None:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            f'stroke="{TARGET}" stroke-width="3" stroke-dasharray="8 6"/>'
        )
    # The line breaks where there is no figure: at a suppressed year, and across years with no
    # survey at all (a jump longer than the series' usual step), so that it never draws a
    # figure for a year nobody measured.
    steps = [b - a for a, b in itertools.pairwise(sorted(years)) if b > a]
    usual_step = min(steps, default=1)
    segment: list[str] = []
    lines = []
    previous_year: int | None = None
    for p in sorted(points, key=lambda p: p.year):
        unmeasured = previous_year is not None and p.year - previous_year > usual_step
        previous_year = p.year
        if p.value is None or unmeasured:
            if segment:
                lines.append(segment)
            segment = []
            if p.value is None:
                continue
        segment.append(f"{x(p.year):.1f},{y(p.value):.1f}")
    if segment:
        lines.append(segment)
    for line in lines:
        parts.append(
            f'<polyline points="{" ".join(line)}" fill="none" stroke="{INK}" stroke-width="3"/>'
        )
    for p in shown:
        if p.lower is not None and p.upper is not None:
            parts.append(
                f'<line x1="{x(p.year):.1f}" x2="{x(p.year):.1f}" y1="{y(p.lower):.1f}" '
                f'y2="{y(p.upper):.1f}" stroke="{GREY}" stroke-width="2"/>'
            )
        parts.append(f'<circle cx="{x(p.year):.1f}" cy="{y(p.value):.1f}" r="5" fill="{INK}"/>')
    for p in points:
        if p.comparator is not None:
            parts.append(
                f'<circle cx="{x(p.year):.1f}" cy="{y(p.comparator):.1f}" r="5" fill="{ENGLAND}"/>'
            )
    parts.append("</svg>")
    return "".join(parts)
