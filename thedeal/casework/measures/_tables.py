"""The reference tables in thedeal/casework/data/, read once (sources and licences: LICENCE.md).

The tables are the truth: the code holds no copy of a band, a cut score or a conversion value,
so correcting a table corrects every page and report that uses it.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of data/<name>.csv as dictionaries of text, in the file's order."""
    with (DATA / f"{name}.csv").open(newline="", encoding="utf-8") as f:
        return tuple(csv.DictReader(f))
