"""The well-being charts: for any person's measures, every answer is drawn once, inside the
chart, the SVG is well formed, and the dates' labels never overlap."""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from thedeal.casework import wellbeing_chart
from thedeal.casework.wellbeing_chart import LABEL_SPACE, Row, _labelled

scores = st.one_of(st.none(), st.integers(0, 10))


@st.composite
def rows(draw):
    days = sorted(
        draw(st.sets(st.dates(datetime.date(2020, 1, 1), datetime.date(2027, 1, 1)), max_size=12))
    )
    found = []
    for day in days:
        raw = draw(st.one_of(st.none(), st.integers(7, 35)))
        found.append(
            Row(
                taken_on=day,
                occasion="Review",
                life_satisfaction=draw(scores),
                worthwhile=draw(scores),
                happiness=draw(scores),
                anxiety=draw(scores),
                swemwbs_metric=None if raw is None else Decimal(raw),
                swemwbs_raw=raw,
                pam_level=None,
            )
        )
    return found


def points(svg):
    return re.findall(r'<(?:circle cx|rect x|polygon points)="([\d.]+)', svg)


@settings(max_examples=60, deadline=None)
@given(rows())
def test_every_answer_is_drawn_once_inside_the_chart(found):
    svg = wellbeing_chart.ons4_chart(found, chart_id="c")
    answers = sum(
        v is not None
        for r in found
        for v in (r.life_satisfaction, r.worthwhile, r.happiness, r.anxiety)
    )
    if answers == 0:
        assert svg == ""
        return
    ET.fromstring(svg)  # well formed
    drawn = points(svg)
    assert len(drawn) == answers + 4  # and the legend's four markers
    assert all(0 <= float(x) <= wellbeing_chart.WIDTH for x in drawn)


@settings(max_examples=60, deadline=None)
@given(rows())
def test_swemwbs_is_drawn_once_for_each_day_it_was_recorded(found):
    svg = wellbeing_chart.swemwbs_chart(found, chart_id="s")
    recorded = sum(r.swemwbs_metric is not None for r in found)
    assert (svg == "") == (recorded == 0)
    if recorded:
        ET.fromstring(svg)
        assert len(points(svg)) == recorded


@given(st.lists(st.floats(0, 400), min_size=1, max_size=30).map(sorted))
def test_date_labels_never_overlap_and_the_latest_is_always_labelled(xs):
    chosen = _labelled(xs)
    assert chosen[-1] == len(xs) - 1
    gaps = [xs[b] - xs[a] for a, b in zip(chosen, chosen[1:], strict=False)]
    assert all(gap >= LABEL_SPACE for gap in gaps)
    # The first is labelled whenever it is far enough from the latest.
    assert (chosen[0] == 0) == (len(xs) == 1 or xs[-1] - xs[0] >= LABEL_SPACE)
