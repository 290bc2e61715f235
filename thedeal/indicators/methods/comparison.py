"""Each area against a benchmark, as Fingertips shows it: significance (Better, Similar, Worse)
and the spine chart's scale (METHODS.md section 15).

Pure: NumPy and pandas only, no Django. The rules are Fingertips' own, read from its source
(ukhsa-collaboration/fingertips-open, PholioVisualisationWS):

* significance, `Analysis/SingleOverlappingCIsForOneCILevelComparer.cs` ("confidence interval
  overlapping the reference value"): the benchmark inside the area's interval, limits included,
  is Similar; otherwise the area is higher or lower than the benchmark.
  `Analysis/IndicatorComparer.AdjustForPolarity` turns higher into Worse when low is good, and
  `Export/SignificanceFormatter.cs` words it: Better/Similar/Worse for the red-amber-green
  polarities, Higher/Similar/Lower for blue-orange-blue (no judgement), "Not compared" when
  there is nothing to compare;
* the spine chart, `IndicatorsUI/.../area-profile/spine-chart.classes.ts`
  (`SpineChartCalculator.getSpineProportions`) and the same rule in fingertipscharts
  (`R/spine_chart_utils.R`, `spine_rescaler`): the benchmark at the centre, the scale reaching
  as far on each side as the farthest area; the lowest value on the left unless low is good,
  when the highest is on the left, so that better is always to the right;
* the percentiles, `Analysis/ValueCategoriesCalculator.CalculatePercentile`: linear between
  the sorted values (R's and NumPy's default), and only from 4 values or more.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

# The polarities and the comparisons' words live in thedeal.indicators.polarity (no imports, so
# Django's records can name them); they are names of this module too, as they always were.
from ..polarity import (
    BETTER,
    HIGH_IS_GOOD,
    HIGHER,
    LOW_IS_GOOD,
    LOWER,
    NO_JUDGEMENT,
    NOT_COMPARED,
    POLARITIES,
    SIMILAR,
    WORSE,
)
from ._common import (
    IndicatorInputError,
    Levels,
    as_pandas,
    group_columns,
    numeric,
    refuse,
    require_column,
)

# Fingertips calculates percentiles from 4 values or more (AreEnoughValuesToCalculatePercentiles).
MIN_VALUES_FOR_PERCENTILES = 4


def significance(value, lower, upper, benchmark, *, polarity: str) -> str:
    """One area's value against the benchmark, in Fingertips' words.

    The area's confidence interval (`lower` to `upper`, at whatever level the caller chose)
    holding the benchmark value, limits included, is Similar; an interval wholly above it is
    Higher (Better when high is good, Worse when low is good), wholly below it Lower. A missing
    value, limit or benchmark is "Not compared".
    """
    _check_polarity(polarity)
    figures = [_number(x) for x in (value, lower, upper, benchmark)]
    if any(x is None for x in figures):
        return NOT_COMPARED
    value, lower, upper, benchmark = figures
    if lower > upper:
        raise IndicatorInputError(f"the lower limit ({lower}) is above the upper ({upper})")
    if lower <= benchmark <= upper:
        return SIMILAR
    higher = lower > benchmark
    if polarity == NO_JUDGEMENT:
        return HIGHER if higher else LOWER
    return BETTER if higher == (polarity == HIGH_IS_GOOD) else WORSE


def compare_with_benchmark(
    df,
    benchmark,
    *,
    polarity,
    value: str = "value",
    lower: str | None = None,
    upper: str | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The data with a `comparison` column: each row's significance against the benchmark.

    `benchmark` is a number (the borough's value) or the name of a column (a benchmark a row).
    `polarity` is one of POLARITIES, or the name of a column holding one for each row (a frame
    of several indicators). The limits are `lower` and `upper` when given; otherwise those of
    `confidence` (0.95 or 0.998) as the methods name them: `lower95_0cl`/`upper95_0cl` or
    `lower99_8cl`/`upper99_8cl`, or `lowercl`/`uppercl` when the frame's `confidence` column
    says they are at that level.
    """
    df = as_pandas(df)
    lower, upper = _limit_columns(df, lower, upper, confidence)
    values = numeric(df, value)
    lowers = numeric(df, lower)
    uppers = numeric(df, upper)
    if isinstance(benchmark, str):
        benchmarks = numeric(df, benchmark)
    else:
        figure = _number(benchmark)
        benchmarks = np.full(len(df), np.nan if figure is None else figure)
    polarities = _polarities(df, polarity)
    refuse(lowers > uppers, "the lower limit is above the upper limit", lower)

    comparable = ~(np.isnan(values) | np.isnan(lowers) | np.isnan(uppers) | np.isnan(benchmarks))
    with np.errstate(invalid="ignore"):
        similar = (lowers <= benchmarks) & (benchmarks <= uppers)
        higher = lowers > benchmarks
    high_good = polarities == HIGH_IS_GOOD
    judged = polarities != NO_JUDGEMENT
    result = np.where(
        judged,
        np.where(higher == high_good, BETTER, WORSE),
        np.where(higher, HIGHER, LOWER),
    ).astype(object)
    result[similar] = SIMILAR
    result[~comparable] = NOT_COMPARED

    out = df.copy()
    out["comparison"] = result
    return out


@dataclass(frozen=True)
class SpineScale:
    """How a spine chart places an indicator's values: positions from 0 (left) to 1 (right).

    The benchmark is at 0.5; the scale reaches `half_width` (in the indicator's units) either
    side of it, as far as the area farthest from the benchmark. Worse is to the left: the
    lowest value is on the left unless low is good. `worst` and `best` are the values at the
    two ends of the range of areas (the lowest and highest when there is no judgement);
    `p25` and `p75` the 25th and 75th percentiles counted from the worst end, None with fewer
    than 4 values (as Fingertips).
    """

    benchmark: float
    half_width: float
    polarity: str
    worst: float
    p25: float | None
    p75: float | None
    best: float

    def position(self, value) -> float | None:
        """Where `value` goes, 0 at the left end and 1 at the right (None if missing). A value
        beyond the areas' range (another benchmark) falls outside 0 to 1."""
        figure = _number(value)
        if figure is None:
            return None
        if self.half_width == 0:
            # Every area equals the benchmark: all sit at the centre.
            return 0.5
        offset = (figure - self.benchmark) / (2 * self.half_width)
        return 0.5 - offset if self.polarity == LOW_IS_GOOD else 0.5 + offset

    @property
    def positions(self) -> dict[str, float | None]:
        """The bars' edges, left to right: worst, 25th and 75th percentile, best."""
        return {
            "worst": self.position(self.worst),
            "p25": self.position(self.p25),
            "p75": self.position(self.p75),
            "best": self.position(self.best),
        }

    @property
    def labels(self) -> tuple[str, str]:
        """The ends' names in Fingertips' key: Worst and Best, or Lowest and Highest."""
        return ("Lowest", "Highest") if self.polarity == NO_JUDGEMENT else ("Worst", "Best")


def spine_scale(values: Iterable, benchmark, *, polarity: str) -> SpineScale | None:
    """The spine chart's scale for one indicator: `values` are those of every area in the
    comparison (e.g. every ward), `benchmark` the value at the centre (e.g. the borough's).

    None when there is no value or no benchmark to draw. Missing values are left out.
    """
    _check_polarity(polarity)
    centre = _number(benchmark)
    figures = np.array([x for x in (_number(v) for v in values) if x is not None], dtype=float)
    if centre is None or not len(figures):
        return None
    lowest, highest = float(figures.min()), float(figures.max())
    half_width = max(abs(centre - lowest), abs(highest - centre))
    if len(figures) >= MIN_VALUES_FOR_PERCENTILES:
        low_quartile, high_quartile = (float(q) for q in np.percentile(figures, [25, 75]))
    else:
        low_quartile = high_quartile = None
    if polarity == LOW_IS_GOOD:
        worst, best, p25, p75 = highest, lowest, high_quartile, low_quartile
    else:
        worst, best, p25, p75 = lowest, highest, low_quartile, high_quartile
    return SpineScale(
        benchmark=centre,
        half_width=half_width,
        polarity=polarity,
        worst=worst,
        p25=p25,
        p75=p75,
        best=best,
    )


def spine_positions(df, benchmark, *, polarity, value: str = "value", group_by=None):
    """Each row's place on its group's spine chart (a group: one indicator, sex and age).

    Adds `spine_position` (the row's value) and the group's bars, `spine_worst`, `spine_p25`,
    `spine_p75` and `spine_best`, all from 0 (left) to 1 (right), with the benchmark at 0.5.
    `benchmark` is a number or a column that holds one value within each group; `polarity` one
    of POLARITIES or a column, one value within each group.
    """
    df = as_pandas(df)
    columns = group_columns(df, group_by)
    values = numeric(df, value)
    if isinstance(benchmark, str):
        benchmarks = numeric(df, benchmark)
    else:
        figure = _number(benchmark)
        benchmarks = np.full(len(df), np.nan if figure is None else figure)
    polarities = _polarities(df, polarity)
    names = ("spine_position", "spine_worst", "spine_p25", "spine_p75", "spine_best")
    results = {name: np.full(len(df), np.nan) for name in names}
    if len(df):
        keys = (
            df.groupby(columns, sort=False, dropna=False).ngroup().to_numpy()
            if columns
            else np.zeros(len(df), dtype=int)
        )
        for key in np.unique(keys):
            rows = np.flatnonzero(keys == key)
            centre = _one_per_group(benchmarks[rows], "benchmark", benchmark, rows)
            direction = _one_per_group(polarities[rows], "polarity", polarity, rows)
            scale = spine_scale(values[rows], centre, polarity=direction)
            if scale is None:
                continue
            for name, position in scale.positions.items():
                results[f"spine_{name}"][rows] = np.nan if position is None else position
            results["spine_position"][rows] = [
                np.nan if (p := scale.position(v)) is None else p for v in values[rows]
            ]
    out = df.copy()
    for name in names:
        out[name] = results[name]
    return out


def _one_per_group(found: np.ndarray, what: str, given, rows: np.ndarray):
    if found.dtype.kind == "f":
        distinct = set(found[~np.isnan(found)].tolist())
        if not distinct:
            return None
    else:
        distinct = set(found.tolist())
    if len(distinct) > 1:
        column = given if isinstance(given, str) else None
        raise IndicatorInputError(
            f"{what} must be the same for every row of a group", column=column, row=int(rows[0])
        )
    return distinct.pop()


def _limit_columns(df: pd.DataFrame, lower, upper, confidence) -> tuple[str, str]:
    if lower is not None or upper is not None:
        if lower is None or upper is None:
            raise IndicatorInputError("give both limits' columns (lower and upper), or neither")
        require_column(df, lower)
        require_column(df, upper)
        return lower, upper
    levels = Levels(confidence)
    if len(levels) != 1 or levels.values[0] not in (0.95, 0.998):
        raise IndicatorInputError("confidence must be 0.95 or 0.998 (Fingertips' two levels)")
    level = levels.values[0]
    tag = "95_0" if level == 0.95 else "99_8"
    if f"lower{tag}cl" in df.columns and f"upper{tag}cl" in df.columns:
        return f"lower{tag}cl", f"upper{tag}cl"
    label = levels.label
    if (
        "lowercl" in df.columns
        and "uppercl" in df.columns
        and "confidence" in df.columns
        and (df["confidence"] == label).all()
    ):
        return "lowercl", "uppercl"
    raise IndicatorInputError(
        f"no {label} limits in the data: name the columns with lower= and upper="
    )


def _polarities(df: pd.DataFrame, polarity) -> np.ndarray:
    if polarity in POLARITIES:
        return np.full(len(df), polarity, dtype=object)
    if not isinstance(polarity, str) or polarity not in df.columns:
        raise IndicatorInputError(
            f"polarity must be one of {', '.join(POLARITIES)} or a column holding them, "
            f"not {polarity!r}"
        )
    found = df[polarity].to_numpy(dtype=object)
    bad = np.array([p not in POLARITIES for p in found], dtype=bool)
    refuse(bad, f"polarity must be one of {', '.join(POLARITIES)}", polarity)
    return found


def _check_polarity(polarity) -> None:
    if polarity not in POLARITIES:
        raise IndicatorInputError(
            f"polarity must be one of {', '.join(POLARITIES)}, not {polarity!r}"
        )


def _is_missing(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def _number(x) -> float | None:
    """A figure as a float, or None when it is missing (None, NaN, pandas' NA)."""
    if _is_missing(x):
        return None
    if isinstance(x, (bool, np.bool_)):
        raise IndicatorInputError(f"expected a number, not {x!r}")
    try:
        figure = float(x)
    except (TypeError, ValueError):
        raise IndicatorInputError(f"expected a number, not {x!r}") from None
    return None if math.isnan(figure) else figure
