"""The slope and relative index of inequality (sii), against worked examples and the properties
that PHEindicatormethods' phe_sii has.

The simulated limits are random, so they are tested by properties (they contain the estimate,
narrow with smaller standard errors, repeat with the same seed) and against the normal
interval they approximate, never against fixed numbers.
"""

import math
import warnings

import numpy as np
import pandas as pd
import polars as pl
import pytest

from thedeal.indicators.methods import inequality as sii_module
from thedeal.indicators.methods._common import IndicatorInputError, IndicatorWarning
from thedeal.indicators.methods.inequality import (
    MANY_QUANTILES_WARNING,
    REMOVED_WARNING,
    _order_statistics,
    _r_number,
    sii,
)

# Two areas of deciles: the example in phe_sii's documentation.
POPULATIONS = [
    [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534],
    [21675, 20065, 19750, 24713, 20112, 19618, 22408, 19752, 18939, 19312],
]
VALUES = [
    [75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3],
    [70.5, 71.6, 72.5, 73.5, 73.1, 76.2, 78.7, 80.6, 80.9, 80],
]
LOWER = [
    [72.7, 75.3, 80.9, 80.2, 77.1, 78, 79, 81.4, 75.8, 83.2],
    [70.1, 71.1, 72, 73.1, 72.7, 75.7, 78.2, 80.1, 80.4, 79.5],
]
UPPER = [
    [79.1, 81.4, 86.8, 87.1, 83.8, 84.2, 84.4, 86.9, 85.4, 89.4],
    [71, 72.1, 73.2, 73.7, 75.8, 78.8, 79.8, 81.2, 81.3, 80.9],
]
SE = [
    [1.64, 1.58, 1.51, 1.78, 1.7, 1.56, 1.37, 1.4, 2.43, 1.57],
    [0.23, 0.26, 0.3, 0.16, 0.79, 0.78, 0.4, 0.28, 0.23, 0.35],
]

FAST = {"repetitions": 2000, "seed": 1}


def deciles():
    rows = []
    for i, area in enumerate(["Area1", "Area2"]):
        for d in range(10):
            rows.append(
                {
                    "area": area,
                    "decile": d + 1,
                    "population": POPULATIONS[i][d],
                    "value": VALUES[i][d],
                    "lowerCL": LOWER[i][d],
                    "upperCL": UPPER[i][d],
                    "se": SE[i][d],
                }
            )
    return pd.DataFrame(rows)


def positions(population):
    """Cumulative midpoints of the population shares, worked out the long way."""
    share = np.asarray(population, dtype=float) / sum(population)
    return np.array([share[:i].sum() + share[i] / 2 for i in range(len(share))]), share


def weighted_line(population, values):
    """Intercept and slope of the population-weighted least-squares line, by numpy's lstsq."""
    x, share = positions(population)
    root = np.sqrt(share)
    design = np.column_stack([root, x * root])
    beta, *_ = np.linalg.lstsq(design, root * np.asarray(values, dtype=float), rcond=None)
    return beta


def area(population, values, **columns):
    df = pd.DataFrame(
        {"quantile": range(1, len(values) + 1), "population": population, "value": values}
    )
    for name, column in columns.items():
        df[name] = column
    return df


def rates(multiplier_of_se=1.0):
    """Two areas of rates per 100,000 falling with deprivation, with 95% limits about the rate
    on the log scale."""
    df = deciles()
    df["rate"] = 900 * np.exp(-0.05 * df["decile"]) * np.where(df["area"] == "Area1", 1, 1.3)
    log_se = 0.06 * multiplier_of_se
    df["rate_lower"] = df["rate"] * np.exp(-1.959964 * log_se)
    df["rate_upper"] = df["rate"] * np.exp(1.959964 * log_se)
    return df


# --- point estimates -----------------------------------------------------------------------------


def test_a_perfectly_linear_gradient_gives_its_slope_exactly():
    population = [800, 1200, 1000, 1500, 900, 700, 1100, 1300, 600, 1000]
    x, _ = positions(population)
    values = 40 + 25 * x  # fitted value 40 at x = 0 and 65 at x = 1
    df = area(population, values, se=0.5)

    out = sii(
        df, "quantile", "population", value="value", se="se", rii=True, intercept=True, **FAST
    )

    assert out["sii"][0] == pytest.approx(25, rel=1e-12)
    assert out["rii"][0] == pytest.approx(65 / 40, rel=1e-12)
    assert out["intercept"][0] == pytest.approx(40, rel=1e-12)


def test_the_sii_is_the_population_weighted_least_squares_slope():
    df = deciles()

    out = sii(
        df,
        "decile",
        "population",
        value="value",
        se="se",
        group_by="area",
        rii=True,
        intercept=True,
        **FAST,
    )

    for i in range(2):
        intercept, slope = weighted_line(POPULATIONS[i], VALUES[i])
        assert out["sii"][i] == pytest.approx(slope, rel=1e-12)
        assert out["rii"][i] == pytest.approx((intercept + slope) / intercept, rel=1e-12)
        assert out["intercept"][i] == pytest.approx(intercept, rel=1e-12)
    # The documentation example's first area, to the printed precision.
    assert out["sii"][0] == pytest.approx(7.000235, abs=1e-6)


def test_the_multiplier_scales_the_sii_but_not_the_rii():
    df = deciles()
    plain = sii(
        df, "decile", "population", value="value", se="se", group_by="area", rii=True, **FAST
    )
    scaled = sii(
        df,
        "decile",
        "population",
        value="value",
        se="se",
        group_by="area",
        rii=True,
        multiplier=100,
        **FAST,
    )

    assert np.allclose(scaled["sii"], 100 * plain["sii"], rtol=1e-12)
    assert np.allclose(scaled["rii"], plain["rii"], rtol=1e-12)
    assert np.allclose(scaled["sii_lower95_0cl"], 100 * plain["sii_lower95_0cl"], rtol=1e-12)


def test_the_point_estimate_does_not_depend_on_the_seed():
    df = deciles()
    one = sii(
        df,
        "decile",
        "population",
        value="value",
        se="se",
        group_by="area",
        rii=True,
        repetitions=1000,
        seed=1,
    )
    two = sii(
        df,
        "decile",
        "population",
        value="value",
        se="se",
        group_by="area",
        rii=True,
        repetitions=1000,
        seed=2,
    )

    assert one["sii"].tolist() == two["sii"].tolist()
    assert one["rii"].tolist() == two["rii"].tolist()


def test_rows_in_any_order_give_the_same_result():
    df = deciles()
    shuffled = df.sample(frac=1, random_state=3).reset_index(drop=True)

    a = sii(df, "decile", "population", value="value", se="se", group_by="area", **FAST)
    b = sii(shuffled, "decile", "population", value="value", se="se", group_by="area", **FAST)

    pd.testing.assert_frame_equal(a, b)


def test_a_proportion_can_be_given_as_a_count():
    df = deciles()
    df["prevalence"] = df["value"] / 400
    df["count"] = df["prevalence"] * df["population"]
    df["logit_se"] = 0.05

    by_value = sii(
        df,
        "decile",
        "population",
        value="prevalence",
        se="logit_se",
        value_type=2,
        group_by="area",
        **FAST,
    )
    by_count = sii(
        df, "decile", "population", x="count", se="logit_se", value_type=2, group_by="area", **FAST
    )

    assert np.allclose(by_value["sii"], by_count["sii"], rtol=1e-12)
    assert np.allclose(by_value["sii_lower95_0cl"], by_count["sii_lower95_0cl"], rtol=1e-9)


# --- simulated limits ----------------------------------------------------------------------------


def test_the_interval_contains_the_estimate():
    out = sii(
        deciles(),
        "decile",
        "population",
        value="value",
        lower_cl="lowerCL",
        upper_cl="upperCL",
        group_by="area",
        rii=True,
        **FAST,
    )

    assert (out["sii_lower95_0cl"] < out["sii"]).all() and (
        out["sii"] < out["sii_upper95_0cl"]
    ).all()
    assert (out["rii_lower95_0cl"] < out["rii"]).all() and (
        out["rii"] < out["rii_upper95_0cl"]
    ).all()


def test_the_same_seed_gives_identical_limits_and_another_seed_slightly_different_ones():
    df = deciles()
    kwargs = {"value": "value", "se": "se", "group_by": "area", "rii": True, "repetitions": 5000}

    first = sii(df, "decile", "population", seed=11, **kwargs)
    again = sii(df, "decile", "population", seed=11, **kwargs)
    other = sii(df, "decile", "population", seed=12, **kwargs)

    pd.testing.assert_frame_equal(first, again)
    limits = ["sii_lower95_0cl", "sii_upper95_0cl", "rii_lower95_0cl", "rii_upper95_0cl"]
    assert not np.array_equal(first[limits].to_numpy(), other[limits].to_numpy())
    # Monte Carlo differences, small beside the interval's width.
    width = (first["sii_upper95_0cl"] - first["sii_lower95_0cl"]).to_numpy()
    sii_limits = ["sii_lower95_0cl", "sii_upper95_0cl"]
    assert (np.abs(first[sii_limits] - other[sii_limits]).to_numpy() < 0.05 * width[:, None]).all()


def test_narrower_standard_errors_give_narrower_intervals():
    df = deciles()
    narrow = df.assign(se=df["se"] / 2)

    wide_out = sii(df, "decile", "population", value="value", se="se", group_by="area", **FAST)
    narrow_out = sii(
        narrow, "decile", "population", value="value", se="se", group_by="area", **FAST
    )

    width = wide_out["sii_upper95_0cl"] - wide_out["sii_lower95_0cl"]
    narrow_width = narrow_out["sii_upper95_0cl"] - narrow_out["sii_lower95_0cl"]
    assert (narrow_width < 0.6 * width).all()


def test_the_simulated_interval_matches_the_normal_interval_it_approximates():
    # For a value type 0 indicator the fitted slope is exactly normal, with variance
    # sum(w_i^2 se_i^2) for the slope's weights w_i, so the simulation should find its quantiles.
    df = deciles()
    out = sii(
        df,
        "decile",
        "population",
        value="value",
        se="se",
        group_by="area",
        confidence=(0.95, 0.998),
        repetitions=100_000,
        seed=5,
        type="standard",
    )

    for i in range(2):
        x, share = positions(POPULATIONS[i])
        centre = (share * x).sum()
        w = share * (x - centre) / (share * (x - centre) ** 2).sum()
        sd = math.sqrt((w**2 * np.asarray(SE[i]) ** 2).sum())
        slope = out["sii"][i]
        assert out["sii_lower95_0cl"][i] == pytest.approx(slope - 1.959964 * sd, abs=0.03 * sd)
        assert out["sii_upper95_0cl"][i] == pytest.approx(slope + 1.959964 * sd, abs=0.03 * sd)
        assert out["sii_upper99_8cl"][i] == pytest.approx(slope + 3.090232 * sd, abs=0.08 * sd)


def test_limits_from_confidence_limits_equal_those_from_the_standard_error_they_imply():
    df = deciles()
    df["lo"] = df["value"] - 1.959963984540054 * df["se"]
    df["hi"] = df["value"] + 1.959963984540054 * df["se"]

    from_se = sii(df, "decile", "population", value="value", se="se", group_by="area", **FAST)
    from_cl = sii(
        df,
        "decile",
        "population",
        value="value",
        lower_cl="lo",
        upper_cl="hi",
        group_by="area",
        **FAST,
    )

    pd.testing.assert_frame_equal(from_se, from_cl, rtol=1e-9)


def test_a_rate_standard_error_comes_from_its_limits_on_the_log_scale():
    df = rates()
    df["log_se"] = 0.06

    from_cl = sii(
        df,
        "decile",
        "population",
        value="rate",
        lower_cl="rate_lower",
        upper_cl="rate_upper",
        value_type=1,
        group_by="area",
        rii=True,
        **FAST,
    )
    from_se = sii(
        df,
        "decile",
        "population",
        value="rate",
        se="log_se",
        value_type=1,
        group_by="area",
        rii=True,
        **FAST,
    )

    pd.testing.assert_frame_equal(from_cl, from_se, rtol=1e-6)


def test_a_negative_multiplier_flips_the_sii_and_inverts_the_rii():
    df = deciles()
    kwargs = {"value": "value", "se": "se", "group_by": "area", "rii": True, "repetitions": 10_000}

    plus = sii(df, "decile", "population", seed=4, **kwargs)
    minus = sii(df, "decile", "population", multiplier=-1, seed=4, **kwargs)

    assert np.allclose(minus["sii"], -plus["sii"], rtol=1e-12)
    assert np.allclose(minus["rii"], 1 / plus["rii"], rtol=1e-12)
    # The same draws, negated: the limits swap (to within one simulated value).
    assert np.allclose(minus["sii_lower95_0cl"], -plus["sii_upper95_0cl"], rtol=0.01)
    assert np.allclose(minus["sii_upper95_0cl"], -plus["sii_lower95_0cl"], rtol=0.01)
    assert np.allclose(minus["rii_lower95_0cl"], 1 / plus["rii_upper95_0cl"], rtol=0.01)
    assert (minus["sii_lower95_0cl"] < minus["sii"]).all()
    assert (minus["rii_lower95_0cl"] < minus["rii"]).all()


def test_the_position_of_each_limit_is_rs():
    # R takes element round(R * 0.025) and round(R * 0.975) of the sorted results, from 1.
    lower, upper = sii_module._limit_positions((0.95, 0.998), 10_000)
    assert lower == [249, 9] and upper == [9749, 9989]


def test_order_statistics_are_those_of_a_full_sort():
    rng = np.random.default_rng(0)
    results = rng.normal(size=(3, 2 * 1000))
    expected = np.sort(results.reshape(3, 2, 1000), axis=-1)[..., [4, 24, 974, 994]]

    assert np.array_equal(_order_statistics(results.copy(), 2, [4, 24, 974, 994]), expected)


def test_chunking_and_threads_do_not_change_the_limits(monkeypatch):
    df = pd.concat([deciles().assign(area=lambda d, i=i: d["area"] + str(i)) for i in range(4)])
    kwargs = {
        "value": "value",
        "se": "se",
        "group_by": "area",
        "rii": True,
        "repetitions": 3000,
        "seed": 9,
    }
    rates_kwargs = {**kwargs, "value_type": 1, "se": "log_se"}
    df["log_se"] = 0.02

    whole = [
        sii(df, "decile", "population", **kwargs),
        sii(df, "decile", "population", **rates_kwargs),
    ]
    monkeypatch.setattr(sii_module, "_RESULT_BUDGET", 3000 * 8 * 2 * 3)  # three areas a chunk
    monkeypatch.setattr(sii_module, "_DRAW_BUDGET", 700 * 10 * 8 * 2)  # a few hundred draws a block
    monkeypatch.setattr(sii_module, "_MAX_WORKERS", 3)
    chunked = [
        sii(df, "decile", "population", **kwargs),
        sii(df, "decile", "population", **rates_kwargs),
    ]

    pd.testing.assert_frame_equal(whole[0], chunked[0])
    pd.testing.assert_frame_equal(whole[1], chunked[1])


# --- transform -----------------------------------------------------------------------------------


def test_transform_fits_the_log_rates_and_reports_back_on_the_rate_scale():
    df = rates()

    out = sii(
        df,
        "decile",
        "population",
        value="rate",
        lower_cl="rate_lower",
        upper_cl="rate_upper",
        value_type=1,
        transform=True,
        group_by="area",
        rii=True,
        intercept=True,
        **FAST,
    )

    for i, name in enumerate(["Area1", "Area2"]):
        part = df[df["area"] == name]
        b0, b1 = weighted_line(part["population"].to_numpy(), np.log(part["rate"].to_numpy()))
        assert out["sii"][i] == pytest.approx(math.exp(b0 + b1) - math.exp(b0), rel=1e-11)
        assert out["rii"][i] == pytest.approx(math.exp(b1), rel=1e-11)
        assert out["intercept"][i] == pytest.approx(math.exp(b0), rel=1e-11)
    assert (out["sii_lower95_0"] < out["sii"]).all() and (out["sii"] < out["sii_upper95_0"]).all()
    assert (out["rii_lower95_0"] < out["rii"]).all() and (out["rii"] < out["rii_upper95_0"]).all()


def test_transform_with_a_negative_multiplier_swaps_the_pivoted_limits():
    df = rates()
    kwargs = {
        "value": "rate",
        "lower_cl": "rate_lower",
        "upper_cl": "rate_upper",
        "value_type": 1,
        "transform": True,
        "group_by": "area",
        "rii": True,
        **FAST,
    }

    plus = sii(df, "decile", "population", **kwargs)
    minus = sii(df, "decile", "population", multiplier=-1, **kwargs)

    assert np.allclose(minus["sii"], -plus["sii"], rtol=1e-12)
    assert np.allclose(minus["rii"], 1 / plus["rii"], rtol=1e-12)
    # The same simulated slopes, pivoted and swapped: exactly the negated limits.
    assert np.allclose(minus["sii_lower95_0"], -plus["sii_upper95_0"], rtol=1e-12)
    assert np.allclose(minus["sii_upper95_0"], -plus["sii_lower95_0"], rtol=1e-12)
    assert np.allclose(minus["rii_lower95_0"], 1 / plus["rii_upper95_0"], rtol=1e-12)


def test_transform_with_a_rate_multiplier_below_one_swaps_the_limits_as_r_does():
    # R tests multiplier < 1 (not < 0) for rates, so a multiplier of 0.5 swaps the limits too.
    df = rates()
    out = sii(
        df,
        "decile",
        "population",
        value="rate",
        lower_cl="rate_lower",
        upper_cl="rate_upper",
        value_type=1,
        transform=True,
        group_by="area",
        multiplier=0.5,
        **FAST,
    )

    assert (out["sii_lower95_0"] > out["sii_upper95_0"]).all()


def test_transform_of_proportions_uses_the_logit_scale():
    df = deciles()
    df["p"] = df["value"] / 200
    df["p_lower"] = df["lowerCL"] / 200
    df["p_upper"] = df["upperCL"] / 200

    out = sii(
        df,
        "decile",
        "population",
        value="p",
        lower_cl="p_lower",
        upper_cl="p_upper",
        value_type=2,
        transform=True,
        group_by="area",
        multiplier=100,
        intercept=True,
        **FAST,
    )

    expit = lambda v: math.exp(v) / (1 + math.exp(v))  # noqa: E731
    for i in range(2):
        p = np.asarray(VALUES[i]) / 200
        b0, b1 = weighted_line(POPULATIONS[i], np.log(p / (1 - p)))
        assert out["sii"][i] == pytest.approx((expit(b0 + b1) - expit(b0)) * 100, rel=1e-11)
        assert out["intercept"][i] == pytest.approx(expit(b0) * 100, rel=1e-11)
    assert out["transform"].tolist() == ["logit", "logit"]


# --- output columns ------------------------------------------------------------------------------


def test_full_output_columns_and_metadata():
    out = sii(
        deciles(),
        "decile",
        "population",
        value="value",
        se="se",
        group_by="area",
        seed=1,
        repetitions=1000,
    )

    assert list(out.columns) == [
        "area", "sii", "sii_lower95_0cl", "sii_upper95_0cl",
        "indicator_type", "multiplier", "transform", "CI_confidence", "CI_method",
    ]  # fmt: skip
    assert out["indicator_type"].tolist() == ["normal", "normal"]
    assert out["transform"].tolist() == ["none", "none"]
    assert out["CI_confidence"].tolist() == ["95%", "95%"]
    assert out["CI_method"].tolist() == ["simulation 1000 reps"] * 2


def test_every_option_adds_its_columns_in_rs_order():
    out = sii(
        deciles(),
        "decile",
        "population",
        value="value",
        se="se",
        group_by="area",
        confidence=(95, 99.8),
        rii=True,
        intercept=True,
        reliability_stat=True,
        repetitions=1000,
        seed=1,
        type="standard",
    )

    assert list(out.columns) == [
        "area", "sii", "rii",
        "sii_lower95_0cl", "sii_upper95_0cl", "sii_lower99_8cl", "sii_upper99_8cl",
        "rii_lower95_0cl", "rii_upper95_0cl", "rii_lower99_8cl", "rii_upper99_8cl",
        "sii_mad95_0", "rii_mad95_0", "sii_mad99_8", "rii_mad99_8",
        "intercept",
    ]  # fmt: skip
    assert (out[["sii_mad95_0", "rii_mad95_0", "sii_mad99_8", "rii_mad99_8"]] > 0).all().all()


def test_transformed_limits_are_named_level_by_level_without_cl_as_r_names_them():
    out = sii(
        rates(),
        "decile",
        "population",
        value="rate",
        lower_cl="rate_lower",
        upper_cl="rate_upper",
        value_type=1,
        transform=True,
        group_by="area",
        confidence=(0.95, 0.998),
        rii=True,
        intercept=True,
        reliability_stat=True,
        repetitions=1000,
        seed=1,
    )

    assert list(out.columns) == [
        "area", "sii", "rii",
        "sii_lower95_0", "sii_upper95_0", "rii_lower95_0", "rii_upper95_0",
        "sii_lower99_8", "sii_upper99_8", "rii_lower99_8", "rii_upper99_8",
        "sii_mad95_0", "rii_mad95_0", "sii_mad99_8", "rii_mad99_8",
        "intercept", "indicator_type", "multiplier", "transform", "CI_confidence", "CI_method",
    ]  # fmt: skip
    assert out["indicator_type"][0] == "rate" and out["transform"][0] == "log"
    assert out["CI_confidence"][0] == "95%, 99.8%"


def test_the_default_repetitions_are_described_as_r_prints_them():
    out = sii(
        deciles()[lambda d: d["area"] == "Area2"],
        "decile",
        "population",
        value="value",
        se="se",
        seed=1,
    )

    assert out["CI_method"][0] == "simulation 1e+05 reps"
    assert len(out) == 1 and out.columns[0] == "sii"


@pytest.mark.parametrize(
    ("number", "text"),
    [(100_000, "1e+05"), (10_000, "10000"), (1_000_000, "1e+06"), (1_500_000, "1500000"),
     (200_000, "2e+05"), (123_456, "123456"), (99.8, "99.8"), (95.0, "95"), (0.0001, "1e-04")],
)  # fmt: skip
def test_numbers_are_written_as_rs_paste_writes_them(number, text):
    assert _r_number(number) == text


def test_polars_input_gives_the_same_result():
    df = deciles()
    kwargs = {"value": "value", "se": "se", "group_by": "area", "rii": True, **FAST}

    from_pandas = sii(df, "decile", "population", **kwargs)
    from_polars = sii(pl.from_pandas(df), "decile", "population", **kwargs)

    pd.testing.assert_frame_equal(from_pandas, from_polars)


# --- areas left out and warnings -----------------------------------------------------------------


def test_an_area_missing_a_quantile_is_left_out_with_rs_warning():
    df = deciles().drop(index=3)

    with pytest.warns(IndicatorWarning, match=REMOVED_WARNING):
        out = sii(df, "decile", "population", value="value", se="se", group_by="area", **FAST)

    assert out["area"].tolist() == ["Area2"]


def test_more_than_ten_quantiles_warn():
    population = [1000 + 50 * i for i in range(12)]
    df = area(population, [50 + i for i in range(12)], se=1.0)

    with pytest.warns(IndicatorWarning, match=MANY_QUANTILES_WARNING):
        out = sii(df, "quantile", "population", value="value", se="se", **FAST)

    assert len(out) == 1


def test_complete_data_raise_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sii(deciles(), "decile", "population", value="value", se="se", group_by="area", **FAST)


def test_text_quantile_labels_are_ordered_as_text_as_r_orders_them():
    df = deciles()
    as_text = df.assign(decile=df["decile"].astype(str))
    # As text "10" comes between "1" and "2", so its quantile moves to the second position.
    reordered = df.assign(decile=df["decile"].map(lambda d: 1.5 if d == 10 else d))

    text_out = sii(as_text, "decile", "population", value="value", se="se", group_by="area", **FAST)
    moved = sii(reordered, "decile", "population", value="value", se="se", group_by="area", **FAST)

    assert np.allclose(text_out["sii"], moved["sii"], rtol=1e-12)


# --- errors --------------------------------------------------------------------------------------


def call(df=None, **changes):
    kwargs = {"value": "value", "se": "se", "group_by": "area", "repetitions": 1000}
    kwargs.update(changes)
    return sii(deciles() if df is None else df, "decile", "population", **kwargs)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"value": None}, "function phe_sii requires value field, or x field if indicator is a proportion of population"),
        ({"value": None, "x": "value", "value_type": 0}, "requires value field, or x field"),
        ({"se": None, "lower_cl": "lowerCL"}, "function phe_sii requires either lower_cl and upper_cl fields, or se field"),
        ({"value_type": 3}, "value_type should be 0, 1 or 2"),
        ({"value_type": "rate"}, "value_type should be 0, 1 or 2"),
        ({"multiplier": "none"}, "multiplier, repetitions and confidence inputs should be numeric"),
        ({"repetitions": "none"}, "multiplier, repetitions and confidence inputs should be numeric"),
        ({"repetitions": 999}, "number of repetitions must be 1000 or greater. Default is 100,000"),
        ({"confidence": 0.35}, "all confidence levels must be between 90 and 100 or between 0.9 and 1"),
        ({"confidence": 40}, "all confidence levels must be between 90 and 100 or between 0.9 and 1"),
        ({"confidence": 135}, "all confidence levels must be between 90 and 100 or between 0.9 and 1"),
        ({"confidence": (0.95, 95)}, "all confidence levels must be between 90 and 100"),
        ({"transform": True, "se": None, "lower_cl": "lowerCL", "upper_cl": "upperCL"}, "value_type should be 1 or 2 when transform is true"),
        ({"transform": True, "value_type": 1}, "function phe_sii requires se to be missing when transform is true"),
        ({"type": "value"}, 'type must be "full" or "standard"'),
        ({"confidence": 0.9999}, "confidence level too high for the number of repetitions"),
    ],
)  # fmt: skip
def test_bad_arguments_are_refused_with_rs_message(changes, message):
    with pytest.raises(IndicatorInputError, match=message):
        call(**changes)


def test_the_required_arguments_are_refused_when_missing():
    with pytest.raises(
        IndicatorInputError, match="requires the arguments: data, quantile, population"
    ):
        sii(deciles(), "decile", None, value="value", se="se")


def test_bad_data_are_refused_with_rs_message_and_the_row():
    df = deciles()
    with pytest.raises(
        IndicatorInputError, match="some input fields in data.frame are non-numeric"
    ):
        call(df.assign(se=df["se"].astype(str)))

    zero = df.copy()
    zero.loc[4, "population"] = 0
    with pytest.raises(IndicatorInputError, match="zero, negative or missing population") as error:
        call(zero)
    assert error.value.row == 4 and error.value.column == "population"

    negative = df.copy()
    negative.loc[2, "se"] = -1
    with pytest.raises(IndicatorInputError, match="negative or missing standard errors"):
        call(negative)

    missing = df.copy()
    missing.loc[2, "upperCL"] = np.nan
    with pytest.raises(IndicatorInputError, match="missing lower or upper confidence limits"):
        call(missing, se=None, lower_cl="lowerCL", upper_cl="upperCL")

    with pytest.raises(IndicatorInputError, match="value proportions are not all between 0 and 1"):
        call(value_type=2)

    with pytest.raises(IndicatorInputError, match="confidence limit proportions are not all"):
        call(value_type=2, value=None, x="decile", se=None, lower_cl="lowerCL", upper_cl="upperCL")

    counts = df.assign(count=0)
    with pytest.raises(IndicatorInputError, match="some groups have a zero or negative count x"):
        call(counts, value=None, x="count", value_type=2)

    with pytest.raises(IndicatorInputError, match="Number of quantiles must be between 5 and 100"):
        call(df[df["decile"] <= 4])

    with pytest.raises(IndicatorInputError, match="is not a column of the data"):
        call(value="no such column")


def test_values_that_cannot_be_simulated_are_refused():
    df = deciles()
    df["p"] = df["value"] / 100
    df.loc[3, "p"] = 1.0  # +Inf on the logit scale: R's simulation fails here
    with pytest.raises(IndicatorInputError, match="must be present and finite") as error:
        call(df, value="p", value_type=2)
    assert error.value.row == 3

    gap = deciles()
    gap.loc[5, "value"] = np.nan
    with pytest.raises(IndicatorInputError, match="must be present and finite"):
        call(gap)


def test_a_repeated_quantile_is_refused():
    df = deciles()
    with pytest.raises(IndicatorInputError, match="exactly one row for each quantile"):
        call(pd.concat([df, df.iloc[[0]]]))
