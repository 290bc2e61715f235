"""Direction of travel and progress against a target: the statuses a published indicator may be
given, each defined once here (METHODS.md, section 10, gives the formulas and the reference).

Pure: NumPy and SciPy only, no Django. A status is never read from two points or from whether
two intervals overlap: the direction of travel comes from a trend fitted over the last few
figures, weighted by each figure's precision, and "met" needs the whole interval on the
target's side.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from ._common import IndicatorInputError

Z95 = 1.959964  # the normal quantile of a published 95% interval
LAST_POINTS = 5  # the direction of travel looks at the last five published figures
MIN_POINTS = 3  # fewer than three figures cannot show a trend and its uncertainty

# Direction of travel.
GETTING_BETTER = "Getting better"
GETTING_WORSE = "Getting worse"
NO_SIGNIFICANT_CHANGE = "No significant change"
TOO_FEW_FIGURES = "Too few figures to tell"
# Against the target.
TARGET_MET = "Target met"
ON_COURSE = "On course"
NOT_ON_COURSE = "Not on course"
CANNOT_TELL_YET = "Cannot tell yet"
NO_TARGET = "No target set"

TRAVEL_STATUSES = (GETTING_BETTER, GETTING_WORSE, NO_SIGNIFICANT_CHANGE, TOO_FEW_FIGURES)
TARGET_STATUSES = (TARGET_MET, ON_COURSE, NOT_ON_COURSE, CANNOT_TELL_YET, NO_TARGET)


def standard_error(lower: float, upper: float, z: float = Z95) -> float:
    """A figure's standard error from its published symmetric interval: (upper - lower) / 2z."""
    return (upper - lower) / (2 * z)


@dataclass(frozen=True)
class Trend:
    """A straight line through the last figures: `slope` a year with its 95% interval.

    `weighted` is True when every figure had a published interval (weights 1/SE², known
    variances, normal quantiles); False when one or more had none, so each figure counts
    equally and the uncertainty comes from the scatter about the line (Student's t).
    """

    years: tuple[int, ...]
    slope: float
    slope_lower: float
    slope_upper: float
    weighted: bool
    centre: float  # the (weighted) mean year
    level: float  # the line's value at `centre`
    _variance: tuple[float, float]  # (variance of level, residual scale) for projections
    _sxx: float
    _quantile: float

    def at(self, year: float) -> tuple[float, float, float]:
        """The line's value in `year`, with the 95% interval of the line there."""
        fitted = self.level + self.slope * (year - self.centre)
        level_variance, scale = self._variance
        spread = self._quantile * math.sqrt(
            level_variance + scale * (year - self.centre) ** 2 / self._sxx
        )
        return fitted, fitted - spread, fitted + spread


def trend(
    years: Sequence[int],
    values: Sequence[float | None],
    lowers: Sequence[float | None] | None = None,
    uppers: Sequence[float | None] | None = None,
    *,
    last: int = LAST_POINTS,
) -> Trend | None:
    """The trend over the last `last` figures with a value, or None when there are fewer than
    MIN_POINTS. Raises IndicatorInputError (naming the row) for an interval the wrong way round
    or one that does not contain its value."""
    n = len(years)
    lowers = [None] * n if lowers is None else list(lowers)
    uppers = [None] * n if uppers is None else list(uppers)
    if not (len(values) == len(lowers) == len(uppers) == n):
        raise IndicatorInputError("years, values, lowers and uppers must be the same length")
    rows = []
    for row, (year, value, lower, upper) in enumerate(
        zip(years, values, lowers, uppers, strict=True)
    ):
        if _missing(value):
            continue
        has_interval = not (_missing(lower) or _missing(upper))
        if has_interval and not (lower <= value <= upper and lower < upper):
            raise IndicatorInputError(
                f"the interval {lower} to {upper} does not contain the value {value}",
                column="lower/upper",
                row=row,
            )
        rows.append((year, float(value), (lower, upper) if has_interval else None))
    rows.sort(key=lambda r: r[0])
    rows = rows[-last:]
    if len(rows) < MIN_POINTS:
        return None
    x = np.array([r[0] for r in rows], dtype=float)
    y = np.array([r[1] for r in rows])
    weighted = all(r[2] is not None for r in rows)
    if weighted:
        se = np.array([standard_error(*r[2]) for r in rows])
        w = 1 / se**2
    else:
        w = np.ones_like(x)
    centre = float(np.sum(w * x) / np.sum(w))
    level = float(np.sum(w * y) / np.sum(w))
    sxx = float(np.sum(w * (x - centre) ** 2))
    slope = float(np.sum(w * (x - centre) * (y - level)) / sxx)
    if weighted:
        # Known variances: Var(slope) = 1 / Σw(x - x̄w)², Var(level) = 1 / Σw.
        scale, level_variance, quantile = 1.0, float(1 / np.sum(w)), Z95
    else:
        residuals = y - (level + slope * (x - centre))
        df = len(rows) - 2
        scale = float(np.sum(residuals**2) / df)
        level_variance, quantile = scale / len(rows), float(stats.t.ppf(0.975, df))
    spread = quantile * math.sqrt(scale / sxx)
    return Trend(
        years=tuple(int(r[0]) for r in rows),
        slope=slope,
        slope_lower=slope - spread,
        slope_upper=slope + spread,
        weighted=weighted,
        centre=centre,
        level=level,
        _variance=(level_variance, scale),
        _sxx=sxx,
        _quantile=quantile,
    )


def direction_of_travel(found: Trend | None, *, lower_is_better: bool) -> str:
    """Better or worse only when the trend's 95% interval excludes zero."""
    if found is None:
        return TOO_FEW_FIGURES
    if found.slope_lower <= 0 <= found.slope_upper:
        return NO_SIGNIFICANT_CHANGE
    falling = found.slope_upper < 0
    return GETTING_BETTER if falling == lower_is_better else GETTING_WORSE


def _beyond(value: float, target: float, lower_is_better: bool) -> bool:
    return value <= target if lower_is_better else value >= target


def against_target(
    *,
    target: float | None,
    target_year: int | None,
    lower: float | None,
    upper: float | None,
    found: Trend | None,
    lower_is_better: bool,
) -> str:
    """Met when the latest figure's whole interval is on the target's side; on course when the
    trend's interval, projected to the target year, is wholly on the target's side; not on course
    when it is wholly on the other side; otherwise (or with too few figures) cannot tell yet."""
    if target is None:
        return NO_TARGET
    # A figure without an interval cannot show the target is met beyond chance.
    if not (_missing(lower) or _missing(upper)):
        if _beyond(lower, target, lower_is_better) and _beyond(upper, target, lower_is_better):
            return TARGET_MET
    if found is None or target_year is None:
        return CANNOT_TELL_YET
    _, low, high = found.at(target_year)
    if _beyond(low, target, lower_is_better) and _beyond(high, target, lower_is_better):
        return ON_COURSE
    if not _beyond(low, target, lower_is_better) and not _beyond(high, target, lower_is_better):
        return NOT_ON_COURSE
    return CANNOT_TELL_YET


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
