import numpy as np
import pandas as pd
import pytest

from thedeal.indicators.methods.disclosure import (
    DENOMINATOR_SUPPRESSED_REASON,
    PROTECTS_REASON,
    TOTAL_REASON,
    note_column,
    publishable,
    round_counts,
    round_to_base,
    small_count_reason,
    small_denominator_reason,
    suppress_derived_values,
    suppress_small_counts,
    suppress_to_protect_totals,
)

RATE_COLUMNS = ["value", "lowercl", "uppercl"]


def wards(deaths, population=None, borough="Brent"):
    """A borough's wards with deaths, population and a rate with its interval."""
    population = population or [1000 * (i + 1) for i in range(len(deaths))]
    df = pd.DataFrame(
        {
            "borough": borough,
            "ward": [f"Ward {chr(65 + i)}" for i in range(len(deaths))],
            "deaths": deaths,
            "population": population,
        }
    )
    df["value"] = df["deaths"] / df["population"] * 100_000
    df["lowercl"] = df["value"] * 0.8
    df["uppercl"] = df["value"] * 1.2
    return df


def with_total(df, group_by="borough"):
    """The table with a total row for each group, as a published table carries them."""
    totals = df.groupby(group_by, as_index=False)[["deaths", "population"]].sum()
    totals["ward"] = "Total"
    out = pd.concat([df, totals], ignore_index=True)
    out["is_total"] = out["ward"] == "Total"
    return out


def hidden(df, column="deaths"):
    return df[column].isna().tolist()


# --- Primary suppression -------------------------------------------------------------------------


def test_a_ward_count_of_3_is_hidden_and_so_are_its_rate_and_interval():
    out = publishable(wards([3, 40, 52]), "deaths", derived={"deaths": RATE_COLUMNS})

    ward = out.iloc[0]
    assert pd.isna(ward["deaths"])
    assert ward[RATE_COLUMNS].isna().all()
    assert ward["deaths_note"] == "suppressed: fewer than 8"


@pytest.mark.parametrize("count,is_hidden", [(1, True), (7, True), (8, False), (250, False)])
def test_counts_from_1_to_7_are_hidden_and_8_is_published(count, is_hidden):
    out = suppress_small_counts(wards([count]), "deaths")

    assert pd.isna(out.loc[0, "deaths"]) == is_hidden


def test_a_true_zero_is_published_by_default():
    out = publishable(wards([0, 20, 30]), "deaths", derived={"deaths": RATE_COLUMNS})

    assert out.loc[0, "deaths"] == 0
    assert out.loc[0, "value"] == 0
    assert out["deaths_note"].isna().all()


def test_zeros_can_be_suppressed_too():
    out = suppress_small_counts(wards([0, 20]), "deaths", keep_zero=False)

    assert hidden(out) == [True, False]
    assert out.loc[0, "deaths_note"] == "suppressed: fewer than 8"


def test_the_threshold_can_be_raised_and_the_note_says_so():
    out = suppress_small_counts(wards([9, 10]), "deaths", threshold=9)

    assert hidden(out) == [True, False]
    assert out.loc[0, "deaths_note"] == small_count_reason(9) == "suppressed: fewer than 10"


def test_the_note_sits_beside_its_count_and_a_csv_shows_a_blank_not_nan():
    out = suppress_small_counts(wards([3, 40]), ["deaths"])

    columns = list(out.columns)
    assert columns[columns.index("deaths") + 1] == note_column("deaths") == "deaths_note"
    csv = out[["ward", "deaths", "deaths_note"]].to_csv(index=False).splitlines()
    assert csv[1:] == ["Ward A,,suppressed: fewer than 8", "Ward B,40,"]


def test_a_count_missing_from_the_data_stays_missing_without_a_note():
    df = wards([3, 40, 50]).astype({"deaths": "Int64"})
    df.loc[1, "deaths"] = pd.NA

    out = suppress_small_counts(df, "deaths")

    assert hidden(out) == [True, True, False]
    assert out["deaths_note"].isna().tolist() == [False, True, True]


def test_several_count_columns_are_suppressed_each_on_its_own():
    df = pd.DataFrame({"area": ["A", "B"], "men": [3, 12], "women": [15, 2]})

    out = suppress_small_counts(df, ["men", "women"])

    assert hidden(out, "men") == [True, False]
    assert hidden(out, "women") == [False, True]


# --- Secondary suppression -----------------------------------------------------------------------


def test_with_one_suppressed_ward_among_five_a_second_is_hidden_so_the_total_cannot_reveal_it():
    df = wards([3, 12, 40, 12, 55])

    out = publishable(df, "deaths", derived={"deaths": RATE_COLUMNS}, group_by="borough")

    # The smallest other ward goes; of the two 12s, the one higher up the table.
    assert hidden(out) == [True, True, False, False, False]
    assert out.loc[1, "deaths_note"] == PROTECTS_REASON
    assert out.loc[1, RATE_COLUMNS].isna().all()
    published = out["deaths"].sum()
    assert df["deaths"].sum() - published == 15  # what the total gives away: two wards, not small


def test_two_small_wards_that_together_are_small_need_a_third():
    out = suppress_to_protect_totals(wards([3, 4, 30, 50]), "deaths", group_by="borough")

    assert hidden(out) == [True, True, True, False]


def test_two_small_wards_that_together_are_not_small_need_nothing_more():
    out = suppress_to_protect_totals(wards([5, 6, 30, 50]), "deaths", group_by="borough")

    assert hidden(out) == [True, True, False, False]


def test_a_zero_is_never_hidden_to_protect_another_ward():
    out = suppress_to_protect_totals(wards([3, 0, 30, 50]), "deaths", group_by="borough")

    assert hidden(out) == [True, False, True, False]


def test_each_borough_is_protected_on_its_own():
    df = pd.concat([wards([3, 40, 50], borough="Brent"), wards([20, 30, 9], borough="Barnet")])

    out = publishable(df, "deaths", group_by="borough")

    assert hidden(out) == [True, True, False, False, False, False]


def test_with_no_groups_named_the_whole_table_is_one_group():
    out = publishable(wards([3, 40, 50]), "deaths")

    assert hidden(out) == [True, True, False]


def test_rows_that_add_up_to_nothing_published_can_skip_secondary_suppression():
    out = publishable(wards([3, 40, 50]), "deaths", protect_totals=False)

    assert hidden(out) == [True, False, False]


def test_a_total_row_is_published_but_never_hidden_to_protect_its_wards():
    df = with_total(wards([3, 40, 50]))

    out = publishable(df, "deaths", group_by="borough", total_rows="is_total")

    assert hidden(out) == [True, True, False, False]
    assert out.loc[3, "deaths"] == 93


def test_a_borough_whose_wards_cannot_be_protected_has_its_total_hidden():
    # The total includes 10 deaths with no ward recorded, so it is not small itself; but with one
    # ward of 3 and a zero, the total minus the zero would still be worked back to that ward.
    df = pd.DataFrame(
        {
            "borough": "Brent",
            "ward": ["Ward A", "Ward B", "Total"],
            "deaths": [3, 0, 13],
            "is_total": [False, False, True],
        }
    )

    out = publishable(df, "deaths", group_by="borough", total_rows="is_total")

    assert hidden(out) == [True, False, True]
    assert out.loc[2, "deaths_note"] == TOTAL_REASON


def test_a_small_total_is_itself_suppressed():
    df = with_total(wards([3, 2]))

    out = publishable(df, "deaths", group_by="borough", total_rows="is_total")

    assert hidden(out) == [True, True, True]


def test_suppressed_zeros_are_protected_like_any_other_cell():
    out = suppress_to_protect_totals(
        wards([0, 30, 50]), "deaths", group_by="borough", keep_zero=False
    )

    assert hidden(out) == [True, True, False]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("keep_zero", [True, False])
def test_what_a_total_gives_away_about_hidden_wards_is_never_one_ward_or_a_small_number(
    seed, keep_zero
):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 9, size=300)
    typical = rng.choice([0.5, 2.0, 6.0, 15.0, 60.0], size=len(sizes))
    df = pd.DataFrame(
        {
            "borough": np.repeat(np.arange(len(sizes)), sizes),
            "deaths": rng.poisson(np.repeat(typical, sizes)),
        }
    )
    df["ward"] = "ward"
    df["population"] = 1
    df = with_total(df)

    out = publishable(df, "deaths", group_by="borough", total_rows="is_total", keep_zero=keep_zero)

    cells, published_cells = df[~df["is_total"]], out[~out["is_total"]]
    shown = published_cells["deaths"].notna()
    # What is shown is true, and never a small number.
    assert (published_cells["deaths"][shown] == cells["deaths"][shown]).all()
    smallest = 1 if keep_zero else 0
    assert not published_cells["deaths"][shown].between(smallest, 7).any()
    # The attacker's sum: a published total minus the published wards of its borough.
    totals = out[out["is_total"]].set_index("borough")["deaths"]
    n_hidden = (~shown).groupby(published_cells["borough"]).sum()
    recovered = (
        totals - published_cells["deaths"].fillna(0).groupby(published_cells["borough"]).sum()
    )
    total_shown = totals.notna()
    anything_hidden = n_hidden > 0
    assert (n_hidden[total_shown & anything_hidden] >= 2).all()
    assert (recovered[total_shown & anything_hidden] > 7).all()
    # Tables like these always have boroughs of every kind, so the check checked something.
    assert (total_shown & anything_hidden).sum() > 20
    assert (~total_shown).sum() > 5


# --- Calculated values ---------------------------------------------------------------------------


def test_a_rate_with_a_small_denominator_is_hidden_but_its_count_is_published():
    df = wards([0, 20], population=[5, 4000])

    out = publishable(
        df, "deaths", derived={"deaths": RATE_COLUMNS}, denominators={"deaths": "population"}
    )

    assert out.loc[0, "deaths"] == 0
    assert out.loc[0, RATE_COLUMNS].isna().all()
    assert (
        out.loc[0, "deaths_note"]
        == small_denominator_reason()
        == ("calculated values suppressed: denominator fewer than 8")
    )
    assert out.loc[1, RATE_COLUMNS].notna().all()


def test_a_rate_whose_denominator_was_suppressed_is_hidden_so_it_cannot_give_it_back():
    df = pd.DataFrame({"area": ["A", "B", "C"], "admitted": [0, 30, 40], "eligible": [5, 60, 80]})
    df["percent"] = df["admitted"] / df["eligible"] * 100

    out = publishable(
        df,
        ["admitted", "eligible"],
        derived={"admitted": "percent"},
        denominators={"admitted": "eligible"},
        protect_totals=False,
    )

    assert out["percent"].isna().tolist() == [True, False, False]
    assert out.loc[0, "admitted_note"] == DENOMINATOR_SUPPRESSED_REASON


def test_derived_values_can_be_suppressed_as_a_separate_step():
    suppressed = suppress_to_protect_totals(wards([3, 40, 50]), "deaths")

    out = suppress_derived_values(suppressed, {"deaths": RATE_COLUMNS})

    assert out["value"].isna().tolist() == [True, True, False]


# --- Rounding ------------------------------------------------------------------------------------


def test_counts_are_rounded_to_the_nearest_5():
    out = round_counts(wards([12, 13, 8, 0]), "deaths")

    assert out["deaths"].tolist() == [10, 15, 10, 0]


def test_counts_can_be_rounded_to_the_nearest_10_with_halves_up():
    out = round_counts(wards([5, 14, 15, 25]), "deaths", base=10)

    assert out["deaths"].tolist() == [10, 10, 20, 30]


def test_rounding_after_suppression_keeps_suppressed_counts_hidden():
    out = publishable(wards([3, 12, 43, 58]), "deaths", rounding=5)

    assert out["deaths"].tolist() == [pd.NA, pd.NA, 45, 60]


def test_a_total_is_rounded_from_its_true_value_so_rounded_wards_need_not_add_up():
    df = with_total(wards([12, 12, 12]))

    out = publishable(df, "deaths", group_by="borough", total_rows="is_total", rounding=5)

    assert out["deaths"].tolist() == [10, 10, 10, 35]
    assert round_to_base(36) == 35
    assert round_to_base(36, base=10) == 40


# --- What the caller gets back -------------------------------------------------------------------


def test_the_table_passed_in_is_not_changed():
    df = with_total(wards([3, 12, 40, 12, 55], population=[5, 900, 4000, 3000, 2000]))
    before = df.copy(deep=True)

    publishable(
        df,
        "deaths",
        derived={"deaths": RATE_COLUMNS},
        denominators={"deaths": "population"},
        group_by="borough",
        total_rows="is_total",
        rounding=5,
    )

    pd.testing.assert_frame_equal(df, before)


def test_a_polars_table_is_accepted():
    import polars

    df = polars.DataFrame({"ward": ["A", "B", "C"], "deaths": [3, 40, 50]})

    out = publishable(df, "deaths")

    assert isinstance(out, pd.DataFrame)
    assert hidden(out) == [True, True, False]


def test_an_index_of_ward_codes_is_kept():
    df = wards([3, 40, 50]).set_index("ward")

    out = publishable(df, "deaths")

    assert list(out.index) == ["Ward A", "Ward B", "Ward C"]


# --- Errors say what and where -------------------------------------------------------------------


def test_a_missing_count_column_is_named():
    with pytest.raises(ValueError, match="count column 'death' is not in the table"):
        publishable(wards([3]), "death")


@pytest.mark.parametrize(
    "value,message",
    [
        (-2, r"counts cannot be negative, not -2 \(column 'deaths', row 3\)"),
        (2.5, r"counts must be whole numbers, not 2.5 \(column 'deaths', row 3\)"),
        ("many", r"counts must be numbers, not 'many' \(column 'deaths', row 3\)"),
    ],
)
def test_a_bad_count_is_refused_naming_its_column_and_row(value, message):
    df = wards([3, 40, 50]).astype({"deaths": object})
    df.loc[2, "deaths"] = value

    with pytest.raises(ValueError, match=message):
        publishable(df, "deaths")


def test_a_bad_count_names_its_index_label_when_the_index_is_meaningful():
    df = wards([3, -1]).set_index("ward")

    with pytest.raises(ValueError, match=r"not -1 at index 'Ward B' \(column 'deaths', row 2\)"):
        publishable(df, "deaths")


def test_true_false_is_not_a_count():
    df = pd.DataFrame({"deaths": [True, False]})

    with pytest.raises(ValueError, match="counts must be numbers, not True/False"):
        publishable(df, "deaths")


def test_an_already_suppressed_table_is_refused_because_protection_needs_the_true_counts():
    once = publishable(wards([3, 40, 50]), "deaths")

    with pytest.raises(ValueError, match="already has a column 'deaths_note'"):
        publishable(once, "deaths")


def test_calculated_values_need_a_suppressed_table():
    with pytest.raises(ValueError, match="note column 'deaths_note' is not in the table"):
        suppress_derived_values(wards([3]), {"deaths": RATE_COLUMNS})


def test_missing_calculated_and_group_columns_are_named():
    with pytest.raises(ValueError, match="calculated column 'rate' is not in the table"):
        publishable(wards([3]), "deaths", derived={"deaths": ["rate"]})
    with pytest.raises(ValueError, match="group column 'lsoa' is not in the table"):
        publishable(wards([3]), "deaths", group_by="lsoa")


def test_two_total_rows_in_one_group_are_refused_naming_the_rows():
    df = with_total(wards([3, 40]))
    df = pd.concat([df, df.tail(1)], ignore_index=True)

    with pytest.raises(ValueError, match=r"more than one total row \(rows 3, 4\)"):
        publishable(df, "deaths", group_by="borough", total_rows="is_total")


@pytest.mark.parametrize("threshold", [-1, 2.5, True])
def test_a_nonsense_threshold_is_refused(threshold):
    with pytest.raises(ValueError, match="threshold must be a whole number"):
        publishable(wards([3]), "deaths", threshold=threshold)


@pytest.mark.parametrize("base", [0, 2.5])
def test_a_nonsense_rounding_base_is_refused(base):
    with pytest.raises(ValueError, match="rounding base must be a whole number"):
        publishable(wards([30]), "deaths", rounding=base)
