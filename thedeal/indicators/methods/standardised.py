"""Age-standardised rates: direct (DSR, Dobson limits) and indirect (ISR and SMR): METHODS.md 4, 5."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._common import (
    Groups,
    IndicatorInputError,
    Levels,
    as_pandas,
    check_type,
    format_number,
    group_columns,
    numeric,
    refuse,
    require_column,
    shape_output,
)
from .intervals import byars_lower, byars_upper, poisson_limits, poisson_method

# The 2013 European Standard Population (Eurostat), per 100,000, for the bands starting at these
# ages: 0-4, 5-9, ..., 85-89, 90+.
ESP2013_START_AGES = tuple(range(0, 95, 5))
ESP2013 = (5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000,
           4000, 2500, 1500, 1000)  # fmt: skip
# Data whose last band is 85+ take 85-89 and 90+ together.
ESP2013_85_PLUS = 2500

DSR_SUPPRESSED = "dsr NA for total count < 10"


def dsr(
    df,
    x,
    n,
    *,
    age_band,
    group_by=None,
    stdpop=None,
    confidence=0.95,
    multiplier=100_000,
    independent_events=True,
    event_freq=None,
    type="full",
):
    """Directly standardised rates with Dobson confidence limits (calculate_dsr).

    Each group (area) has one row per age band: `x` events (missing counts as 0), `n` population.
    `stdpop` names a column of standard-population weights; None attaches the 2013 European
    Standard Population by the start age of each `age_band` label ("0-4", "05-09", "90+"), or
    by the order of the rows within each group when the labels are not the ESP's 19 bands.
    Groups with fewer than 10 events have no value ("dsr NA for total count < 10").

    `independent_events=False` is for people with several events: each row then gives, in `x`,
    the number of people who had `event_freq` events, and the variance allows for that.
    """
    df = as_pandas(df)
    check_type(type)
    levels = Levels(confidence)
    if not isinstance(multiplier, (int, float)) or isinstance(multiplier, bool) or multiplier <= 0:
        raise IndicatorInputError("multiplier must be a numeric value greater than zero")
    require_column(df, age_band)
    columns = group_columns(df, group_by)
    if not independent_events:
        if event_freq is None:
            raise IndicatorInputError(
                "function calculate_dsr requires an eventfreq column "
                "to be specified when independent_events is FALSE"
            )
        # People are counted once per frequency, so the area is the group, not the frequency.
        columns = [c for c in columns if c != event_freq]
    groups = Groups(df, columns)

    counts = numeric(df, x)
    population = numeric(df, n)
    refuse(counts < 0, "numerators must all be greater than or equal to zero", x)
    refuse(np.isnan(population), "denominators must not be missing", n)
    refuse(population <= 0, "denominators must all be greater than zero", n)
    frequency = np.ones(len(df))
    if not independent_events:
        frequency = numeric(df, event_freq)
        refuse(np.isnan(frequency) | (frequency < 1), "eventfreq must be 1 or more", event_freq)

    if stdpop is None:
        subgroups = groups.codes if independent_events else _subgroups(df, groups, event_freq)
        weights = _esp2013(df[age_band], subgroups)
    else:
        weights = numeric(df, stdpop)
        refuse(np.isnan(weights), "stdpop must not be missing", stdpop)
        refuse(weights < 0, "stdpop must all be greater than or equal to zero", stdpop)

    counts = np.where(np.isnan(counts), 0.0, counts)
    events = counts * frequency
    # Each age band's population and weight enter once, however many frequency rows it has.
    band_first = _first_of_band(df, groups, age_band, population, weights, independent_events, n)
    total_weight = groups.sum(np.where(band_first, weights, 0.0))
    total_pop = groups.sum(np.where(band_first, population, 0.0))
    total_count = groups.sum(events)

    value = groups.sum(weights * events / population) / total_weight
    # Dobson: var = sum(w^2 x / n^2) / (sum w)^2; a person with f events counts f^2 times.
    variance = groups.sum(weights**2 * frequency**2 * counts / population**2) / total_weight**2

    out = groups.frame(total_count=total_count, total_pop=total_pop, value=value * multiplier)
    suppressed = total_count < 10
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.sqrt(variance / total_count) * multiplier
        for level, lower, upper in levels.columns():
            out[lower] = out["value"] + scale * (byars_lower(total_count, level) - total_count)
            out[upper] = out["value"] + scale * (byars_upper(total_count, level) - total_count)
    for column in ["value", *levels.lower_columns, *levels.upper_columns]:
        out.loc[suppressed, column] = np.nan
    out["confidence"] = levels.label
    out["statistic"] = np.where(suppressed, DSR_SUPPRESSED, f"dsr per {format_number(multiplier)}")
    out["method"] = (
        "Dobson"
        if independent_events
        else "Dobson, with confidence adjusted for non-independent events"
    )
    return shape_output(out, levels=levels, type=type, extra=("total_count", "total_pop"))


def _subgroups(df, groups, event_freq):
    """Codes for (group, event frequency): the rows that each hold one set of age bands."""
    keys = pd.DataFrame({"group": groups.codes, "freq": df[event_freq].to_numpy()})
    return keys.groupby(["group", "freq"], sort=False).ngroup().to_numpy()


def _first_of_band(df, groups, age_band, population, weights, independent_events, n):
    """True on the first row of each (group, age band); checks the band's rows agree."""
    if independent_events:
        return np.ones(len(df), dtype=bool)
    keys = pd.DataFrame({"group": groups.codes, "band": df[age_band].to_numpy()})
    band = keys.groupby(["group", "band"], sort=False, dropna=False).ngroup().to_numpy()
    first_row = np.full(band.max() + 1 if len(band) else 0, len(df))
    np.minimum.at(first_row, band, np.arange(len(df)))
    for values, name in ((population, n), (weights, "stdpop")):
        differs = values != values[first_row[band]]
        refuse(
            differs,
            f"{name} must be the same on every row of an age band within a group "
            "when independent_events is FALSE",
            name,
        )
    return np.arange(len(df)) == first_row[band]


def start_age(label) -> int | None:
    """The first run of digits in an age band's label: "05-09" -> 5, "90+" -> 90, 85 -> 85."""
    if isinstance(label, (int, np.integer)) or (isinstance(label, float) and label.is_integer()):
        return int(label)
    match = re.search(r"\d+", str(label))
    return int(match.group()) if match else None


def _esp2013(labels: pd.Series, subgroups: np.ndarray) -> np.ndarray:
    """ESP2013 weights by band start age where the labels allow it, else by order in the group."""
    # Labels repeat in every area: read each distinct one once.
    code, distinct = pd.factorize(labels)
    distinct_starts = np.array([start_age(label) for label in distinct], dtype=object)
    weight_of = dict(zip(ESP2013_START_AGES, ESP2013, strict=True))
    distinct_weights = np.array(
        [
            ESP2013_85_PLUS if start == 85 and "+" in str(label) else weight_of.get(start, np.nan)
            for start, label in zip(distinct_starts, distinct, strict=True)
        ],
        dtype=float,
    )
    weights = np.where(code >= 0, distinct_weights[code], np.nan)
    if not np.isnan(weights).any():
        # Each group may hold each standard band once.
        starts = distinct_starts[code].astype(np.int64)
        if not pd.Series(subgroups.astype(np.int64) * 1000 + starts).duplicated().any():
            return weights
    order = pd.Series(subgroups).groupby(subgroups).cumcount().to_numpy()
    sizes = np.bincount(subgroups)
    wrong = sizes[subgroups] != len(ESP2013)
    refuse(
        wrong,
        "stdpop is None, so each group needs the 19 age bands of the 2013 European Standard "
        "Population (0-4, 5-9, ..., 85-89, 90+)",
        labels.name,
    )
    return np.asarray(ESP2013, dtype=float)[order]


def israte(
    df,
    x,
    n,
    x_ref,
    n_ref,
    *,
    group_by=None,
    refpoptype="field",
    observed_totals=None,
    confidence=0.95,
    multiplier=100_000,
    type="full",
):
    """Indirectly standardised rates (calculate_ISRate): observed over expected events, times
    the reference population's crude rate.

    `x_ref` and `n_ref` are columns of reference events and population per age band, or with
    `refpoptype="vector"` sequences in the age-band order of every group. `observed_totals` is a
    frame of group columns and `x` when the data hold only populations.
    """
    out, observed, expected, ref_events, ref_pop, levels = _indirect(
        df, x, n, x_ref, n_ref, group_by, refpoptype, observed_totals, confidence, type
    )
    ref_rate = ref_events / ref_pop * multiplier
    out["ref_rate"] = ref_rate
    _add_indirect(out, observed, expected, ref_rate, levels)
    out["statistic"] = f"indirectly standardised rate per {format_number(multiplier)}"
    out["method"] = poisson_method(observed)
    return shape_output(out, levels=levels, type=type, extra=("observed", "expected", "ref_rate"))


def isratio(
    df,
    x,
    n,
    x_ref,
    n_ref,
    *,
    group_by=None,
    refpoptype="field",
    observed_totals=None,
    confidence=0.95,
    refvalue=1,
    type="full",
):
    """Indirectly standardised ratios, such as SMRs (calculate_ISRatio): observed over expected
    events, times `refvalue` (1, or 100 as often published). Arguments as for israte."""
    out, observed, expected, _, _, levels = _indirect(
        df, x, n, x_ref, n_ref, group_by, refpoptype, observed_totals, confidence, type
    )
    _add_indirect(out, observed, expected, refvalue, levels)
    out["statistic"] = f"indirectly standardised ratio x {format_number(refvalue)}"
    out["method"] = poisson_method(observed)
    return shape_output(out, levels=levels, type=type, extra=("observed", "expected"))


def _add_indirect(out, observed, expected, scale, levels):
    with np.errstate(divide="ignore", invalid="ignore"):
        out["value"] = observed / expected * scale
        for level, lower, upper in levels.columns():
            low, high = poisson_limits(observed, level)
            out[lower] = low / expected * scale
            out[upper] = high / expected * scale
    out["confidence"] = levels.label


def _indirect(df, x, n, x_ref, n_ref, group_by, refpoptype, observed_totals, confidence, type):
    df = as_pandas(df)
    check_type(type)
    levels = Levels(confidence)
    if refpoptype not in ("field", "vector"):
        raise IndicatorInputError("valid values for refpoptype are vector and field")
    groups = Groups(df, group_columns(df, group_by))

    population = numeric(df, n)
    refuse(population < 0, "denominators must all be greater than or equal to zero", n)
    if refpoptype == "field":
        ref_events, ref_pop = numeric(df, x_ref), numeric(df, n_ref)
    else:
        ref_events, ref_pop = _by_position(groups, x_ref, n_ref)
    refuse(ref_events < 0, "x_ref must all be greater than or equal to zero", "x_ref")
    refuse(ref_pop <= 0, "n_ref must all be greater than zero", "n_ref")
    # Missing reference events and missing local populations count as none (the package's rule).
    ref_events = np.where(np.isnan(ref_events), 0.0, ref_events)
    population = np.where(np.isnan(population), 0.0, population)

    expected = groups.sum(ref_events / ref_pop * population)
    if observed_totals is None:
        counts = numeric(df, x)
        refuse(counts < 0, "numerators must all be greater than or equal to zero", x)
        observed = groups.sum(counts, skipna=True)
    else:
        observed = _observed_totals(as_pandas(observed_totals), groups, x)
    out = groups.frame(observed=observed, expected=expected)
    return out, observed, expected, groups.sum(ref_events), groups.sum(ref_pop), levels


def _by_position(groups: Groups, x_ref: Sequence, n_ref: Sequence):
    """Reference vectors given in age-band order, attached to each group's rows in order."""
    sizes = groups.size()
    if len(set(sizes.tolist())) > 1:
        raise IndicatorInputError(
            "x_ref and n_ref given as vectors need every group to have the same number of rows"
        )
    x_ref, n_ref = np.asarray(x_ref, dtype=float), np.asarray(n_ref, dtype=float)
    bands = int(sizes[0]) if len(sizes) else 0
    if len(x_ref) != bands or len(n_ref) != bands:
        raise IndicatorInputError(
            f"x_ref and n_ref must have one value for each of the {bands} rows in each group"
        )
    order = pd.Series(groups.codes).groupby(groups.codes).cumcount().to_numpy()
    return x_ref[order], n_ref[order]


def _observed_totals(totals: pd.DataFrame, groups: Groups, x: str) -> np.ndarray:
    """Each group's observed events from a separate frame of group columns and totals."""
    require_column(totals, x)
    for column in groups.columns:
        require_column(totals, column)
    counts = numeric(totals, x)
    refuse(counts < 0, "numerators must all be greater than or equal to zero", x)
    if not groups.columns:
        if len(totals) != 1:
            raise IndicatorInputError("observed_totals must have one row when data are not grouped")
        return counts
    lookup = totals[groups.columns].assign(_observed=counts)
    matched = groups.keys.merge(lookup, on=groups.columns, how="left", validate="one_to_one")
    missing = matched["_observed"].isna().to_numpy()
    if missing.any():
        first = groups.keys.iloc[int(np.flatnonzero(missing)[0])].to_dict()
        raise IndicatorInputError(f"observed_totals has no total for the group {first}")
    return matched["_observed"].to_numpy(dtype=float)
