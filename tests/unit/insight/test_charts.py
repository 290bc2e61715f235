"""Insight's charts: well-formed SVG a screen reader can name, markers that never tell a
comparison by colour alone, a map legend with every class, and text readable on a phone."""

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thedeal.indicators import polarity
from thedeal.indicators.methods import comparison
from thedeal.insight import charts
from thedeal.web.charts import nice_ticks

SVG = "{http://www.w3.org/2000/svg}"
PHONE = 290  # px of chart on a 320 px screen


def parsed(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def assert_named(svg: str, chart_id: str) -> ET.Element:
    root = parsed(svg)
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text
    assert desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    assert "style" not in svg  # the Content Security Policy forbids inline style
    return root


def assert_readable_on_a_phone(svg: str) -> None:
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]
    assert sizes and min(sizes) * PHONE / width >= 10.5


def spine_rows():
    return [
        charts.SpineRow("Emergency admissions", 0.2, 0.0, 0.3, 0.6, 1.0, "Worse"),
        charts.SpineRow("Smoking", 0.5, 0.1, 0.4, 0.55, 0.9, "Similar"),
        charts.SpineRow("Life expectancy", 0.8, 0.0, 0.45, 0.7, 1.0, "Better"),
        charts.SpineRow("Share of older people", None, 0.0, 0.4, 0.6, 1.0, "Not compared"),
    ]


def test_the_comparisons_words_are_the_methods_own():
    # The chart draws the words the method gives (it names them without loading the methods).
    assert charts.BETTER == comparison.BETTER and charts.WORSE == comparison.WORSE
    assert set(charts.COMPARISON_SHAPES) == set(polarity.COMPARISONS)


def test_each_comparison_has_its_own_shape_not_only_its_own_colour():
    shapes = [charts.COMPARISON_SHAPES[kind] for kind in polarity.COMPARISONS]
    assert len(set(shapes)) == len(shapes)


def test_the_spine_chart_is_named_and_keys_every_marker_it_draws():
    svg = charts.spine_chart(spine_rows(), title="Abram against Wigan", chart_id="spine")
    root = assert_named(svg, "spine")
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for words in ("Worse than the borough", "Similar to the borough", "Better than the borough"):
        assert words in texts
    assert "Higher than the borough" not in texts  # no marker of that kind is drawn
    assert "no value shown" in texts  # the suppressed row says so, with no marker
    assert_readable_on_a_phone(svg)


def test_the_spine_puts_better_to_the_right():
    rows = [charts.SpineRow("A", 0.9, 0.0, 0.25, 0.75, 1.0, "Better")]
    svg = charts.spine_chart(rows, title="t", chart_id="s")
    marker = re.search(r'<circle cx="([\d.]+)"', svg)
    assert float(marker.group(1)) > charts.WIDTH / 2


def test_a_trend_breaks_its_line_at_a_suppressed_period():
    points = [
        charts.TrendPoint("2019/20", 10, 9, 11, 10.5),
        charts.TrendPoint("2020/21", 11, 10, 12, 10.6),
        charts.TrendPoint("2021/22", None, None, None, 10.7),
        charts.TrendPoint("2022/23", 12, 11, 13, 10.8),
        charts.TrendPoint("2023/24", 12.5, 11.5, 13.5, 10.9),
    ]
    svg = charts.trend_chart(
        points, title="t", unit="%", area_name="Abram", benchmark_name="Wigan", chart_id="tr"
    )
    root = assert_named(svg, "tr")
    lines = [p for p in root.iter(f"{SVG}polyline") if p.get("stroke") == charts.INK]
    assert [len(p.get("points").split()) for p in lines] == [2, 2]
    assert len([c for c in root.iter(f"{SVG}circle") if c.get("r") == "5"]) == 4 + 1  # + key
    assert_readable_on_a_phone(svg)


def test_the_funnel_draws_each_area_and_its_limits():
    points = [
        charts.FunnelPoint("Abram", 9000, 20.0, "High (0.001)"),
        charts.FunnelPoint("Astley", 11000, 15.0, "Not significant"),
        charts.FunnelPoint("Ince", 12000, 12.0, "Low (0.025)"),
    ]
    line = [(8000 + 500 * i, 15 + 10 / (i + 1)) for i in range(12)]
    svg = charts.funnel_plot(
        points,
        {"upper_2s": line, "lower_2s": [(x, 30 - y) for x, y in line]},
        average=15.0,
        title="Smoking: a funnel plot",
        unit="%",
        x_label="Denominator",
        chart_id="f",
    )
    root = assert_named(svg, "f")
    assert len(list(root.iter(f"{SVG}polygon"))) == 2  # the two outside their limits
    assert len(list(root.iter(f"{SVG}polyline"))) == 2
    assert_readable_on_a_phone(svg)


def test_every_ward_on_the_funnel_is_inside_the_chart():
    points = [
        charts.FunnelPoint(str(i), 9000 + 100 * i, 10 + i * 1.7, "Not significant")
        for i in range(10)
    ]
    svg = charts.funnel_plot(points, {}, average=15, title="t", unit="%", x_label="x", chart_id="f")
    for cy in re.findall(r'<circle cx="[\d.]+" cy="([\d.-]+)"', svg):
        assert charts.F_TOP - 1 <= float(cy) <= charts.FUNNEL_HEIGHT - charts.F_BOTTOM + 1


def map_areas(classes):
    return [
        charts.MapArea("E05000001", "M0,0 L10,0 L10,10 Z", "/w/1/", "Abram: 12.0 %", 0),
        charts.MapArea(
            "E05000002", "M10,0 L20,0 L20,10 Z", "/w/2/", "Astley: 15.0 %", len(classes) - 1
        ),
        charts.MapArea(
            "E05000003", "M20,0 L30,0 L30,10 Z", "/w/3/", "Ince: suppressed", None, True
        ),
    ]


def test_the_map_legend_has_every_class_and_the_hatching_of_suppressed_areas():
    classes = [charts.LegendClass(f"Class {n}", c) for n, c in enumerate(charts.MAP_COLOURS)]
    svg = charts.choropleth(
        map_areas(classes), width=100, height=40, classes=classes, title="Map", desc="d",
        chart_id="m",
    )  # fmt: skip
    root = parsed(svg)
    assert root.get("role") == "group"  # its areas are links: an image would hide them
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == [c.label for c in classes] + ["Value suppressed (too few to publish)"]
    keys = [r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("class") == "insight-map__key"]
    assert keys == [*charts.MAP_COLOURS, "url(#m-hatch)"]


def test_each_map_area_is_a_link_named_by_its_title():
    classes = [
        charts.LegendClass("Low", charts.MAP_COLOURS[0]),
        charts.LegendClass("High", charts.MAP_COLOURS[4]),
    ]
    svg = charts.choropleth(
        map_areas(classes), width=100, height=40, classes=classes, title="Map", desc="d",
        chart_id="m",
    )  # fmt: skip
    links = parsed(svg).findall(f"{SVG}a")
    assert [a.get("href") for a in links] == ["/w/1/", "/w/2/", "/w/3/"]
    titles = [a.find(f"{SVG}path/{SVG}title").text for a in links]
    assert titles == ["Abram: 12.0 %", "Astley: 15.0 %", "Ince: suppressed"]
    fills = [a.find(f"{SVG}path").get("fill") for a in links]
    assert fills[2] == "url(#m-hatch)"


def test_a_title_with_markup_is_escaped():
    svg = charts.spine_chart(spine_rows(), title="Ince & <Hindley>", chart_id="s")
    assert parsed(svg).find(f"{SVG}title").text == "Ince & <Hindley>"


@given(
    low=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    span=st.floats(min_value=1e-3, max_value=1e6, allow_nan=False),
)
def test_the_axis_always_reaches_past_both_ends(low, span):
    ticks = charts._ticks(low, low + span, 5)
    assert ticks[0] <= low and ticks[-1] >= low + span
    assert ticks == sorted(ticks)


@pytest.mark.parametrize("low, high", [(0, 1), (3.2, 27.9), (7499, 15798)])
def test_nice_ticks_are_shared_with_the_deal_charts(low, high):
    from thedeal.deal import charts as deal_charts

    assert deal_charts._nice_ticks(low, high) == nice_ticks(low, high)
