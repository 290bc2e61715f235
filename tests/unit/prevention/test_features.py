"""The features: opted-out residents never processed, exact windows, DuckDB and Spark agree."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from thedeal.prevention import features, synthpop


def test_one_row_per_resident_alive_and_not_opted_out(borough, latest_features):
    residents = pq.read_table(borough / "residents.parquet").to_pandas()
    ids = latest_features.column("resident_id").to_pylist()
    assert len(ids) == len(set(ids))
    opted_out = set(residents.resident_id[residents.opted_out])
    assert opted_out and not opted_out & set(ids)
    date = features.LATEST_INDEX_DATE
    died = residents.date_of_death.notna() & (residents.date_of_death <= date)
    unborn = residents.date_of_birth >= date
    expected = set(residents.resident_id[~residents.opted_out & ~died & ~unborn])
    assert set(ids) == expected
    assert latest_features.schema == features.SCHEMA


def test_opted_out_residents_records_are_never_read_into_a_calculation(borough, tmp_path):
    """Give every opted-out resident an emergency admission the day before the index date, and
    every condition: nobody's features change, because their records are dropped first."""
    residents = pq.read_table(borough / "residents.parquet")
    opted_out = pc.filter(residents.column("resident_id"), residents.column("opted_out"))
    for path in borough.glob("*.parquet"):
        shutil.copy(path, tmp_path / path.name)
    events = pq.read_table(borough / "events.parquet").to_pandas()
    mine = events.resident_id.isin(opted_out.to_pylist())
    events.loc[mine, "event_date"] = dt.date(2025, 3, 31)
    events["event_type"] = events.event_type.astype(str)
    events.loc[mine, "event_type"] = "emergency_admission"
    pq.write_table(pa.Table.from_pandas(events, preserve_index=False), tmp_path / "events.parquet")
    conditions = pq.read_table(borough / "conditions.parquet").to_pandas()
    conditions["condition"] = conditions.condition.astype(str)
    everything = pd.DataFrame(
        [
            (rid, code, dt.date(2020, 1, 1))
            for rid in opted_out.to_pylist()
            for code in synthpop.CONDITION_CODES
        ],
        columns=["resident_id", "condition", "diagnosed_on"],
    )
    conditions = pd.concat([conditions, everything], ignore_index=True)
    pq.write_table(
        pa.Table.from_pandas(conditions, preserve_index=False), tmp_path / "conditions.parquet"
    )
    spoiled = features.compute(tmp_path)
    assert spoiled.equals(features.compute(borough))


def test_features_are_exactly_what_the_generator_recorded(borough, latest_features):
    """Rebuild each resident's record from their features and work out their risk as the
    generator did: it is the saved true risk to the last bit, so every window and count is
    right (to the day, on leap years too)."""
    frame = latest_features.to_pandas()
    outcomes = pq.read_table(borough / "outcomes.parquet").to_pandas()
    outcomes = outcomes[outcomes.index_date == features.LATEST_INDEX_DATE]
    frame = frame.merge(outcomes, on="resident_id")
    assert len(frame) == len(latest_features)
    record = synthpop.Record(
        age=frame.age.to_numpy(),
        female=(frame.sex == "female").to_numpy(),
        decile=frame.deprivation_decile.to_numpy(),
        lives_alone=frame.lives_alone.to_numpy(),
        care_home=frame.care_home.to_numpy(),
        has=frame[list(features.CONDITION_COLUMNS)].to_numpy(),
        polypharmacy_items=frame.most_items_12m.to_numpy(),
        admissions_12m=frame.admissions_12m.to_numpy(),
        admissions_12_24m=frame.admissions_12_24m.to_numpy(),
        days_since_admission=frame.days_since_admission.fillna(10**6).to_numpy(),
        ae_12m=frame.ae_12m.to_numpy(),
        gp_12m=frame.gp_12m.to_numpy(),
        social_care_12m=frame.social_care_12m.to_numpy(),
        smoking=frame.smoking_status.map({s: i for i, s in enumerate(synthpop.SMOKING)})
        .fillna(-1)
        .to_numpy(),
        bmi=frame.bmi.to_numpy(dtype=float),
        activity=frame.physical_activity.map({s: i for i, s in enumerate(synthpop.ACTIVITY)})
        .fillna(-1)
        .to_numpy(),
        lonely=frame.feels_lonely.map({True: 1, False: 0}).fillna(-1).to_numpy(),
    )
    rebuilt = synthpop.integrated_risk(synthpop.admission_logit(record))
    np.testing.assert_array_equal(rebuilt, frame.true_risk.to_numpy())


def test_an_earlier_index_date_sees_only_what_was_recorded_by_then(borough):
    earlier = features.compute(borough, index_date=dt.date(2022, 4, 1)).to_pandas()
    assert (earlier.index_date == dt.date(2022, 4, 1)).all()
    events = pq.read_table(borough / "events.parquet").to_pandas()
    admissions = events[(events.event_type == "emergency_admission") & (events.event_date >= dt.date(2021, 4, 1))
                        & (events.event_date < dt.date(2022, 4, 1))]  # fmt: skip
    counts = admissions.groupby("resident_id").size()
    merged = earlier.set_index("resident_id").admissions_12m
    shared = counts.index.intersection(merged.index)
    assert (merged.loc[shared] == counts.loc[shared]).all()
    assert merged.drop(shared).eq(0).all()


def test_a_missing_table_is_named(borough, tmp_path):
    for path in borough.glob("*.parquet"):
        if path.name != "conditions.parquet":
            shutil.copy(path, tmp_path / path.name)
    with pytest.raises(features.FeatureError, match=r"conditions\.parquet: not found"):
        features.compute(tmp_path)


def _require_spark():
    reason = features.spark_unavailable()
    if reason:
        if os.environ.get("THEDEAL_REQUIRE_SPARK"):
            pytest.fail(f"THEDEAL_REQUIRE_SPARK is set but {reason}")
        pytest.skip(reason)


@pytest.mark.slow
# py4j (Spark's bridge to Java) leaves sockets for the garbage collector to close.
@pytest.mark.filterwarnings(
    "ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning"
)
def test_spark_gives_identical_features(borough, latest_features):
    _require_spark()
    on_spark = features.compute(borough, engine="spark")
    assert on_spark.schema == latest_features.schema
    assert on_spark.equals(latest_features)
    earlier = dt.date(2022, 4, 1)
    assert features.compute(borough, engine="spark", index_date=earlier).equals(
        features.compute(borough, index_date=earlier)
    )


def test_a_table_without_a_column_or_with_the_wrong_kind_of_value_is_named(borough, tmp_path):
    for path in borough.glob("*.parquet"):
        shutil.copy(path, tmp_path / path.name)
    events = pq.read_table(borough / "events.parquet")
    pq.write_table(events.drop_columns(["event_date"]), tmp_path / "events.parquet")
    with pytest.raises(features.FeatureError, match=r"events\.parquet: no column 'event_date'"):
        features.compute(tmp_path)
    dates_as_text = events.set_column(
        1, "event_date", pc.cast(events.column("event_date"), pa.string())
    )
    pq.write_table(dates_as_text, tmp_path / "events.parquet")
    with pytest.raises(
        features.FeatureError,
        match=r"events\.parquet, column 'event_date': should hold date values, not string",
    ):
        features.compute(tmp_path)
    (tmp_path / "events.parquet").write_text("resident_id,event_date\n")
    with pytest.raises(features.FeatureError, match=r"events\.parquet: not a Parquet file"):
        features.compute(tmp_path)
