"""Life expectancy (Chiang II, Silcocks et al. limits) and healthy life expectancy (Sullivan).

Expected values come from hand calculation or from `reference_table`, a plain one-band-at-a-time
life table written from METHODS.md section 7, independently of the vectorised implementation.
"""

import math
import warnings

import numpy as np
import pandas as pd
import polars as pl
import pytest

from thedeal.indicators.methods._common import IndicatorInputError, IndicatorWarning
from thedeal.indicators.methods.life_expectancy import (
    AGE_BANDS,
    healthy_life_expectancy,
    life_expectancy,
)

Z95 = 1.959963984540054
Z998 = 3.090232306167813
LABELS = ["0", "1-4", *[f"{a} - {a + 4}" for a in range(5, 90, 5)], "90 +"]

# A plausible district: about 200,000 people, 2,000 deaths a year.
POPS = [2400, 9800, 12500, 12100, 11800, 12900, 14200, 14600, 13900, 13100, 13600, 14400, 13200,
        11500, 10400, 9300, 6800, 4600, 2500, 1300]  # fmt: skip
DEATHS = [9, 2, 1, 1, 4, 6, 9, 12, 17, 25, 40, 62, 88, 120, 170, 240, 300, 370, 390, 380]


def area(pops=POPS, deaths=DEATHS, **columns):
    return pd.DataFrame({"age": AGE_BANDS, "pops": pops, "deaths": deaths, **columns})


def le(df, **kwargs):
    kwargs.setdefault("start_age", "age")
    return life_expectancy(df, "deaths", "pops", **kwargs)


def hle(df, **kwargs):
    kwargs.setdefault("start_age", "age")
    kwargs.setdefault("prevalence", "good_health")
    kwargs.setdefault("prevalence_n", "sample")
    return healthy_life_expectancy(df, "deaths", "pops", **kwargs)


def reference_table(deaths, pops, prevalence=None, sample=None):
    """LE, its SE, HLE and the prevalence part of HLE's SE at each band, one band at a time."""
    widths = [AGE_BANDS[i + 1] - AGE_BANDS[i] for i in range(19)]
    lived = [0.1] + [0.5] * 18
    survivors, q = [100000.0], []
    for i in range(19):
        m = deaths[i] / pops[i]
        qi = widths[i] * m / (1 + widths[i] * m * (1 - lived[i]))
        if widths[i] * m * lived[i] > 1:
            qi = 1.0
        q.append(qi)
        survivors.append(survivors[i] * (1 - qi))
    years = [widths[i] * (survivors[i + 1] + lived[i] * (survivors[i] - survivors[i + 1]))
             for i in range(19)]  # fmt: skip
    years.append(survivors[19] * pops[19] / deaths[19])
    expectancy = [sum(years[i:]) / survivors[i] for i in range(20)]
    weights = []
    for i in range(19):
        var_q = q[i] ** 2 * (1 - q[i]) / deaths[i] if deaths[i] > 0 else 0.0
        weights.append(
            survivors[i] ** 2 * ((1 - lived[i]) * widths[i] + expectancy[i + 1]) ** 2 * var_q
        )
    weights.append(survivors[19] ** 2 / (deaths[19] * (deaths[19] / pops[19]) ** 2))
    se = [math.sqrt(sum(weights[i:])) / survivors[i] for i in range(20)]
    if prevalence is None:
        return expectancy, se
    healthy = [
        sum(years[j] * prevalence[j] for j in range(i, 20)) / survivors[i] for i in range(20)
    ]
    sampling = [years[j] ** 2 * prevalence[j] * (1 - prevalence[j]) / sample[j] for j in range(20)]
    hle_se = [math.sqrt(sum(sampling[i:])) / survivors[i] for i in range(20)]
    return expectancy, se, healthy, hle_se


# --- Life expectancy: values ----------------------------------------------------------------------


def test_a_life_table_worked_by_hand():
    # Nobody dies before 90; beyond it M = 0.2, so LE at 90 is 1/M = 5 and at birth 95. The only
    # variance is Silcocks' open-band term, 1 / (D M^2) = 1 / (100 * 0.04) = 0.25 at every age.
    deaths = [0] * 19 + [100]
    out = le(area(pops=[1000] * 19 + [500], deaths=deaths))
    expected_value = [95 - a for a in AGE_BANDS]
    np.testing.assert_allclose(out["value"], expected_value, rtol=1e-12)
    np.testing.assert_allclose(out["uppercl"] - out["value"], Z95 * 0.5, rtol=1e-9)
    np.testing.assert_allclose(out["value"] - out["lowercl"], Z95 * 0.5, rtol=1e-9)


def test_matches_a_band_by_band_life_table():
    expectancy, se = reference_table(DEATHS, POPS)
    out = le(area())
    np.testing.assert_allclose(out["value"], expectancy, rtol=1e-12)
    np.testing.assert_allclose(
        out["lowercl"], np.subtract(expectancy, Z95 * np.array(se)), rtol=1e-12
    )
    np.testing.assert_allclose(out["uppercl"], np.add(expectancy, Z95 * np.array(se)), rtol=1e-12)
    assert 75 < out["value"].iloc[0] < 85


def test_full_output_columns_and_metadata():
    out = le(area())
    assert list(out.columns) == [
        "start_age", "value", "lowercl", "uppercl", "pops_used", "dths_used",
        "confidence", "statistic", "method",
    ]  # fmt: skip
    assert out["start_age"].tolist() == list(AGE_BANDS)
    assert out["pops_used"].tolist() == np.cumsum(POPS[::-1])[::-1].tolist()
    assert out["dths_used"].tolist() == np.cumsum(DEATHS[::-1])[::-1].tolist()
    assert (out["confidence"] == "95%").all()
    assert out["statistic"].iloc[3] == "life expectancy at 10"
    assert (out["method"] == "Chiang, using Silcocks et al for confidence limits").all()


@pytest.mark.parametrize("band", range(20))
def test_le_at_birth_falls_when_any_death_rate_rises(band):
    worse = list(DEATHS)
    worse[band] = worse[band] * 1.2 + 1
    assert le(area(deaths=worse))["value"].iloc[0] < le(area())["value"].iloc[0]


def test_intervals_contain_the_value_and_widen_with_confidence():
    out = le(area(), confidence=[0.95, 0.998])
    assert (out["lower99_8cl"] < out["lower95_0cl"]).all()
    assert (out["lower95_0cl"] < out["value"]).all()
    assert (out["value"] < out["upper95_0cl"]).all()
    assert (out["upper95_0cl"] < out["upper99_8cl"]).all()
    half = (out["upper99_8cl"] - out["lower99_8cl"]) / (out["upper95_0cl"] - out["lower95_0cl"])
    np.testing.assert_allclose(half, Z998 / Z95, rtol=1e-9)


def test_two_levels_put_the_lower_limits_first_as_r_does():
    out = le(area(), confidence=(95, 99.8))
    assert list(out.columns[:5]) == [
        "start_age", "value", "lower95_0cl", "lower99_8cl", "upper95_0cl",
    ]  # fmt: skip
    assert out.columns[5] == "upper99_8cl"
    assert (out["confidence"] == "95%, 99.8%").all()


def test_confidence_as_a_percentage_or_a_fraction():
    pd.testing.assert_frame_equal(le(area(), confidence=95), le(area(), confidence=0.95))
    single = le(area(), confidence=99.8)
    assert (single["confidence"] == "99.8%").all()
    both = le(area(), confidence=[0.95, 0.998])
    np.testing.assert_allclose(single["lowercl"], both["lower99_8cl"], rtol=1e-12)


# --- Age bands and row order ---------------------------------------------------------------------


def test_rows_in_any_order_give_the_same_table_sorted_by_age():
    shuffled = area().sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(le(shuffled), le(area()))


def test_text_labels_read_by_their_first_digits():
    labelled = area().assign(age=LABELS).iloc[::-1]
    out = le(labelled)
    expected = le(area())
    assert out["start_age"].tolist() == list(AGE_BANDS)
    np.testing.assert_allclose(out["value"], expected["value"], rtol=1e-12)
    # The statistic names the band as the data do, as in R.
    assert out["statistic"].iloc[1] == "life expectancy at 1-4"
    assert out["statistic"].iloc[19] == "life expectancy at 90 +"


def test_the_start_age_column_is_called_start_age_whatever_its_input_name():
    out = life_expectancy(area().rename(columns={"age": "Age band"}), "deaths", "pops",
                          start_age="Age band")  # fmt: skip
    assert "start_age" in out.columns and "Age band" not in out.columns


def test_le_age_filters_by_start_age_or_label():
    out = le(area(), le_age=[5, 65])
    assert out["start_age"].tolist() == [5, 65]
    assert out["value"].tolist() == le(area())["value"].iloc[[2, 14]].tolist()
    assert le(area(), le_age=0)["start_age"].tolist() == [0]
    labelled = le(area().assign(age=LABELS), le_age="1-4")
    assert labelled["start_age"].tolist() == [1]


@pytest.mark.parametrize("le_age", [4, [4, 6], "birth"])
def test_le_age_matching_no_band_warns_and_returns_all(le_age):
    with pytest.warns(IndicatorWarning, match="le_age not in the vector described by age_contents"):
        out = le(area(), le_age=le_age)
    assert len(out) == 20


# --- Groups ---------------------------------------------------------------------------------------


def two_areas():
    other = [d * 1.5 for d in DEATHS]
    return pd.concat([area(area="B", deaths=other), area(area="A")], ignore_index=True)


def test_grouped_results_match_one_group_at_a_time():
    grouped = le(two_areas(), group_by="area")
    assert grouped.columns[:2].tolist() == ["area", "start_age"]
    assert grouped["area"].tolist() == ["A"] * 20 + ["B"] * 20
    for name, rows in two_areas().groupby("area"):
        alone = le(rows.drop(columns="area"))
        mine = grouped[grouped["area"] == name].drop(columns="area").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone)


def test_several_group_columns():
    data = pd.concat([two_areas().assign(sex="F"), two_areas().assign(sex="M")])
    out = le(data, group_by=["area", "sex"])
    assert out.columns[:3].tolist() == ["area", "sex", "start_age"]
    assert len(out) == 80


def test_polars_input_gives_the_same_result_as_pandas():
    data = two_areas().assign(age=lambda d: np.tile(LABELS, 2))
    pd.testing.assert_frame_equal(
        le(pl.DataFrame(data.to_dict("list")), group_by="area"),
        le(data, group_by="area"),
    )


# --- Suppression ----------------------------------------------------------------------------------


def broken(rule):
    data = area(area=rule)
    if rule == "negative deaths":
        data.loc[3, "deaths"] = -1
    elif rule == "zero population":
        data.loc[5, "pops"] = 0
    elif rule == "missing band":
        data = data.drop(index=7)
    elif rule == "deaths over population":
        data.loc[4, "deaths"] = data.loc[4, "pops"] + 1
    elif rule == "small population":
        data["pops"] = 240
        data["deaths"] = 2
    return data


RULES = {
    "negative deaths": "some age bands have negative deaths; outputs have been suppressed to NAs",
    "zero population": "some age bands have a zero or less population; outputs have been suppressed",
    "missing band": (
        r"some groups contain a different number of age bands than 20; life expectancy cannot be "
        r"calculated for these\. These groups will contain NAs\."
    ),
    "deaths over population": "some age bands have more deaths than population; outputs have been",
    "small population": "some groups have a total population of less than 5,000; outputs have been",
}


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_suppresses_its_group_with_the_r_warning(rule):
    data = pd.concat([area(area="good"), broken(rule)], ignore_index=True)
    with pytest.warns(IndicatorWarning, match=RULES[rule]):
        out = le(data, group_by="area")
    bad = out[out["area"] == rule]
    assert len(bad) == (19 if rule == "missing band" else 20)
    assert bad[["value", "lowercl", "uppercl"]].isna().all().all()
    # The cumulative counts and the metadata are still given for the suppressed group.
    assert bad["pops_used"].iloc[0] == broken(rule)["pops"].sum()
    assert (bad["method"] == "Chiang, using Silcocks et al for confidence limits").all()
    pd.testing.assert_frame_equal(
        out[out["area"] == "good"].drop(columns="area").reset_index(drop=True), le(area())
    )


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_suppresses_ungrouped_data_too(rule):
    with pytest.warns(IndicatorWarning, match=RULES[rule]):
        out = le(broken(rule).drop(columns="area"))
    assert out["value"].isna().all() and out["lowercl"].isna().all()


def test_total_population_of_exactly_5000_is_suppressed():
    with pytest.warns(IndicatorWarning, match="total population of less than 5,000"):
        out = le(area(pops=[250] * 20, deaths=[1] * 20))
    assert out["value"].isna().all()


def test_a_group_is_suppressed_by_the_first_rule_it_breaks_only():
    data = broken("negative deaths")
    data.loc[4, "deaths"] = 1e6  # also more deaths than population
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        le(data.drop(columns="area"))
    assert [str(w.message) for w in caught] == [RULES["negative deaths"]]


def test_a_duplicated_band_counts_as_a_wrong_number_of_bands():
    data = area()
    data.loc[7, "age"] = 35  # two 35s, no 30
    with pytest.warns(IndicatorWarning, match="different number of age bands than 20"):
        out = le(data)
    assert out["value"].isna().all()


def test_values_with_intervals_wider_than_20_years_are_blanked_but_keep_their_limits():
    # A small population with two deaths at 90+: LE there is very uncertain.
    data = area(pops=[300] * 20, deaths=[1] * 19 + [2])
    with pytest.warns(IndicatorWarning, match="95% confidence interval > 20 years"):
        out = le(data)
    wide = (out["uppercl"] - out["lowercl"]) > 2 * 10
    assert wide.any() and out.loc[wide, "value"].isna().all()
    assert out.loc[wide, ["lowercl", "uppercl"]].notna().all().all()
    assert out.loc[~wide, "value"].notna().all()


def test_the_wide_interval_rule_uses_the_95_percent_width_whatever_the_level():
    data = area(pops=[300] * 20, deaths=[1] * 19 + [2])
    with pytest.warns(IndicatorWarning, match="20 years"):
        at95 = le(data)
    with pytest.warns(IndicatorWarning, match="20 years"):
        at998 = le(data, confidence=0.998)
    assert at95["value"].isna().tolist() == at998["value"].isna().tolist()


def test_no_deaths_at_90_and_over_gives_no_value():
    with pytest.warns(IndicatorWarning, match="20 years"):
        out = le(area(deaths=DEATHS[:19] + [0]))
    assert out["value"].isna().all()


def test_zero_deaths_in_a_closed_band_are_fine():
    deaths = list(DEATHS)
    deaths[2] = 0
    expectancy, se = reference_table(deaths, POPS)
    out = le(area(deaths=deaths))
    np.testing.assert_allclose(out["value"], expectancy, rtol=1e-12)
    np.testing.assert_allclose(out["uppercl"], np.add(expectancy, Z95 * np.array(se)), rtol=1e-12)


# --- Output types ---------------------------------------------------------------------------------


def test_standard_drops_the_counts_and_metadata():
    out = le(two_areas(), group_by="area", type="standard")
    assert list(out.columns) == ["area", "start_age", "value", "lowercl", "uppercl"]


@pytest.mark.parametrize(
    ("output_type", "columns"),
    [("value", ["value"]), ("lower", ["lowercl"]), ("upper", ["uppercl"])],
)
def test_single_statistic_types(output_type, columns):
    out = le(two_areas(), group_by="area", type=output_type)
    assert list(out.columns) == ["area", "start_age", *columns]


def test_lower_with_two_levels():
    out = le(area(), type="lower", confidence=(0.95, 0.998))
    assert list(out.columns) == ["start_age", "lower95_0cl", "lower99_8cl"]


# --- Input errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("confidence", [0.8, 50, 130, (0.9, 0.95), (0.95, 0.998, 0.999), None])
def test_bad_confidence(confidence):
    with pytest.raises(IndicatorInputError):
        le(area(), confidence=confidence)


def test_bad_type():
    with pytest.raises(IndicatorInputError, match="type must be one of"):
        le(area(), type="combined")


def test_missing_and_non_numeric_columns():
    with pytest.raises(IndicatorInputError, match="not a column"):
        life_expectancy(area(), "dead", "pops", start_age="age")
    with pytest.raises(IndicatorInputError, match="not a column"):
        le(area(), group_by="region")
    with pytest.raises(IndicatorInputError, match="field deaths must be numeric"):
        le(area().assign(deaths=["many"] * 20))


@pytest.mark.parametrize("bad", [3, "95+", "under one", None])
def test_a_band_that_is_not_one_of_the_twenty(bad):
    data = area().astype({"age": object})
    data.loc[0, "age"] = bad
    with pytest.raises(IndicatorInputError, match="do not match the contents of the age_contents"):
        le(data)


def test_one_band_labelled_two_ways():
    data = pd.concat([area(area="A"), area(area="B")], ignore_index=True).astype({"age": str})
    data.loc[22, "age"] = "5-9"
    with pytest.raises(IndicatorInputError, match="several labels: 5, 5-9|several labels: 5-9, 5"):
        le(data, group_by="area")


@pytest.mark.parametrize("le_age", [None, [None], {"age": 5}, True])
def test_le_age_of_the_wrong_kind(le_age):
    with pytest.raises(IndicatorInputError, match="le_age"):
        le(area(), le_age=le_age)


def test_a_group_column_called_start_age_is_refused():
    with pytest.raises(IndicatorInputError, match="start_age"):
        le(area(start_age="x"), group_by="start_age")


# --- Healthy life expectancy ----------------------------------------------------------------------

PREVALENCE = [0.97, 0.96, 0.95, 0.94, 0.92, 0.9, 0.88, 0.86, 0.84, 0.8, 0.77, 0.73, 0.7, 0.66,
              0.62, 0.58, 0.52, 0.46, 0.4, 0.35]  # fmt: skip
SAMPLE = [150, 500, 600, 600, 500, 450, 480, 520, 540, 560, 600, 650, 640, 620, 600, 540, 420,
          300, 160, 60]  # fmt: skip


def surveyed(prevalence=PREVALENCE, sample=SAMPLE, **columns):
    return area(good_health=prevalence, sample=sample, **columns)


def test_hle_matches_a_band_by_band_calculation():
    expectancy, _, healthy, se = reference_table(DEATHS, POPS, PREVALENCE, SAMPLE)
    out = hle(surveyed())
    np.testing.assert_allclose(out["value"], healthy, rtol=1e-12)
    np.testing.assert_allclose(out["uppercl"], np.add(healthy, Z95 * np.array(se)), rtol=1e-12)
    np.testing.assert_allclose(out["lowercl"], np.subtract(healthy, Z95 * np.array(se)), rtol=1e-12)
    np.testing.assert_allclose(out["life_expectancy"], expectancy, rtol=1e-12)
    np.testing.assert_allclose(out["proportion_in_good_health"], np.divide(healthy, expectancy))


def test_hle_columns():
    out = hle(surveyed(area="A"), group_by="area")
    assert list(out.columns) == [
        "area", "start_age", "value", "lowercl", "uppercl", "life_expectancy",
        "proportion_in_good_health", "pops_used", "dths_used", "confidence", "statistic", "method",
    ]  # fmt: skip
    assert out["statistic"].iloc[0] == "healthy life expectancy at 0"
    assert out["method"].iloc[0] == (
        "Sullivan, using Chiang life table; confidence limits from prevalence variance"
    )
    standard = hle(surveyed(), type="standard")
    assert list(standard.columns) == [
        "start_age", "value", "lowercl", "uppercl", "life_expectancy", "proportion_in_good_health",
    ]  # fmt: skip
    assert list(hle(surveyed(), type="value").columns) == ["start_age", "value"]


def test_hle_is_at_most_le():
    out = hle(surveyed())
    assert (out["value"] <= out["life_expectancy"]).all()
    assert (out["proportion_in_good_health"].between(0, 1)).all()


def test_hle_equals_le_when_everyone_is_in_good_health():
    out = hle(surveyed(prevalence=[1.0] * 20))
    np.testing.assert_allclose(out["value"], le(area())["value"], rtol=1e-12)
    # With no one in poor health there is no sampling variance.
    np.testing.assert_array_equal(out["lowercl"], out["value"])
    np.testing.assert_array_equal(out["uppercl"], out["value"])


def test_hle_is_zero_with_no_variance_when_no_one_is_in_good_health():
    out = hle(surveyed(prevalence=[0.0] * 20))
    assert (out["value"] == 0).all() and (out["lowercl"] == 0).all() and (out["uppercl"] == 0).all()


def test_hle_with_prevalences_of_zero_or_one_has_no_sampling_variance():
    mixed = [1.0] * 10 + [0.0] * 10
    out = hle(surveyed(prevalence=mixed, sample=[float("inf")] * 10 + [20] * 10))
    np.testing.assert_array_equal(out["uppercl"], out["value"])


def test_hle_interval_narrows_with_bigger_samples():
    small = hle(surveyed())
    big = hle(surveyed(sample=[s * 100 for s in SAMPLE]))
    assert ((big["uppercl"] - big["lowercl"]) < (small["uppercl"] - small["lowercl"])).all()
    np.testing.assert_allclose(big["value"], small["value"], rtol=1e-12)


def test_hle_mortality_variance_with_full_health_gives_the_le_interval():
    out = hle(surveyed(prevalence=[1.0] * 20), mortality_variance=True)
    expected = le(area())
    np.testing.assert_allclose(out["lowercl"], expected["lowercl"], rtol=1e-12)
    np.testing.assert_allclose(out["uppercl"], expected["uppercl"], rtol=1e-12)
    assert out["method"].iloc[0].endswith("from prevalence and mortality variance")


def test_hle_mortality_variance_widens_the_interval():
    prevalence_only = hle(surveyed())
    both = hle(surveyed(), mortality_variance=True)
    without_open_band = hle(surveyed(), mortality_variance=True, open_band_variance="none")
    width = {k: v["uppercl"] - v["lowercl"] for k, v in
             {"p": prevalence_only, "b": both, "n": without_open_band}.items()}  # fmt: skip
    assert (width["n"] < width["b"]).all()
    # Without the open band's term, 90+ has the sampling variance alone.
    assert (width["p"] < width["n"]).iloc[:19].all() and width["p"].iloc[19] == width["n"].iloc[19]


def test_hle_grouped_matches_one_group_at_a_time():
    data = pd.concat(
        [surveyed(area="B", deaths=[d * 1.3 for d in DEATHS]), surveyed(area="A")],
        ignore_index=True,
    )
    grouped = hle(data, group_by="area", confidence=(0.95, 0.998))
    for name, rows in data.groupby("area"):
        alone = hle(rows.drop(columns="area"), confidence=(0.95, 0.998))
        mine = grouped[grouped["area"] == name].drop(columns="area").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone)


def test_hle_is_not_produced_where_le_is_not():
    data = pd.concat([surveyed(area="good"), broken("small population").assign(
        good_health=0.8, sample=100)], ignore_index=True)  # fmt: skip
    with pytest.warns(IndicatorWarning, match="total population of less than 5,000"):
        out = hle(data, group_by="area")
    assert out.loc[out["area"] == "small population", "value"].isna().all()
    assert out.loc[out["area"] == "good", "value"].notna().all()
    wide = surveyed(pops=[300] * 20, deaths=[1] * 19 + [2])
    with pytest.warns(IndicatorWarning, match="20 years"):
        out = hle(wide)
    assert (out["value"].isna() == out["life_expectancy"].isna()).all()
    assert out["value"].isna().any()


@pytest.mark.parametrize(
    ("prevalence", "message"),
    [(1.2, "between 0 and 1"), (-0.1, "between 0 and 1"), (None, "every age band")],
)
def test_hle_refuses_bad_prevalence(prevalence, message):
    data = surveyed()
    data["good_health"] = data["good_health"].astype(object)
    data.loc[4, "good_health"] = prevalence
    with pytest.raises(IndicatorInputError, match=message) as error:
        hle(data)
    assert error.value.row == 4 and error.value.column == "good_health"


@pytest.mark.parametrize("sample", [0, -5, None])
def test_hle_refuses_bad_sample_sizes(sample):
    data = surveyed().astype({"sample": object})
    data.loc[2, "sample"] = sample
    with pytest.raises(IndicatorInputError, match="sample sizes must all be greater than zero"):
        hle(data)


def test_hle_polars_input():
    data = surveyed(area="A").assign(age=LABELS)
    pd.testing.assert_frame_equal(
        hle(pl.DataFrame(data.to_dict("list")), group_by="area"), hle(data, group_by="area")
    )


def test_warnings_come_in_the_r_package_order():
    data = pd.concat([area(area="good"), broken("small population")], ignore_index=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        le(data, group_by="area", le_age=7)
    assert [str(w.message).split(";")[0] for w in caught] == [
        "some groups have a total population of less than 5,000",
        "le_age not in the vector described by age_contents",
    ]
    assert all(w.filename == __file__ for w in caught)


def test_suppressed_groups_follow_the_calculated_ones_as_in_r():
    data = pd.concat(
        [broken("small population").assign(area="A"), area(area="C"),
         broken("negative deaths").assign(area="D"), area(area="B")],
        ignore_index=True,
    )  # fmt: skip
    with pytest.warns(IndicatorWarning):
        out = le(data, group_by="area")
    # Calculated groups by name, then each rule's groups in the order the rules are checked.
    assert out["area"].drop_duplicates().tolist() == ["B", "C", "D", "A"]
    assert out.groupby("area")["start_age"].apply(list).map(lambda a: a == sorted(a)).all()
