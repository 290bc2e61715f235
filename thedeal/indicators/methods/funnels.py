"""Funnel plots: control limits, each area's significance, and the points to plot (METHODS.md 9).

The three functions follow PHEindicatormethods 2.1.0's calculate_funnel_limits,
assign_funnel_significance and calculate_funnel_points: the same 100-point axis, the same
bisection for the Poisson limits with the same stopping rules (so the limits are the R package's
own, bisection error of about 1e-7 included), the same column names and labels, and the same
input errors.

Control limits are drawn at two levels, "2s" (95%, 0.025 in each tail) and "3s" (99.8%, 0.001 in
each tail). Every function takes column names and returns a pandas DataFrame; Polars frames are
accepted.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import special, stats

from ._common import IndicatorInputError, as_pandas, numeric, r_character, refuse

STATISTICS = ("proportion", "ratio", "rate")
RATIO_TYPES = ("count", "isr")
RATE_TYPES = ("dsr", "crude")
LIMIT_TYPES = ("full", "standard")

HIGH_3S, HIGH_2S = "High (0.001)", "High (0.025)"
LOW_3S, LOW_2S = "Low (0.001)", "Low (0.025)"
NOT_SIGNIFICANT = "Not significant"
DSR_TOO_FEW = "Not applicable for events less than 10 for dsrs"
# The significance column is a categorical with the R factor's levels, in the R package's order.
SIGNIFICANCE_LEVELS = (HIGH_3S, HIGH_2S, LOW_3S, LOW_2S, NOT_SIGNIFICANT)

# Tail probability of each control limit, one side.
TAILS = {"2s": 0.025, "3s": 0.001}
# The normal quantile for each, 1.959964 and 3.090232, exactly as R's qnorm(0.975) and
# qnorm(0.999) give them: SciPy's 0.975 quantile is two units in the last place higher, which
# would move limits at large denominators by up to 1e-13.
Z = {"2s": float.fromhex("0x1.f5c0331eeff82p+0"), "3s": float.fromhex("0x1.8b8cbb720447p+1")}
Z_AT_CONFIDENCE = {0.95: Z["2s"], 0.998: Z["3s"]}
# R's Poisson series stops once a term is at most 1e-10 of the sum so far.
LOG_CUTOFF = math.log(1e-10)

REQUIRED = {
    "statistic": "statistic must be provided as proportion, rate or ratio",
    "rate_limits": (
        "the following arguments are required for rates: "
        "data, numerator, rate, rate_type, multiplier, years_of_data"
    ),
    "rate_significance": (
        "the following arguments are required for rates: data, numerator, rate, rate_type, multiplier"
    ),
    "rate_points": (
        "the following arguments are required for rates: "
        "data, numerator, rate, rate_type, years_of_data, multiplier"
    ),
    "ratio_limits": (
        "the following arguments are required for ratios: "
        "data, numerator, denominator, ratio_type, multiplier"
    ),
    "proportion_limits": (
        "the following arguments are required for proportions: "
        "data, numerator, denominator, multiplier"
    ),
    "significance": (
        "the following arguments are required for ratios and proportions: "
        "data, numerator, denominator"
    ),
}
MISSING_NUMERATOR = (
    "for rates, numerators must be provided for all records, even when their values are zero"
)
MISSING_RATE = (
    "for rates, rates must be provided for all records, "
    "or a denominator must be provided if the rate is zero"
)
ZERO_WITHOUT_DENOMINATOR_FIELD = (
    "for rates, where there are 0 events for a record, "
    "the denominator field needs to be provided using the denominator argument"
)
ZERO_WITHOUT_DENOMINATOR = (
    "for rates, where there are 0 events for a record, the denominator must be provided"
)
MISSING_PROPORTION_INPUT = (
    "for proportions, numerators and denominators must be provided for all records, "
    "even when their values are zero"
)


# --- control limits --------------------------------------------------------------------------


def funnel_limits(
    df,
    numerator,
    denominator=None,
    *,
    rate=None,
    statistic,
    multiplier,
    ratio_type=None,
    rate_type=None,
    years_of_data=None,
    type="full",
):
    """The funnel plot's control limits at 100 points along the x-axis.

    numerator, denominator: columns of observed counts and their denominators (for ratios,
    the expected counts; for rates the denominator is needed only where there are 0 events).
    rate: for statistic "rate", the column of rates per `multiplier`.
    statistic: "proportion", "ratio" or "rate". multiplier: e.g. 100 for percentages, 100000
    for rates per 100,000 (required, as in the R package, even for ratios where it is unused).
    ratio_type: "count" (limits as ratio - 1) or "isr" (ratio x 100). rate_type: "dsr" or
    "crude". years_of_data: how many years the rates cover (rates only).
    type: "full" adds the statistic and method columns; "standard" leaves them out.

    The result does not hold the input rows: it is 100 rows of x-axis values (Population,
    Observed_events or Events) with the 95% ("2s") and 99.8% ("3s") limits at each.
    """
    data = as_pandas(df) if df is not None else None
    statistic = _statistic(statistic, type_to_check=type)
    if statistic == "rate":
        if data is None or None in (numerator, rate, rate_type, years_of_data, multiplier):
            raise IndicatorInputError(REQUIRED["rate_limits"])
        numerators, rates, denominators = _rate_inputs(data, numerator, rate, denominator)
        rate_type = _match_arg(rate_type, RATE_TYPES)
    elif statistic == "ratio":
        if data is None or None in (numerator, denominator, ratio_type, multiplier):
            raise IndicatorInputError(REQUIRED["ratio_limits"])
        ratio_type = _match_arg(ratio_type, RATIO_TYPES)
        numerators, denominators = numeric(data, numerator), numeric(data, denominator)
    else:
        if data is None or None in (numerator, denominator, multiplier):
            raise IndicatorInputError(REQUIRED["proportion_limits"])
        numerators, denominators = numeric(data, numerator), numeric(data, denominator)
        refuse(np.isnan(numerators), MISSING_PROPORTION_INPUT, numerator)
        refuse(np.isnan(denominators), MISSING_PROPORTION_INPUT, denominator)
    output = _match_arg(type, LIMIT_TYPES)
    multiplier = _number(multiplier, "multiplier")

    if statistic == "rate":
        years = _number(years_of_data, "years_of_data")
        used = _rate_denominators(
            numerators, rates, denominators, multiplier, rate_type, events_first=True
        )
    else:
        years = 1.0
        used = denominators

    known = used[~np.isnan(used)]
    if known.size == 0:
        raise IndicatorInputError("there are no denominators to draw the funnel from")
    # R's sum() accumulates in extended precision; fsum (exactly rounded) is the closest match.
    average = _divide(_sum(numerators), math.fsum(known))
    if not np.isfinite(known).all() or (statistic == "rate" and not math.isfinite(average)):
        # R carries on with Inf and NaN here and returns a meaningless axis.
        raise IndicatorInputError(
            "the funnel cannot be drawn: a denominator or the average is infinite or undefined"
            + (" (is there a rate of 0 with events?)" if statistic == "rate" else "")
        )
    axis = _axis(float(known.min()), float(known.max()), statistic, years, average)

    with np.errstate(divide="ignore", invalid="ignore"):
        # (A zero average, say, gives R's Inf and NaN, not an error.)
        out = _limit_table(axis, statistic, average, multiplier, ratio_type, years)
    if output == "full":
        if statistic == "ratio":
            out["statistic"] = f"ratio ({ratio_type})"
        elif statistic == "rate":
            out["statistic"] = f"rate ({rate_type} per {_r_format_big_mark(multiplier)})"
        else:
            out["statistic"] = "proportion"
        out["method"] = "Wilson" if statistic == "proportion" else "Poisson"
    return out


def _limit_table(axis, statistic, average, multiplier, ratio_type, years) -> pd.DataFrame:
    """The limits at each axis point, in the R package's columns."""
    if statistic == "proportion":
        out = pd.DataFrame({"Population": axis})
        for level in ("2s", "3s"):
            lower = _proportion_limit(Z[level], axis, average, -1, multiplier)
            upper = _proportion_limit(Z[level], axis, average, +1, multiplier)
            # The clamp at 100 is the R package's: it assumes percentages.
            out[f"lower_{level}_limit"] = np.maximum(0, lower)
            out[f"upper_{level}_limit"] = np.minimum(100, upper)
        out["baseline"] = average * multiplier
    elif statistic == "ratio":
        out = pd.DataFrame({"Observed_events": axis})
        for level in ("2s", "3s"):
            for bound in ("lower", "upper"):
                expected = _funnel_expected(axis, TAILS[level], bound)
                ratio = axis / expected
                out[f"{bound}_{level}_exp_events"] = expected
                out[f"{bound}_{level}_limit"] = ratio - 1 if ratio_type == "count" else ratio * 100
    else:
        out = pd.DataFrame({"Events": axis})
        for level in ("2s", "3s"):
            for bound in ("lower", "upper"):
                population = _funnel_expected(axis, TAILS[level], bound) / average
                out[f"{bound}_{level}_population_1_year"] = population / years
                out[f"{bound}_{level}_limit"] = axis / population * multiplier
        out["baseline"] = average * multiplier

    return out


def _axis(smallest, largest, statistic, years, average) -> np.ndarray:
    """The 100 x-axis values: denominators for proportions, observed events for ratios and rates.

    The axis runs from a neat number just below the smallest denominator (or from 0 when the
    largest is more than twice the smallest) to one just above the largest, in steps that grow
    geometrically, so that the funnel's curved end near zero gets most of the points.
    """
    if largest > 2 * smallest:
        start = 0.0
    elif statistic == "rate":
        start = _neat_floor(smallest / years) * years
    else:
        start = _neat_floor(smallest)
    if statistic == "rate":
        end = _neat_ceiling(largest / years) * years
        # Rates are drawn against events: the denominators at the baseline rate.
        start = float(math.floor(start * average))
        end = float(math.ceil(end * average))
    else:
        end = _neat_ceiling(largest)

    points = [max(1.0, start)]
    # R's ratio funnels use one step fewer in the exponent (1/100 ... 1/2 instead of 1/99 ... 1),
    # so their axis stops short of `end`; kept so the points are the R package's.
    shift = 1 if statistic == "ratio" else 0
    for j in range(2, 101):
        previous = points[-1]
        growth = end / previous
        # Written out so that impossible inputs (negative or no denominators) give NaN, as in R.
        step = growth ** (1 / (101 - j + shift)) * previous if growth >= 0 else math.nan
        if math.isnan(step) or math.isnan(previous):
            points.append(math.nan)
        else:
            points.append(max(float(round(step)) if math.isfinite(step) else step, previous + 1))
    return np.array(points)


def _neat_floor(x: float) -> float:
    """x × 0.95 rounded down to its leading digit (R's signif.floor)."""
    if x == 0:
        return 0.0
    # The digit count is R's nchar() of the number, which counts "1e+05" as 5 characters.
    n = len(r_character(math.floor(x * 0.95))) - 1
    return math.floor(x * 0.95 / 10.0**n) * 10.0**n


def _neat_ceiling(x: float) -> float:
    """x × 1.05 rounded up to its two leading digits (R's signif.ceiling)."""
    if x == 0:
        return 0.0
    n = len(r_character(math.ceil(x * 1.05))) - 2
    return math.ceil(x * 1.05 / 10.0**n) * 10.0**n


def _proportion_limit(z, population, average, side, multiplier):
    """The proportion whose Wilson interval at `z` just reaches the average (R's sigma_adjustment).

    Algebraically this is average ± z·sqrt(average·(1 − average)/population); it is evaluated in
    the Wilson-inverted form the R package uses, so the rounding (and any NaN) is the same.
    """
    z2 = z * z
    scaled = population / z2
    first = average * (scaled + 1)
    with np.errstate(invalid="ignore"):
        root = np.sqrt(
            (-8 * average * (scaled + 1)) ** 2
            - 64
            * (1 / z2 + 1 / population)
            * average
            * (population * (average * (scaled + 2) - 1) + z2 * (average - 1))
        )
    last = 1 / z2 + 1 / population
    return (first + side * root / 8) / last / population * multiplier


def _funnel_expected(observed, tail, bound):
    """The Poisson mean at which `observed` events sit on the control limit (R's poisson_funnel).

    bound "lower": the mean E with P(X ≤ O | E) = tail (larger than O, so O/E is the lower limit);
    bound "upper": the mean with P(X ≥ O | E) = tail. As in the R package, the mean is found by
    bisection on v in (0, 1), with E = (1 + O)·v/(1 − v), halving the step from 0.25 until it is
    below 1e-7 (23 steps). All axis points are bisected together.
    """
    observed = np.asarray(observed, dtype=float)
    v = np.full(observed.shape, 0.5)
    dv = 0.5
    while dv > 1e-7:
        dv /= 2
        mean = (1 + observed) * v / (1 - v)
        if bound == "lower":
            too_large = _truncated_poisson(mean, observed, at_most=True) < tail
        else:
            too_large = _truncated_poisson(mean, observed, at_most=False) > tail
        v = np.where(too_large, v - dv, v + dv)
    return (1 + observed) * v / (1 - v)


def _truncated_poisson(mean, observed, *, at_most):
    """P(X ≤ O) (at_most) or P(X ≥ O) for X ~ Poisson(mean), as the R package's series gives it.

    R sums the terms mean^k/k! from k = 0 and stops at the first k above the mean whose term is
    at most 1e-10 of the sum so far; both the probability and its total lose the terms from there
    on. We find that cut-off K and use the exact distribution up to it, which reproduces R's
    value (and so its bisection) far more closely than the untruncated probability would.
    """
    cut = _series_cut(mean)
    total = special.pdtr(cut - 1, mean)
    if at_most:
        return special.pdtr(np.minimum(observed, cut - 1), mean) / total
    with np.errstate(invalid="ignore"):
        upper = special.pdtrc(np.maximum(observed - 1, 0), mean) - special.pdtrc(cut - 1, mean)
    upper = np.where(observed <= 0, total, upper)
    return np.where(observed > cut - 1, 0.0, upper / total)


def _series_cut(mean):
    """The first k > mean with pmf(k) ≤ 1e-10 × P(X ≤ k − 1): where R's series stops."""
    mean = np.asarray(mean, dtype=float)
    low = np.floor(mean) + 1
    high = low + np.ceil(12 * np.sqrt(mean)) + 50

    undefined = ~np.isfinite(mean)

    def stops(k):
        # Compared on the log scale: the terms themselves overflow for large means.
        with np.errstate(divide="ignore", invalid="ignore"):
            log_term = special.xlogy(k, mean) - mean - special.gammaln(k + 1)
            return undefined | (log_term <= LOG_CUTOFF + np.log(special.pdtr(k - 1, mean)))

    while not stops(high).all():  # never needed in practice: the bound is generous
        high = np.where(stops(high), high, high + (high - low) + 50)
    while (high > low).any():  # (NaN compares False, so an undefined mean ends at once)
        middle = np.floor((low + high) / 2)
        ends = stops(middle)
        high = np.where(ends, middle, high)
        low = np.where(ends, low, middle + 1)
    return low


# --- significance ----------------------------------------------------------------------------


def funnel_significance(
    df,
    numerator,
    denominator,
    *,
    rate=None,
    statistic,
    multiplier,
    ratio_type=None,
    rate_type=None,
):
    """Each area's place on the funnel: "High (0.001)", "Low (0.025)", "Not significant" ...

    Returns the input with a categorical `significance` column. For proportions the area's
    proportion is compared with the limits at its denominator; for ratios the observed/expected
    ratio's exact (below 10 events) or Byar's 95% and 99.8% intervals are compared with 1; for
    rates the interval of events/denominator is compared with the overall rate. DSRs from fewer
    than 10 events are "Not applicable for events less than 10 for dsrs".

    denominator: for ratios the expected counts; for rates needed only where there are 0 events
    (pass None otherwise). multiplier: the rate's "per" (required for rates only).
    ratio_type is accepted for symmetry with funnel_limits and not used.
    """
    data = as_pandas(df) if df is not None else None
    statistic = _statistic(statistic)
    if statistic == "rate":
        if data is None or None in (numerator, rate, rate_type, multiplier):
            raise IndicatorInputError(REQUIRED["rate_significance"])
        numerators, rates, denominators = _rate_inputs(data, numerator, rate, denominator)
        rate_type = _match_arg(rate_type, RATE_TYPES)
    else:
        if data is None or numerator is None or denominator is None:
            raise IndicatorInputError(REQUIRED["significance"])
        numerators, denominators = numeric(data, numerator), numeric(data, denominator)
        if statistic == "proportion":
            refuse(np.isnan(numerators), MISSING_PROPORTION_INPUT, numerator)
            refuse(np.isnan(denominators), MISSING_PROPORTION_INPUT, denominator)
    refuse(numerators < 0, "numerators must be greater than or equal to zero", numerator)
    if denominator is not None:
        # (For rates without a denominator column the R package fails here: "`var` is absent".)
        refuse(denominators <= 0, "denominators must be greater than zero", denominator)
    if statistic == "proportion":
        refuse(
            numerators > denominators,
            "numerators must be less than or equal to denominator for a proportion statistic",
            numerator,
        )

    levels = SIGNIFICANCE_LEVELS
    if statistic == "proportion":
        average = _divide(_sum(numerators), _sum(denominators))
        observed = numerators / denominators
        labels = _label(
            [
                observed < _proportion_limit(Z["3s"], denominators, average, -1, 1),
                observed < _proportion_limit(Z["2s"], denominators, average, -1, 1),
                observed > _proportion_limit(Z["3s"], denominators, average, +1, 1),
                observed > _proportion_limit(Z["2s"], denominators, average, +1, 1),
            ],
            [LOW_3S, LOW_2S, HIGH_3S, HIGH_2S],
        )
    elif statistic == "ratio":
        # R stops here too, but only with "missing value where TRUE/FALSE needed".
        refuse(
            np.isnan(numerators),
            "for ratios, numerators must be provided for all records",
            numerator,
        )
        labels = _compare_interval(numerators, denominators, 1.0)
    else:
        multiplier = _number(multiplier, "multiplier")
        used = _rate_denominators(
            numerators, rates, denominators, multiplier, rate_type, events_first=rate_type != "dsr"
        )
        average = _divide(_sum(numerators), math.fsum(used[~np.isnan(used)]))
        labels = _compare_interval(numerators, used, average)
        if rate_type == "dsr":
            labels = np.where(numerators < 10, DSR_TOO_FEW, labels)
        levels = (*SIGNIFICANCE_LEVELS, DSR_TOO_FEW)

    out = data.copy()
    if statistic == "rate" and "denominator_derived" in out.columns:
        # The R package works in a column of this name and drops it afterwards.
        out = out.drop(columns="denominator_derived")
    out["significance"] = pd.Categorical(labels, categories=list(levels))
    return out


def _compare_interval(observed, denominators, target):
    """Labels from the 99.8% and 95% intervals of observed/denominator against the target."""
    with np.errstate(invalid="ignore", divide="ignore"):
        low_3s = _count_limit(observed, 0.998, "lower") / denominators
        low_2s = _count_limit(observed, 0.95, "lower") / denominators
        high_3s = _count_limit(observed, 0.998, "upper") / denominators
        high_2s = _count_limit(observed, 0.95, "upper") / denominators
    return _label(
        [target < low_3s, target < low_2s, target > high_3s, target > high_2s],
        [HIGH_3S, HIGH_2S, LOW_3S, LOW_2S],
    )


def _count_limit(observed, confidence, bound):
    """A confidence limit for an observed count: exact below 10 events, Byar's from 10.

    As the R package's funnel_ratio_significance: the lower limit is 0 at 0 events.
    """
    observed = np.asarray(observed, dtype=float)
    q = 0.5 + confidence / 2
    z = Z_AT_CONFIDENCE[confidence]
    result = np.full(observed.shape, np.nan)
    small = observed < 10
    big = observed >= 10
    if bound == "lower":
        zero = observed == 0
        exact = small & ~zero
        # R asks qchisq for the upper tail (lower.tail = FALSE), so does isf.
        result[exact] = stats.chi2.isf(q, 2 * observed[exact]) / 2
        result[zero] = 0.0
        x = observed[big]
        result[big] = x * (1 - 1 / (9 * x) - z / 3 / np.sqrt(x)) ** 3
    else:
        result[small] = stats.chi2.ppf(q, 2 * observed[small] + 2) / 2
        x = observed[big] + 1
        result[big] = x * (1 - 1 / (9 * x) + z / 3 / np.sqrt(x)) ** 3
    return result


def _label(conditions, labels):
    """The first label whose condition holds (a missing comparison never holds), as case_when."""
    return np.select(conditions, labels, default=NOT_SIGNIFICANT).astype(object)


# --- points ----------------------------------------------------------------------------------


def funnel_points(
    df,
    numerator,
    denominator,
    *,
    rate=None,
    statistic,
    multiplier,
    ratio_type=None,
    rate_type=None,
    years_of_data=None,
):
    """Where each area goes on a rate funnel: its rate and its denominator for one year.

    Returns the input with two columns added: "<rate>_chart" (the rate to plot; missing for DSRs
    from fewer than 10 events, which are not plotted) and "denominator_derived" (multiplier ×
    events / rate / years_of_data; for crude rates with 0 events, the denominator / years).
    Only rates have points to derive: statistic must be "rate". ratio_type is not used.
    """
    data = as_pandas(df) if df is not None else None
    statistic = _statistic(statistic)
    if statistic != "rate":
        raise IndicatorInputError(
            'funnel points are derived for rates only (calculate_funnel_points): statistic must be "rate"'
        )
    if data is None or None in (numerator, rate, rate_type, years_of_data, multiplier):
        raise IndicatorInputError(REQUIRED["rate_points"])
    numerators = numeric(data, numerator)
    denominators = numeric(data, denominator) if denominator is not None else None
    # R tests for zero events with three-valued logic, and stops without saying why when a
    # missing numerator leaves the answer open; we stop there too, and say why.
    missing = np.isnan(numerators)
    zero = numerators == 0
    any_zero = _r_any(zero, missing)
    if any_zero:
        if denominator is None:
            raise IndicatorInputError(ZERO_WITHOUT_DENOMINATOR_FIELD, column=numerator)
        # (Here, unlike in the other two functions, R refuses a zero denominator, not a negative.)
        unusable = (denominators == 0) | np.isnan(denominators)
        refuse(zero & unusable, ZERO_WITHOUT_DENOMINATOR, denominator)
        any_zero = _r_any(zero & unusable, missing & unusable)
    if any_zero is None:
        refuse(missing, MISSING_NUMERATOR, numerator)
    rate_type = _match_arg(rate_type, RATE_TYPES)
    multiplier = _number(multiplier, "multiplier")
    years = _number(years_of_data, "years_of_data")
    rates = numeric(data, rate)

    with np.errstate(invalid="ignore", divide="ignore"):
        per_year = multiplier * numerators / rates / years
    if rate_type == "dsr":
        # DSRs from fewer than 10 events are not published, so not plotted.
        too_few = numerators < 10
        chart = np.where(too_few, np.nan, rates)
        derived = np.where(too_few, np.nan, per_year)
    else:
        chart = rates
        derived = (
            per_year if denominators is None else np.where(zero, denominators / years, per_year)
        )

    out = data.copy()
    out[f"{rate}_chart"] = chart
    out["denominator_derived"] = derived
    return out


# --- shared checks and helpers ---------------------------------------------------------------


def _statistic(statistic, *, type_to_check=None):
    """The statistic's full name; R accepts an unambiguous abbreviation ("prop") too."""
    if statistic is None:
        raise IndicatorInputError(REQUIRED["statistic"])
    if statistic in STATISTICS:
        return statistic
    if type_to_check is not None:
        # R checks `type` before it gets to the misspelt statistic.
        _match_arg(type_to_check, LIMIT_TYPES)
    return _match_arg(statistic, STATISTICS)


def _match_arg(value, choices):
    """R's match.arg: the choice equal to `value`, or the only one it abbreviates."""
    if isinstance(value, str):
        if value in choices:
            return value
        candidates = [c for c in choices if value and c.startswith(value)]
        if len(candidates) == 1:
            return candidates[0]
    quoted = ", ".join(f"\u201c{c}\u201d" for c in choices)
    raise IndicatorInputError(f"'arg' should be one of {quoted}")


def _rate_inputs(data, numerator, rate, denominator):
    """Numerators, rates and (if given) denominators for a rate funnel, checked as R checks them."""
    numerators = numeric(data, numerator)
    refuse(np.isnan(numerators), MISSING_NUMERATOR, numerator)
    rates = numeric(data, rate)
    denominators = None
    if denominator is not None:
        denominators = numeric(data, denominator)
        refuse(np.isnan(denominators) & np.isnan(rates), MISSING_RATE, rate)
    else:
        refuse(np.isnan(rates), MISSING_RATE, rate)
    zero = numerators == 0
    if zero.any():
        if denominators is None:
            raise IndicatorInputError(ZERO_WITHOUT_DENOMINATOR_FIELD, column=numerator)
        refuse(
            zero & ((denominators <= 0) | np.isnan(denominators)),
            ZERO_WITHOUT_DENOMINATOR,
            denominator,
        )
    return numerators, rates, denominators


def _rate_denominators(numerators, rates, denominators, multiplier, rate_type, *, events_first):
    """Each area's denominator: multiplier × events / rate (the population behind the rate).

    With 0 events a DSR says nothing of its population, so it has none; a crude rate uses the
    denominator supplied. (`events_first`: R computes multiplier × events / rate everywhere but
    in the DSR significance, which has events / rate × multiplier; we follow, to the last bit.)
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        if events_first:
            implied = multiplier * numerators / rates
        else:
            implied = numerators / rates * multiplier
    zero = numerators == 0
    if rate_type == "dsr":
        return np.where(zero, np.nan, implied)
    if denominators is None:
        return implied
    return np.where(zero, denominators, implied)


def _number(value, name) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise IndicatorInputError(f"{name} must be numeric") from None
    if name == "years_of_data" and not number > 0:
        raise IndicatorInputError("years_of_data must be greater than zero")
    return number


def _sum(values) -> float:
    """R's sum(): missing if any value is missing."""
    values = np.asarray(values, dtype=float)
    if np.isnan(values).any():
        return math.nan
    return math.fsum(values)


def _divide(a: float, b: float) -> float:
    """a / b as R divides: x / 0 is Inf (or NaN for 0 / 0) rather than an exception."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(a) / np.float64(b))


def _r_any(values, missing):
    """R's any() on logicals where `missing` marks NA: True, False or None (NA)."""
    if np.any(values & ~missing):
        return True
    if np.any(missing):
        return None
    return False


def _r_format_big_mark(x: float) -> str:
    """A number as R's format(x, big.mark = ",", scientific = FALSE) shows it: "100,000"."""
    if x == 0 or not math.isfinite(x):
        return r_character(x)
    mantissa, _, exponent = f"{abs(x):.6e}".partition("e")
    significant = len(mantissa.replace(".", "").rstrip("0"))
    decimals = max(0, significant - 1 - int(exponent))
    whole, _, fraction = f"{abs(x):.{decimals}f}".partition(".")
    text = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    return f"-{text}" if x < 0 else text
