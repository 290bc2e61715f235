"""The progress chart is readable on a phone: the smallest screen the site supports is 320 px,
where the chart is drawn 290 px wide (the page's 15 px margins either side)."""

import re
from itertools import pairwise

from thedeal.deal import charts
from thedeal.deal.progress import Point

PHONE = 290  # px of chart on a 320 px screen


def chart(years):
    points = [Point(y, 20 - i * 0.5, None, None, None, False, None) for i, y in enumerate(years)]
    return charts.progress_chart(
        points, title="Adults who smoke", unit="%", target=12.0, chart_id="c"
    )


def test_labels_are_at_least_11_px_on_a_320_px_phone():
    svg = chart(range(2010, 2023))
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]
    assert sizes and min(sizes) * PHONE / width >= 11


def test_year_labels_do_not_overlap():
    svg = chart(range(2010, 2023))
    size = float(re.search(r'font-size="([\d.]+)"', svg).group(1))
    years = sorted(
        float(x) for x, year in re.findall(r'<text x="([\d.]+)"[^>]*>(\d{4})</text>', svg)
    )
    # A four-digit year is about 2.4 font sizes wide in a sans-serif face.
    assert len(years) >= 4 and min(b - a for a, b in pairwise(years)) > 2.4 * size


def lines_drawn(svg) -> list[int]:
    """How many figures each stretch of the line joins."""
    return [len(p.split()) for p in re.findall(r'<polyline points="([^"]+)"', svg)]


def test_the_line_does_not_cross_years_with_no_survey():
    # Surveys in 2010-2012 and 2015-2016: nobody measured 2013 or 2014, so no line is drawn
    # through them, as if someone had.
    assert lines_drawn(chart([2010, 2011, 2012, 2015, 2016])) == [3, 2]


def test_a_survey_every_other_year_is_one_line():
    assert lines_drawn(chart([2010, 2012, 2014, 2016])) == [4]


def test_the_unit_sits_above_the_figures_not_across_them():
    svg = chart(range(2010, 2023))
    unit_y = float(re.search(r'class="deal-chart__unit" x="0" y="([\d.]+)"', svg).group(1))
    size = float(re.search(r'font-size="([\d.]+)"', svg).group(1))
    figure_ys = [
        float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)" text-anchor="end"', svg)
    ]
    # Every axis figure's top (its baseline less a font size) is below the unit's baseline.
    assert figure_ys and min(figure_ys) - size > unit_y
