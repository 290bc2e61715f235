"""What every server-drawn SVG chart of the site shares: its size, text, colours, tick marks and
opening tag. Charts are drawn on the server so that they need no JavaScript, and with
presentation attributes rather than style so that the Content Security Policy (no inline style)
allows them. Each chart says that its figures are in the table beside it: its text alternative.
"""

from __future__ import annotations

import math
from html import escape

# Drawn 440 wide with 17-unit text so that on a 320 px phone, where the chart is 290 px wide,
# the labels are still 11 px; on a desktop the stylesheet caps the chart at 640 px.
WIDTH, HEIGHT = 440, 300
FONT = 17
FONT_FAMILY = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
# GOV.UK Frontend's text, secondary text, green, red and border colours.
INK, GREY, TARGET, ENGLAND = "#0b0c0c", "#505a5f", "#00703c", "#d4351c"
RULE = "#b1b4b6"
TABLE_BELOW = "The same figures are in the table below the chart."


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round figures from at or below `low` to at or above `high`, at most about `count` steps
    apart (steps of 1, 2, 2.5 or 5 times a power of ten)."""
    if high <= low:
        high = low + 1
    step = 10 ** math.floor(math.log10((high - low) / count))
    for multiple in (1, 2, 2.5, 5, 10):
        if (high - low) / (step * multiple) <= count:
            step *= multiple
            break
    start = math.floor(low / step) * step
    ticks = []
    tick = start
    while tick <= high + step / 2:
        ticks.append(round(tick, 10))
        tick += step
    return ticks


def svg_open(
    width: float,
    height: float,
    *,
    title: str,
    chart_id: str,
    desc: str = TABLE_BELOW,
    css_class: str = "deal-chart",
) -> list[str]:
    """A chart's opening tag, named by its <title> and described by its <desc> (role="img",
    so that a screen reader reads the two and not the drawing), as a list to append to."""
    return [
        f'<svg class="{css_class}" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'font-family="{FONT_FAMILY}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
