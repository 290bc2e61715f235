"""Direction of travel and progress against a target, with figures worked by hand."""

import math

import pytest

from thedeal.indicators.methods import IndicatorInputError, trends

Z = trends.Z95


def around(value, se):
    """A published 95% interval with standard error `se`."""
    return value - Z * se, value + Z * se


def fit(values, ses=None, years=None):
    years = years or list(range(2018, 2018 + len(values)))
    if ses is None:
        return trends.trend(years, values)
    limits = [around(v, s) for v, s in zip(values, ses, strict=True)]
    return trends.trend(years, values, [lo for lo, _ in limits], [hi for _, hi in limits])


def test_standard_error_from_a_published_interval():
    # (6.2 - 3.8) / (2 × 1.959964) = 0.612256
    assert trends.standard_error(3.8, 6.2) == pytest.approx(0.612256, abs=1e-6)


def test_equal_weights_slope_and_interval_worked_by_hand():
    # x = 0, 1, 2; y = 10, 9, 8; SE 1 each: slope -1, Var = 1 / Σ(x - x̄)² = 1/2.
    found = fit([10, 9, 8], ses=[1, 1, 1])
    assert found.weighted and found.slope == pytest.approx(-1)
    assert found.slope_lower == pytest.approx(-1 - Z * math.sqrt(0.5))
    assert found.slope_upper == pytest.approx(-1 + Z * math.sqrt(0.5))
    assert trends.direction_of_travel(found, lower_is_better=True) == trends.NO_SIGNIFICANT_CHANGE


def test_precise_figures_weigh_more_worked_by_hand():
    # w = 1, 1, 4: x̄w = 1.5, ȳw = 50/6, Σw(x-x̄w)² = 3.5, Σw(x-x̄w)(y-ȳw) = -3.
    found = fit([10, 8, 8], ses=[1, 1, 0.5])
    assert found.slope == pytest.approx(-3 / 3.5)
    assert found.slope_upper - found.slope == pytest.approx(Z / math.sqrt(3.5))


def test_a_steady_fall_with_narrow_intervals_is_getting_better_or_worse():
    # SE 0.1: w = 100, Σw(x-x̄)² = 1000, so the slope -0.2 has SE 0.0316: zero is excluded.
    found = fit([10, 9.8, 9.6, 9.4, 9.2], ses=[0.1] * 5)
    assert found.slope == pytest.approx(-0.2)
    assert trends.direction_of_travel(found, lower_is_better=True) == trends.GETTING_BETTER
    assert trends.direction_of_travel(found, lower_is_better=False) == trends.GETTING_WORSE


def test_one_years_rise_after_a_long_fall_is_not_getting_worse():
    # Wigan's adult smoking, no published intervals: the last five figures, unweighted.
    # x̄ = 2019, Σ(x-x̄)² = 40, Σ(x-x̄)(y-ȳ) = -29.5: slope -0.7375; residual SS 6.31575 on
    # 3 df, so SE = √(2.10525 / 40) = 0.229415 and t(3) = 3.182446.
    years = [2010, 2012, 2014, 2018, 2020, 2021, 2022]
    found = trends.trend(years, [25.5, 23.0, 20.6, 15.5, 17.1, 13.9, 14.7])
    assert found.years == (2014, 2018, 2020, 2021, 2022) and not found.weighted
    assert found.slope == pytest.approx(-0.7375)
    assert found.slope_upper == pytest.approx(-0.7375 + 3.182446 * 0.229415, abs=1e-5)
    assert trends.direction_of_travel(found, lower_is_better=True) == trends.GETTING_BETTER


def test_two_figures_are_too_few_to_tell():
    found = fit([14, 15], ses=[1, 1])
    assert found is None
    assert trends.direction_of_travel(found, lower_is_better=True) == trends.TOO_FEW_FIGURES


def test_suppressed_years_are_left_out_of_the_trend():
    found = trends.trend([2019, 2020, 2021, 2022], [10.0, None, 9.0, 8.0])
    assert found.years == (2019, 2021, 2022)


@pytest.mark.parametrize(
    ("lower", "upper", "expected"),
    [
        (3.8, 6.2, trends.CANNOT_TELL_YET),  # 4.9% against 5.0%: the interval straddles it
        (4.5, 4.99, trends.TARGET_MET),
        (4.5, 5.0, trends.TARGET_MET),  # on the target counts as reaching it
        (None, None, trends.CANNOT_TELL_YET),  # no interval published: cannot show it is met
    ],
)
def test_met_only_when_the_whole_interval_is_on_the_targets_side(lower, upper, expected):
    status = trends.against_target(
        target=5.0, target_year=2027, lower=lower, upper=upper, found=None, lower_is_better=True
    )
    assert status == expected


def test_on_course_and_not_on_course_from_the_projected_trend():
    # 2018-2022 falling 0.2 a year: 8.2 in 2027, with Var = 1/Σw + (2027 - 2020)²/Σw(x-x̄)²
    # = 1/500 + 49/1000 = 0.051, so the line's interval there is 8.2 ± 1.959964 × 0.2258.
    falling = fit([10, 9.8, 9.6, 9.4, 9.2], ses=[0.1] * 5)
    assert falling.at(2027)[0] == pytest.approx(8.2)
    assert falling.at(2027)[2] - 8.2 == pytest.approx(Z * math.sqrt(0.051))
    judge = dict(target_year=2027, lower=9.0, upper=9.4, found=falling, lower_is_better=True)
    assert trends.against_target(target=8.7, **judge) == trends.ON_COURSE
    assert trends.against_target(target=7.7, **judge) == trends.NOT_ON_COURSE
    assert trends.against_target(target=8.2, **judge) == trends.CANNOT_TELL_YET
    assert trends.against_target(target=None, **judge) == trends.NO_TARGET


def test_an_interval_that_does_not_hold_its_value_is_refused_with_its_row():
    with pytest.raises(IndicatorInputError, match="row 2"):
        trends.trend([2020, 2021, 2022], [5, 6, 7], [4, 6.5, 6], [6, 7, 8])
