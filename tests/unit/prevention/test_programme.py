"""The synthetic borough's prevention programme: a stepped wedge whose true effect is known."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thedeal.prevention import programme as programme_module
from thedeal.prevention import synthpop
from thedeal.prevention.programme import Programme, ProgrammeError

START = dt.date(2022, 4, 1)


@pytest.fixture(scope="module")
def with_effect():
    """20,000 residents; the programme from 2022 cuts takers' admissions by 30%, half take it up."""
    return synthpop.generate(
        20_000, seed=21, programme=Programme(start=START, effect=0.7, uptake=0.5)
    )


@pytest.fixture(scope="module")
def no_effect():
    """60,000 residents and a programme that does nothing (R = 1): enough offers to show bias."""
    return synthpop.generate(
        60_000, seed=22, programme=Programme(start=dt.date(2021, 4, 1), effect=1.0, uptake=0.5)
    )


def frame(population, name) -> pd.DataFrame:
    return population.tables[name].to_pandas()


def test_wards_join_in_groups_one_per_index_date_and_some_never_join(with_effect):
    rollout = frame(with_effect, "rollout")
    assert len(rollout) == rollout.ward.nunique() == 25
    dates = [d for d in synthpop.INDEX_DATES if d >= START]  # four: 2022 to 2025
    groups = rollout.starts_on.value_counts(dropna=False)
    assert sorted(d for d in groups.index if d is not None) == dates
    never = rollout.starts_on.isna().sum()
    assert never == 5  # 25 wards in five groups: one per index date and one that never joins
    assert set(groups.to_numpy()) == {5}


def test_a_later_start_leaves_more_wards_waiting_and_a_random_order():
    wards = [f"Ward {i}" for i in range(25)]
    late = programme_module.rollout(
        wards, Programme(start=dt.date(2025, 4, 1)), synthpop.INDEX_DATES, np.random.default_rng(1)
    )
    assert sum(d is None for d in late.values()) in (12, 13)
    early = programme_module.rollout(
        wards, Programme(start=dt.date(2021, 4, 1)), synthpop.INDEX_DATES, np.random.default_rng(1)
    )
    first = sorted(w for w, d in early.items() if d == dt.date(2021, 4, 1))
    assert first != wards[: len(first)]  # not simply alphabetical


def test_each_worklist_is_the_highest_risk_twentieth_of_each_ward_on_each_index_date(with_effect):
    residents = frame(with_effect, "residents")
    lsoas = frame(with_effect, "lsoas")
    outcomes = frame(with_effect, "outcomes")
    listed = frame(with_effect, "programme")
    people = residents.merge(lsoas[["lsoa_code", "ward"]], on="lsoa_code")
    for index_date in synthpop.INDEX_DATES:
        # Everyone alive and not opted out on the date has an outcome row; the worklist is drawn
        # from them, ward by ward.
        day = outcomes[outcomes.index_date == index_date].merge(people, on="resident_id")
        day = day[~day.opted_out]
        on_list = listed[listed.index_date == index_date]
        assert set(on_list.resident_id) <= set(day.resident_id)
        for ward, in_ward in day.groupby("ward"):
            chosen = on_list[on_list.ward == ward]
            assert len(chosen) == math.ceil(0.05 * len(in_ward)), (index_date, ward)
            rest = in_ward[~in_ward.resident_id.isin(chosen.resident_id)]
            assert chosen.risk_score.min() >= rest.true_risk.max()
    assert not listed.resident_id.isin(residents.resident_id[residents.opted_out]).any()


def test_support_is_offered_only_in_wards_that_have_joined_and_taken_up_only_if_offered(
    with_effect,
):
    listed = frame(with_effect, "programme").merge(frame(with_effect, "rollout"), on="ward")
    joined = listed.starts_on.notna() & (listed.starts_on <= listed.index_date)
    assert (listed.offered == joined).all()
    assert not listed.offered[listed.index_date < START].any()
    assert not (listed.took_up & ~listed.offered).any()
    # Some wards are still waiting on every date: the comparison the evaluation needs.
    for _date, on_date in listed.groupby("index_date"):
        assert (~on_date.offered).sum() > 0
    share = listed.took_up[listed.offered].mean()
    assert 0.4 < share < 0.6  # uptake 0.5 on average


def test_with_an_effect_the_truth_is_r_for_takers_and_between_r_and_one_for_all_offered(
    with_effect,
):
    truth = with_effect.truth
    assert truth["on_treated"]["relative_risk"] == pytest.approx(0.7, abs=1e-9)
    assert 0.7 < truth["intention_to_treat"]["relative_risk"] < 1
    avoided = truth["intention_to_treat"]["admissions_avoided"]
    assert avoided > 0
    assert avoided == pytest.approx(truth["on_treated"]["admissions_avoided"])
    listed = frame(with_effect, "programme")
    assert truth["intention_to_treat"]["offers"] == listed.offered.sum()
    assert truth["on_treated"]["take_ups"] == listed.took_up.sum()


def test_with_no_effect_the_truth_is_none_yet_takers_look_better_than_non_takers(no_effect):
    truth = no_effect.truth
    for estimand in ("intention_to_treat", "on_treated"):
        assert truth[estimand]["relative_risk"] == pytest.approx(1.0)
        assert truth[estimand]["admissions_avoided"] == pytest.approx(0.0, abs=1e-9)
    # Takers carry less unrecorded risk, so they are admitted less often than their recorded
    # risk says, and non-takers more often: comparing the two would credit the programme with
    # an effect it does not have.
    offered = frame(no_effect, "programme").query("offered")
    outcomes = frame(no_effect, "outcomes")
    offered = offered.merge(outcomes, on=["resident_id", "index_date"])
    by_group = offered.groupby("took_up").agg(
        admitted=("outcome", "sum"), expected=("true_risk", "sum")
    )
    ratio = by_group.admitted / by_group.expected
    assert ratio[True] < 0.93 * ratio[False]
    naive = offered.outcome[offered.took_up].mean() / offered.outcome[~offered.took_up].mean()
    assert naive < 0.95


def test_take_up_averages_the_share_asked_for_and_falls_with_unrecorded_risk():
    rng = np.random.default_rng(3)
    hidden = rng.standard_normal(5_000)
    recorded = programme_module.recorded_take_up_logit(
        rng.integers(40, 95, 5_000), rng.integers(1, 11, 5_000), rng.integers(-1, 2, 5_000)
    )
    chance = programme_module.take_up_probability(recorded, hidden, 0.3)
    assert chance.mean() == pytest.approx(0.3, abs=1e-6)
    assert np.corrcoef(chance, hidden)[0, 1] < -0.3


def digest(tables, skip=()) -> str:
    """One fingerprint of every column's values (not of the Parquet bytes, which depend on the
    pyarrow version)."""
    columns = {
        f"{name}.{column}": hashlib.sha256(
            repr(tables[name].column(column).to_pylist()).encode()
        ).hexdigest()[:16]
        for name in tables
        for column in tables[name].column_names
        if (name, column) not in skip
    }
    return hashlib.sha256(repr(sorted(columns.items())).encode()).hexdigest()[:16]


# NumPy's vectorised exp and log give results that differ in the last bit between processors'
# instruction sets (AVX-512 against AVX2), and a last bit can turn a draw: so the fingerprint
# below is of NumPy's baseline arithmetic, which every x86-64 processor it runs on shares.
BASELINE_ONLY = {"NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR"}


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the fingerprint is x86-64's")
def test_without_a_programme_the_borough_is_as_generator_version_1_drew_it():
    """Version 2 changed only who opted out (drawn before the years) and added general health:
    every other column is value for value what version 1 drew (its fingerprint, seed 7)."""
    found = subprocess.run(
        [sys.executable, "-c", FINGERPRINT_V1_COLUMNS],
        env={**os.environ, **BASELINE_ONLY},
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.split() == ["6c26e7a5cbffa0eb"]


FINGERPRINT_V1_COLUMNS = """
from tests.unit.prevention.test_programme import digest
from thedeal.prevention import synthpop
tables = synthpop.generate(2_000, seed=7).tables
assert set(tables) == {"residents", "conditions", "lifestyle", "events", "outcomes", "lsoas"}
print(digest(tables, {("residents", "opted_out"), ("lifestyle", "general_health")}))
"""


def test_a_programme_changes_nothing_drawn_before_the_years_it_runs_in():
    """Its own random stream leaves the people, their conditions and lifestyle as they were, and
    the history up to its first offers. (From then on the draws differ: the number of admissions
    changes how many random numbers follow, the pseudonymous ids, drawn last, among them.)"""
    plain = synthpop.generate(3_000, seed=8).tables
    treated = synthpop.generate(
        3_000, seed=8, programme=Programme(start=START, effect=0.5, uptake=0.6)
    ).tables

    def without_ids(name, *also):
        return plain[name].drop_columns(["resident_id", *also]), treated[name].drop_columns(
            ["resident_id", *also]
        )

    for name, also in (
        ("residents", ["nhs_number", "date_of_death"]),
        ("conditions", []),
        ("lifestyle", []),
    ):
        before, after = without_ids(name, *also)
        assert before.equals(after), name
    events_before, events_after = without_ids("events")
    first_offers = pd.Timestamp(START).date()
    early = pc.less(events_before.column("event_date"), pa.scalar(first_offers, pa.date32()))
    early_after = pc.less(events_after.column("event_date"), pa.scalar(first_offers, pa.date32()))
    assert events_before.filter(early).equals(events_after.filter(early_after))


def test_the_files_hold_the_worklists_and_rollout_and_the_truth_stays_out_of_the_manifest(
    tmp_path,
):
    population = synthpop.generate(
        2_000, seed=9, programme=Programme(start=START, effect=0.8, uptake=0.4)
    )
    synthpop.write(population, tmp_path)
    import pyarrow.parquet as pq

    assert pq.read_schema(tmp_path / "programme.parquet").names == [
        "resident_id", "index_date", "ward", "risk_score", "offered", "took_up",
    ]  # fmt: skip
    assert pq.read_schema(tmp_path / "rollout.parquet").names == ["ward", "starts_on"]
    truth = json.loads((tmp_path / "truth.json").read_text())
    assert set(truth) >= {"intention_to_treat", "on_treated"}
    for estimand in ("intention_to_treat", "on_treated"):
        assert {"relative_risk", "admissions_avoided"} <= set(truth[estimand])
    manifest = (tmp_path / "manifest.json").read_text()
    assert json.loads(manifest)["programme_start"] == "2022-04-01"
    assert "0.8" not in manifest and "0.4" not in manifest and "effect" not in manifest

    # Drawing a borough without a programme into the same folder takes the old truth away.
    synthpop.write(synthpop.generate(2_000, seed=9), tmp_path)
    assert not (tmp_path / "truth.json").exists()


@pytest.mark.parametrize(
    "flags, message",
    [
        (
            ["--programme-start", "2021-05-01"],
            "--programme-start: the programme must start on an index date",
        ),
        (["--programme-start", "1 April"], "--programme-start '1 April' is not a date"),
        (["--programme-start", "2023-04-01", "--programme-effect", "1.2"], "--programme-effect: "),
        (["--programme-start", "2023-04-01", "--programme-uptake", "0"], "--programme-uptake: "),
        (["--programme-effect", "0.7"], "need --programme-start"),
    ],
)
def test_the_command_refuses_programme_settings_it_cannot_use_and_says_which(
    tmp_path, flags, message
):
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command("synthpop", "--residents", "1000", "--out", str(tmp_path), *flags)
    assert not any(tmp_path.iterdir())


def test_the_command_writes_a_borough_with_a_programme(tmp_path, capsys):
    import io

    out = io.StringIO()
    call_command(
        "synthpop", "--residents", "1500", "--seed", "4", "--out", str(tmp_path),
        "--programme-start", "2023-04-01", "--programme-effect", "0.6",
        "--programme-uptake", "0.5", stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    assert "programme.parquet" in out.getvalue() and "truth.json" in out.getvalue()
    truth = json.loads((tmp_path / "truth.json").read_text())
    assert truth["on_treated"]["relative_risk"] == pytest.approx(0.6)


def test_a_programme_that_starts_off_an_index_date_is_refused_by_the_generator_too():
    with pytest.raises(ProgrammeError, match="index date"):
        synthpop.generate(1_000, seed=1, programme=Programme(start=dt.date(2020, 4, 1)))
