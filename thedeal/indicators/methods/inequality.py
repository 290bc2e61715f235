"""Slope and relative index of inequality (SII, RII), as PHEindicatormethods' phe_sii: METHODS.md 10.

Each area (a group of `group_by`) has one row per quantile (for example deprivation deciles, 1 the
most deprived), with the quantile's population, the indicator value and its standard error or 95%
confidence limits. The quantiles are placed at the midpoints of their shares of the area's
cumulative population, and a population-weighted least-squares line is fitted to the values:
the SII is its slope (the fitted value at x = 1 minus that at x = 0) and the RII the ratio of those
two fitted values.

The confidence interval is found by simulation, as in the R package: each quantile's value is drawn
from a normal distribution (on the log scale for rates, the logit scale for proportions) many times,
the line is refitted to every draw, and the limits are read off the sorted results. For fixed
positions and weights the fitted intercept and slope are linear in the values, so every refit is a
row of one matrix product: the draws for many areas and repetitions are refitted together, in
chunks small enough to keep memory bounded, never in a Python loop over repetitions. Where nothing
is back-transformed before the fit, the same linearity makes the fitted pair exactly bivariate
normal, and it is drawn directly (see _simulate).

The simulated limits are random: `seed` makes them reproducible. Each area draws from its own
stream (spawned from `numpy.random.default_rng(seed)` in the output's area order), so an area's
interval does not depend on how the work is chunked or threaded.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from numbers import Real

import numpy as np
import pandas as pd
from scipy import stats

from ._common import (
    Groups,
    IndicatorInputError,
    IndicatorWarning,
    as_pandas,
    group_columns,
    refuse,
    require_column,
)

# The input CLs are taken to be 95% limits whatever level the SII's own interval is asked at: R
# hard-codes qnorm(0.975) when it turns them into a standard error.
_Z_INPUT_CL = float(stats.norm.ppf(0.975))

INDICATOR_TYPES = {0: "normal", 1: "rate", 2: "proportion"}
TRANSFORM_LABELS = {0: "none", 1: "log", 2: "logit"}

REMOVED_WARNING = "WARNING: some records have been removed due to incomplete or invalid data"
MANY_QUANTILES_WARNING = (
    "WARNING: Small values can make SII unstable when using a large number of quantiles"
)
NON_NUMERIC = "some input fields in data.frame are non-numeric"
UNDRAWABLE = (
    "the confidence interval is simulated from every quantile's value and standard error, which "
    "must be present and finite (a missing value, a proportion of 1 or a confidence limit of 0 "
    "cannot be simulated)"
)
VALUE_REQUIRED = (
    "function phe_sii requires value field, or x field if indicator is a proportion of population"
)

# Bytes that one worker may hold for its draws and for its areas' simulated results. Areas are
# simulated in chunks, and the repetitions of a chunk in blocks, so that 7,000 areas at 100,000
# repetitions never need more than a few hundred megabytes in all.
_DRAW_BUDGET = 48 * 2**20
_RESULT_BUDGET = 48 * 2**20
# Random draws, exp() and matrix products release the GIL, so a few threads share the work.
_MAX_WORKERS = 4


def sii(
    df,
    quantile,
    population,
    *,
    x=None,
    value=None,
    value_type=0,
    transform=False,
    lower_cl=None,
    upper_cl=None,
    se=None,
    group_by=None,
    confidence=0.95,
    multiplier=1,
    repetitions=100_000,
    rii=False,
    intercept=False,
    reliability_stat=False,
    seed=None,
    type="full",
):
    """The slope index of inequality of each area, with simulated confidence limits.

    df: a pandas or Polars frame with one row per area and quantile.
    quantile, population: columns with the quantile label (ordered from most to least deprived;
        5 to 100 quantiles) and its population (all above zero).
    value: column with the indicator value; for a proportion (value_type=2) `x`, the count with
        the attribute, may be given instead, and the value is x / population.
    value_type: 0 any indicator, 1 a rate, 2 a proportion (between 0 and 1).
    se, or lower_cl and upper_cl: the value's standard error, or its 95% limits. An SE is taken
        to be on the log (rate) or logit (proportion) scale; limits are converted to that scale.
    transform: fit the line to the log or logit values and report it back on the original scale
        (rates and proportions only, and the limits must be given rather than an SE).
    group_by: the column(s) naming each area; without it the whole frame is one area.
    confidence: the level of the SII's interval, as 0.95 or 95; several levels may be given,
        for example (0.95, 0.998).
    multiplier: scales the SII and its limits (100 for percentages). A negative multiplier, for
        indicators where high is good, also inverts the RII.
    repetitions: simulations for the interval (at least 1,000).
    rii, intercept: also report the RII with its limits, and the fitted value at x = 0.
    reliability_stat: run the simulation 10 times and report the mean absolute difference of the
        later runs' limits from the first's (the reported limits are the first run's).
    seed: anything numpy.random.default_rng accepts, to make the limits reproducible.
    type: "full" adds the metadata columns indicator_type, multiplier, transform,
        CI_confidence and CI_method; "standard" leaves them out.
    """
    levels = _check_arguments(
        df=df,
        quantile=quantile,
        population=population,
        x=x,
        value=value,
        value_type=value_type,
        transform=transform,
        lower_cl=lower_cl,
        upper_cl=upper_cl,
        se=se,
        confidence=confidence,
        multiplier=multiplier,
        repetitions=repetitions,
        type=type,
    )
    value_type = int(value_type)
    transform = bool(transform)
    repetitions = int(repetitions)
    multiplier = float(multiplier)

    df = as_pandas(df)
    columns = group_columns(df, group_by)
    fields = {"population": population, "x": x, "value": value, "se": se}
    fields.update(lower_cl=lower_cl, upper_cl=upper_cl)
    for column in [quantile, *[c for c in fields.values() if c is not None]]:
        require_column(df, column)
    data = {role: _numeric_field(df, c) for role, c in fields.items() if c is not None}
    _check_data(data, fields, value_type)

    areas = _Areas(df, columns, quantile)
    if areas.nquantiles < 5 or areas.nquantiles > 100:
        raise IndicatorInputError("Number of quantiles must be between 5 and 100", column=quantile)
    if areas.nquantiles > 10:
        warnings.warn(MANY_QUANTILES_WARNING, IndicatorWarning, stacklevel=2)
    if areas.removed_rows:
        warnings.warn(REMOVED_WARNING, IndicatorWarning, stacklevel=2)

    # Everything below is one row per area and one column per quantile, in quantile order.
    pop = areas.table(data["population"])
    if "value" in data:
        raw_value = areas.table(data["value"])
    else:
        raw_value = areas.table(data["x"]) / pop
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        model_value = _to_model_scale(raw_value, value_type)
        if "se" in data:
            model_se = areas.table(data["se"])
        else:
            lower = _to_model_scale(areas.table(data["lower_cl"]), value_type)
            upper = _to_model_scale(areas.table(data["upper_cl"]), value_type)
            model_se = (upper - lower) / _Z_INPUT_CL / 2
        # Without transform the line is fitted on the original scale; R gets there by
        # back-transforming the log/logit value, which is kept for identical rounding.
        fitted_y = model_value if transform else _from_model_scale(model_value, value_type)
    if np.isinf(fitted_y).any():
        # R's lm() stops here.
        raise IndicatorInputError(
            "NA/NaN/Inf in 'y': a value of 0, or a proportion of 1, cannot be log or logit "
            "transformed",
            column=fields["value"] or fields["x"],
            row=areas.first_row(np.isinf(fitted_y)),
        )
    # R's rnorm() gives NaN for a missing mean or an infinite SE (a confidence limit of 0 on the
    # log or logit scale), and a proportion of 1 (+Inf on the logit scale) back-transforms to
    # NaN; R then fails with an obscure error. A value of 0 (-Inf) simulates as 0, as in R.
    bad_value = np.isnan(model_value) | (model_value == np.inf)
    bad_se = ~np.isfinite(model_se)
    if bad_value.any() or bad_se.any():
        raise IndicatorInputError(
            UNDRAWABLE,
            column=(fields["value"] or fields["x"]) if bad_value.any() else (se or lower_cl),
            row=areas.first_row(bad_value if bad_value.any() else bad_se),
        )

    share, position = _positions(pop)
    beta0, beta1 = _fit_line(share, position, fitted_y)
    point = _point_estimates(beta0, beta1, value_type, transform, multiplier)

    lower_pos, upper_pos = _limit_positions(levels, repetitions)
    positions = sorted({*lower_pos, *upper_pos})
    slope_stats, ratio_stats = _simulate(
        model_value,
        model_se,
        _wls_weights(share, position),
        back=0 if transform else value_type,
        repetitions=repetitions,
        nsets=10 if reliability_stat else 1,
        positions=positions,
        ratio=bool(rii) and not transform,
        multiplier=1.0 if transform else multiplier,
        seed=seed,
    )
    # Each level's limits for every run: (level, sii lower, sii upper, rii lower, rii upper).
    limits = []
    for level, lo, hi in zip(levels, lower_pos, upper_pos, strict=True):
        lo, hi = positions.index(lo), positions.index(hi)
        sii_lo, sii_hi = slope_stats[..., lo], slope_stats[..., hi]
        if transform:
            pivoted = _pivoted_limits(sii_lo, sii_hi, point["midpoint"], value_type, multiplier)
            limits.append((level, *pivoted))
        elif rii:
            limits.append((level, sii_lo, sii_hi, ratio_stats[..., lo], ratio_stats[..., hi]))
        else:
            limits.append((level, sii_lo, sii_hi, None, None))

    out = _output(
        areas.keys,
        point,
        limits,
        rii=rii,
        transform=transform,
        intercept=intercept,
        reliability_stat=reliability_stat,
    )
    if type == "full":
        out["indicator_type"] = INDICATOR_TYPES[value_type]
        out["multiplier"] = multiplier
        out["transform"] = TRANSFORM_LABELS[value_type] if transform else "none"
        out["CI_confidence"] = ", ".join(f"{_r_number(c * 100)}%" for c in levels)
        out["CI_method"] = f"simulation {_r_number(repetitions)} reps"
    return out


def _output(keys, point, limits, *, rii, transform, intercept, reliability_stat) -> pd.DataFrame:
    """The statistics with R's column names, in R's order, which differ with transform: R
    builds the transformed limits level by level and names them without the "cl" ending.
    The limits reported are the first run's."""
    out = keys.copy()
    out["sii"] = point["sii"]
    if rii:
        out["rii"] = point["rii"]
    if transform:
        for level, sii_lo, sii_hi, rii_lo, rii_hi in limits:
            tag = _level_tag(level)
            out[f"sii_lower{tag}"] = sii_lo[:, 0]
            out[f"sii_upper{tag}"] = sii_hi[:, 0]
            if rii:
                out[f"rii_lower{tag}"] = rii_lo[:, 0]
                out[f"rii_upper{tag}"] = rii_hi[:, 0]
    else:
        for level, sii_lo, sii_hi, _, _ in limits:
            out[f"sii_lower{_level_tag(level)}cl"] = sii_lo[:, 0]
            out[f"sii_upper{_level_tag(level)}cl"] = sii_hi[:, 0]
        if rii:
            for level, _, _, rii_lo, rii_hi in limits:
                out[f"rii_lower{_level_tag(level)}cl"] = rii_lo[:, 0]
                out[f"rii_upper{_level_tag(level)}cl"] = rii_hi[:, 0]
    if reliability_stat:
        for level, sii_lo, sii_hi, rii_lo, rii_hi in limits:
            tag = _level_tag(level)
            out[f"sii_mad{tag}"] = _mean_absolute_difference(sii_lo, sii_hi)
            if rii:
                out[f"rii_mad{tag}"] = _mean_absolute_difference(rii_lo, rii_hi)
    if intercept:
        out["intercept"] = point["intercept"]
    return out


# --- checks ----------------------------------------------------------------------------------


def _check_arguments(
    *,
    df,
    quantile,
    population,
    x,
    value,
    value_type,
    transform,
    lower_cl,
    upper_cl,
    se,
    confidence,
    multiplier,
    repetitions,
    type,
) -> tuple[float, ...]:
    """R's stop() checks on the arguments, in R's order; returns the confidence levels."""
    if df is None or quantile is None or population is None:
        raise IndicatorInputError(
            "function phe_sii requires the arguments: data, quantile, population"
        )
    if value is None and x is None:
        raise IndicatorInputError(VALUE_REQUIRED)
    if se is None and (upper_cl is None or lower_cl is None):
        raise IndicatorInputError(
            "function phe_sii requires either lower_cl and upper_cl fields, or se field"
        )
    if not _is_number(value_type) or value_type not in (0, 1, 2):
        raise IndicatorInputError("value_type should be 0, 1 or 2")
    if value is None and value_type != 2:
        # R accepts x with another value type and then fails: x only makes a proportion.
        raise IndicatorInputError(VALUE_REQUIRED)
    levels = _as_numbers(confidence)
    if not _is_number(multiplier) or not _is_number(repetitions) or levels is None:
        raise IndicatorInputError("multiplier, repetitions and confidence inputs should be numeric")
    if repetitions < 1000:
        raise IndicatorInputError(
            "number of repetitions must be 1000 or greater. Default is 100,000"
        )
    if not math.isfinite(repetitions) or float(repetitions) != int(repetitions):
        raise IndicatorInputError("number of repetitions must be a whole number")
    if transform and value_type == 0:
        raise IndicatorInputError("value_type should be 1 or 2 when transform is true")
    if transform and se is not None:
        raise IndicatorInputError(
            "function phe_sii requires se to be missing when transform is true"
        )
    if transform and (upper_cl is None or lower_cl is None):
        raise IndicatorInputError(
            "function phe_sii requires lower_cl and upper_cl fields when transform is true"
        )
    # R's test, kept as written: a mix such as (0.95, 95) is refused, any number of levels is not.
    if (
        not levels
        or any(math.isnan(c) for c in levels)
        or any(c < 0.9 for c in levels)
        or (any(c > 1 for c in levels) and any(c < 90 for c in levels))
        or any(c > 100 for c in levels)
    ):
        raise IndicatorInputError(
            "all confidence levels must be between 90 and 100 or between 0.9 and 1"
        )
    if type not in ("full", "standard"):
        raise IndicatorInputError('type must be "full" or "standard"')
    return tuple(c / 100 if c >= 90 else c for c in levels)


def _is_number(value) -> bool:
    return isinstance(value, (Real, np.number)) and not isinstance(value, (bool, np.bool_))


def _as_numbers(confidence) -> tuple[float, ...] | None:
    if _is_number(confidence):
        return (float(confidence),)
    if isinstance(confidence, (str, bytes)) or not isinstance(confidence, (Sequence, np.ndarray)):
        return None
    if not all(_is_number(c) for c in confidence):
        return None
    return tuple(float(c) for c in confidence)


def _numeric_field(df: pd.DataFrame, column: str) -> np.ndarray:
    series = df[column]
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        raise IndicatorInputError(NON_NUMERIC, column=column)
    return series.to_numpy(dtype=float, na_value=np.nan)


def _check_data(data: dict[str, np.ndarray], fields: dict[str, str | None], value_type: int):
    """R's stop() checks on the data. They stop rather than drop an area, so by the time areas
    are checked for completeness only a missing quantile can remove one."""
    pop = data["population"]
    refuse(
        ~(pop > 0),
        "some groups have a zero, negative or missing population",
        fields["population"],
    )
    if "se" in data:
        refuse(
            ~(data["se"] >= 0),
            "negative or missing standard errors in input dataset",
            fields["se"],
        )
    if "lower_cl" in data and "upper_cl" in data:
        missing = np.isnan(data["lower_cl"]) | np.isnan(data["upper_cl"])
        refuse(
            missing, "missing lower or upper confidence limits in input dataset", fields["lower_cl"]
        )
    if value_type == 2:
        if "value" in data:
            v = data["value"]
            refuse(
                (v < 0) | (v > 1), "value proportions are not all between 0 and 1", fields["value"]
            )
        if "lower_cl" in data and "upper_cl" in data:
            lo, hi = data["lower_cl"], data["upper_cl"]
            outside = (lo < 0) | (lo > 1) | (hi < 0) | (hi > 1)
            refuse(
                outside,
                "confidence limit proportions are not all between 0 and 1",
                fields["lower_cl"],
            )
        if "value" not in data:
            refuse(data["x"] <= 0, "some groups have a zero or negative count x", fields["x"])


# --- areas and quantiles ----------------------------------------------------------------------


class _Areas:
    """The areas that have a row for every quantile seen anywhere in the data.

    R counts the quantiles over the whole frame (a missing quantile label counts as one), keeps
    an area only if it has all of them, and warns when rows were left out. Quantiles are ordered
    by their labels, so labels must sort in deprivation order (R turns factors into text first,
    so a categorical column is sorted as text here too).
    """

    def __init__(self, df: pd.DataFrame, columns: list[str], quantile: str):
        labels = df[quantile]
        if isinstance(labels.dtype, pd.CategoricalDtype):
            labels = labels.astype(object)
        codes, uniques = pd.factorize(labels, use_na_sentinel=False)
        self.nquantiles = k = len(uniques)
        order = pd.Series(uniques).sort_values(na_position="last", kind="stable").index
        rank = np.empty(k, dtype=np.intp)
        rank[np.asarray(order)] = np.arange(k)
        groups = Groups(df, columns)
        counts = np.bincount(groups.codes * k + rank[codes], minlength=groups.count * k).reshape(
            groups.count, k
        )
        complete = (counts > 0).sum(axis=1) == k
        if (counts[complete] > 1).any():
            # R fails here ("replacement has ... rows"): the fit needs one row per quantile.
            raise IndicatorInputError(
                "each area must have exactly one row for each quantile", column=quantile
            )
        self.removed_rows = int(complete.sum()) * k != len(df)
        area_of_group = np.full(groups.count, -1)
        area_of_group[complete] = np.arange(int(complete.sum()))
        self._rows = np.flatnonzero(complete[groups.codes])
        self._area = area_of_group[groups.codes[self._rows]]
        self._column = rank[codes[self._rows]]
        self.count = int(complete.sum())
        self.keys = groups.keys.loc[complete].reset_index(drop=True)

    def first_row(self, mask: np.ndarray) -> int:
        """The input row of the first (area, quantile) cell where `mask` holds."""
        rows = np.empty((self.count, self.nquantiles), dtype=np.intp)
        rows[self._area, self._column] = self._rows
        return int(rows[mask][0])

    def table(self, values: np.ndarray) -> np.ndarray:
        """A per-row column as an (area, quantile) table."""
        out = np.full((self.count, self.nquantiles), np.nan)
        out[self._area, self._column] = values[self._rows]
        return out


def _positions(pop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each quantile's population share, and its position: the midpoint of its share of the
    area's cumulative population (R's FindXValues, with the same order of arithmetic)."""
    share = pop / pop.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(share, axis=1)
    before = np.zeros_like(cumulative)
    before[:, 1:] = cumulative[:, :-1]
    position = share / 2 + before
    position[:, 0] = share[:, 0] / 2
    return share, position


def _fit_line(share, position, y) -> tuple[np.ndarray, np.ndarray]:
    """The fitted intercept and slope of each area, as R's lm(sqrt(a)*y ~ sqrt(a) +
    position*sqrt(a) - 1): the least-squares line of y on position weighted by the population
    share a. Solved by QR decomposition, as lm() does, to agree with R to rounding error even when
    the slope is small beside the values.
    """
    if not len(y):
        return np.empty(0), np.empty(0)
    root = np.sqrt(share)
    q, r = np.linalg.qr(np.stack([root, position * root], axis=2))
    c = np.einsum("nkj,nk->nj", q, root * y)
    slope = c[:, 1] / r[:, 1, 1]
    intercept = (c[:, 0] - r[:, 0, 1] * slope) / r[:, 0, 0]
    return intercept, slope


def _wls_weights(share, position) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients that turn an area's values into its fitted intercept and slope.

    The weighted least-squares line's parameters are weighted sums of the values: the intercept
    is sum(w_intercept * y) and the slope sum(w_slope * y), for all the simulated values at once.
    """
    total = share.sum(axis=1, keepdims=True)
    centre = (share * position).sum(axis=1, keepdims=True) / total
    deviation = position - centre
    spread = (share * deviation * deviation).sum(axis=1, keepdims=True)
    w_slope = share * deviation / spread
    w_intercept = share / total - centre * w_slope
    return w_intercept, w_slope


def _to_model_scale(values, value_type):
    if value_type == 1:
        return np.log(values)
    if value_type == 2:
        return np.log(values / (1 - values))
    return values


def _from_model_scale(values, value_type):
    if value_type == 1:
        return np.exp(values)
    if value_type == 2:
        return np.exp(values) / (1 + np.exp(values))
    return values


def _point_estimates(beta0, beta1, value_type, transform, multiplier) -> dict[str, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        if not transform:
            ratio = (beta0 + beta1) / beta0
            return {
                "sii": multiplier * beta1,
                "rii": 1 / ratio if multiplier < 0 else ratio,
                # R reports the intercept unscaled here, but scaled when transform = TRUE.
                "intercept": beta0,
            }
        at_one = beta0 + beta1
        at_zero = _from_model_scale(beta0, value_type)
        at_one_back = _from_model_scale(at_one, value_type)
        ratio = at_one_back / at_zero
        return {
            "sii": (at_one_back - at_zero) * multiplier,
            "rii": 1 / ratio if multiplier < 0 else ratio,
            "intercept": at_zero * abs(multiplier),
            # The transformed line at x = 1/2, about which the slope's limits are pivoted.
            "midpoint": (beta0 + at_one) / 2,
        }


def _pivoted_limits(slope_lower, slope_upper, midpoint, value_type, multiplier):
    """Limits with transform = TRUE: each simulated slope limit (on the log or logit scale) is
    drawn as a line through the fitted value at x = 1/2, and its ends are back-transformed.

    When the multiplier flips the sign the limits swap. R's test for the flip is multiplier < 0
    for proportions but multiplier < 1 for rates, so a rate multiplier between 0 and 1 also swaps
    (and inverts the RII limits); that is reproduced.
    """
    mid = midpoint[:, None]
    start_lower, start_upper = mid - slope_lower / 2, mid - slope_upper / 2
    end_lower, end_upper = mid + slope_lower / 2, mid + slope_upper / 2
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        s_lo, s_up = (_from_model_scale(v, value_type) for v in (start_lower, start_upper))
        e_lo, e_up = (_from_model_scale(v, value_type) for v in (end_lower, end_upper))
        flip = multiplier < 1 if value_type == 1 else multiplier < 0
        if flip:
            return (
                (e_up - s_up) * multiplier,
                (e_lo - s_lo) * multiplier,
                1 / (e_up / s_up),
                1 / (e_lo / s_lo),
            )
        return (e_lo - s_lo) * multiplier, (e_up - s_up) * multiplier, e_lo / s_lo, e_up / s_up


def _mean_absolute_difference(lower, upper):
    """R's reliability statistic: the mean absolute difference of runs 2 to 10's lower and upper
    limits from run 1's (18 differences for each area)."""
    diffs = np.concatenate(
        [np.abs(lower[:, 1:] - lower[:, :1]), np.abs(upper[:, 1:] - upper[:, :1])], axis=1
    )
    return diffs.mean(axis=1)


# --- simulation ------------------------------------------------------------------------------


def _limit_positions(levels, repetitions) -> tuple[list[int], list[int]]:
    """0-based positions, in the sorted simulated results, of each level's lower and upper
    limits: R's round(R * (1 - c')) and round(R * c') with c' = c + (1 - c) / 2, counted from 1.
    (Python's round() rounds halves to even, as R's does.)"""
    lower, upper = [], []
    for c in levels:
        critical = c + (1 - c) / 2
        lo, hi = round(repetitions * (1 - critical)), round(repetitions * critical)
        if lo < 1:
            raise IndicatorInputError(
                "confidence level too high for the number of repetitions: increase repetitions"
            )
        lower.append(lo - 1)
        upper.append(hi - 1)
    return lower, upper


def _simulate(
    mean,
    sd,
    weights,
    *,
    back,
    repetitions,
    nsets,
    positions,
    ratio,
    multiplier,
    seed,
):
    """Order statistics of the simulated slope (and RII) for every area.

    mean, sd: (area, quantile) value and SE on the log/logit scale (or as given for value type 0).
    back: 1 or 2 to back-transform each draw with exp or expit before fitting, as R does without
    transform, or 0 for none. Returns arrays (area, run, position) of the sorted simulated slopes
    times `multiplier` (and of the RIIs, inverted for a negative multiplier) at `positions`.

    With a back-transform every repetition draws one value per quantile, as R does, and the
    refits of a block of repetitions are one matrix product. Without one the fitted intercept and
    slope are linear in the draws, so they are jointly normal with mean fit(mean) and covariance
    W diag(SE^2) W' (W the fit's coefficients): drawing that pair directly gives results with
    exactly the distribution of R's per-quantile draws, from two draws a repetition instead of one
    per quantile.
    """
    n, k = mean.shape
    total = nsets * repetitions
    slope_stats = np.empty((n, nsets, len(positions)))
    ratio_stats = np.empty_like(slope_stats) if ratio else None
    w_intercept, w_slope = weights
    streams = np.random.default_rng(seed).spawn(n)
    linear = back == 0
    width = 2 if linear else k
    if linear:
        with np.errstate(invalid="ignore"):
            centre = np.stack([(w_intercept * mean).sum(1), (w_slope * mean).sum(1)], axis=1)
            factor = _cholesky_2x2(
                (w_intercept**2 * sd**2).sum(1),
                (w_intercept * w_slope * sd**2).sum(1),
                (w_slope**2 * sd**2).sum(1),
            )
    else:
        coefficients = np.stack([w_intercept, w_slope], axis=2)  # (area, quantile, 2)

    todo = np.arange(n)
    per_area = total * 8 * (2 if ratio else 1)
    chunk_size = max(1, min(len(todo), _RESULT_BUDGET // per_area)) if len(todo) else 1
    chunks = [todo[i : i + chunk_size] for i in range(0, len(todo), chunk_size)]

    def run(chunk: np.ndarray) -> None:
        size = len(chunk)
        block = max(1, min(total, _DRAW_BUDGET // (size * width * 8 * 2)))
        slopes = np.empty((size, total))
        ratios = np.empty((size, total)) if ratio else None
        draws = np.empty((size, block, width))
        for start in range(0, total, block):
            stop = min(total, start + block)
            z = draws[:, : stop - start]
            for i, area in enumerate(chunk):
                streams[area].standard_normal(out=draws[i, : stop - start])
            if linear:
                l00, l10, l11 = (f[chunk, None] for f in factor)
                fit_intercept = centre[chunk, 0, None] + l00 * z[..., 0]
                fit_slope = centre[chunk, 1, None] + l10 * z[..., 0] + l11 * z[..., 1]
            else:
                z *= sd[chunk][:, None, :]
                z += mean[chunk][:, None, :]
                with np.errstate(over="ignore", invalid="ignore"):
                    np.exp(z, out=z)
                    if back == 2:
                        np.divide(z, 1 + z, out=z)
                fit = np.matmul(z, coefficients[chunk])
                fit_intercept, fit_slope = fit[..., 0], fit[..., 1]
            slopes[:, start:stop] = fit_slope
            if ratios is not None:
                with np.errstate(divide="ignore", invalid="ignore"):
                    ratios[:, start:stop] = (fit_slope + fit_intercept) / fit_intercept
        slopes *= multiplier
        slope_stats[chunk] = _order_statistics(slopes, nsets, positions)
        if ratios is not None:
            if multiplier < 0:
                with np.errstate(divide="ignore"):
                    np.divide(1.0, ratios, out=ratios)
            ratio_stats[chunk] = _order_statistics(ratios, nsets, positions)

    workers = min(len(chunks), _MAX_WORKERS, os.cpu_count() or 1)
    if workers <= 1:
        for chunk in chunks:
            run(chunk)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(run, chunks))
    return slope_stats, ratio_stats


def _cholesky_2x2(c00, c01, c11):
    """The lower-triangular factor (l00, l10, l11) of each 2x2 covariance matrix, allowing a
    singular one (for example when every SE but one is zero)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        l00 = np.sqrt(c00)
        l10 = np.where(l00 > 0, c01 / l00, 0.0)
        l11 = np.sqrt(np.maximum(c11 - l10**2, 0.0))
    return l00, l10, l11


def _order_statistics(results: np.ndarray, nsets: int, positions: list[int]) -> np.ndarray:
    """The results at sorted `positions` of each run, as R's sort() then [position]. Each run is
    a consecutive block of repetitions, as R's matrix(results, ncol = 10) makes them.

    Partial sorts find each position in turn, the next one only among the larger values: much
    faster than a full sort, or than numpy's partition with several positions at once.
    """
    runs = results.reshape(results.shape[0], nsets, -1)
    for run in runs.reshape(-1, runs.shape[-1]):
        start = 0
        for p in positions:
            run[start:].partition(p - start)
            start = p + 1
    return runs[..., positions]


# --- formatting ------------------------------------------------------------------------------


def _level_tag(level: float) -> str:
    """R's gsub(".", "_", formatC(level * 100, format = "f", digits = 1)): 95_0, 99_8."""
    return f"{level * 100:.1f}".replace(".", "_")


def _r_number(x: float) -> str:
    """A number as R's paste() writes it: up to 15 significant digits, in scientific notation
    when that is narrower, so 100000 is "1e+05" (R's default repetitions) but 10000 is "10000"."""
    x = float(x)
    if not math.isfinite(x):
        return "NaN" if math.isnan(x) else ("Inf" if x > 0 else "-Inf")
    if x == 0:
        return "0"
    mantissa, exponent = f"{abs(x):.14e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    power = int(exponent)
    digits = len(mantissa.replace(".", ""))
    sign = 1 if x < 0 else 0
    decimals = max(0, digits - power - 1)
    fixed_width = sign + max(power, 0) + 1 + (decimals + 1 if decimals else 0)
    sci_width = sign + digits + (1 if digits > 1 else 0) + (4 if abs(power) < 100 else 5)
    if fixed_width <= sci_width:
        return f"{x:.{decimals}f}"
    return f"{'-' if sign else ''}{mantissa}e{'+' if power >= 0 else '-'}{abs(power):02d}"
