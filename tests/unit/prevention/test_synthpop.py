"""The synthetic borough: deterministic, valid identifiers, and England-like admission figures."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow.compute as pc
import pytest
from sklearn.metrics import roc_auc_score

from thedeal.prevention import synthpop


def valid_nhs_number(number: str) -> bool:
    """The NHS number's modulus 11 check, written out as the data dictionary gives it."""
    if len(number) != 10 or not number.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(number[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(number[9])


def test_the_same_seed_draws_the_same_borough_and_another_seed_does_not():
    first = synthpop.generate(2_000, seed=5).tables
    again = synthpop.generate(2_000, seed=5).tables
    other = synthpop.generate(2_000, seed=6).tables
    assert all(first[name].equals(again[name]) for name in first)
    assert not first["events"].equals(other["events"])


def test_residents_have_valid_test_range_nhs_numbers_and_one_row_each(borough):
    import pyarrow.parquet as pq

    residents = pq.read_table(borough / "residents.parquet")
    ids = residents.column("resident_id").to_pylist()
    assert len(set(ids)) == len(ids) == residents.num_rows
    numbers = residents.column("nhs_number").to_pylist()
    assert len(set(numbers)) == len(numbers)
    assert all(n.startswith("999") and valid_nhs_number(n) for n in numbers)
    # Pseudonymous ids say nothing about the NHS number.
    assert not any(
        str(i) in n or n in str(i) for i, n in zip(ids[:100], numbers[:100], strict=True)
    )


def test_about_three_in_a_hundred_residents_have_opted_out(borough):
    import pyarrow.parquet as pq

    opted_out = pq.read_table(borough / "residents.parquet").column("opted_out")
    assert opted_out.type == "bool"
    assert 0.02 < pc.mean(opted_out.cast("int8")).as_py() < 0.04


def test_the_check_digit_matches_a_published_example():
    # 943 476 5919 is the NHS Data Dictionary's worked example of a valid number.
    assert synthpop.nhs_number_check_digit(np.array([943476591]))[0] == 9
    assert valid_nhs_number("9434765919")


def test_an_outcome_is_an_emergency_admission_in_the_year_after_its_index_date(borough):
    import pyarrow.parquet as pq

    events = pq.read_table(borough / "events.parquet").to_pandas()
    outcomes = pq.read_table(borough / "outcomes.parquet").to_pandas()
    admissions = events[events.event_type == "emergency_admission"]
    for index_date in synthpop.INDEX_DATES:
        end = dt.date(index_date.year + 1, 4, 1)
        in_year = admissions[(admissions.event_date >= index_date) & (admissions.event_date < end)]
        admitted = set(in_year.resident_id)
        year = outcomes[outcomes.index_date == index_date]
        assert set(year.resident_id[year.outcome == 1]) == admitted


@pytest.mark.slow
def test_the_borough_looks_like_england():
    """About 7% admitted in a year, far more of the oldest; true risk's AUROC near 0.80 and
    age and sex alone well short of it (as in real data, about 0.68-0.70)."""
    tables = synthpop.generate(60_000, seed=3).tables
    residents = tables["residents"].to_pandas()
    outcomes = tables["outcomes"].to_pandas()
    year = outcomes[outcomes.index_date == synthpop.INDEX_DATES[-1]].merge(
        residents, on="resident_id"
    )
    age = (
        np.array([(synthpop.INDEX_DATES[-1] - d).days for d in year.date_of_birth]) / 365.25
    ).astype(int)
    assert 0.06 < year.outcome.mean() < 0.085
    assert year.outcome[age >= 85].mean() > 3 * year.outcome.mean()
    oracle = roc_auc_score(year.outcome, year.true_risk)
    assert 0.77 < oracle < 0.83
    # The best that age and sex can do: each single year of age and sex's own admission rate.
    cells = (
        year.assign(age=np.minimum(age, 95))
        .groupby(["age", "sex"], observed=True)
        .outcome.transform("mean")
    )
    age_and_sex = roc_auc_score(year.outcome, cells)
    assert 0.65 < age_and_sex < oracle - 0.07
    # The true risk is a probability the outcomes bear out.
    assert abs(year.true_risk.mean() - year.outcome.mean()) < 0.006
