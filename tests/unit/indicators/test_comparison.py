"""Each area against a benchmark (METHODS.md section 15): Fingertips' significance rule and its
spine chart's scale, with the cases of Fingertips' own tests where it has them."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from thedeal.indicators import (
    IndicatorInputError,
    compare_with_benchmark,
    proportion,
    significance,
    spine_positions,
    spine_scale,
)
from thedeal.indicators.methods.comparison import (
    BETTER,
    HIGH_IS_GOOD,
    HIGHER,
    LOW_IS_GOOD,
    LOWER,
    NO_JUDGEMENT,
    NOT_COMPARED,
    POLARITIES,
    SIMILAR,
    WORSE,
)

figures = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
spreads = st.floats(min_value=0, max_value=1e5, allow_nan=False)


@pytest.mark.parametrize(
    ("interval", "polarity", "expected"),
    [
        # Smoking prevalence (low is good) against a borough value of 12.5%.
        ((14.0, 13.1, 15.0), LOW_IS_GOOD, WORSE),
        ((10.0, 9.1, 11.0), LOW_IS_GOOD, BETTER),
        ((12.0, 10.9, 13.2), LOW_IS_GOOD, SIMILAR),
        # Healthy life expectancy (high is good).
        ((14.0, 13.1, 15.0), HIGH_IS_GOOD, BETTER),
        ((10.0, 9.1, 11.0), HIGH_IS_GOOD, WORSE),
        # The share of residents aged 65 and over: a difference, not better or worse.
        ((14.0, 13.1, 15.0), NO_JUDGEMENT, HIGHER),
        ((10.0, 9.1, 11.0), NO_JUDGEMENT, LOWER),
        ((12.0, 10.9, 13.2), NO_JUDGEMENT, SIMILAR),
        # The benchmark on a limit is inside the interval (Fingertips: val <= upper && val >= lower).
        ((13.5, 12.5, 14.5), HIGH_IS_GOOD, SIMILAR),
        ((11.5, 10.5, 12.5), LOW_IS_GOOD, SIMILAR),
    ],
)
def test_an_area_is_compared_by_whether_its_interval_holds_the_benchmark(
    interval, polarity, expected
):
    value, lower, upper = interval

    assert significance(value, lower, upper, 12.5, polarity=polarity) == expected


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA])
@pytest.mark.parametrize("which", range(4))
def test_an_area_without_a_value_limits_or_benchmark_is_not_compared(missing, which):
    figures = [14.0, 13.1, 15.0, 12.5]
    figures[which] = missing

    assert significance(*figures, polarity=HIGH_IS_GOOD) == NOT_COMPARED


def test_an_unknown_polarity_or_limits_the_wrong_way_round_are_refused():
    with pytest.raises(IndicatorInputError, match="polarity must be one of"):
        significance(14, 13, 15, 12, polarity="higher is better")
    with pytest.raises(IndicatorInputError, match=r"lower limit \(15.0\) is above the upper"):
        significance(14, 15, 13, 12, polarity=HIGH_IS_GOOD)


@given(figures, spreads, spreads, figures, st.sampled_from([HIGH_IS_GOOD, LOW_IS_GOOD]))
def test_swapping_polarity_swaps_better_and_worse(value, below, above, benchmark, polarity):
    other = LOW_IS_GOOD if polarity == HIGH_IS_GOOD else HIGH_IS_GOOD
    swapped = {BETTER: WORSE, WORSE: BETTER, SIMILAR: SIMILAR}

    found = significance(value, value - below, value + above, benchmark, polarity=polarity)

    assert (
        significance(value, value - below, value + above, benchmark, polarity=other)
        == (swapped[found])
    )


@given(figures, spreads, spreads, st.sampled_from(POLARITIES))
def test_a_value_equal_to_the_benchmark_is_similar(value, below, above, polarity):
    assert significance(value, value - below, value + above, value, polarity=polarity) == SIMILAR


@given(figures, spreads, spreads, figures)
def test_no_judgement_says_higher_exactly_where_high_is_good_says_better(
    value, below, above, benchmark
):
    judged = significance(value, value - below, value + above, benchmark, polarity=HIGH_IS_GOOD)
    plain = significance(value, value - below, value + above, benchmark, polarity=NO_JUDGEMENT)

    assert plain == {BETTER: HIGHER, WORSE: LOWER, SIMILAR: SIMILAR}[judged]


@given(figures, spreads, spreads, figures, st.sampled_from(POLARITIES))
def test_a_wider_interval_never_turns_similar_into_a_difference(
    value, below, above, benchmark, polarity
):
    # 99.8% limits hold the 95% ones: a figure similar at 95% is similar at 99.8%.
    narrow = significance(value, value - below, value + above, benchmark, polarity=polarity)
    wide = significance(value, value - 2 * below, value + 2 * above, benchmark, polarity=polarity)

    assert narrow != SIMILAR or wide == SIMILAR


def wards():
    # Obesity among adults in three wards, from the proportion method (both published levels).
    counts = pd.DataFrame(
        {"ward": ["Abram", "Bryn", "Leigh West"], "obese": [310, 220, 402], "adults": [1000] * 3}
    )
    return proportion(counts, "obese", "adults", group_by="ward", confidence=[0.95, 0.998])


def test_a_frame_of_areas_is_compared_at_95_or_at_99_8_percent():
    at_95 = compare_with_benchmark(wards(), 0.27, polarity=LOW_IS_GOOD)
    at_99_8 = compare_with_benchmark(wards(), 0.27, polarity=LOW_IS_GOOD, confidence=0.998)

    # Abram's 31.0% (95%: 28.2 to 33.9) is worse than 27%, but not at 99.8% (26.6 to 35.7).
    assert list(at_95["comparison"]) == [WORSE, BETTER, WORSE]
    assert list(at_99_8["comparison"]) == [SIMILAR, BETTER, WORSE]


def test_the_benchmark_and_polarity_may_be_columns():
    rows = pd.DataFrame(
        {
            "indicator": ["smoking", "life expectancy", "aged 65+", "frailty"],
            "value": [20.0, 78.0, 25.0, None],
            "lowercl": [18.0, 77.0, 24.0, None],
            "uppercl": [22.0, 79.0, 26.0, None],
            "confidence": ["95%"] * 4,
            "borough": [15.0, 80.0, 20.0, 10.0],
            "polarity": [LOW_IS_GOOD, HIGH_IS_GOOD, NO_JUDGEMENT, LOW_IS_GOOD],
        }
    )

    out = compare_with_benchmark(rows, "borough", polarity="polarity")

    assert list(out["comparison"]) == [WORSE, WORSE, HIGHER, NOT_COMPARED]


def test_limits_at_another_level_than_asked_for_are_refused_with_what_to_do():
    rows = pd.DataFrame({"value": [1.0], "lowercl": [0.5], "uppercl": [1.5], "confidence": ["95%"]})

    with pytest.raises(IndicatorInputError, match="no 99.8% limits in the data: name the columns"):
        compare_with_benchmark(rows, 1.0, polarity=HIGH_IS_GOOD, confidence=0.998)


def test_a_bad_polarity_in_a_column_is_named_by_row():
    rows = pd.DataFrame(
        {"value": [1.0, 2.0], "lo": [0.5, 1.5], "hi": [1.5, 2.5], "p": [LOW_IS_GOOD, "up"]}
    )

    with pytest.raises(
        IndicatorInputError, match=r"polarity must be one of .*\(column 'p', row 2\)"
    ):
        compare_with_benchmark(rows, 1.0, polarity="p", lower="lo", upper="hi")


# The spine chart. Percentiles: Fingertips' own test cases (IndicatorStatsCalculatorTest.cs).
@pytest.mark.parametrize(
    ("low", "high", "p25", "p75"),
    [(50, 60, 52.5, 57.5), (1, 100, 25.75, 75.25), (1, 17, 5, 13)],
)
def test_spine_percentiles_are_fingertips_own(low, high, p25, p75):
    scale = spine_scale(range(low, high + 1), low, polarity=HIGH_IS_GOOD)

    assert (scale.worst, scale.p25, scale.p75, scale.best) == (low, p25, p75, high)


def test_the_benchmark_is_at_the_centre_and_the_farther_end_at_the_edge():
    # Wards 50 to 60 against a borough value of 53: 7 units to the right, 3 to the left.
    scale = spine_scale(range(50, 61), 53, polarity=HIGH_IS_GOOD)

    assert scale.position(53) == 0.5
    assert scale.positions == pytest.approx(
        {"worst": 0.5 - 3 / 14, "p25": 0.5 - 0.5 / 14, "p75": 0.5 + 4.5 / 14, "best": 1.0}
    )
    assert scale.labels == ("Worst", "Best")


def test_when_low_is_good_the_highest_value_is_on_the_left():
    scale = spine_scale(range(50, 61), 53, polarity=LOW_IS_GOOD)

    assert (scale.worst, scale.p25, scale.p75, scale.best) == (60, 57.5, 52.5, 50)
    assert scale.positions == pytest.approx(
        {"worst": 0.0, "p25": 2.5 / 14, "p75": 0.5 + 0.5 / 14, "best": 0.5 + 3 / 14}
    )


def test_no_judgement_draws_lowest_to_highest_and_says_so():
    scale = spine_scale([4, 1, 3], 2, polarity=NO_JUDGEMENT)

    assert scale.labels == ("Lowest", "Highest")
    assert scale.positions == {"worst": 0.25, "p25": None, "p75": None, "best": 1.0}


def test_a_spine_has_no_scale_without_values_or_a_benchmark():
    assert spine_scale([math.nan, None], 2, polarity=HIGH_IS_GOOD) is None
    assert spine_scale([1, 2], None, polarity=HIGH_IS_GOOD) is None
    assert spine_scale([2, 2, 2], 2, polarity=HIGH_IS_GOOD).position(2) == 0.5


@given(
    st.lists(figures, min_size=1, max_size=30),
    figures,
    st.sampled_from(POLARITIES),
)
def test_every_area_lies_on_the_scale_and_better_is_to_the_right(values, benchmark, polarity):
    scale = spine_scale(values, benchmark, polarity=polarity)
    positions = [scale.position(v) for v in values]

    assert all(-1e-9 <= p <= 1 + 1e-9 for p in positions)
    assert min(positions) == pytest.approx(scale.position(scale.worst))
    assert max(positions) == pytest.approx(scale.position(scale.best))
    # One end of the scale is always reached, by the area farthest from the benchmark.
    assert scale.half_width == 0 or min(positions) < 1e-9 or max(positions) > 1 - 1e-9
    order = np.argsort(values, kind="stable")
    ordered = [positions[i] for i in order]
    if polarity == LOW_IS_GOOD:
        assert ordered == sorted(ordered, reverse=True)
    else:
        assert ordered == sorted(ordered)


@given(st.lists(figures, min_size=1, max_size=30), figures)
def test_swapping_polarity_mirrors_the_spine(values, benchmark):
    high = spine_scale(values, benchmark, polarity=HIGH_IS_GOOD)
    low = spine_scale(values, benchmark, polarity=LOW_IS_GOOD)

    for v in values:
        assert low.position(v) == pytest.approx(1 - high.position(v), abs=1e-12)


def test_spine_positions_scales_each_indicator_by_its_own_wards():
    rows = pd.DataFrame(
        {
            "indicator": ["smoking"] * 4 + ["life expectancy"] * 4,
            "ward": ["Abram", "Bryn", "Hindley", "Leigh West"] * 2,
            "value": [10.0, 14.0, 16.0, 20.0, 76.0, 78.0, 80.0, 84.0],
            "borough": [15.0] * 4 + [80.0] * 4,
            "polarity": [LOW_IS_GOOD] * 4 + [HIGH_IS_GOOD] * 4,
        }
    )

    out = spine_positions(rows, "borough", polarity="polarity", group_by="indicator")

    smoking = out[out["indicator"] == "smoking"]
    assert list(smoking["spine_position"]) == pytest.approx([1.0, 0.6, 0.4, 0.0])
    assert smoking["spine_worst"].iloc[0] == 0.0
    assert smoking["spine_best"].iloc[0] == 1.0
    life = out[out["indicator"] == "life expectancy"]
    assert list(life["spine_position"]) == pytest.approx([0.0, 0.25, 0.5, 1.0])


def test_spine_positions_refuses_two_benchmarks_in_one_group():
    rows = pd.DataFrame({"value": [1.0, 2.0], "borough": [1.5, 1.6]})

    with pytest.raises(IndicatorInputError, match="benchmark must be the same for every row"):
        spine_positions(rows, "borough", polarity=HIGH_IS_GOOD)
