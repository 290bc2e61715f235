"""A commitment's progress over time, as published: values, 95% confidence intervals and the
suppression of small numbers, all from the indicators library."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from thedeal.indicators import proportion, rate
from thedeal.indicators.methods.disclosure import publishable


@dataclass(frozen=True)
class Point:
    year: int
    value: float | None
    lower: float | None
    upper: float | None
    comparator: float | None
    suppressed: bool
    counts: tuple[int, int] | None  # (numerator, denominator) where the figure comes from counts


def series(commitment) -> list[Point]:
    # all() rather than order_by(): it uses the measurements a list page prefetched.
    rows = sorted(commitment.measurements.all(), key=lambda m: m.year)
    counted = [m for m in rows if m.numerator is not None and m.denominator]
    figures: dict[int, tuple] = {}
    if counted:
        frame = pd.DataFrame(
            {
                "year": [m.year for m in counted],
                "numerator": [m.numerator for m in counted],
                "denominator": [m.denominator for m in counted],
            }
        )
        if commitment.unit.strip().startswith("per"):
            multiplier = int("".join(ch for ch in commitment.unit if ch.isdigit()) or 100_000)
            frame = rate(frame, "numerator", "denominator", multiplier=multiplier, type="standard")
        else:
            frame = proportion(frame, "numerator", "denominator", multiplier=100, type="standard")
        # A figure from 1 to 7 people is never published, nor its value or interval; a year's
        # figures add up to nothing else published, so there is no total to protect.
        frame = publishable(
            frame,
            "numerator",
            derived={"numerator": ["value", "lowercl", "uppercl"]},
            protect_totals=False,
        )
        for row in frame.itertuples():
            hidden = pd.isna(row.value)
            figures[row.year] = (
                None if hidden else float(row.value),
                None if hidden else float(row.lowercl),
                None if hidden else float(row.uppercl),
                bool(row.numerator_note) if isinstance(row.numerator_note, str) else False,
            )
    points = []
    for m in rows:
        if m.year in figures:
            value, lower, upper, suppressed = figures[m.year]
            counts = None if suppressed else (m.numerator, m.denominator)
        else:
            value, lower, upper, suppressed, counts = m.value, m.lower, m.upper, False, None
        points.append(Point(m.year, value, lower, upper, m.comparator, suppressed, counts))
    return points


def latest(points: list[Point]) -> Point | None:
    shown = [p for p in points if p.value is not None]
    return shown[-1] if shown else None


def on_track(commitment, points: list[Point]) -> str:
    """'Target met', 'Getting better', 'Getting worse' or 'No change', from the last two
    published figures (the caution of overlapping intervals is left to the chart)."""
    shown = [p for p in points if p.value is not None]
    if not shown:
        return "No figures yet"
    last = shown[-1]
    better = np.less if commitment.direction == "lower" else np.greater
    if commitment.target is not None and (
        last.value == commitment.target or better(last.value, commitment.target)
    ):
        return "Target met"
    if len(shown) < 2:
        return "One figure so far"
    previous = shown[-2]
    if last.value == previous.value:
        return "No change"
    return "Getting better" if better(last.value, previous.value) else "Getting worse"
