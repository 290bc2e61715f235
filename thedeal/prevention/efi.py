"""The electronic Frailty Index (eFI): 36 deficits, a score and a category, for people 65+.

Clegg A et al., "Development and validation of an electronic frailty index using routine primary
care electronic health record data", Age and Ageing 2016;45(3):353-60 (Box 1 lists the deficits).
The score is the number of deficits recorded divided by 36. The categories are the widely quoted
cut-offs: fit up to 0.12, mild above 0.12 up to 0.24, moderate above 0.24 up to 0.36, severe
above 0.36. data/efi_deficits.csv is the list as published (see data/LICENCE.md).

Clegg's coded definitions are not public, so each deficit here is one recorded condition or
problem of the same name; polypharmacy is five or more items on one prescription in the past
year (the paper's "five or more medications").
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

DATA = Path(__file__).parent / "data" / "efi_deficits.csv"
MINIMUM_AGE = 65
POLYPHARMACY_ITEMS = 5

# Category boundaries as numbers of deficits: 0.12 * 36 = 4.32, 0.24 * 36 = 8.64, 0.36 * 36 = 12.96,
# so "above 0.12" means 5 or more deficits, and so on. Counting avoids rounding on any engine.
MILD_FROM, MODERATE_FROM, SEVERE_FROM = 5, 9, 13
CATEGORIES = ("fit", "mild", "moderate", "severe")


def _code(name: str) -> str:
    return re.sub(r"[^a-z]+", "_", name.lower()).strip("_")


def deficits() -> list[tuple[str, str]]:
    """The 36 deficits as (code, name), in Box 1's order."""
    with DATA.open(newline="") as f:
        return [(_code(row["deficit"]), row["deficit"]) for row in csv.DictReader(f)]


DEFICITS = deficits()
# All but polypharmacy are recorded conditions; polypharmacy comes from prescriptions.
CONDITION_DEFICITS = tuple(code for code, _ in DEFICITS if code != "polypharmacy")


def score(deficit_count: int) -> float:
    return deficit_count / len(DEFICITS)


def category(deficit_count: int) -> str:
    if deficit_count >= SEVERE_FROM:
        return "severe"
    if deficit_count >= MODERATE_FROM:
        return "moderate"
    if deficit_count >= MILD_FROM:
        return "mild"
    return "fit"
