"""The casework reports' charts, drawn on the server as SVG (no JavaScript, no inline style: the
Content Security Policy forbids both), in deal.charts' sizes and colours. Each chart says that
its figures are in the table below it, which is its text alternative.

Labels sit above their bars, not beside them, so that a long service or outcome name keeps the
whole width on a 320 px phone. A suppressed figure is drawn as no bar, labelled "suppressed".
"""

from __future__ import annotations

from html import escape

from thedeal.deal.charts import FONT, GREY, INK, WIDTH, _nice_ticks

BAR = "#1d70b8"
ROW = 2 * FONT + 22  # a label line, then a bar
LEFT, RIGHT = 4, 64


def _short(label: str, most: int = 44) -> str:
    """A label cut to fit the chart's width (the table below has it whole)."""
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def _svg(height: float, *, title: str, chart_id: str) -> list[str]:
    return [
        f'<svg class="deal-chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">The same figures are in the table below the chart.</desc>',
    ]


def bar_chart(rows: list[tuple[str, float | None]], *, title: str, chart_id: str) -> str:
    """One horizontal bar for each (label, value); None (suppressed) draws no bar."""
    shown = [value for _, value in rows if value is not None]
    if not rows or not shown:
        return ""
    high = max(max(shown), 1)
    span = WIDTH - LEFT - RIGHT
    parts = _svg(len(rows) * ROW + 8, title=title, chart_id=chart_id)
    for n, (label, value) in enumerate(rows):
        top = n * ROW + FONT + 2
        parts.append(
            f'<text x="{LEFT}" y="{top:.0f}" font-size="{FONT}" fill="{INK}">{escape(_short(label))}</text>'
        )
        bar_top = top + 6
        if value is None:
            parts.append(
                f'<text x="{LEFT}" y="{bar_top + FONT:.0f}" font-size="{FONT}" fill="{GREY}">'
                "suppressed</text>"
            )
            continue
        width = max(value / high * span, 1 if value else 0)
        parts.append(
            f'<rect x="{LEFT}" y="{bar_top:.0f}" width="{width:.1f}" height="{FONT + 4}" '
            f'fill="{BAR}"/>'
            f'<text x="{LEFT + width + 6:.1f}" y="{bar_top + FONT:.0f}" font-size="{FONT}" '
            f'fill="{INK}">{value:,.0f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def change_chart(
    rows: list[tuple[str, float | None, float | None, float | None]], *, title: str, chart_id: str
) -> str:
    """Each (label, mean change, lower, upper) as a dot on its interval, either side of a line
    at no change; None (suppressed) draws nothing but says so."""
    values = [v for _, *figures in rows for v in figures if v is not None]
    if not rows or not values:
        return ""
    ticks = _nice_ticks(min(0.0, min(values)), max(0.0, max(values)))
    low, high = ticks[0], ticks[-1]
    left, right = 16, WIDTH - 24
    axis = FONT + 8

    def x(value: float) -> float:
        return left + (value - low) / (high - low) * (right - left)

    height = axis + len(rows) * ROW + 8
    parts = _svg(height, title=title, chart_id=chart_id)
    for tick in ticks:
        parts.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{axis:.0f}" y2="{height - 4:.0f}" '
            f'stroke="{"#505a5f" if tick == 0 else "#b1b4b6"}" '
            f'stroke-width="{2 if tick == 0 else 1}"/>'
            f'<text x="{x(tick):.1f}" y="{FONT}" text-anchor="middle" font-size="{FONT}" '
            f'fill="{INK}">{tick:+g}</text>'.replace(">+0<", ">0<")
        )
    for n, (label, value, lower, upper) in enumerate(rows):
        top = axis + n * ROW + FONT + 2
        parts.append(
            f'<text x="{left}" y="{top:.0f}" font-size="{FONT}" fill="{INK}">{escape(_short(label))}</text>'
        )
        middle = top + 6 + FONT / 2
        if value is None:
            parts.append(
                f'<text x="{left}" y="{middle + 6:.0f}" font-size="{FONT}" fill="{GREY}">'
                "suppressed</text>"
            )
            continue
        if lower is not None and upper is not None:
            parts.append(
                f'<line x1="{x(lower):.1f}" x2="{x(upper):.1f}" y1="{middle:.1f}" '
                f'y2="{middle:.1f}" stroke="{GREY}" stroke-width="3"/>'
            )
        parts.append(f'<circle cx="{x(value):.1f}" cy="{middle:.1f}" r="6" fill="{BAR}"/>')
    parts.append("</svg>")
    return "".join(parts)
