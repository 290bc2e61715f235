"""Paired change (METHODS.md section 14): a hand-worked example, scipy's paired t test, and the
small-number rule every published report goes through."""

import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from thedeal.indicators import IndicatorInputError, paired_change, publishable_paired_change

FIGURES = ["value_count", "before_mean", "after_mean", "stdev", "value", "lowercl", "uppercl"]


def people(before, after, **columns):
    return pd.DataFrame({"before": before, "after": after, **columns})


def test_paired_change_matches_the_worked_example_in_methods_md():
    # Before 1, 2, 3, 4; after 3, 3, 6, 6: changes 2, 1, 3, 2 (worked by hand in METHODS.md).
    out = paired_change(people([1, 2, 3, 4], [3, 3, 6, 6]), "before", "after")

    row = out.iloc[0]
    assert row["value_count"] == 4
    assert row["value"] == 2
    assert row["before_mean"] == 2.5
    assert row["after_mean"] == 4.5
    assert row["stdev"] == pytest.approx(math.sqrt(2 / 3), rel=1e-12)
    assert row["lowercl"] == pytest.approx(0.700772, abs=5e-7)
    assert row["uppercl"] == pytest.approx(3.299228, abs=5e-7)
    assert row["confidence"] == "95%"
    assert row["statistic"] == "mean change (after - before)"
    assert row["method"] == "Paired Student's t-distribution"


@pytest.mark.parametrize("confidence", [0.95, 0.998, 0.9])
def test_paired_change_interval_is_scipys_paired_t_interval(confidence):
    # SWEMWBS metric scores of twelve people at first contact and at review.
    before = [18.59, 19.25, 14.08, 23.21, 20.73, 17.98, 21.54, 16.36, 19.98, 12.40, 25.03, 22.35]
    after = [20.73, 19.98, 17.43, 23.21, 24.11, 17.43, 25.03, 19.25, 22.35, 15.84, 24.11, 26.02]

    out = paired_change(people(before, after), "before", "after", confidence=confidence)

    expected = stats.ttest_rel(after, before).confidence_interval(confidence)
    assert out["lowercl"].iloc[0] == pytest.approx(expected.low, rel=1e-9)
    assert out["uppercl"].iloc[0] == pytest.approx(expected.high, rel=1e-9)
    assert out["value"].iloc[0] == pytest.approx(np.mean(np.subtract(after, before)), rel=1e-12)


def test_paired_change_gives_both_published_levels_when_asked():
    out = paired_change(
        people([1, 2, 3, 4], [3, 3, 6, 6]), "before", "after", confidence=[0.95, 0.998]
    )

    assert out["lower95_0cl"].iloc[0] == pytest.approx(0.700772, abs=5e-7)
    assert out["lower99_8cl"].iloc[0] < out["lower95_0cl"].iloc[0]
    assert out["upper99_8cl"].iloc[0] > out["upper95_0cl"].iloc[0]
    assert out["confidence"].iloc[0] == "95%, 99.8%"


def test_paired_change_leaves_out_people_without_both_scores():
    # The third person has no review yet, the fourth no first score: neither is a pair.
    out = paired_change(
        people([1, 2, 3, None, 4], [3, 3, None, 5, 6]), "before", "after", type="standard"
    )

    assert out["value_count"].iloc[0] == 3
    assert out["before_mean"].iloc[0] == pytest.approx(7 / 3)
    assert out["value"].iloc[0] == pytest.approx(5 / 3)


def test_paired_change_takes_metric_scores_as_the_database_gives_them():
    # SWEMWBS metric scores come back from the database as Decimals; a person without a review
    # has None.
    before = [Decimal("19.25"), Decimal("20.73"), Decimal("14.08")]
    after = [Decimal("25.03"), Decimal("21.54"), None]

    out = paired_change(people(before, after), "before", "after")

    assert out["value_count"].iloc[0] == 2
    assert out["value"].iloc[0] == pytest.approx((5.78 + 0.81) / 2)


def test_paired_change_by_group_counts_each_groups_pairs():
    df = people(
        [10, 12, 14, 20, 21, None],
        [13, 12, 17, 18, 20, 22],
        service=[
            "Walking group",
            "Walking group",
            "Walking group",
            "Men's shed",
            "Men's shed",
            "Men's shed",
        ],
    )

    out = paired_change(df, "before", "after", group_by="service").set_index("service")

    assert out.loc["Walking group", "value_count"] == 3
    assert out.loc["Walking group", "value"] == 2
    assert out.loc["Men's shed", "value_count"] == 2
    assert out.loc["Men's shed", "value"] == -1.5


def test_one_pair_has_a_change_but_no_interval_and_no_pairs_have_neither():
    df = people([5, None], [7, 4], group=["one pair", "no pair"])

    out = paired_change(df, "before", "after", group_by="group").set_index("group")

    assert out.loc["one pair", "value"] == 2
    assert np.isnan(out.loc["one pair", "lowercl"])
    assert np.isnan(out.loc["one pair", "stdev"])
    assert out.loc["no pair", "value_count"] == 0
    assert np.isnan(out.loc["no pair", "value"])


def test_paired_change_type_value_gives_the_change_alone():
    out = paired_change(people([1, 2], [2, 4]), "before", "after", type="value")

    assert list(out.columns) == ["value"]


def test_paired_change_refuses_the_same_column_twice_and_text_scores():
    with pytest.raises(IndicatorInputError, match="two different columns"):
        paired_change(people([1], [2]), "before", "before")
    with pytest.raises(IndicatorInputError, match="must be numeric") as error:
        paired_change(people([1, 2], ["3", "high"]), "before", "after")
    assert error.value.column == "after"
    assert error.value.row == 1


def test_paired_change_refuses_an_infinite_score_naming_its_row():
    with pytest.raises(IndicatorInputError, match="scores must be finite numbers") as error:
        paired_change(people([1, float("inf")], [2, 3]), "before", "after")

    assert (error.value.column, error.value.row) == ("before", 1)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(7, 35, allow_nan=False), st.floats(7, 35, allow_nan=False)),
        min_size=2,
        max_size=60,
    ).filter(lambda pairs: len({round(b - a, 6) for a, b in pairs}) > 1)
)
def test_paired_change_is_scipys_paired_t_interval_for_any_scores(pairs):
    before, after = zip(*pairs, strict=True)

    row = paired_change(people(list(before), list(after)), "before", "after").iloc[0]

    expected = stats.ttest_rel(after, before).confidence_interval(0.95)
    assert row["value_count"] == len(pairs)
    assert row["lowercl"] == pytest.approx(expected.low, rel=1e-7, abs=1e-9)
    assert row["uppercl"] == pytest.approx(expected.high, rel=1e-7, abs=1e-9)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(7, 35), st.integers(7, 35)),
        min_size=2,
        max_size=40,
    )
)
def test_swapping_before_and_after_reverses_the_change_and_its_interval(pairs):
    df = pd.DataFrame(pairs, columns=["before", "after"])

    forward = paired_change(df, "before", "after").iloc[0]
    backward = paired_change(df, "after", "before").iloc[0]

    assert backward["value"] == pytest.approx(-forward["value"], abs=1e-9)
    assert backward["lowercl"] == pytest.approx(-forward["uppercl"], abs=1e-9)
    assert backward["uppercl"] == pytest.approx(-forward["lowercl"], abs=1e-9)
    assert forward["lowercl"] <= forward["value"] <= forward["uppercl"]


# --- What may be published ----------------------------------------------------------------------


def groups_of(sizes):
    """People in services of the given sizes, each scoring one or two points higher at review."""
    rows = []
    for number, size in enumerate(sizes):
        for person in range(size):
            rows.append(
                {
                    "service": f"Service {number + 1}",
                    "before": 10 + person,
                    "after": 11 + person + person % 2,
                }
            )
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("pairs", "published"), [(1, False), (7, False), (8, True), (20, True)])
def test_a_change_is_published_only_for_eight_people_or_more(pairs, published):
    changes = paired_change(groups_of([pairs]), "before", "after")

    out = publishable_paired_change(changes)

    row = out.iloc[0]
    if published:
        assert row["value_count"] == pairs
        assert pd.isna(row["value_count_note"])
        assert not row[FIGURES].isna().any()
    else:
        assert row[FIGURES].isna().all()
        assert row["value_count_note"] == "suppressed: fewer than 8"


def test_a_small_service_beside_a_published_total_takes_another_with_it():
    # Three services: 5, 9 and 30 people. With the report's total published, the service of 5
    # alone suppressed could be worked out from the total, so the next smallest goes too.
    changes = paired_change(groups_of([5, 9, 30]), "before", "after", group_by="service")

    out = publishable_paired_change(changes).set_index("service")

    assert out.loc["Service 1", FIGURES].isna().all()
    assert out.loc["Service 2", FIGURES].isna().all()
    assert (
        out.loc["Service 2", "value_count_note"]
        == "suppressed: so the total cannot reveal a small number"
    )
    assert out.loc["Service 3", "value_count"] == 30


def test_publishing_needs_paired_changes_count():
    with pytest.raises(IndicatorInputError, match="no value_count column"):
        publishable_paired_change(pd.DataFrame({"value": [1.0]}))
