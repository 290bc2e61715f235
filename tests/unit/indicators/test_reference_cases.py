"""Every reference case of PHEindicatormethods' own test suite, at the package's tolerance.

The CSVs (tests/fixtures/phe-methods, with their README and attribution) hold the R package's
inputs and expected outputs; the README names the call behind each block of rows. The R tests
compare values to about 1.5e-8 relative; we ask for 1e-9 on every value.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from thedeal.indicators import (
    IndicatorInputError,
    IndicatorWarning,
    dsr,
    israte,
    isratio,
    mean,
    proportion,
    quantiles,
    rate,
)
from thedeal.indicators.methods import intervals

REFERENCE = Path(__file__).parents[2] / "fixtures" / "phe-methods"
RTOL = 1e-9
CIS = ["lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]


def read(name, **kwargs):
    return pd.read_csv(REFERENCE / name, **kwargs)


def assert_values(actual, expected, columns=None):
    """Compare numbers column by column (NaN must match NaN), as testthat's expect_equal does."""
    if columns is not None:
        actual = actual[columns[0]] if isinstance(columns, tuple) else actual[columns]
        expected = expected[columns[1]] if isinstance(columns, tuple) else expected[columns]
    np.testing.assert_allclose(
        np.asarray(actual, dtype=float), np.asarray(expected, dtype=float), rtol=RTOL, atol=0
    )


# --- Byar's and Wilson limits -------------------------------------------------------------------

BW = read("byars_wilson_ci.csv")


@pytest.mark.parametrize("row", BW.itertuples(), ids=lambda r: f"row{r.source_row}-{r.method}")
def test_byars_and_wilson_limits(row):
    if row.method == "Byars":
        lower = intervals.byars_lower(row.x, row.confidence_level)
        upper = intervals.byars_upper(row.x, row.confidence_level)
    else:
        lower = intervals.wilson_lower(row.x, row.n, row.confidence_level)
        upper = intervals.wilson_upper(row.x, row.n, row.confidence_level)
    # Row 13's lower limit is empty: Byar's formula goes negative for one event at 99.8%.
    assert_values([lower, upper], [row.lowercl, row.uppercl])


def test_wilson_at_full_confidence_is_the_whole_range():
    assert intervals.wilson_lower(65, 100, 1) == 0
    assert intervals.wilson_upper(65, 100, 1) == 1


# --- Proportions --------------------------------------------------------------------------------

PROP = read("proportion.csv")
PROP_INPUT = PROP[["area", "numerator", "denominator"]]


def block(frame, name):
    return frame[frame["block"] == name].reset_index(drop=True)


def test_proportion_two_levels_and_metadata():
    expected = block(PROP, "multiplier_1")
    out = proportion(
        expected[PROP_INPUT.columns], "numerator", "denominator", confidence=(0.95, 0.998)
    )
    assert list(out.columns) == [
        *PROP_INPUT.columns,
        "value",
        *CIS,
        "confidence",
        "statistic",
        "method",
    ]
    assert_values(out, expected, ["value", *CIS])
    assert (out["confidence"] == "95%, 99.8%").all()
    assert (out["statistic"] == expected["statistic"]).all()
    assert (out["method"] == "Wilson").all()


@pytest.mark.parametrize(
    ("confidence", "lower", "upper"),
    [(0.95, "lower95_0cl", "upper95_0cl"), (95, "lower95_0cl", "upper95_0cl"),
     (99.8, "lower99_8cl", "upper99_8cl"), (0.998, "lower99_8cl", "upper99_8cl")],
)  # fmt: skip
def test_proportion_one_level(confidence, lower, upper):
    expected = block(PROP, "multiplier_1")
    out = proportion(
        expected[PROP_INPUT.columns], "numerator", "denominator", confidence=confidence
    )
    assert list(out.columns)[-6:] == [
        "value",
        "lowercl",
        "uppercl",
        "confidence",
        "statistic",
        "method",
    ]
    assert_values(out, expected, ("lowercl", lower))
    assert_values(out, expected, ("uppercl", upper))
    assert out["confidence"].iloc[0] == ("95%" if lower == "lower95_0cl" else "99.8%")


def test_proportion_as_percentage():
    expected = block(PROP, "multiplier_100")
    out = proportion(expected[PROP_INPUT.columns], "numerator", "denominator", multiplier=100)
    assert_values(out, expected, "value")
    assert_values(out, expected, ("lowercl", "lower95_0cl"))
    assert_values(out, expected, ("uppercl", "upper95_0cl"))
    assert (out["statistic"] == "percentage").all()


def test_missing_numerators_or_denominators_give_missing_proportions():
    expected = block(PROP, "missing_inputs")
    out = proportion(
        expected[PROP_INPUT.columns], "numerator", "denominator", confidence=(0.95, 0.998)
    )
    assert out[["value", *CIS]].isna().all().all()
    assert (out["method"] == "Wilson").all() and (out["statistic"] == "proportion of 1").all()


@pytest.mark.parametrize(
    ("type", "levels", "columns"),
    [
        ("standard", 0.95, ["value", "lowercl", "uppercl"]),
        ("value", 0.95, ["value"]),
        ("lower", 0.95, ["lowercl"]),
        ("upper", 0.95, ["uppercl"]),
        ("standard", (0.95, 0.998), ["value", *CIS]),
        ("value", (0.95, 0.998), ["value"]),
        ("lower", (0.95, 0.998), ["lower95_0cl", "lower99_8cl"]),
        ("upper", (0.95, 0.998), ["upper95_0cl", "upper99_8cl"]),
    ],
)
def test_proportion_output_types(type, levels, columns):  # noqa: A002 (the API's name)
    expected = block(PROP, "multiplier_1")
    out = proportion(
        expected[PROP_INPUT.columns], "numerator", "denominator", confidence=levels, type=type
    )
    assert list(out.columns) == [*PROP_INPUT.columns, *columns]
    if levels == 0.95:
        expected = expected.rename(columns={"lower95_0cl": "lowercl", "upper95_0cl": "uppercl"})
    assert_values(out, expected, columns)


def test_proportion_of_groups_sums_first():
    expected = read("proportion_grouped.csv")
    rows = block(PROP, "multiplier_1")[PROP_INPUT.columns]
    out = proportion(pd.concat([rows, rows]), "numerator", "denominator", group_by="area")
    assert list(out.columns) == ["area", "numerator", "denominator", "value", "lowercl", "uppercl",
                                 "confidence", "statistic", "method"]  # fmt: skip
    assert_values(out, expected.head(8), ("numerator", "numerator_sum"))
    assert_values(out, expected.head(8), ("lowercl", "lower95_0cl"))
    assert_values(out, expected.head(8), ("uppercl", "upper95_0cl"))


def test_proportion_without_confidence_limits():
    sums = read("proportion_grouped.csv").head(8)[["area", "numerator_sum", "denominator_sum"]]
    out = proportion(sums, "numerator_sum", "denominator_sum", confidence=None)
    assert list(out.columns) == [*sums.columns, "value", "statistic"]
    assert_values(out["value"], sums["numerator_sum"] / sums["denominator_sum"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"numerator": -1}, "numerators must be greater than or equal to zero"),
        ({"denominator": 0}, "denominators must be greater than zero"),
        ({"numerator": 101}, "numerators must be less than or equal to denominator"),
    ],
)
def test_proportion_refuses_impossible_counts_and_says_where(change, message):
    data = block(PROP, "multiplier_1")[PROP_INPUT.columns].copy()
    for column, value in change.items():
        data.loc[2, column] = value
    with pytest.raises(IndicatorInputError, match=message) as error:
        proportion(data, "numerator", "denominator")
    assert error.value.row == 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"confidence": 0.8}, "between 90 and 100 or between 0.9 and 1"),
        ({"confidence": 50}, "between 90 and 100 or between 0.9 and 1"),
        ({"confidence": 130}, "between 90 and 100 or between 0.9 and 1"),
        ({"confidence": (0.95, 0.998, 0.99)}, "a maximum of two confidence levels"),
        ({"confidence": (0.95, 0.98)}, "only be produced if they are specified as 0.95 and 0.998"),
        ({"type": "combined"}, "type must be one of value, lower, upper, standard or full"),
    ],
)
def test_bad_arguments_are_refused(arguments, message):
    for method in (proportion, rate):
        with pytest.raises(IndicatorInputError, match=message):
            method(PROP_INPUT.head(8), "numerator", "denominator", **arguments)


# --- Crude rates --------------------------------------------------------------------------------

RATE = read("rate.csv")


@pytest.mark.parametrize("name", ["per_100", "per_100000", "numerator_gt_denominator"])
def test_rate_two_levels(name):
    expected = block(RATE, name)
    out = rate(
        expected[PROP_INPUT.columns], "numerator", "denominator",
        multiplier=expected["multiplier"].iloc[0], confidence=(0.95, 0.998),
    )  # fmt: skip
    assert_values(out, expected, ["value", *CIS])
    assert (out["statistic"] == expected["statistic"]).all()
    assert (out["method"] == expected["method"]).all()


def test_rate_one_level_at_998():
    expected = block(RATE, "per_100000")
    out = rate(expected[PROP_INPUT.columns], "numerator", "denominator", confidence=99.8)
    assert_values(out, expected, ("lowercl", "lower99_8cl"))
    assert_values(out, expected, ("uppercl", "upper99_8cl"))
    assert list(out.columns)[-6:] == [
        "value",
        "lowercl",
        "uppercl",
        "confidence",
        "statistic",
        "method",
    ]


def test_rate_with_missing_inputs():
    expected = block(RATE, "missing_inputs")
    out = rate(expected[PROP_INPUT.columns], "numerator", "denominator")
    assert out[["value", "lowercl", "uppercl"]].isna().all().all()
    # The method follows the numerator alone: 10 events with no denominator is still Byar's.
    assert out["method"].tolist() == [None, "Byars", None]


def test_rate_of_groups_sums_first():
    # Groups come out in sorted order (Area09 before Area1), as dplyr sorts them.
    expected = read("rate_grouped.csv").sort_values("area", ignore_index=True)
    out = rate(RATE[PROP_INPUT.columns], "numerator", "denominator", group_by="area")
    assert out["area"].tolist() == expected["area"].tolist()
    assert_values(out, expected, ("numerator", "numerator_sum"))
    assert_values(out, expected, ("denominator", "denominator_sum"))
    assert_values(out, expected, "value")
    assert_values(out, expected, ("lowercl", "lower95_0cl"))
    assert_values(out, expected, ("uppercl", "upper95_0cl"))
    assert out["method"].fillna("").tolist() == expected["method"].fillna("").tolist()


def test_rate_allows_more_events_than_people_but_not_negative_ones():
    data = block(RATE, "numerator_gt_denominator")[PROP_INPUT.columns]
    assert rate(data, "numerator", "denominator", type="standard")["value"].iloc[0] > 100_000
    with pytest.raises(IndicatorInputError, match="denominators must be greater than zero"):
        rate(data.assign(denominator=0), "numerator", "denominator")


# --- Means --------------------------------------------------------------------------------------

MEAN_INPUT = read("mean_input.csv")
MEAN = read("mean_results.csv")


def test_mean_by_area_two_levels():
    out = mean(MEAN_INPUT, "value", group_by="area", confidence=(0.95, 0.998))
    expected = MEAN[MEAN["area"] != "ALL (ungrouped)"]
    columns = list(MEAN.columns)
    assert list(out.columns) == [*columns[:-2], "confidence", *columns[-2:]]
    assert_values(out, expected, ["value_sum", "value_count", "stdev", "value", *CIS])
    assert (
        out[["statistic", "method"]].to_numpy() == expected[["statistic", "method"]].to_numpy()
    ).all()


def test_mean_of_all_values_ungrouped():
    out = mean(MEAN_INPUT, "value", confidence=99.8)
    expected = MEAN[MEAN["area"] == "ALL (ungrouped)"]
    assert list(out.columns)[:4] == ["value_sum", "value_count", "stdev", "value"]
    assert_values(out, expected, ("lowercl", "lower99_8cl"))
    assert_values(out, expected, ("uppercl", "upper99_8cl"))


def test_mean_value_only():
    out = mean(MEAN_INPUT, "value", group_by="area", type="value")
    assert list(out.columns) == ["area", "value"]


# --- Directly standardised rates ----------------------------------------------------------------

DSR_INPUT = read("dsr_input.csv")
DSR = read("dsr_results.csv")


def dsr_expected(input_file, multiplier):
    return DSR[(DSR["input_file"] == input_file) & (DSR["multiplier"] == multiplier)].reset_index(
        drop=True
    )


@pytest.mark.parametrize("stdpop", ["esp2013", None], ids=["stdpop-column", "esp2013-default"])
def test_dsr_per_100000_two_levels(stdpop):
    expected = dsr_expected("dsr_input.csv", 100_000)
    out = dsr(DSR_INPUT, "count", "pop", age_band="ageband", group_by="area", stdpop=stdpop,
              confidence=(0.95, 0.998))  # fmt: skip
    assert list(out.columns) == ["area", "total_count", "total_pop", "value", *CIS, "confidence",
                                 "statistic", "method"]  # fmt: skip
    assert_values(out, expected, ["total_count", "total_pop", "value", *CIS])
    assert out["statistic"].tolist() == expected["statistic"].tolist()
    assert (out["method"] == "Dobson").all()


def test_dsr_at_998_and_per_10000_standard():
    expected = dsr_expected("dsr_input.csv", 100_000)
    out = dsr(DSR_INPUT, "count", "pop", age_band="ageband", group_by="area", confidence=99.8)
    assert_values(out, expected, ("lowercl", "lower99_8cl"))
    expected = dsr_expected("dsr_input.csv", 10_000)
    out = dsr(DSR_INPUT, "count", "pop", age_band="ageband", group_by="area", stdpop="esp2013",
              multiplier=10_000, type="standard")  # fmt: skip
    assert list(out.columns) == ["area", "total_count", "total_pop", "value", "lowercl", "uppercl"]
    assert_values(out, expected, "value")
    assert_values(out, expected, ("lowercl", "lower95_0cl"))
    assert_values(out, expected, ("uppercl", "upper95_0cl"))


def test_dsr_with_the_1976_european_standard():
    data = read("dsr_esp1976_input.csv")
    expected = dsr_expected("dsr_esp1976_input.csv", 100_000)
    out = dsr(data, "count", "pop", age_band="ageband", stdpop="esp1976", type="standard")
    assert list(out.columns) == ["total_count", "total_pop", "value", "lowercl", "uppercl"]
    assert_values(out, expected, ["total_count", "total_pop", "value"])
    assert_values(out, expected, ("lowercl", "lower95_0cl"))
    assert_values(out, expected, ("uppercl", "upper95_0cl"))


@pytest.mark.parametrize("group_by", [["area"], ["area", "freq"]])
@pytest.mark.parametrize("stdpop", ["esp2013", None], ids=["stdpop-column", "esp2013-default"])
def test_dsr_of_non_independent_events(group_by, stdpop):
    data = read("dsr_nonindependent_input.csv").fillna({"persons": 0})
    expected = DSR[~DSR["independent_events"]].reset_index(drop=True)
    out = dsr(data, "persons", "pop", age_band="ageband", group_by=group_by, stdpop=stdpop,
              independent_events=False, event_freq="freq", confidence=(0.95, 0.998))  # fmt: skip
    assert out["area"].tolist() == expected["area"].tolist()
    # The expected figures were stored to 8 decimal places.
    np.testing.assert_allclose(
        out[["total_count", "total_pop", "value", *CIS]].to_numpy(dtype=float),
        expected[["total_count", "total_pop", "value", *CIS]].to_numpy(dtype=float),
        rtol=0, atol=1e-8,
    )  # fmt: skip
    assert out["method"].iloc[0] == "Dobson, with confidence adjusted for non-independent events"
    assert out["statistic"].iloc[-1] == "dsr NA for total count < 10"


def test_dsr_refuses_a_band_whose_rows_disagree_on_population():
    data = read("dsr_nonindependent_input.csv").fillna({"persons": 0})
    data.loc[(data["freq"] == 2) & (data.index == data.index[data["freq"] == 2][0]), "pop"] += 1
    with pytest.raises(IndicatorInputError, match="pop must be the same on every row"):
        dsr(data, "persons", "pop", age_band="ageband", group_by="area", independent_events=False,
            event_freq="freq")  # fmt: skip


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("count", -1, "numerators must all be greater than or equal to zero"),
        ("pop", 0, "denominators must all be greater than zero"),
        ("pop", -5, "denominators must all be greater than zero"),
        ("pop", np.nan, "denominators must not be missing"),
        ("esp2013", -1, "stdpop must all be greater than or equal to zero"),
        ("esp2013", np.nan, "stdpop must not be missing"),
        ("count", "many", "field count must be numeric"),
    ],
)
def test_dsr_refuses_bad_input_naming_row_and_column(column, value, message):
    data = DSR_INPUT.astype({column: object}).copy()
    data.loc[4, column] = value
    with pytest.raises(IndicatorInputError, match=message) as error:
        dsr(data, "count", "pop", age_band="ageband", group_by="area", stdpop="esp2013")
    assert (error.value.row, error.value.column) == (4, column)


@pytest.mark.parametrize("multiplier", [0, -100, "100000"])
def test_dsr_refuses_a_multiplier_that_is_not_positive(multiplier):
    with pytest.raises(IndicatorInputError, match="multiplier must be a numeric value"):
        dsr(DSR_INPUT, "count", "pop", age_band="ageband", group_by="area", multiplier=multiplier)


def test_dsr_default_standard_needs_the_19_bands():
    with pytest.raises(IndicatorInputError, match="19 age bands"):
        dsr(DSR_INPUT.assign(ageband="x").head(18), "count", "pop", age_band="ageband")


# --- Indirectly standardised rates and ratios ---------------------------------------------------

ISR_INPUT = read("isr_input.csv")
ISR = read("isr_results.csv")
REF = read("isr_reference.csv")
ISR_COLUMNS = ["observed", "expected", "value"]


def isr_expected(function, input_file, scale):
    rows = ISR[(ISR["function"] == function) & (ISR["input_file"] == input_file)]
    return rows[rows["multiplier_or_refvalue"] == scale].reset_index(drop=True)


def test_israte_two_levels_with_reference_columns_and_vectors():
    expected = isr_expected("calculate_ISRate", "isr_input.csv", 100_000)
    by_field = israte(ISR_INPUT, "count", "pop", "refcount", "refpop", group_by="area",
                      confidence=(0.95, 0.998))  # fmt: skip
    by_vector = israte(ISR_INPUT, "count", "pop", REF["refcount"], REF["refpop"], group_by="area",
                       refpoptype="vector", confidence=(0.95, 0.998))  # fmt: skip
    for out in (by_field, by_vector):
        assert list(out.columns) == ["area", "observed", "expected", "ref_rate", "value", *CIS,
                                     "confidence", "statistic", "method"]  # fmt: skip
        assert_values(out, expected, [*ISR_COLUMNS, "ref_rate", *CIS])
        assert out["method"].tolist() == ["Byars", "Byars", "Exact"]
        assert (out["statistic"] == "indirectly standardised rate per 100000").all()


def test_israte_from_observed_totals_and_per_1000():
    expected = isr_expected("calculate_ISRate", "isr_input.csv", 100_000)
    totals = read("isr_observed_totals.csv")
    out = israte(ISR_INPUT.drop(columns="count"), "total_count", "pop", "refcount", "refpop",
                 group_by="area", observed_totals=totals, confidence=99.8)  # fmt: skip
    assert_values(out, expected, ("lowercl", "lower99_8cl"))
    assert_values(out, expected, ("uppercl", "upper99_8cl"))
    expected = isr_expected("calculate_ISRate", "isr_input.csv", 1000)
    out = israte(ISR_INPUT, "count", "pop", "refcount", "refpop", group_by="area", multiplier=1000,
                 type="standard")  # fmt: skip
    assert list(out.columns) == ["area", "observed", "expected", "ref_rate", "value", "lowercl",
                                 "uppercl"]  # fmt: skip
    assert_values(out, expected, ISR_COLUMNS)
    assert_values(out, expected, ("uppercl", "upper95_0cl"))


@pytest.mark.parametrize("refvalue", [1, 100])
def test_isratio(refvalue):
    expected = isr_expected("calculate_ISRatio", "isr_input.csv", refvalue)
    out = isratio(ISR_INPUT, "count", "pop", REF["refcount"], REF["refpop"], group_by="area",
                  refpoptype="vector", refvalue=refvalue, confidence=(0.95, 0.998))  # fmt: skip
    assert list(out.columns) == ["area", "observed", "expected", "value", *CIS, "confidence",
                                 "statistic", "method"]  # fmt: skip
    assert_values(out, expected, [*ISR_COLUMNS, *CIS])
    assert (out["statistic"] == f"indirectly standardised ratio x {refvalue}").all()


@pytest.mark.parametrize(("method", "scale"), [(israte, 100_000), (isratio, 100)])
def test_indirect_standardisation_allows_a_zero_population(method, scale):
    data = read("isr_zero_pop_input.csv")
    function = "calculate_ISRate" if method is israte else "calculate_ISRatio"
    expected = isr_expected(function, "isr_zero_pop_input.csv", scale)
    argument = {"multiplier": scale} if method is israte else {"refvalue": scale}
    out = method(data, "count", "pop", "refcount", "refpop", group_by="area", type="standard",
                 **argument)  # fmt: skip
    assert_values(out, expected, ISR_COLUMNS)
    assert_values(out, expected, ("lowercl", "lower95_0cl"))
    assert_values(out, expected, ("uppercl", "upper95_0cl"))


def test_a_missing_reference_count_counts_as_zero():
    with_zero = israte(ISR_INPUT, "count", "pop", "refcount", "refpop", group_by="area")
    missing = ISR_INPUT.assign(refcount=ISR_INPUT["refcount"].replace(0, np.nan))
    assert missing["refcount"].isna().any()
    pd.testing.assert_frame_equal(
        israte(missing, "count", "pop", "refcount", "refpop", group_by="area"), with_zero
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"data": ISR_INPUT.assign(count=-1)},
            "numerators must all be greater than or equal to zero",
        ),
        (
            {"data": ISR_INPUT.assign(pop=-1)},
            "denominators must all be greater than or equal to zero",
        ),
        ({"data": ISR_INPUT.head(50)}, "same number of rows"),
        ({"x_ref": REF["refcount"].head(18)}, "one value for each of the 19 rows"),
        ({"confidence": 0.5}, "between 90 and 100"),
        ({"type": "combined"}, "type must be one of"),
    ],
)
def test_indirect_standardisation_refuses_bad_input(arguments, message):
    data = arguments.pop("data", ISR_INPUT)
    x_ref = arguments.pop("x_ref", REF["refcount"])
    for method in (israte, isratio):
        with pytest.raises(IndicatorInputError, match=message):
            method(data, "count", "pop", x_ref, REF["refpop"], group_by="area",
                   refpoptype="vector", **arguments)  # fmt: skip


# --- Quantiles ----------------------------------------------------------------------------------

QUANTILES = read("quantiles.csv", keep_default_na=False, na_values=[""])
GOOD = QUANTILES[QUANTILES["Test"].str.startswith("Good")]


def assert_quantiles(out, expected):
    assert out["quantile"].astype("Float64").fillna(-1).tolist() == (
        expected["expected_quantile"].fillna(-1).tolist()
    )


def test_deciles_within_indicator_and_region_with_polarity_from_a_column():
    df1 = GOOD[GOOD["GroupSet"] == "IndSexReg"]
    # Some regions have fewer than ten areas with a value: they get no deciles.
    with pytest.warns(IndicatorWarning, match="too few small areas"):
        out = quantiles(df1, "Value", group_by=["IndSexRef", "ParentCode"], invert="invert")
    assert_quantiles(out, df1)
    assert list(out.columns) == [*df1.columns, "quantile", "nquantiles", "groupvars", "qinverted"]


def test_deciles_not_inverted_warn_when_a_region_has_too_few_areas():
    df1 = GOOD[GOOD["GroupSet"] == "IndSexReg"]
    df2 = df1[df1["IndSexRef"] == "90366Female"]
    with pytest.warns(IndicatorWarning, match="too few small areas with values"):
        out = quantiles(df2, "Value", group_by=["IndSexRef", "ParentCode"], invert=False)
    assert_quantiles(out, df2)
    assert (out["nquantiles"] == 10).all()
    assert (out["groupvars"] == "IndSexRef, ParentCode").all()
    assert (out["qinverted"] == "lowest quantile represents lowest values").all()


def test_septiles_within_indicator():
    df3 = GOOD[GOOD["GroupSet"] == "IndSex"]
    out = quantiles(df3, "Value", group_by="IndSexRef", nquantiles=7, invert="invert")
    assert_quantiles(out, df3)


@pytest.mark.parametrize("group_by", [None, "GroupSet"])
def test_quartiles_ungrouped_or_in_one_group(group_by):
    df4 = GOOD[GOOD["GroupSet"] == "None"]
    out = quantiles(df4, "Value", group_by=group_by, nquantiles=4)
    assert_quantiles(out, df4)
    standard = quantiles(df4, "Value", group_by=group_by, nquantiles=4, type="standard")
    assert list(standard.columns) == [*df4.columns, "quantile"]
    assert (out["qinverted"] == "lowest quantile represents highest values").all()


def test_quantiles_warn_when_values_are_missing_for_a_whole_region():
    df2 = GOOD[(GOOD["GroupSet"] == "IndSexReg") & (GOOD["IndSexRef"] == "90366Female")]
    df6 = df2[~df2["AreaCode"].isin(["E06000053", "E09000001"])].copy()
    df6.loc[df6["ParentCode"] == "E12000006", "Value"] = np.nan
    with pytest.warns(IndicatorWarning, match="too few small areas"):
        quantiles(df6, "Value", group_by=["IndSexRef", "ParentCode"], invert=False)


@pytest.mark.parametrize(
    ("data", "arguments", "message"),
    [
        (QUANTILES[QUANTILES["Test"] == "BadPolarity"], {"invert": "invert"},
         "invert field values must take the same logical value for each data grouping set"),
        (GOOD, {"invert": 6}, "invert must be True, False or the name of a column"),
        (GOOD, {"invert": "polarity"}, "invert is not a field name from data"),
        (GOOD.assign(Value="x"), {}, "values argument must be a numeric field from data"),
    ],
)  # fmt: skip
def test_quantiles_refuse_bad_input(data, arguments, message):
    with pytest.raises(IndicatorInputError, match=message):
        quantiles(data, "Value", group_by="IndSexRef", **arguments)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: intervals.byars_lower(-1), "observed events must all be greater than or equal"),
        (lambda: intervals.byars_upper([3, -1]), "observed events must all be greater than or"),
        (lambda: intervals.wilson_lower(-1, 10), "observed events must all be greater than or"),
        (lambda: intervals.wilson_upper(3, -10), "sample sizes must all be greater than zero"),
        (lambda: intervals.wilson_lower(11, 10), "numerators must be less than or equal to"),
        (lambda: intervals.byars_lower(5, 0.5), "confidence level must be between 90 and 100"),
    ],
)
def test_the_limit_helpers_refuse_impossible_input(call, message):
    with pytest.raises(IndicatorInputError, match=message):
        call()


def test_the_limit_helpers_take_confidence_as_a_percentage():
    assert intervals.byars_upper(65, 99.8) == intervals.byars_upper(65, 0.998)
    assert intervals.wilson_lower(65, 100, 95) == intervals.wilson_lower(65, 100)
