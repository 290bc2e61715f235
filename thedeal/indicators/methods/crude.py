"""Proportions (Wilson), crude rates (exact/Byar's) and means (Student's t): METHODS.md 1 to 3."""

from __future__ import annotations

import numpy as np

from ._common import (
    Groups,
    Levels,
    as_pandas,
    check_type,
    format_number,
    group_columns,
    numeric,
    r_character,
    refuse,
    shape_output,
)
from .intervals import poisson_limits, poisson_method, t_quantile, wilson_lower, wilson_upper


def proportion(df, x, n, *, group_by=None, confidence=0.95, multiplier=1, type="full"):
    """Proportions x/n with Wilson score confidence limits (PHEindicatormethods' phe_proportion).

    Ungrouped, every input row gets its proportion; with `group_by`, numerators and denominators
    are summed within each group first (a missing value makes the group's sum missing).
    `confidence=None` gives the value alone.
    """
    out, levels, numerators, denominators = _counts(
        df, x, n, group_by, confidence, type, at_most_denominator=True
    )

    out["value"] = numerators / denominators * multiplier
    for level, lower, upper in levels.columns():
        out[lower] = wilson_lower(numerators, denominators, level) * multiplier
        out[upper] = wilson_upper(numerators, denominators, level) * multiplier
    if levels:
        out["confidence"] = levels.label
    out["statistic"] = (
        "percentage" if multiplier == 100 else f"proportion of {r_character(multiplier)}"
    )
    if levels:
        out["method"] = "Wilson"
    return shape_output(out, levels=levels, type=type)


def rate(df, x, n, *, group_by=None, confidence=0.95, multiplier=100_000, type="full"):
    """Crude rates x/n per `multiplier`, with exact Poisson limits below 10 events, Byar's above.

    Rates may exceed the denominator (people can have several events), so x > n is allowed.
    """
    out, levels, numerators, denominators = _counts(df, x, n, group_by, confidence, type)

    out["value"] = numerators / denominators * multiplier
    for level, lower, upper in levels.columns():
        low, high = poisson_limits(numerators, level)
        out[lower] = low / denominators * multiplier
        out[upper] = high / denominators * multiplier
    if levels:
        out["confidence"] = levels.label
    out["statistic"] = f"rate per {format_number(multiplier)}"
    if levels:
        out["method"] = poisson_method(numerators)
    return shape_output(out, levels=levels, type=type)


def _counts(df, x, n, group_by, confidence, type, *, at_most_denominator=False):
    """Checked numerators and denominators, and the frame the statistic is added to: the input
    itself, or one row a group with the sums."""
    df = as_pandas(df)
    check_type(type)
    levels = Levels(confidence)
    numerators, denominators = numeric(df, x), numeric(df, n)
    refuse(numerators < 0, "numerators must be greater than or equal to zero", x)
    refuse(denominators <= 0, "denominators must be greater than zero", n)
    if at_most_denominator:
        refuse(
            numerators > denominators,
            "numerators must be less than or equal to denominator for a proportion statistic",
            x,
        )
    columns = group_columns(df, group_by)
    if not columns:
        return df.copy(), levels, numerators, denominators
    groups = Groups(df, columns)
    numerators, denominators = groups.sum(numerators), groups.sum(denominators)
    return groups.frame(**{x: numerators, n: denominators}), levels, numerators, denominators


def mean(df, values, *, group_by=None, confidence=0.95, type="full"):
    """The mean of `values` in each group with a Student's t interval (phe_mean).

    The output has value_sum, value_count and stdev (the sample standard deviation, n - 1) before
    the mean, as the R package gives them.
    """
    df = as_pandas(df)
    check_type(type)
    levels = Levels(confidence)
    observed = numeric(df, values)
    groups = Groups(df, group_columns(df, group_by))

    total = groups.sum(observed)
    count = groups.size().astype(float)
    value = total / np.where(count > 0, count, np.nan)
    # Two passes (deviations from the mean) keep the SD accurate for large, close values.
    deviations = observed - value[groups.codes]
    with np.errstate(invalid="ignore", divide="ignore"):
        stdev = np.sqrt(groups.sum(deviations**2) / (count - 1))
    out = groups.frame(value_sum=total, value_count=count.astype(int), stdev=stdev, value=value)
    for level, lower, upper in levels.columns():
        half_width = t_quantile(level, count - 1) * stdev / np.sqrt(count)
        out[lower] = value - half_width
        out[upper] = value + half_width
    out["confidence"] = levels.label
    out["statistic"] = "mean"
    out["method"] = "Student's t-distribution"
    return shape_output(out, levels=levels, type=type, extra=("value_sum", "value_count", "stdev"))
