"""The programme's evaluation, checked against synthetic boroughs whose true effect is known.

Two boroughs of 20,000 residents are drawn once for this module: one where the programme cuts
takers' admissions to 60% and 60% take it up, one where it does nothing. The evaluation reads
their records (never truth.json); the tests set its estimates against the truth. The seeds are
fixed, so each run is the same; benchmarks/insight_coverage.py measures how often the intervals
cover the truth over hundreds of boroughs.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thedeal.insight import evaluation
from thedeal.prevention import synthpop
from thedeal.prevention.programme import Programme

pytestmark = pytest.mark.slow

START = dt.date(2022, 4, 1)
KEYS = {
    "estimand",
    "relative_risk",
    "lower",
    "upper",
    "admissions_avoided",
    "admissions_avoided_lower",
    "admissions_avoided_upper",
    "method",
}
ANALYSES = ("primary", "matched", "interrupted_time_series", "naive")


def _borough(folder, *, seed, effect, uptake):
    population = synthpop.generate(
        20_000, seed, programme=Programme(start=START, effect=effect, uptake=uptake)
    )
    synthpop.write(population, folder)
    truth = json.loads((folder / "truth.json").read_text())
    return folder, truth


@pytest.fixture(scope="module")
def with_effect(tmp_path_factory):
    """R = 0.6 for takers, P = 0.6: the programme avoids about a quarter of the offered's
    admissions."""
    folder, truth = _borough(tmp_path_factory.mktemp("effect"), seed=31, effect=0.6, uptake=0.6)
    return folder, truth, evaluation.evaluate(folder)


@pytest.fixture(scope="module")
def no_effect(tmp_path_factory):
    """R = 1: the programme is offered and taken up, and does nothing."""
    folder, truth = _borough(tmp_path_factory.mktemp("none"), seed=32, effect=1.0, uptake=0.5)
    return folder, truth, evaluation.evaluate(folder)


def test_the_primary_interval_covers_the_true_effect_of_offering_support(with_effect):
    _, truth, result = with_effect
    primary = result["primary"]
    true_rr = truth["intention_to_treat"]["relative_risk"]
    assert primary["estimand"] == "intention_to_treat"
    assert primary["lower"] <= true_rr <= primary["upper"]
    # and it finds that the programme works: the interval lies below 1
    assert primary["upper"] < 1
    true_avoided = truth["intention_to_treat"]["admissions_avoided"]
    assert (
        primary["admissions_avoided_lower"] <= true_avoided <= primary["admissions_avoided_upper"]
    )


def test_with_no_effect_the_primary_finds_none(no_effect):
    _, truth, result = no_effect
    primary = result["primary"]
    assert truth["intention_to_treat"]["relative_risk"] == pytest.approx(1)
    assert primary["lower"] <= 1 <= primary["upper"]
    assert primary["admissions_avoided_lower"] <= 0 <= primary["admissions_avoided_upper"]


@pytest.mark.parametrize("borough", ["with_effect", "no_effect"])
def test_the_naive_comparison_flatters_the_programme(borough, request):
    # Takers carry less unrecorded risk than those who turn support down, so comparing them
    # makes the programme look better than it is: below the true effect on the treated, and
    # further from it than the primary analysis is from its own truth.
    _, truth, result = request.getfixturevalue(borough)
    naive, primary = result["naive"], result["primary"]
    true_on_treated = truth["on_treated"]["relative_risk"]
    assert naive["estimand"] == "on_treated"
    assert naive["relative_risk"] < true_on_treated
    primary_error = abs(primary["relative_risk"] - truth["intention_to_treat"]["relative_risk"])
    assert abs(naive["relative_risk"] - true_on_treated) > primary_error
    assert "biased" in naive["method"]


def test_the_imputation_check_agrees_with_the_primary(with_effect):
    # Fitted to the places not offered only, the model predicts the offered's admissions
    # without the offer: where the design holds, the two relative risks are close.
    _, _, result = with_effect
    primary = result["primary"]
    assert abs(primary["imputation_relative_risk"] - primary["relative_risk"]) < 0.05


def test_the_primary_gives_the_effect_on_those_who_took_support_up(with_effect):
    # Support not taken up changes nothing, so the admissions avoided among the offered were
    # avoided among the takers: R comes out of the primary analysis without the matched
    # comparison's bias.
    _, truth, result = with_effect
    on_treated = result["primary"]["on_treated"]
    assert on_treated["estimand"] == "on_treated"
    assert on_treated["lower"] <= truth["on_treated"]["relative_risk"] <= on_treated["upper"]
    assert on_treated["relative_risk"] < result["primary"]["relative_risk"]


def test_every_analysis_gives_its_estimate_interval_and_method_in_plain_words(with_effect):
    _, _, result = with_effect
    for name in ANALYSES:
        estimate = result[name]
        assert KEYS <= set(estimate), name
        assert estimate["method"].endswith(".") and len(estimate["method"]) > 100
    assert {result[n]["estimand"] for n in ANALYSES} == {"intention_to_treat", "on_treated"}


@pytest.mark.parametrize("name", ["primary", "matched", "naive"])
def test_admissions_avoided_follow_from_the_relative_risk_and_its_limits(with_effect, name):
    # Avoided = what the group had x (1 / RR - 1): a lower relative risk means more avoided, so
    # the upper limit of one is the lower limit of the other.
    _, _, result = with_effect
    e = result[name]
    assert e["lower"] < e["relative_risk"] < e["upper"]
    assert e["admissions_avoided_lower"] < e["admissions_avoided"] < e["admissions_avoided_upper"]
    had = e["admissions_avoided"] / (1 / e["relative_risk"] - 1)
    assert e["admissions_avoided_lower"] == pytest.approx(had * (1 / e["upper"] - 1))
    assert e["admissions_avoided_upper"] == pytest.approx(had * (1 / e["lower"] - 1))


def test_the_matched_comparison_shows_its_balance_table(with_effect):
    _, _, result = with_effect
    matched = result["matched"]
    table = matched["balance"]
    assert [row["characteristic"] for row in table] == list(evaluation.CHARACTERISTICS.values())
    after = [abs(row["standardised_difference_after"]) for row in table]
    assert matched["largest_standardised_difference"] == pytest.approx(max(after))
    assert matched["balanced"] == (max(after) < 0.1)
    assert matched["matched_takers"] + matched["unmatched_takers"] == matched["takers"]
    assert matched["takers"] == result["data"]["take_ups"]


def test_the_time_series_says_it_is_biased_by_the_histories_warm_up(with_effect):
    _, _, result = with_effect
    its = result["interrupted_time_series"]
    assert its["estimand"] == "intention_to_treat"
    assert "Biased here" in its["method"] and "climb" in its["method"]
    # It starts a year into the records and counts the months either side of the start.
    assert its["from_month"] == "2020-04-01"
    assert its["months_before"] == 24 and its["months_after"] == 48


def test_the_data_summary_counts_offers_take_ups_and_the_rollout(with_effect):
    folder, truth, result = with_effect
    data = result["data"]
    assert data["programme_start"] == START.isoformat()
    assert data["offers"] == truth["intention_to_treat"]["offers"]
    assert data["take_ups"] == truth["on_treated"]["take_ups"]
    assert data["wards"] == 25 and data["wards_never_joined"] == 5
    assert list(data["wards_joined_by_date"].values()) == [0, 5, 10, 15, 20]


def test_the_evaluation_never_reads_the_truth(with_effect, tmp_path):
    folder, _, result = with_effect
    copy = tmp_path / "no-truth"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("truth.json"))
    assert evaluation.evaluate(copy) == result


def test_a_folder_without_the_programme_is_refused_naming_the_file(tmp_path):
    synthpop.write(synthpop.generate(2_000, seed=3), tmp_path)
    with pytest.raises(evaluation.EvaluationError, match=r"programme\.parquet: not found"):
        evaluation.evaluate(tmp_path)


def test_a_table_missing_a_column_is_refused_naming_file_and_column(with_effect, tmp_path):
    folder, _, _ = with_effect
    shutil.copytree(folder, tmp_path / "b")
    programme = pq.read_table(tmp_path / "b" / "programme.parquet").drop_columns(["took_up"])
    pq.write_table(programme, tmp_path / "b" / "programme.parquet")
    with pytest.raises(
        evaluation.EvaluationError, match=r"programme\.parquet: no column 'took_up'"
    ):
        evaluation.evaluate(tmp_path / "b")


def test_a_borough_where_no_one_was_offered_has_nothing_to_evaluate(with_effect, tmp_path):
    # A rollout that never began: no ward joined, no one offered or taking anything up.
    folder, _, _ = with_effect
    shutil.copytree(folder, tmp_path / "b")
    path = tmp_path / "b" / "programme.parquet"
    table = pq.read_table(path)
    nobody = pa.array([False] * table.num_rows)
    for column in ("offered", "took_up"):
        table = table.set_column(table.schema.get_field_index(column), column, nobody)
    pq.write_table(table, path)
    rollout = pq.read_table(tmp_path / "b" / "rollout.parquet")
    never = pa.nulls(rollout.num_rows, pa.date32())
    pq.write_table(rollout.set_column(1, "starts_on", never), tmp_path / "b" / "rollout.parquet")
    with pytest.raises(evaluation.EvaluationError, match="no one on a worklist was offered"):
        evaluation.evaluate(tmp_path / "b")


def _edit_programme(folder, tmp_path, column, row, value):
    shutil.copytree(folder, tmp_path / "b")
    path = tmp_path / "b" / "programme.parquet"
    table = pq.read_table(path)
    values = table.column(column).to_pylist()
    values[row] = value
    index = table.schema.get_field_index(column)
    pq.write_table(
        table.set_column(index, column, pa.array(values, table.schema.field(column).type)), path
    )
    return tmp_path / "b"


def test_an_offer_the_rollout_contradicts_is_refused_naming_the_row(with_effect, tmp_path):
    folder, _, _ = with_effect
    # The file's first row is on the first index date, before any ward had joined.
    edited = _edit_programme(folder, tmp_path, "offered", 0, True)
    with pytest.raises(
        evaluation.EvaluationError,
        match=r"programme\.parquet, row 1 \(2021-04-01, ward '.+'\): column "
        r"'offered' contradicts rollout\.parquet",
    ):
        evaluation.evaluate(edited)


def test_a_worklisted_resident_missing_from_the_residents_is_refused(with_effect, tmp_path):
    folder, _, _ = with_effect
    edited = _edit_programme(folder, tmp_path, "resident_id", 2, 1)
    with pytest.raises(
        evaluation.EvaluationError,
        match=r"row 3 \(.*\): the resident is not in residents\.parquet",
    ):
        evaluation.evaluate(edited)


@settings(max_examples=300, deadline=None)
@given(
    units=st.lists(
        st.tuples(
            st.integers(-20, 20),  # score, in tenths: ties happen
            st.booleans(),  # treated
            st.integers(0, 2),  # stratum
        ),
        min_size=1,
        max_size=40,
    ),
    caliper=st.sampled_from([0.0, 0.15, 0.5, 10.0]),
    k=st.integers(1, 4),
)
def test_each_taker_gets_its_nearest_untreated_matches_in_its_stratum(units, caliper, k):
    score = np.array([u[0] / 10 for u in units])
    treated = np.array([u[1] for u in units])
    stratum = np.array([u[2] for u in units])
    takers, matches = evaluation.nearest_matches(score, treated, stratum, caliper=caliper, k=k)
    matched = dict(zip(takers.tolist(), matches.tolist(), strict=True))
    for i in np.flatnonzero(treated):
        candidates = [
            j
            for j in np.flatnonzero(~treated & (stratum == stratum[i]))
            if abs(score[j] - score[i]) <= caliper
        ]
        if not candidates:
            assert i not in matched  # no one close enough: left out, never matched far away
            continue
        row = [j for j in matched[i] if j >= 0]
        assert len(row) == len(set(row)) == min(k, len(candidates))
        assert set(row) <= set(candidates)
        # the nearest: no one left out is closer than the farthest chosen
        farthest = max(abs(score[j] - score[i]) for j in row)
        assert all(abs(score[j] - score[i]) >= farthest for j in set(candidates) - set(row))
