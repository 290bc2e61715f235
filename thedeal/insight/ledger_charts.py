"""The evaluation's chart: each estimator's relative risk as a dot on its 95% interval, beside a
line at 1 (no effect), drawn on the server as SVG in deal.charts' sizes and colours (no
JavaScript, no inline style: the Content Security Policy forbids both). The table beside it on
the page is its text alternative, as the chart's description says.

Labels sit above their intervals, so a long estimator name keeps the whole width on a phone.
"""

from __future__ import annotations

from html import escape

from thedeal.deal.charts import FONT, GREY, INK, WIDTH, _nice_ticks

PRIMARY, OTHER = "#1d70b8", "#505a5f"
ROW = 2 * FONT + 22  # a label line, then the interval
LEFT, RIGHT = 16, 24


def interval_chart(
    rows: list[tuple[str, float, float, float, bool]], *, title: str, chart_id: str
) -> str:
    """Each (label, relative risk, lower, upper, primary) as a dot on its interval: the primary
    estimate in blue and drawn thicker, the others in grey (their labels say which is which,
    so colour is never the only clue)."""
    values = [v for _, *figures, _ in rows for v in figures]
    if not rows:
        return ""
    # Always show 1 (no effect), and never stretch the scale below 0.
    ticks = _nice_ticks(max(0.0, min([1.0, *values])), max([1.0, *values]))
    low, high = ticks[0], ticks[-1]
    right = WIDTH - RIGHT
    axis = FONT + 8

    def x(value: float) -> float:
        return LEFT + (value - low) / (high - low) * (right - LEFT)

    rows_end = axis + len(rows) * ROW + 8
    height = rows_end + FONT + 4  # and a line saying which side is fewer admissions
    parts = [
        f'<svg class="deal-chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">Each estimate of the relative risk of an emergency '
        "admission is a dot on a line that spans its 95% confidence interval; a vertical line "
        "marks 1, no effect. The same figures are in the table beside the chart.</desc>",
    ]
    for tick in ticks:
        is_one = abs(tick - 1) < 1e-9
        style = (
            f'stroke="{INK}" stroke-width="2" stroke-dasharray="6 4"'
            if is_one
            else ('stroke="#b1b4b6" stroke-width="1"')
        )
        parts.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{axis:.0f}" '
            f'y2="{rows_end - 4:.0f}" {style}/>'
            f'<text x="{x(tick):.1f}" y="{FONT}" text-anchor="middle" font-size="{FONT}" '
            f'fill="{INK}">{tick:g}</text>'
        )
    for n, (label, value, lower, upper, primary) in enumerate(rows):
        top = axis + n * ROW + FONT + 2
        colour = PRIMARY if primary else OTHER
        weight = ' font-weight="bold"' if primary else ""
        parts.append(
            f'<text x="{LEFT}" y="{top:.0f}" font-size="{FONT}" fill="{INK}"{weight}>'
            f"{escape(label)}</text>"
        )
        middle = top + 6 + FONT / 2
        parts.append(
            f'<line x1="{x(lower):.1f}" x2="{x(upper):.1f}" y1="{middle:.1f}" y2="{middle:.1f}" '
            f'stroke="{colour}" stroke-width="{5 if primary else 3}"/>'
            f'<circle cx="{x(value):.1f}" cy="{middle:.1f}" r="{7 if primary else 6}" '
            f'fill="{colour}"/>'
        )
    parts.append(
        f'<text x="{right}" y="{height - 4:.0f}" text-anchor="end" font-size="{FONT - 3}" '
        f'fill="{GREY}">Left of 1: fewer admissions</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
