"""The electronic Frailty Index: Clegg's 36 deficits, the score, the categories, 65 and over."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from thedeal.prevention import efi

REFERENCE = Path(__file__).parents[2] / "fixtures" / "efi" / "efi_deficits.csv"


def test_the_36_deficits_are_the_published_list():
    with REFERENCE.open(newline="") as f:
        names = [row["deficit"] for row in csv.DictReader(f)]
    assert len(names) == 36
    assert [name for _, name in efi.DEFICITS] == names
    assert "polypharmacy" not in efi.CONDITION_DEFICITS and len(efi.CONDITION_DEFICITS) == 35


@pytest.mark.parametrize(
    ("deficits", "category"),
    [
        (0, "fit"),
        (4, "fit"),
        (5, "mild"),
        (8, "mild"),
        (9, "moderate"),
        (12, "moderate"),
        (13, "severe"),
        (36, "severe"),
    ],
)
def test_categories_follow_the_cut_offs(deficits, category):
    # fit up to 0.12, mild to 0.24, moderate to 0.36, severe above: 4/36 = 0.111, 5/36 = 0.139,
    # 8/36 = 0.222, 9/36 = 0.25, 12/36 = 0.333, 13/36 = 0.361.
    assert efi.category(deficits) == category
    assert efi.score(deficits) == pytest.approx(deficits / 36)


def test_features_give_the_efi_to_residents_65_and_over_only(latest_features):
    frame = latest_features.to_pandas()
    older, younger = frame[frame.age >= 65], frame[frame.age < 65]
    assert younger.efi_score.isna().all() and younger.efi_category.isna().all()
    counted = older[[f"has_{code}" for code in efi.CONDITION_DEFICITS]].sum(axis=1) + (
        older.most_items_12m >= 5
    )
    assert (older.efi_deficits == counted).all()
    assert (older.efi_score == counted / 36).all()
    assert (older.efi_category == counted.map(efi.category)).all()
    # The borough's older residents span the categories, more of them fit than severely frail.
    shares = older.efi_category.value_counts(normalize=True)
    assert set(shares.index) == set(efi.CATEGORIES)
    assert shares["fit"] > shares["severe"]
