"""Funnel plots as an analyst meets them: limits, significance labels, points, and bad input.

The expected numbers are worked out here from the definitions (normal approximation for
proportions, Poisson tail probabilities for counts), not from the implementation's helpers.
"""

import re

import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy import optimize, stats

from thedeal.indicators.methods._common import IndicatorInputError
from thedeal.indicators.methods.funnels import (
    funnel_limits,
    funnel_points,
    funnel_significance,
)

Z95, Z998 = stats.norm.ppf(0.975), stats.norm.ppf(0.999)

# Twelve areas: screening uptake (numerator of the eligible denominator).
UPTAKE = pd.DataFrame(
    {
        "area": [f"E0{i:02d}" for i in range(12)],
        "screened": [410, 1210, 2630, 515, 3900, 8100, 760, 12100, 45, 2020, 15020, 999],
        "eligible": [1000, 2600, 5200, 1300, 8000, 16500, 1500, 25000, 100, 4300, 30000, 2100],
    }
)

# Observed and expected deaths (for standardised ratios).
DEATHS = pd.DataFrame(
    {
        "observed": [0, 3, 12, 30, 55, 140, 260, 95, 410, 8],
        "expected": [5.0, 4.2, 10.5, 10.0, 60.2, 150.3, 215.0, 120.4, 400.7, 9.1],
    }
)

# Admissions over three years, with crude rates per 100,000 and populations.
ADMISSIONS = pd.DataFrame(
    {
        "events": [0, 4, 9, 25, 130, 480, 960, 75, 300, 1500],
        "population": [9000, 12000, 30000, 25000, 60000, 150000, 240000, 40000, 80000, 420000],
    }
)
ADMISSIONS["rate"] = ADMISSIONS["events"] / ADMISSIONS["population"] * 1e5


def error(message):
    """pytest.raises for an IndicatorInputError whose message starts with R's wording."""
    return pytest.raises(IndicatorInputError, match="^" + re.escape(message))


# --- proportions --------------------------------------------------------------------------


def test_proportion_limits_are_the_normal_approximation_round_the_average():
    limits = funnel_limits(UPTAKE, "screened", "eligible", statistic="proportion", multiplier=100)
    average = UPTAKE["screened"].sum() / UPTAKE["eligible"].sum()
    n = limits["Population"].to_numpy()
    for level, z in (("2s", Z95), ("3s", Z998)):
        spread = z * np.sqrt(average * (1 - average) / n)
        np.testing.assert_allclose(
            limits[f"lower_{level}_limit"], np.maximum(0, (average - spread) * 100), rtol=1e-9
        )
        np.testing.assert_allclose(
            limits[f"upper_{level}_limit"], np.minimum(100, (average + spread) * 100), rtol=1e-9
        )
    np.testing.assert_allclose(limits["baseline"], average * 100, rtol=1e-12)
    assert list(limits.columns) == [
        "Population",
        "lower_2s_limit",
        "upper_2s_limit",
        "lower_3s_limit",
        "upper_3s_limit",
        "baseline",
        "statistic",
        "method",
    ]
    assert set(limits["statistic"]) == {"proportion"} and set(limits["method"]) == {"Wilson"}


def test_the_axis_has_100_points_from_1_to_a_neat_number_past_the_largest_denominator():
    limits = funnel_limits(UPTAKE, "screened", "eligible", statistic="proportion", multiplier=100)
    axis = limits["Population"].to_numpy()
    assert len(axis) == 100
    assert (np.diff(axis) >= 1).all() and (axis == np.round(axis)).all()
    # The largest denominator is more than twice the smallest, so the axis starts at 1;
    # it ends at 30,000 x 1.05 rounded up to two leading digits.
    assert axis[0] == 1 and axis[-1] == 32_000


def test_close_denominators_start_the_axis_at_a_neat_number_below_the_smallest():
    close = UPTAKE[UPTAKE["eligible"].between(20_000, 30_000)]
    axis = funnel_limits(close, "screened", "eligible", statistic="proportion", multiplier=100)[
        "Population"
    ]
    # 25,000 x 0.95 = 23,750, rounded down to its leading digit.
    assert axis.iloc[0] == 20_000 and axis.iloc[-1] == 32_000


def test_the_axis_end_keeps_the_r_package_counting_digits_of_1_23e_08():
    # R counts the characters of 123000000 as "1.23e+08" (8, not 9), so it rounds up to
    # 123,000,000 rather than to 130,000,000.
    big = pd.DataFrame({"x": [1_000_000, 2_000_000], "n": [10_000_000, 117_142_857]})
    axis = funnel_limits(big, "x", "n", statistic="proportion", multiplier=100)["Population"]
    assert axis.iloc[-1] == 123_000_000


def test_99_8_limits_lie_outside_the_95_limits_and_the_funnel_narrows():
    limits = funnel_limits(UPTAKE, "screened", "eligible", statistic="proportion", multiplier=100)
    assert (limits["lower_3s_limit"] <= limits["lower_2s_limit"]).all()
    assert (limits["upper_3s_limit"] >= limits["upper_2s_limit"]).all()
    inside = limits["lower_3s_limit"] > 0
    assert (limits.loc[inside, "lower_3s_limit"] < limits.loc[inside, "lower_2s_limit"]).all()
    for column in ("upper_2s_limit", "upper_3s_limit"):
        assert limits[column].is_monotonic_decreasing
    for column in ("lower_2s_limit", "lower_3s_limit"):
        assert limits[column].is_monotonic_increasing
    # Clamped to 0..100 where a tiny denominator would take the limit past them.
    assert limits["lower_3s_limit"].iloc[0] == 0
    assert limits[["upper_2s_limit", "upper_3s_limit"]].max().max() <= 100


def test_standard_type_leaves_out_the_metadata():
    limits = funnel_limits(
        UPTAKE, "screened", "eligible", statistic="proportion", multiplier=100, type="standard"
    )
    assert "statistic" not in limits and "method" not in limits
    assert list(limits.columns)[-1] == "baseline"


def test_proportion_significance_labels_each_area():
    areas = pd.DataFrame(
        {
            "area": ["far above", "on target", "far below", "just above", "tiny"],
            "x": [6000, 5000, 4000, 5150, 2],
            "n": [10000, 10000, 10000, 10000, 3],
        }
    )
    out = funnel_significance(areas, "x", "n", statistic="proportion", multiplier=100)
    average = areas["x"].sum() / areas["n"].sum()
    # "just above": outside the 95% limit but inside the 99.8% one at n = 10,000.
    spread = np.sqrt(average * (1 - average) / 10000)
    assert average + Z95 * spread < 0.515 < average + Z998 * spread
    assert out["significance"].tolist() == [
        "High (0.001)",
        "Not significant",
        "Low (0.001)",
        "High (0.025)",
        "Not significant",
    ]
    assert list(out.columns) == ["area", "x", "n", "significance"]
    assert list(out["significance"].cat.categories) == [
        "High (0.001)",
        "High (0.025)",
        "Low (0.001)",
        "Low (0.025)",
        "Not significant",
    ]


# --- ratios -------------------------------------------------------------------------------


def _exact_mean(observed, tail, side):
    """The Poisson mean with P(X <= O) = tail ("lower") or P(X >= O) = tail ("upper")."""
    if side == "lower":
        equation = lambda m: stats.poisson.cdf(observed, m) - tail  # noqa: E731
    else:
        equation = lambda m: stats.poisson.sf(observed - 1, m) - tail  # noqa: E731
    return optimize.brentq(equation, 1e-9, 10 * observed + 50, xtol=1e-12, rtol=1e-14)


def test_ratio_limits_solve_the_poisson_tail_equations():
    limits = funnel_limits(
        DEATHS, "observed", "expected", statistic="ratio", multiplier=100, ratio_type="isr"
    )
    assert list(limits.columns) == [
        "Observed_events",
        "lower_2s_exp_events",
        "lower_2s_limit",
        "upper_2s_exp_events",
        "upper_2s_limit",
        "lower_3s_exp_events",
        "lower_3s_limit",
        "upper_3s_exp_events",
        "upper_3s_limit",
        "statistic",
        "method",
    ]
    assert set(limits["statistic"]) == {"ratio (isr)"} and set(limits["method"]) == {"Poisson"}
    for row in limits.iloc[[0, 1, 5, 40, 99]].itertuples():
        observed = row.Observed_events
        for level, tail in (("2s", 0.025), ("3s", 0.001)):
            for side in ("lower", "upper"):
                expected = getattr(row, f"{side}_{level}_exp_events")
                exact = _exact_mean(observed, tail, side)
                # The bisection runs on v = E / (E + 1 + O) and stops at a step of 6e-8 (R's
                # rule), so E is that close in v, not in relative terms when E is small.
                v, v_exact = (e / (e + 1 + observed) for e in (expected, exact))
                assert abs(v - v_exact) < 1.2e-7
                if observed >= 10:
                    assert expected == pytest.approx(exact, rel=1e-6)
                assert getattr(row, f"{side}_{level}_limit") == pytest.approx(
                    observed / expected * 100, rel=1e-12
                )
    assert (limits["lower_3s_limit"] < limits["lower_2s_limit"]).all()
    assert (limits["upper_3s_limit"] > limits["upper_2s_limit"]).all()


def test_count_ratios_are_reported_as_ratio_minus_one():
    isr = funnel_limits(
        DEATHS, "observed", "expected", statistic="ratio", multiplier=100, ratio_type="isr"
    )
    count = funnel_limits(
        DEATHS, "observed", "expected", statistic="ratio", multiplier=100, ratio_type="count"
    )
    np.testing.assert_allclose(count["upper_2s_limit"], isr["upper_2s_limit"] / 100 - 1)
    assert set(count["statistic"]) == {"ratio (count)"}
    # The axis of observed events comes from the range of the expected counts.
    assert count["Observed_events"].iloc[0] == 1


def test_ratio_significance_uses_exact_and_byars_intervals():
    out = funnel_significance(DEATHS, "observed", "expected", statistic="ratio", multiplier=None)
    pairs = zip(DEATHS["observed"], DEATHS["expected"], strict=True)
    labels = dict(zip(pairs, out["significance"], strict=True))
    # 30 observed against 10 expected: far above.
    assert labels[(30, 10.0)] == "High (0.001)"
    # None observed against 5 expected: the exact 95% upper limit, chi2(0.975, 2)/2 = 3.69,
    # is below 5, but the 99.8% one, 6.91, is not.
    assert stats.chi2.ppf(0.975, 2) / 2 < 5 < stats.chi2.ppf(0.999, 2) / 2
    assert labels[(0, 5.0)] == "Low (0.025)"
    assert labels[(12, 10.5)] == "Not significant"
    assert labels[(260, 215.0)] == "High (0.025)"


# --- rates --------------------------------------------------------------------------------


def test_rate_limits_turn_poisson_counts_into_rates_at_the_average():
    limits = funnel_limits(
        ADMISSIONS,
        "events",
        "population",
        rate="rate",
        statistic="rate",
        multiplier=1e5,
        rate_type="crude",
        years_of_data=3,
    )
    assert list(limits.columns) == [
        "Events",
        "lower_2s_population_1_year",
        "lower_2s_limit",
        "upper_2s_population_1_year",
        "upper_2s_limit",
        "lower_3s_population_1_year",
        "lower_3s_limit",
        "upper_3s_population_1_year",
        "upper_3s_limit",
        "baseline",
        "statistic",
        "method",
    ]
    average = ADMISSIONS["events"].sum() / ADMISSIONS["population"].sum()
    np.testing.assert_allclose(limits["baseline"], average * 1e5, rtol=1e-12)
    assert set(limits["statistic"]) == {"rate (crude per 100,000)"}
    row = limits.iloc[30]
    mean = _exact_mean(row.Events, 0.025, "lower")
    assert row.lower_2s_population_1_year == pytest.approx(mean / average / 3, rel=1e-6)
    assert row.lower_2s_limit == pytest.approx(row.Events / (mean / average) * 1e5, rel=1e-6)
    # The funnel closes in on the average rate as events grow.
    assert limits["lower_2s_limit"].iloc[-1] < average * 1e5 < limits["upper_2s_limit"].iloc[-1]
    assert limits["upper_2s_limit"].is_monotonic_decreasing


def test_dsrs_from_fewer_than_10_events_are_not_assessed_or_plotted():
    dsr = funnel_significance(
        ADMISSIONS,
        "events",
        "population",
        rate="rate",
        statistic="rate",
        multiplier=1e5,
        rate_type="dsr",
    )
    crude = funnel_significance(
        ADMISSIONS,
        "events",
        "population",
        rate="rate",
        statistic="rate",
        multiplier=1e5,
        rate_type="crude",
    )
    few = ADMISSIONS["events"] < 10
    assert (dsr.loc[few, "significance"] == "Not applicable for events less than 10 for dsrs").all()
    assert (
        crude.loc[few, "significance"] != "Not applicable for events less than 10 for dsrs"
    ).all()
    assert (
        dsr["significance"].cat.categories[-1] == "Not applicable for events less than 10 for dsrs"
    )
    assert "denominator_derived" not in dsr

    points = funnel_points(
        ADMISSIONS,
        "events",
        "population",
        rate="rate",
        statistic="rate",
        multiplier=1e5,
        rate_type="dsr",
        years_of_data=3,
    )
    assert list(points.columns) == [
        "events",
        "population",
        "rate",
        "rate_chart",
        "denominator_derived",
    ]
    assert points.loc[few, ["rate_chart", "denominator_derived"]].isna().all().all()
    plotted = points[~few]
    np.testing.assert_allclose(plotted["rate_chart"], plotted["rate"])
    np.testing.assert_allclose(plotted["denominator_derived"], plotted["population"] / 3)


def test_crude_points_with_no_events_use_the_denominator():
    points = funnel_points(
        ADMISSIONS,
        "events",
        "population",
        rate="rate",
        statistic="rate",
        multiplier=1e5,
        rate_type="crude",
        years_of_data=5,
    )
    assert points["denominator_derived"].iloc[0] == 9000 / 5
    np.testing.assert_allclose(points["denominator_derived"], ADMISSIONS["population"] / 5)
    np.testing.assert_allclose(points["rate_chart"], ADMISSIONS["rate"])


def test_an_area_with_a_rate_far_above_the_average_is_high():
    areas = ADMISSIONS.copy()
    areas.loc[5, "events"] = 1200
    areas["rate"] = areas["events"] / areas["population"] * 1e5
    out = funnel_significance(
        areas,
        "events",
        "population",
        rate="rate",
        statistic="rate",
        multiplier=1e5,
        rate_type="crude",
    )
    assert out["significance"].iloc[5] == "High (0.001)"


# --- input as Polars, abbreviations -------------------------------------------------------


def test_polars_input_gives_the_same_results():
    polars = pl.DataFrame({name: ADMISSIONS[name].to_numpy() for name in ADMISSIONS.columns})
    arguments = dict(rate="rate", statistic="rate", multiplier=1e5, rate_type="dsr")
    pd.testing.assert_frame_equal(
        funnel_limits(polars, "events", "population", years_of_data=3, **arguments),
        funnel_limits(ADMISSIONS, "events", "population", years_of_data=3, **arguments),
    )
    pd.testing.assert_frame_equal(
        funnel_significance(polars, "events", "population", **arguments),
        funnel_significance(ADMISSIONS, "events", "population", **arguments),
    )
    pd.testing.assert_frame_equal(
        funnel_points(polars, "events", "population", years_of_data=3, **arguments),
        funnel_points(ADMISSIONS, "events", "population", years_of_data=3, **arguments),
    )


def test_arguments_may_be_abbreviated_as_in_r():
    pd.testing.assert_frame_equal(
        funnel_limits(UPTAKE, "screened", "eligible", statistic="prop", multiplier=100, type="s"),
        funnel_limits(
            UPTAKE, "screened", "eligible", statistic="proportion", multiplier=100, type="standard"
        ),
    )


def test_the_statistic_label_writes_the_multiplier_with_thousands_separators():
    limits = funnel_limits(
        ADMISSIONS,
        "events",
        "population",
        rate="rate",
        statistic="rate",
        multiplier=1000,
        rate_type="dsr",
        years_of_data=1,
    )
    assert set(limits["statistic"]) == {"rate (dsr per 1,000)"}


# --- bad input ----------------------------------------------------------------------------


def test_the_statistic_is_required():
    with error("statistic must be provided as proportion, rate or ratio"):
        funnel_limits(UPTAKE, "screened", "eligible", statistic=None, multiplier=100)
    with error("'arg' should be one of"):
        funnel_limits(UPTAKE, "screened", "eligible", statistic="pop", multiplier=100)


def test_missing_arguments_are_named_as_the_r_package_names_them():
    with error(
        "the following arguments are required for proportions: "
        "data, numerator, denominator, multiplier"
    ):
        funnel_limits(UPTAKE, "screened", "eligible", statistic="proportion", multiplier=None)
    with error(
        "the following arguments are required for ratios: "
        "data, numerator, denominator, ratio_type, multiplier"
    ):
        funnel_limits(DEATHS, "observed", "expected", statistic="ratio", multiplier=100)
    rates = "the following arguments are required for rates: "
    with error(rates + "data, numerator, rate, rate_type, multiplier, years_of_data"):
        funnel_limits(
            ADMISSIONS, "events", "population", statistic="rate", multiplier=1e5, rate_type="dsr"
        )
    with error(rates + "data, numerator, rate, rate_type, multiplier, years_of_data"):
        funnel_limits(
            ADMISSIONS,
            "events",
            "population",
            rate="rate",
            statistic="rate",
            multiplier=1e5,
            rate_type="dsr",
        )
    with error(rates + "data, numerator, rate, rate_type, multiplier"):
        funnel_significance(
            ADMISSIONS, "events", "population", rate="rate", statistic="rate", multiplier=None
        )
    with error(rates + "data, numerator, rate, rate_type, years_of_data, multiplier"):
        funnel_points(
            ADMISSIONS, "events", "population", statistic="rate", multiplier=1e5, rate_type="dsr"
        )
    with error(
        "the following arguments are required for ratios and proportions: "
        "data, numerator, denominator"
    ):
        funnel_significance(UPTAKE, "screened", None, statistic="proportion", multiplier=100)


def test_choices_must_be_one_of_r_options():
    with error("'arg' should be one of \u201ccount\u201d, \u201cisr\u201d"):
        funnel_limits(
            DEATHS, "observed", "expected", statistic="ratio", multiplier=100, ratio_type="smr"
        )
    with error("'arg' should be one of \u201cfull\u201d, \u201cstandard\u201d"):
        funnel_limits(
            UPTAKE, "screened", "eligible", statistic="proportion", multiplier=100, type="srtd"
        )
    with error("'arg' should be one of \u201cdsr\u201d, \u201ccrude\u201d"):
        funnel_significance(
            ADMISSIONS,
            "events",
            "population",
            rate="rate",
            statistic="rate",
            multiplier=1e5,
            rate_type="isr",
        )


def test_impossible_values_are_refused():
    bad = pd.DataFrame({"area": ["A", "B", "C"], "obs": [65, -80, 30], "pop": [100, 100, 200]})
    with error("numerators must be greater than or equal to zero"):
        funnel_significance(bad, "obs", "pop", statistic="proportion", multiplier=100)
    bad = pd.DataFrame({"obs": [65, 80, 30], "pop": [100, 100, 0]})
    with error("denominators must be greater than zero"):
        funnel_significance(bad, "obs", "pop", statistic="proportion", multiplier=100)
    bad = pd.DataFrame({"obs": [65, 80, 30], "pop": [100, 100, 20]})
    with error("numerators must be less than or equal to denominator for a proportion statistic"):
        funnel_significance(bad, "obs", "pop", statistic="proportion", multiplier=100)
    with pytest.raises(IndicatorInputError) as raised:
        funnel_significance(bad, "obs", "pop", statistic="proportion", multiplier=100)
    # The error says where: the third row.
    assert raised.value.row == 2


def test_missing_values_are_refused_where_the_average_needs_them():
    gaps = ADMISSIONS.astype(float)
    gaps.loc[3, "events"] = np.nan
    with error(
        "for rates, numerators must be provided for all records, even when their values are zero"
    ):
        funnel_limits(
            gaps,
            "events",
            "population",
            rate="rate",
            statistic="rate",
            multiplier=1e5,
            rate_type="crude",
            years_of_data=1,
        )
    with error("for proportions, numerators and denominators must be provided for all records"):
        funnel_significance(gaps, "events", "population", statistic="proportion", multiplier=100)
    gaps = ADMISSIONS.astype(float)
    gaps.loc[3, ["rate", "population"]] = np.nan
    with error(
        "for rates, rates must be provided for all records, "
        "or a denominator must be provided if the rate is zero"
    ):
        funnel_significance(
            gaps,
            "events",
            "population",
            rate="rate",
            statistic="rate",
            multiplier=1e5,
            rate_type="dsr",
        )


def test_areas_without_events_need_a_denominator():
    with error(
        "for rates, where there are 0 events for a record, the denominator field needs to be "
        "provided using the denominator argument"
    ):
        funnel_limits(
            ADMISSIONS,
            "events",
            None,
            rate="rate",
            statistic="rate",
            multiplier=1e5,
            rate_type="dsr",
            years_of_data=3,
        )
    no_population = ADMISSIONS.assign(
        population=ADMISSIONS["population"].where(ADMISSIONS.index > 0)
    )
    with error(
        "for rates, where there are 0 events for a record, the denominator must be provided"
    ):
        funnel_points(
            no_population,
            "events",
            "population",
            rate="rate",
            statistic="rate",
            multiplier=1e5,
            rate_type="crude",
            years_of_data=3,
        )


def test_points_are_only_for_rates():
    with error("funnel points are derived for rates only"):
        funnel_points(UPTAKE, "screened", "eligible", statistic="proportion", multiplier=100)
