"""Paired change: the mean of each person's change between two measurements, with a Student's t
interval (METHODS.md section 14).

For the casework reports: each row is one person, with a score at the first contact (`before`)
and at a review (`after`), e.g. a SWEMWBS metric score or an ONS4 answer. Only people with both
scores are a pair; a row missing either is left out and not counted, because a person without a
review has no change to report.

The method publishes nothing by itself, as every method here: `publishable_paired_change` puts
the result through the platform's disclosure rules (disclosure.py: groups of 1 to 7 people have
their count and every figure calculated from them suppressed).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import disclosure
from ._common import (
    Groups,
    IndicatorInputError,
    Levels,
    as_pandas,
    check_type,
    group_columns,
    numeric,
    refuse,
    shape_output,
)
from .intervals import t_quantile

COUNT = "value_count"
METHOD = "Paired Student's t-distribution"
STATISTIC = "mean change (after - before)"
# The columns calculated from the people counted (besides the confidence limits).
CALCULATED = ("before_mean", "after_mean", "stdev", "value")


def paired_change(df, before, after, *, group_by=None, confidence=0.95, type="full"):
    """The mean change from `before` to `after` in each group, with its confidence interval.

    For each row d = after - before. Per group (the whole table with no `group_by`), of the k
    rows with both values: value_count = k, before_mean and after_mean, stdev (the sample standard
    deviation of d, divisor k - 1), value = the mean of d, and limits value ± t(k - 1) · stdev /
    √k. One pair has a mean but no interval (NaN); no pairs, no mean.

    Columns as `mean` gives them (PHEindicatormethods' conventions): group columns, value_count,
    before_mean, after_mean, stdev, value, the limits (lowercl and uppercl, or both levels'),
    confidence, statistic and method. `type` as for every method.
    """
    df = as_pandas(df)
    check_type(type)
    levels = Levels(confidence)
    if before == after:
        raise IndicatorInputError("before and after must be two different columns", column=before)
    first, second = numeric(df, before), numeric(df, after)
    refuse(np.isinf(first), "scores must be finite numbers", before)
    refuse(np.isinf(second), "scores must be finite numbers", after)
    groups = Groups(df, group_columns(df, group_by))

    paired = ~np.isnan(first) & ~np.isnan(second)
    count = groups.sum(paired.astype(float))
    difference = np.where(paired, second - first, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        pairs = np.where(count > 0, count, np.nan)
        value = groups.sum(difference) / pairs
        before_mean = groups.sum(np.where(paired, first, 0.0)) / pairs
        after_mean = groups.sum(np.where(paired, second, 0.0)) / pairs
        # Two passes (deviations from the group's mean change) keep the SD accurate.
        deviations = np.where(paired, difference - value[groups.codes], 0.0)
        stdev = np.sqrt(groups.sum(deviations**2) / np.where(count > 1, count - 1, np.nan))

    out = groups.frame(
        **{
            COUNT: count.astype(int),
            "before_mean": before_mean,
            "after_mean": after_mean,
            "stdev": stdev,
            "value": value,
        }
    )
    for level, lower, upper in levels.columns():
        half_width = t_quantile(level, count - 1) * stdev / np.sqrt(pairs)
        out[lower] = value - half_width
        out[upper] = value + half_width
    if levels:
        out["confidence"] = levels.label
    out["statistic"] = STATISTIC
    out["method"] = METHOD
    return shape_output(
        out, levels=levels, type=type, extra=(COUNT, "before_mean", "after_mean", "stdev")
    )


def publishable_paired_change(
    changes: pd.DataFrame,
    *,
    group_by: str | Sequence[str] | None = None,
    total_rows: str | None = None,
    protect_totals: bool = True,
) -> pd.DataFrame:
    """`paired_change`'s full output as it may be published (disclosure.publishable).

    A group of 1 to 7 people has its count suppressed, and with it every figure calculated from
    those people (the means, the standard deviation, the change and its limits): a mean of one
    person's scores is that person's scores. A group with no pairs keeps its 0. With
    `protect_totals` (the default), groups that add up to a published total (the services of a
    report beside the report's overall figure) are protected together as disclosure.py says;
    `group_by` and `total_rows` say which rows add up, as there. The note column is
    value_count_note.
    """
    changes = as_pandas(changes)
    if COUNT not in changes.columns:
        raise IndicatorInputError(
            f"the table has no {COUNT} column: pass paired_change's full or standard output",
            column=COUNT,
        )
    calculated = [
        column
        for column in changes.columns
        if column in CALCULATED or (column.startswith(("lower", "upper")) and column.endswith("cl"))
    ]
    return disclosure.publishable(
        changes,
        COUNT,
        derived={COUNT: calculated},
        group_by=group_by,
        total_rows=total_rows,
        protect_totals=protect_totals,
    )
