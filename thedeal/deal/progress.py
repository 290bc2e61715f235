"""A commitment's progress over time, as published: values, 95% confidence intervals and the
suppression of small numbers, all from the indicators library."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from thedeal.indicators import proportion, rate, trends
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


# GOV.UK tag colours: green for good news, red for bad, grey where nothing can be said.
TAG_COLOURS = {
    trends.GETTING_BETTER: "green",
    trends.GETTING_WORSE: "red",
    trends.NO_SIGNIFICANT_CHANGE: "blue",
    trends.TOO_FEW_FIGURES: "grey",
    trends.TARGET_MET: "green",
    trends.ON_COURSE: "turquoise",
    trends.NOT_ON_COURSE: "orange",
    trends.CANNOT_TELL_YET: "grey",
    trends.NO_TARGET: "grey",
}


@dataclass(frozen=True)
class Status:
    label: str
    colour: str


@dataclass(frozen=True)
class Judgement:
    """How a commitment is doing, with the sentences that say how that was judged."""

    travel: Status
    target: Status
    how: list[str]


def _amount(value: float, unit: str) -> str:
    return f"{value:.1f}%" if unit.strip() == "%" else f"{value:.1f} {unit}".strip()


def _change(value: float, unit: str) -> str:
    return f"{value:.2f} percentage points" if unit.strip() == "%" else f"{value:.2f} {unit}"


def judge(commitment, points: list[Point]) -> Judgement:
    """The statuses of thedeal.indicators.trends, and why, in words a resident can follow."""
    shown = [p for p in points if p.value is not None]
    lower_is_better = commitment.direction == "lower"
    found = trends.trend(
        [p.year for p in shown],
        [p.value for p in shown],
        [p.lower for p in shown],
        [p.upper for p in shown],
    )
    last = shown[-1] if shown else None
    travel = trends.direction_of_travel(found, lower_is_better=lower_is_better)
    target = trends.against_target(
        target=commitment.target,
        target_year=commitment.target_year,
        lower=last.lower if last else None,
        upper=last.upper if last else None,
        found=found,
        lower_is_better=lower_is_better,
    )
    unit = commitment.unit
    how = []
    if found is None:
        how.append(
            f"A direction of travel needs at least {trends.MIN_POINTS} published figures; "
            f"there {'is' if len(shown) == 1 else 'are'} {len(shown)} so far."
        )
    else:
        years = f"{found.years[0]} to {found.years[-1]}"
        if found.weighted:
            fitted = (
                f"We fitted a trend line to the last {_words(len(found.years))} figures ({years}), "
                "giving more weight to the more precise figures (those with narrower "
                "confidence intervals)."
            )
        else:
            # The figures the trend used, not the page's, say whether any had an interval.
            used = [p for p in shown if p.year in found.years]
            some = "any" if all(p.lower is None or p.upper is None for p in used) else "some"
            fitted = (
                f"We fitted a trend line to the last {_words(len(found.years))} figures ({years}). "
                f"The source publishes no confidence intervals for {some} of them, so each counts "
                "equally and the uncertainty comes from how far the figures scatter around the line."
            )
        direction = "rising" if found.slope > 0 else "falling"
        how.append(
            f"{fitted} It is {direction} by {_change(abs(found.slope), unit)} a year "
            f"(95% confidence interval {found.slope_lower:.2f} to {found.slope_upper:.2f}). "
            + (
                "That interval includes no change, so we cannot say it has changed."
                if travel == trends.NO_SIGNIFICANT_CHANGE
                else "That interval excludes no change. One year's rise or fall alone is not "
                "taken as a change of direction."
            )
        )
    if commitment.target is not None:
        goal = _amount(commitment.target, unit)
        if target == trends.TARGET_MET:
            how.append(
                f"The target is met: the latest figure's whole 95% confidence interval "
                f"({_amount(last.lower, unit)} to {_amount(last.upper, unit)}) is past {goal}."
            )
        else:
            if last is not None and last.lower is not None and last.upper is not None:
                how.append(
                    f"The target ({goal}) is not yet shown to be met: the latest figure's 95% "
                    f"confidence interval is {_amount(last.lower, unit)} to "
                    f"{_amount(last.upper, unit)}, and the whole interval must be past the target."
                )
            elif last is not None:
                how.append(
                    "The latest figure has no published confidence interval, so it cannot show "
                    "the target is met."
                )
            if found is not None and commitment.target_year is not None:
                fitted, low, high = found.at(commitment.target_year)
                how.append(
                    f"If the trend carries on, it would be about {_amount(fitted, unit)} in "
                    f"{commitment.target_year} (95% confidence interval {_amount(low, unit)} to "
                    f"{_amount(high, unit)})"
                    + {
                        trends.ON_COURSE: ", all of it past the target: on course.",
                        trends.NOT_ON_COURSE: ", all of it short of the target: not on course.",
                        trends.CANNOT_TELL_YET: ", which includes the target: we cannot tell yet.",
                    }[target]
                )
            elif commitment.target_year is None:
                how.append("No target year is set, so we cannot say whether it is on course.")
    return Judgement(
        travel=Status(travel, TAG_COLOURS[travel]),
        target=Status(target, TAG_COLOURS[target]),
        how=how,
    )


def _words(count: int) -> str:
    return {3: "three", 4: "four", 5: "five"}.get(count, str(count))


def gaps(points: list[Point]) -> tuple[str, str]:
    """The years missing from the chart, in words: those with no published figure, and those
    with too few people to publish."""
    if not points:
        return "", ""
    have = {p.year for p in points}
    missing = [y for y in range(points[0].year, points[-1].year + 1) if y not in have]
    missing += [p.year for p in points if p.value is None and not p.suppressed]
    small = [p.year for p in points if p.suppressed]
    return _years(sorted(missing)), _years(small)


def _years(years: list[int]) -> str:
    """2011, 2013, 2015 to 2017 and 2019."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    named = [str(r[0]) if len(r) == 1 else f"{r[0]} to {r[-1]}" for r in runs]
    if len(named) < 2:
        return "".join(named)
    return ", ".join(named[:-1]) + " and " + named[-1]
