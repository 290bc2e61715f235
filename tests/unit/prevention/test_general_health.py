"""Self-rated general health on the synthetic borough's lifestyle records, and the healthy life
expectancy it gives (calibrated to Wigan's published figure)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from thedeal.indicators import healthy_life_expectancy
from thedeal.prevention import features, synthpop

GOOD = ("very good", "good")


def _band(age) -> np.ndarray:
    """The life table's 20 bands by their start age: 0, 1-4, 5-9, ..., 90+."""
    age = np.asarray(age)
    return np.where(age < 1, 0, np.where(age < 5, 1, np.minimum(age // 5 * 5, 90))).astype(int)


def _years(later, earlier) -> pd.Series:
    return (
        ((pd.to_datetime(later) - pd.to_datetime(earlier)).dt.days / 365.25).fillna(0).astype(int)
    )


def borough_hle(tables, years=(2023, 2024, 2025)) -> pd.DataFrame:
    """Healthy life expectancy at birth by sex, as ONS makes it (Sullivan): deaths in three
    financial years pooled over the residents alive at each year's mid-point, by age band; the
    share in very good or good health by band from the lifestyle records (children, who are
    not asked, at 97%, taken as known)."""
    people = tables["residents"].to_pandas()
    people["sex"] = people.sex.astype(str)
    died = pd.to_datetime(people.date_of_death)
    counts = []
    for year in years:
        middle = pd.Timestamp(year, 10, 1)
        alive = (pd.to_datetime(people.date_of_birth) <= middle) & (died.isna() | (died > middle))
        counts.append(
            people[alive].assign(
                band=_band(_years(middle, people.date_of_birth[alive])), population=1, deaths=0
            )
        )
        dead = (died >= pd.Timestamp(year, 4, 1)) & (died < pd.Timestamp(year + 1, 4, 1))
        counts.append(
            people[dead].assign(
                band=_band(_years(people.date_of_death[dead], people.date_of_birth[dead])),
                population=0,
                deaths=1,
            )
        )
    frame = pd.concat(counts).groupby(["sex", "band"])[["population", "deaths"]].sum().reset_index()
    asked = tables["lifestyle"].to_pandas().dropna(subset=["general_health"])
    asked = asked.merge(people[["resident_id", "sex", "date_of_birth"]], on="resident_id")
    asked = asked.assign(
        band=_band(_years(asked.recorded_on, asked.date_of_birth)),
        good=asked.general_health.isin(GOOD),
    )
    shares = asked.groupby(["sex", "band"]).good.agg(prevalence="mean", asked="size").reset_index()
    frame = frame.merge(shares, on=["sex", "band"], how="left")
    children = (frame.band < 15) | frame.prevalence.isna()
    frame["prevalence"] = np.where(children, 0.97, frame.prevalence)
    frame["asked"] = np.where(children, np.inf, frame.asked)
    return healthy_life_expectancy(
        frame, "deaths", "population", start_age="band", prevalence="prevalence",
        prevalence_n="asked", group_by="sex", le_age=0, type="standard",
    ).set_index("sex")  # fmt: skip


@pytest.fixture(scope="module")
def modest():
    """60,000 residents (seed 3): about 30,000 of each sex, enough for a life table."""
    return synthpop.generate(60_000, seed=3).tables


def test_healthy_life_expectancy_is_within_two_years_of_wigans_published_figure(modest):
    hle = borough_hle(modest)
    for sex, published in synthpop.WIGAN_HLE_AT_BIRTH.items():
        assert abs(hle.loc[sex, "value"] - published) < 2, (sex, hle.loc[sex, "value"])
    assert hle.loc["female", "value"] > hle.loc["male", "value"]


def test_general_health_takes_the_census_five_values_and_is_asked_of_most_with_a_record(modest):
    health = modest["lifestyle"].column("general_health").to_pandas()
    assert set(health.dropna()) == set(synthpop.GENERAL_HEALTH)
    assert 0.65 < health.notna().mean() < 0.75
    shares = health.value_counts(normalize=True)
    assert shares["very good"] > shares["fair"] > shares["bad"] > shares["very bad"]


def test_general_health_is_worse_with_age_deprivation_and_conditions(modest):
    people = modest["residents"].to_pandas()
    asked = modest["lifestyle"].to_pandas().dropna(subset=["general_health"])
    asked = asked.merge(people, on="resident_id")
    asked["good"] = asked.general_health.isin(GOOD)
    asked["age"] = _years(asked.recorded_on, asked.date_of_birth)
    conditions = (
        modest["conditions"]
        .to_pandas()
        .merge(asked[["resident_id", "recorded_on"]], on="resident_id")
    )
    before = conditions[conditions.diagnosed_on < conditions.recorded_on]
    asked["conditions"] = asked.resident_id.map(before.resident_id.value_counts()).fillna(0)

    def good(mask) -> float:
        return asked.good[mask].mean()

    assert good(asked.age < 40) > good((asked.age >= 60) & (asked.age < 70)) + 0.15
    assert good(asked.age >= 80) < 0.5
    middle = (asked.age >= 45) & (asked.age < 65)
    assert good(middle & (asked.deprivation_decile <= 2)) < good(
        middle & (asked.deprivation_decile >= 9)
    )
    assert good(middle & (asked.conditions >= 3)) < good(middle & (asked.conditions == 0)) - 0.15


def test_data_without_general_health_still_loads_and_scores_the_same(borough, tmp_path, trained):
    """An older borough, or a council's own extract, may have no general health: the features
    and the risk scores come out exactly as they do with it."""
    for path in borough.glob("*.parquet"):
        table = pq.read_table(path)
        if path.stem == "lifestyle":
            assert "general_health" in table.column_names
            table = table.drop_columns(["general_health"])
        pq.write_table(table, tmp_path / path.name)
    features.check(tmp_path)
    without = features.compute(tmp_path)
    with_it = features.compute(borough)
    assert without.equals(with_it)
    model, _ = trained
    assert np.array_equal(model.predict(without), model.predict(with_it))
