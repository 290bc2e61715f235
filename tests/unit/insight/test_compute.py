"""The borough's own indicators: checked against hand computations on a tiny borough written
here, against an independent count on a 20,000-resident synthetic borough, and for what must
hold on every row (small numbers suppressed, every value traceable to its counts)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thedeal.geography import wards
from thedeal.indicators.methods import ESP2013
from thedeal.insight import catalogue, compute
from thedeal.prevention import efi, features, synthpop

pytestmark = pytest.mark.slow
BOROUGH = compute.BOROUGH_CODE


@pytest.fixture(scope="module")
def borough(tmp_path_factory) -> Path:
    """20,000 residents, seed 1, general health included (synthpop version 2)."""
    folder = tmp_path_factory.mktemp("borough")
    synthpop.write(synthpop.generate(20_000, seed=1), folder)
    return folder


@pytest.fixture(scope="module")
def computed(borough) -> pd.DataFrame:
    return compute.compute(borough)


def _one(frame, **where) -> pd.Series:
    mask = np.ones(len(frame), dtype=bool)
    for column, value in where.items():
        mask &= frame[column].to_numpy() == value
    (index,) = np.flatnonzero(mask)
    return frame.iloc[index]


# --- A tiny borough, by hand ------------------------------------------------------------------

LSOA = sorted(wards.lsoa_wards())[0]
MID_2023 = dt.date(2023, 10, 1)


def _born(age: int) -> dt.date:
    """Born in January: `age` whole years old on 1 October 2023."""
    return dt.date(MID_2023.year - age, 1, 15)


def _tiny(folder: Path) -> Path:
    """60 women in one LSOA, all alive through the history: 40 aged 22 and 20 aged 72 at
    mid-year 2023/24. In 2023/24 the young have 10 emergency admissions and the old 12; one more
    woman, who opted out, has 5 that must not count. 30 of the young have a smoking status
    recorded (in 2020), 12 of them current smokers."""
    ids = np.arange(1, 62)
    ages = [22] * 40 + [72] * 20 + [72]
    residents = pa.table({
        "resident_id": pa.array(ids, pa.int64()),
        "date_of_birth": pa.array([_born(a) for a in ages], pa.date32()),
        "sex": pa.array(["female"] * 61),
        "ethnic_group": pa.array(["White"] * 61),
        "lsoa_code": pa.array([LSOA] * 61),
        "deprivation_decile": pa.array([5] * 61, pa.int8()),
        "household": pa.array(["with others"] * 61),
        "registered_on": pa.array([dt.date(2019, 4, 1)] * 61, pa.date32()),
        "date_of_death": pa.array([None] * 61, pa.date32()),
        "opted_out": pa.array([False] * 60 + [True]),
    })  # fmt: skip
    admitted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 9] + [41, 42, 43, 44, 45, 46] * 2 + [61] * 5
    events = pa.table({
        "resident_id": pa.array(admitted, pa.int64()),
        "event_date": pa.array([dt.date(2023, 6, 1)] * len(admitted), pa.date32()),
        "event_type": pa.array(["emergency_admission"] * len(admitted)),
        "items": pa.array([None] * len(admitted), pa.int16()),
    })  # fmt: skip
    conditions = pa.table({
        "resident_id": pa.array([41], pa.int64()),
        "condition": pa.array(["hypertension"]),
        "diagnosed_on": pa.array([dt.date(2020, 1, 1)], pa.date32()),
    })  # fmt: skip
    smoking = ["current"] * 12 + ["never"] * 18
    lifestyle = pa.table({
        "resident_id": pa.array(np.arange(1, 31), pa.int64()),
        "recorded_on": pa.array([dt.date(2020, 6, 1)] * 30, pa.date32()),
        "smoking_status": pa.array(smoking),
        "bmi": pa.array([None] * 30, pa.float32()),
        "physical_activity": pa.array([None] * 30, pa.string()),
        "feels_lonely": pa.array([None] * 30, pa.bool_()),
    })  # fmt: skip
    lsoas = pa.table({
        "lsoa_code": pa.array([LSOA]),
        "ward": pa.array([wards.lsoa_wards()[LSOA].name]),
        "easting": pa.array([360000], pa.int32()),
        "northing": pa.array([405000], pa.int32()),
    })  # fmt: skip
    for name, table in (("residents", residents), ("events", events), ("conditions", conditions),
                        ("lifestyle", lifestyle), ("lsoas", lsoas)):  # fmt: skip
        pq.write_table(table, folder / f"{name}.parquet")
    return folder


def test_a_standardised_rate_is_the_esp2013_weighted_mean_of_the_bands_rates(tmp_path):
    frame = compute.compute(_tiny(tmp_path))
    row = _one(
        frame, indicator="emergency-admissions", area_code=BOROUGH, sex="Female",
        period_label="2023/24",
    )  # fmt: skip
    # Bands 20-24 (ESP 6,000) and 70-74 (ESP 5,000); the opted-out woman's 5 are not counted.
    by_hand = (6000 * 10 / 40 + 5000 * 12 / 20) / (6000 + 5000) * 100_000
    assert row["value"] == pytest.approx(by_hand)  # 40,909.1 per 100,000
    assert (row["count"], row["denominator"]) == (22, 60)
    assert row["lower95"] < row["value"] < row["upper95"]
    assert not row["suppressed"]
    persons = _one(
        frame, indicator="emergency-admissions", area_code=BOROUGH, sex="Persons",
        period_label="2023/24",
    )  # fmt: skip
    assert persons["value"] == pytest.approx(by_hand)


def test_a_prevalence_is_the_latest_record_before_the_date(tmp_path):
    frame = compute.compute(_tiny(tmp_path))
    # The register on 1 April 2021 (labelled 2020/21) sees the records made in June 2020.
    row = _one(frame, indicator="smoking", area_code=BOROUGH, sex="Female", period_label="2020/21")
    assert (row["count"], row["denominator"]) == (12, 30)
    assert row["value"] == pytest.approx(40.0)
    assert row["period_start"] == dt.date(2020, 4, 1)
    assert row["period_end"] == dt.date(2021, 3, 31)


def test_a_rate_from_fewer_than_ten_events_is_not_shown_and_says_why(tmp_path):
    frame = compute.compute(_tiny(tmp_path))
    row = _one(
        frame, indicator="emergency-admissions", area_code=BOROUGH, sex="Female",
        period_label="2022/23",
    )  # fmt: skip
    assert row["count"] == 0
    assert np.isnan(row["value"]) and row["suppressed"]
    assert row["value_note"] == compute.DSR_TOO_FEW


# --- A 20,000-resident synthetic borough ----------------------------------------------------


def test_every_catalogue_indicator_is_computed_for_the_borough_wards_and_lsoas(computed):
    assert set(computed["indicator"]) == {d.slug for d in catalogue.CATALOGUE}
    admissions = computed[computed["indicator"] == "emergency-admissions"]
    kinds = admissions.drop_duplicates("area_code")["area_kind"].value_counts()
    assert kinds.to_dict() == {"lsoa": 200, "ward": 25, "borough": 1}
    assert set(admissions["period_label"]) == {
        "2019/20", "2020/21", "2021/22", "2022/23", "2023/24", "2024/25", "2025/26",
    }  # fmt: skip
    life = computed[computed["indicator"] == "life-expectancy-birth"]
    assert set(life["area_kind"]) == {"borough", "ward"}
    assert set(life["sex"]) == {"Male", "Female"}
    assert "2023/24 - 25/26" in set(life["period_label"])


def test_each_indicator_is_computed_for_the_age_group_the_pages_show(computed):
    # The pages show an indicator's figures for its catalogue age group (Indicator.age): a
    # value computed for another would never be shown.
    ages = computed.groupby("indicator")["age"].agg(set).to_dict()
    assert ages == {d.slug: {d.age} for d in catalogue.CATALOGUE}


def _ages_on(dob: pd.Series, day: dt.date) -> np.ndarray:
    born = pd.to_datetime(dob)
    had_birthday = (born.dt.month < day.month) | (
        (born.dt.month == day.month) & (born.dt.day <= day.day)
    )
    return (day.year - born.dt.year - (~had_birthday).astype(int)).to_numpy()


def test_the_boroughs_admission_rate_matches_a_count_made_independently(borough, computed):
    people = pq.read_table(borough / "residents.parquet").to_pandas()
    people = people[~people["opted_out"]]
    mid = dt.date(2023, 10, 1)
    day = pd.Timestamp(mid)
    dob, died = pd.to_datetime(people["date_of_birth"]), pd.to_datetime(people["date_of_death"])
    alive = (dob <= day) & (pd.to_datetime(people["registered_on"]) <= day)
    alive &= died.isna() | (died > day)
    ages = np.minimum(_ages_on(people["date_of_birth"], mid), 90)
    band = np.minimum(ages // 5 * 5, 90)
    population = pd.Series(band[alive.to_numpy()]).value_counts().sort_index()
    events = pq.read_table(borough / "events.parquet").to_pandas()
    events = events[
        (events["event_type"].astype(str) == "emergency_admission")
        & (pd.to_datetime(events["event_date"]) >= pd.Timestamp(2023, 4, 1))
        & (pd.to_datetime(events["event_date"]) <= pd.Timestamp(2024, 3, 31))
    ]
    band_of = pd.Series(np.maximum(band, 0), index=people["resident_id"])
    admitted = events["resident_id"].map(band_of).dropna().astype(int).value_counts()
    weights = dict(zip(range(0, 95, 5), ESP2013, strict=True))
    by_hand = sum(
        weights[b] * admitted.get(b, 0) / population[b] for b in population.index
    ) / sum(weights[b] for b in population.index) * 100_000  # fmt: skip
    row = _one(
        computed, indicator="emergency-admissions", area_code=BOROUGH, sex="Persons",
        period_label="2023/24",
    )  # fmt: skip
    assert row["count"] == admitted.sum()
    assert row["denominator"] == population.sum()
    assert row["value"] == pytest.approx(by_hand)


def _deficits(f: pd.DataFrame) -> pd.Series:
    flags = [f"has_{code}" for code in efi.CONDITION_DEFICITS]
    return f[flags].sum(axis=1) + (f["most_items_12m"] >= efi.POLYPHARMACY_ITEMS)


@pytest.mark.parametrize(
    "indicator, numerator, denominator",
    [
        (
            "smoking",
            lambda f: (f["age"] >= 18) & (f["smoking_status"] == "current"),
            lambda f: (f["age"] >= 18) & f["smoking_status"].notna(),
        ),
        (
            "frailty",
            lambda f: (f["age"] >= 65) & (_deficits(f) >= efi.MODERATE_FROM),
            lambda f: f["age"] >= 65,
        ),
    ],
)
def test_prevalences_match_the_risk_models_features_on_the_same_date(
    borough, computed, indicator, numerator, denominator
):
    """`prevention.features` defines the same people and records another way (Ibis). Its age
    is whole days over 365.25, a day out on some birthdays; a prevalence counts whole years of
    age, as everyone does, so the age is worked out again here."""
    day = dt.date(2025, 4, 1)
    table = features.compute(borough, index_date=day).to_pandas()
    born = pq.read_table(borough / "residents.parquet").to_pandas()
    born = born.set_index("resident_id")["date_of_birth"]
    table["age"] = _ages_on(table["resident_id"].map(born), day)
    row = _one(computed, indicator=indicator, area_code=BOROUGH, sex="Persons",
               period_label="2024/25")  # fmt: skip
    assert row["count"] == numerator(table).sum()
    assert row["denominator"] == denominator(table).sum()


def test_healthy_life_expectancy_is_within_two_years_of_wigans_published_figure(computed):
    for sex, published in synthpop.WIGAN_HLE_AT_BIRTH.items():
        row = _one(
            computed, indicator="healthy-life-expectancy-birth", area_code=BOROUGH,
            sex=sex.title(), period_label="2023/24 - 25/26",
        )  # fmt: skip
        assert abs(row["value"] - published) < 2, (sex, row["value"])
        life = _one(
            computed, indicator="life-expectancy-birth", area_code=BOROUGH, sex=sex.title(),
            period_label="2023/24 - 25/26",
        )  # fmt: skip
        assert row["value"] < life["value"]


def test_wards_counts_add_up_to_the_boroughs(computed):
    admissions = computed[
        (computed["indicator"] == "emergency-admissions")
        & (computed["sex"] == "Persons")
        & (computed["period_label"] == "2024/25")
    ]
    ward_rows = admissions[admissions["area_kind"] == "ward"]
    assert not ward_rows["suppressed"].any()
    borough_row = admissions[admissions["area_kind"] == "borough"].iloc[0]
    assert ward_rows["count"].sum() == borough_row["count"]
    assert ward_rows["denominator"].sum() == borough_row["denominator"]


def test_no_small_number_is_published_and_every_missing_value_says_why(computed):
    for column in ("count", "denominator"):
        published = computed[column].dropna()
        assert not ((published >= 1) & (published <= 7)).any(), column
    hidden = computed[computed["suppressed"]]
    assert len(hidden) > 0  # LSOAs of about 100 people have small counts
    assert hidden["value"].isna().all()
    assert (hidden["value_note"] != "").all()
    small = hidden[hidden["value_note"] == compute.SUPPRESSED_SMALL]
    for column in ("lower95", "upper95", "count", "denominator"):
        assert small[column].isna().all(), column
    shown = computed[~computed["suppressed"]]
    assert shown["value"].notna().all()
    assert (shown["lower95"] <= shown["value"]).all() and (shown["value"] <= shown["upper95"]).all()


@pytest.mark.parametrize(
    "cells, cell_keys, total_keys",
    [
        # Males and females add up to persons, in each area.
        ("sex != 'Persons'", ["area_code"], {"sex": "Persons"}),
        # An area's LSOAs (or the borough's wards) add up to it, for each sex.
        ("parent_code.notna()", ["sex", "parent_code"], {}),
    ],
)
def test_no_hidden_count_can_be_worked_out_from_a_total(computed, cells, cell_keys, total_keys):
    """Wherever the cells of a total are published with the total, never exactly one of them
    is hidden: the total minus the others would give it back."""
    keys = ["indicator", "period_label", "age"]
    hidden = computed["value_note"] == compute.SUPPRESSED_SMALL
    frame = computed.assign(_hidden=hidden)
    checked = 0
    for key, group in frame.query(cells).groupby([*keys, *cell_keys], dropna=False):
        where = dict(zip([*keys, *cell_keys], key, strict=True))
        if "parent_code" in where:
            where["area_code"] = where.pop("parent_code")
        where.update(total_keys)
        total = frame[np.logical_and.reduce([frame[c] == v for c, v in where.items()])]
        if total.empty:
            continue
        checked += 1
        assert group["_hidden"].sum() + total["_hidden"].sum() != 1, where
    assert checked > 1000


def test_without_general_health_the_rest_is_computed_and_hle_is_skipped(borough, tmp_path):
    for path in borough.glob("*.parquet"):
        table = pq.read_table(path)
        if path.stem == "lifestyle":
            table = table.drop_columns(["general_health"])
            pq.write_table(table, tmp_path / path.name)
        else:
            shutil.copy(path, tmp_path / path.name)
    said = []
    frame = compute.compute(tmp_path, progress=said.append)
    assert compute.NO_GENERAL_HEALTH in said
    assert not frame["indicator"].str.startswith("healthy-").any()
    assert (frame["indicator"] == "life-expectancy-birth").any()


def test_a_folder_without_a_table_is_refused_naming_the_file(borough, tmp_path):
    for path in borough.glob("*.parquet"):
        if path.stem != "events":
            shutil.copy(path, tmp_path / path.name)
    with pytest.raises(compute.ComputeError, match=r"events\.parquet: not found"):
        compute.compute(tmp_path)


# --- Suppression, for every table ---------------------------------------------------------------

_WARDS = {"W1": ["L1", "L2", "L3"], "W2": ["L4", "L5"]}
_KINDS = {"B": "borough", **dict.fromkeys(_WARDS, "ward")}
_PARENTS: dict[str, str | None] = {"B": None, **dict.fromkeys(_WARDS, "B")}
for _ward, _lsoas in _WARDS.items():
    _KINDS.update(dict.fromkeys(_lsoas, "lsoa"))
    _PARENTS.update(dict.fromkeys(_lsoas, _ward))


def _table(cells: list[tuple[int, int]]) -> pd.DataFrame:
    """An indicator's counts and denominators for 5 LSOAs x 2 sexes (in `cells`), summed to
    their wards and the borough, and to persons, as compute's rows are."""
    lsoas = [code for codes in _WARDS.values() for code in codes]
    rows = []
    for (lsoa, sex), (count, extra) in zip(
        [(lsoa, sex) for lsoa in lsoas for sex in ("Male", "Female")], cells, strict=True
    ):
        rows.append({"area_code": lsoa, "sex": sex, "count": count, "denominator": count + extra})
    frame = pd.DataFrame(rows)
    frame["ward"] = frame["area_code"].map(_PARENTS)
    wards_ = frame.groupby(["ward", "sex"], as_index=False)[["count", "denominator"]].sum()
    borough = (
        frame.groupby("sex", as_index=False)[["count", "denominator"]].sum().assign(area_code="B")
    )
    frame = pd.concat(
        [frame.drop(columns="ward"), wards_.rename(columns={"ward": "area_code"}), borough]
    )
    persons = frame.groupby("area_code", as_index=False)[["count", "denominator"]].sum()
    frame = pd.concat([frame, persons.assign(sex="Persons")], ignore_index=True)
    frame = frame.assign(
        indicator="smoking", period_label="2024/25", age="18+ yrs", value_note="",
        value=frame["count"] / frame["denominator"].where(frame["denominator"] > 0) * 100,
    )  # fmt: skip
    for column in ("lower95", "upper95", "lower998", "upper998"):
        frame[column] = frame["value"]
    return frame.dropna(subset=["value"]).reset_index(drop=True)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 60)), min_size=10, max_size=10))
def test_suppression_leaves_no_small_number_to_read_or_work_out(cells):
    frame = _table(cells)
    out = compute.suppress(frame, _KINDS, _PARENTS)
    hidden = out["value_note"] == compute.SUPPRESSED_SMALL
    shown = out[~hidden]
    for column in ("count", "denominator"):
        assert not shown[column].between(1, 7).any(), column
    assert out.loc[hidden, ["value", "count", "denominator", "lower95"]].isna().all().all()
    # Persons from the sexes, and each parent from its children: never exactly one hidden.
    is_hidden = dict(zip(zip(out["area_code"], out["sex"], strict=True), hidden, strict=True))
    for area in set(out["area_code"]):
        sexes = [is_hidden.get((area, sex)) for sex in ("Male", "Female", "Persons")]
        if None not in sexes:
            assert sum(sexes) != 1, (area, sexes)
    children = {"B": list(_WARDS), **_WARDS}
    for parent, codes in children.items():
        for sex in ("Male", "Female", "Persons"):
            cells_hidden = [is_hidden.get((code, sex)) for code in [parent, *codes]]
            if None not in cells_hidden:
                assert sum(cells_hidden) != 1, (parent, sex, cells_hidden)
