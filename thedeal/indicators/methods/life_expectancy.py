"""Life expectancy (Chiang II abridged life table, Silcocks et al. limits) and healthy life
expectancy (Sullivan method), for many areas at once.

`life_expectancy` behaves as PHEindicatormethods' `phe_life_expectancy` (v2.1.0): the same 20 age
bands, suppression rules, warnings, wide-interval rule and output columns. METHODS.md, sections 7,
8 and 11, gives the formulas. `healthy_life_expectancy` applies the Sullivan method to the same
life table; the R package has no such function.

Both reshape the data into a groups x 20 bands array and compute every life table at once, so that
thousands of areas take a fraction of a second.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._common import (
    Groups,
    IndicatorInputError,
    IndicatorWarning,
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
from .intervals import z_value

#: Start ages of the 20 bands: 0, 1-4, 5-9, ..., 85-89, 90+.
AGE_BANDS = (0, 1, *range(5, 95, 5))
BANDS = len(AGE_BANDS)
# Widths of the 19 closed bands; the open 90+ band is closed by 1/M instead.
_WIDTHS = np.diff(np.array(AGE_BANDS, dtype=float))
# Fraction of the band lived by those who die in it: infant deaths cluster early in the year.
_FRACTION_LIVED_BY_DYING = np.where(np.array(AGE_BANDS[:-1]) == 0, 0.1, 0.5)
_RADIX = 1e5
_MIN_TOTAL_POPULATION = 5000
# The wide-interval rule always uses the 95% width, whatever confidence was asked for.
_Z95 = z_value(0.95)
_MAX_HALF_WIDTH = 10

LE_METHOD = "Chiang, using Silcocks et al for confidence limits"

# The R package's warnings, word for word, in the order it checks.
_SUPPRESSION_WARNINGS = {
    "negative_deaths": "some age bands have negative deaths; outputs have been suppressed to NAs",
    "zero_population": (
        "some age bands have a zero or less population; outputs have been suppressed to NAs"
    ),
    "incomplete": (
        "some groups contain a different number of age bands than 20; life expectancy cannot be "
        "calculated for these. These groups will contain NAs."
    ),
    "deaths_over_population": (
        "some age bands have more deaths than population; outputs have been suppressed to NAs"
    ),
    "small_population": (
        "some groups have a total population of less than 5,000; outputs have been suppressed to NAs"
    ),
}
WIDE_INTERVAL_WARNING = (
    "some life expectancy values have a 95% confidence interval > 20 years; "
    "these values have been suppressed to NAs"
)
LE_AGE_WARNING = (
    "le_age not in the vector described by age_contents; all life expectancies will be returned"
)


def life_expectancy(
    df,
    deaths: str,
    population: str,
    *,
    start_age: str,
    group_by=None,
    le_age="all",
    confidence=0.95,
    type: str = "full",
) -> pd.DataFrame:
    """Life expectancy at the start of each age band, with confidence limits, for each group.

    df: pandas or Polars frame with one row per group and age band.
    deaths, population: columns of deaths and population (person-years) in each band.
    start_age: column naming the band, as start ages (0, 1, 5, ..., 90) or labels ("0", "1-4",
        "10 - 14", "90+"); a label's start age is its first run of digits. Each group needs all
        20 bands, exactly once each.
    group_by: column name(s) defining the areas (or other groups); None for one group.
    le_age: "all", or the start age(s) or label(s) of the bands to return.
    confidence: 0.95 (or 95), 0.998, or both as (0.95, 0.998).
    type: "full" (with pops_used, dths_used and metadata), "standard", "value", "lower" or "upper".

    Returns the group columns, `start_age` (the band's start age), `value`, the lower then the
    upper limits (`lowercl`, `uppercl`, or `lower95_0cl`, `lower99_8cl`, `upper95_0cl`,
    `upper99_8cl`), `pops_used` and `dths_used` (population and deaths from this band to 90+),
    `confidence`, `statistic` and `method`. Groups breaking a PHE rule (negative deaths,
    population <= 0, not the 20 bands, deaths > population, total population <= 5,000) come back
    with missing values and an IndicatorWarning; so do values whose 95% interval is wider than
    20 years (their limits are kept, as in the R package). Rows are sorted by group then age,
    except that, as in R, suppressed groups come after the others, in the order of the rules.
    """
    levels = _levels(confidence)
    check_type(type)
    data = _Bands.read(df, deaths, population, start_age, group_by)
    keep = data.ages_to_keep(le_age)
    table = _LifeTable(data.deaths, data.population)
    le, se, wide = table.expectancy(data.checked())
    # The R package blanks a value whose interval is too wide but keeps its limits.
    return data.output(
        value=np.where(wide, np.nan, le),
        centre=le,
        se=se,
        levels=levels,
        keep=keep,
        extras={},
        statistic="life expectancy at",
        method=LE_METHOD,
        type=type,
    )


def healthy_life_expectancy(
    df,
    deaths: str,
    population: str,
    *,
    start_age: str,
    prevalence: str,
    prevalence_n: str,
    group_by=None,
    le_age="all",
    confidence=0.95,
    type: str = "full",
    mortality_variance: bool = False,
    open_band_variance: str = "silcocks",
) -> pd.DataFrame:
    """Healthy life expectancy by the Sullivan method, from the life table of `life_expectancy`.

    HLE at age x is the person-years lived in good health from x on, per survivor to x: the life
    table's person-years in each band weighted by the proportion of the band in good health.

    prevalence: column with the proportion of the band in good health, from 0 to 1 (for ONS HLE,
        "very good" or "good" general health; for DFLE, not limited by illness or disability).
    prevalence_n: column with the survey sample size (or effective sample size, for a weighted
        survey) behind each band's prevalence. Use a very large number (or inf) for a prevalence
        taken as known, such as a census-based one for children.
    mortality_variance: False (the default) gives limits from the survey sampling of the
        prevalence alone, the dominant term (Jagger et al.). True adds Chiang's mortality term.
    open_band_variance: with mortality_variance, how the 90+ band's mortality term is found:
        "silcocks" (as life_expectancy does: the variance of 1/M, weighted by the prevalence) or
        "none" (Chiang's original, where the open band's q = 1 carries no variance).
    The other arguments are as for life_expectancy; the same groups are suppressed, with the same
    warnings, and HLE is missing wherever life expectancy is.

    Returns the group columns, `start_age`, `value` (HLE), the limits, `life_expectancy`,
    `proportion_in_good_health` (HLE / LE), then with type="full" `pops_used`, `dths_used` and
    the metadata.
    """
    levels = _levels(confidence)
    check_type(type)
    if open_band_variance not in ("silcocks", "none"):
        raise IndicatorInputError('open_band_variance must be "silcocks" or "none"')
    data = _Bands.read(df, deaths, population, start_age, group_by)
    healthy = data.spread(_prevalence(data.frame, prevalence))
    sample_size = data.spread(_sample_size(data.frame, prevalence_n))
    keep = data.ages_to_keep(le_age)
    table = _LifeTable(data.deaths, data.population)
    valid = data.checked()
    le, _, wide = table.expectancy(valid)
    le = np.where(wide | np.isposinf(le), np.nan, le)
    hle, se = table.sullivan(
        healthy,
        sample_size,
        valid,
        mortality_variance=mortality_variance,
        open_band_variance=open_band_variance,
    )
    # HLE is not produced where LE is not; as for LE, its limits stay where only the value goes.
    published = np.where(np.isnan(le), np.nan, hle)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = published / le
    variance = "prevalence and mortality" if mortality_variance else "prevalence"
    return data.output(
        value=published,
        centre=hle,
        se=se,
        levels=levels,
        keep=keep,
        extras={"life_expectancy": le, "proportion_in_good_health": share},
        statistic="healthy life expectancy at",
        method=f"Sullivan, using Chiang life table; confidence limits from {variance} variance",
        type=type,
    )


def _levels(confidence) -> Levels:
    levels = Levels(confidence)
    if not levels:
        raise IndicatorInputError(
            "confidence level must be between 90 and 100 or between 0.9 and 1"
        )
    return levels


def _prevalence(frame: pd.DataFrame, column: str) -> np.ndarray:
    values = numeric(frame, column)
    refuse(np.isnan(values), "prevalence must be given for every age band", column)
    refuse(
        (values < 0) | (values > 1),
        "prevalence must be a proportion between 0 and 1",
        column,
    )
    return values


def _sample_size(frame: pd.DataFrame, column: str) -> np.ndarray:
    values = numeric(frame, column)
    refuse(
        np.isnan(values) | ~(values > 0),
        "prevalence sample sizes must all be greater than zero",
        column,
    )
    return values


_FIRST_DIGITS = re.compile(r"\d+")


def _band_index(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, list[str]]:
    """Each row's band (0 to 19), and the text that names each band in the data (for statistic).

    Numbers are start ages; text is read as R reads it, by its first run of digits.
    """
    require_column(frame, column)
    series = frame[column]
    message = (
        "the contents in the startage field do not match the contents of the age_contents vector"
        f" (the start ages must be {', '.join(map(str, AGE_BANDS))})"
    )
    if pd.api.types.is_bool_dtype(series):
        raise IndicatorInputError(message, column=column)
    if pd.api.types.is_numeric_dtype(series):
        ages = series.to_numpy(dtype=float)
        labels = None
    else:
        labels = series.to_numpy(dtype=object)
        unique, inverse = np.unique(labels.astype(str), return_inverse=True)
        parsed = np.array(
            [float(m.group()) if (m := _FIRST_DIGITS.search(s)) else np.nan for s in unique]
        )
        ages = parsed[inverse]
        ages[pd.isna(labels)] = np.nan
    band = _lookup(ages)
    refuse(band < 0, message, column)
    names = [format_number(a) for a in AGE_BANDS]
    if labels is not None:
        # A band may be labelled one way only, as the R package compares labels exactly.
        seen = pd.DataFrame({"band": band, "label": labels.astype(str)}).drop_duplicates()
        repeated = seen["band"].duplicated(keep=False)
        if repeated.any():
            clash = ", ".join(seen.loc[repeated, "label"])
            raise IndicatorInputError(
                f"{message}; one band has several labels: {clash}", column=column
            )
        for b, label in zip(seen["band"], seen["label"], strict=True):
            names[b] = label
    return band, names


def _lookup(ages: np.ndarray) -> np.ndarray:
    starts = np.array(AGE_BANDS, dtype=float)
    position = np.searchsorted(starts, ages)
    position = np.clip(position, 0, BANDS - 1)
    return np.where(starts[position] == ages, position, -1)


@dataclass
class _Bands:
    """The input spread into groups x bands arrays, with each row's place in them."""

    frame: pd.DataFrame
    groups: Groups
    band: np.ndarray  # each input row's band, 0 to 19
    labels: list[str]  # how each band is written in the data
    complete: np.ndarray  # per group: every band present exactly once
    deaths: np.ndarray  # groups x bands, NaN where a band is missing
    population: np.ndarray
    row_deaths: np.ndarray
    row_population: np.ndarray
    deaths_column: str
    population_column: str
    suppressed_by: np.ndarray  # per group: 0, or the number of the first rule it breaks

    @classmethod
    def read(cls, df, deaths: str, population: str, start_age: str, group_by) -> _Bands:
        frame = as_pandas(df)
        if frame.empty:
            raise IndicatorInputError("the data have no rows")
        columns = group_columns(frame, group_by)
        if "start_age" in columns:
            raise IndicatorInputError(
                "a group column cannot be called start_age: the output uses that name"
            )
        row_deaths = numeric(frame, deaths)
        row_population = numeric(frame, population)
        band, labels = _band_index(frame, start_age)
        groups = Groups(frame, columns)
        counts = np.bincount(groups.codes * BANDS + band, minlength=groups.count * BANDS)
        complete = (counts.reshape(groups.count, BANDS) == 1).all(axis=1)
        data = cls(
            frame=frame,
            groups=groups,
            band=band,
            labels=labels,
            complete=complete,
            deaths=np.empty(0),
            population=np.empty(0),
            row_deaths=row_deaths,
            row_population=row_population,
            deaths_column=deaths,
            population_column=population,
            suppressed_by=np.zeros(groups.count, dtype=np.intp),
        )
        data.deaths = data.spread(row_deaths)
        data.population = data.spread(row_population)
        return data

    def spread(self, values: np.ndarray) -> np.ndarray:
        """Row values as a groups x bands array, NaN for missing bands and incomplete groups."""
        out = np.full((self.groups.count, BANDS), np.nan)
        rows = self.complete[self.groups.codes]
        out[self.groups.codes[rows], self.band[rows]] = values[rows]
        return out

    def any_row(self, mask: np.ndarray) -> np.ndarray:
        """Per group: does any row meet `mask`? (NaN comparisons are False, as in dplyr filter.)"""
        return np.bincount(self.groups.codes, weights=mask, minlength=self.groups.count) > 0

    def checked(self) -> np.ndarray:
        """Groups that pass PHE's rules, warning once for each rule that suppresses any group.

        The rules are applied in the R package's order, each to the groups still left, so a group
        triggers only the first rule it breaks.
        """
        d, p = self.row_deaths, self.row_population
        total = self.groups.sum(p)
        with np.errstate(invalid="ignore"):
            failures = {
                "negative_deaths": self.any_row(d < 0),
                "zero_population": self.any_row(p <= 0),
                "incomplete": ~self.complete,
                "deaths_over_population": self.any_row(d > p),
                "small_population": total <= _MIN_TOTAL_POPULATION,
            }
        valid = np.ones(self.groups.count, dtype=bool)
        for rank, (rule, failed) in enumerate(failures.items(), start=1):
            if (failed & valid).any():
                warnings.warn(_SUPPRESSION_WARNINGS[rule], IndicatorWarning, stacklevel=3)
                self.suppressed_by[failed & valid] = rank
                valid &= ~failed
        return valid

    def ages_to_keep(self, le_age) -> np.ndarray:
        """Which of the 20 bands to return: le_age may give start ages or the data's labels.

        Checked before any calculation, so that a mistyped argument fails at once.
        """
        if isinstance(le_age, str) and le_age == "all":
            return np.ones(BANDS, dtype=bool)
        if isinstance(le_age, (str, int, float, np.number)):
            wanted = [le_age]
        elif isinstance(le_age, (list, tuple, set, np.ndarray, pd.Series)):
            wanted = list(le_age)
        else:
            wanted = []
        if not wanted or any(
            isinstance(w, bool) or not isinstance(w, (str, int, float, np.number)) for w in wanted
        ):
            raise IndicatorInputError('le_age must be "all" or the start ages of age bands')
        keep = np.zeros(BANDS, dtype=bool)
        for w in wanted:
            for i, (age, label) in enumerate(zip(AGE_BANDS, self.labels, strict=True)):
                keep[i] |= (not isinstance(w, str) and w == age) or str(w) == label
        # Matching no band at all is warned about later, after the suppression warnings, as in R.
        return keep

    def output(
        self,
        *,
        value: np.ndarray,
        centre: np.ndarray,
        se: np.ndarray,
        levels: Levels,
        keep: np.ndarray,
        extras: dict[str, np.ndarray],
        statistic: str,
        method: str,
        type: str,
    ) -> pd.DataFrame:
        """One row per input row, with the R package's columns and row order: the groups that
        were calculated, then those suppressed by each rule in turn, each by group then age."""
        if not keep.any():
            warnings.warn(LE_AGE_WARNING, IndicatorWarning, stacklevel=3)
            keep = np.ones(BANDS, dtype=bool)
        codes = self.groups.codes
        order = np.lexsort((self.band, codes, self.suppressed_by[codes]))
        order = order[keep[self.band[order]]]
        group, band = codes[order], self.band[order]

        out = self.groups.keys.iloc[group].reset_index(drop=True)
        out["start_age"] = np.array(AGE_BANDS)[band]
        # An infinite value (no deaths at 90+) is missing, as in the R package.
        out["value"] = np.where(np.isposinf(value), np.nan, value)[group, band]
        # All the lower limits, then all the upper ones: the R function's column order.
        # (No deaths at 90+ makes LE and its SE infinite: R gives NaN and Inf limits too.)
        with np.errstate(invalid="ignore"):
            for confidence, lower, _ in levels.columns():
                out[lower] = (centre - z_value(confidence) * se)[group, band]
            for confidence, _, upper in levels.columns():
                out[upper] = (centre + z_value(confidence) * se)[group, band]
        for name, values in extras.items():
            out[name] = values[group, band]
        for name, column, values in (
            ("pops_used", self.population_column, self.row_population),
            ("dths_used", self.deaths_column, self.row_deaths),
        ):
            used = self._from_here_up(values)[group, band]
            # Whole-number counts stay whole numbers, as they do in R.
            whole = pd.api.types.is_integer_dtype(self.frame[column]) and not np.isnan(used).any()
            out[name] = used.astype(np.int64) if whole else used
        out["confidence"] = levels.label
        out["statistic"] = np.array([f"{statistic} {label}" for label in self.labels], object)[band]
        out["method"] = method
        if type == "full":
            return out
        out = out.drop(columns=["pops_used", "dths_used"])
        return shape_output(out, levels=levels, type=type, extra=list(extras))

    def _from_here_up(self, values: np.ndarray) -> np.ndarray:
        """Sums from each band up to 90+, over the rows each group has (missing ones propagate)."""
        sums = np.zeros((self.groups.count, BANDS))
        np.add.at(sums, (self.groups.codes, self.band), values)
        return np.cumsum(sums[:, ::-1], axis=1)[:, ::-1]


class _LifeTable:
    """Chiang II abridged life tables, one per row of the deaths and population arrays.

    The arithmetic follows the R package's step by step, so results agree to rounding error.
    Names follow the life-table columns: q the probability of dying in the band, survivors
    (l) alive at its start, dying (d) in it, person_years (L) lived in it.
    """

    def __init__(self, deaths: np.ndarray, population: np.ndarray):
        self.deaths = deaths
        n, a = _WIDTHS, _FRACTION_LIVED_BY_DYING
        with np.errstate(invalid="ignore", divide="ignore"):
            self.rate = rate = deaths / population
            m = rate[:, :-1]
            # A band where more than all of the population would die is taken as q = 1; so is a
            # band with missing data, as the R package's case_when falls through to 1.
            self.q = q = np.where(
                deaths[:, :-1] <= population[:, :-1] / n / a,
                m * n / (1 + m * n * (1 - a)),
                1.0,
            )  # closed bands only: nobody survives the open band
            survival = np.concatenate([np.full((len(q), 1), _RADIX), 1 - q], axis=1)
            self.survivors = survivors = np.cumprod(survival, axis=1)
            next_survivors = np.concatenate([survivors[:, 1:], np.zeros((len(q), 1))], axis=1)
            self.dying = survivors - next_survivors
            closed = n * (next_survivors[:, :-1] + a * self.dying[:, :-1])
            # The open band is closed by assuming constant mortality beyond 90.
            open_ = survivors[:, -1:] / rate[:, -1:]
            self.person_years = np.concatenate([closed, open_], axis=1)
            # Chiang's variance of q; 0 where nobody dies (including after everyone has died).
            self.var_q = np.where(self.dying[:, :-1] == 0, 0.0, q**2 * (1 - q) / deaths[:, :-1])

    def expectancy(self, valid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Life expectancy at each band, its standard error (Chiang, with Silcocks et al's open
        band), and where the 95% interval is wider than 20 years (with a warning). Groups that
        are not valid are NaN."""
        n, a = _WIDTHS, _FRACTION_LIVED_BY_DYING
        survivors = self.survivors
        with np.errstate(invalid="ignore", divide="ignore"):
            e = np.where(survivors == 0, 0.0, _from_band_up(self.person_years) / survivors)
            closed = self.var_q * survivors[:, :-1] ** 2 * ((1 - a) * n + e[:, 1:]) ** 2
            # Silcocks et al: beyond 90, LE is 1/M, so its variance comes from that of M.
            var_open = 4 / (self.deaths[:, -1:] * self.rate[:, -1:] ** 2)
            open_ = (survivors[:, -1:] / 2) ** 2 * var_open
            terms = np.concatenate([closed, open_], axis=1)
            se = np.sqrt(_from_band_up(terms) / survivors**2)
            e[~valid], se[~valid] = np.nan, np.nan
            wide = _Z95 * se > _MAX_HALF_WIDTH
        if wide.any():
            warnings.warn(WIDE_INTERVAL_WARNING, IndicatorWarning, stacklevel=3)
        return e, se, wide

    def sullivan(
        self,
        healthy: np.ndarray,
        sample_size: np.ndarray,
        valid: np.ndarray,
        *,
        mortality_variance: bool,
        open_band_variance: str,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Healthy life expectancy at each band and its standard error (Jagger et al.)."""
        survivors, person_years = self.survivors, self.person_years
        with np.errstate(invalid="ignore", divide="ignore"):
            healthy_years = _from_band_up(person_years * healthy)
            hle = np.where(survivors == 0, 0.0, healthy_years / survivors)
            # A prevalence of 0 or 1 has no sampling variance, whatever the sample size.
            binomial = healthy * (1 - healthy)
            terms = np.where(binomial == 0, 0.0, person_years**2 * binomial / sample_size)
            if mortality_variance:
                n, a = _WIDTHS, _FRACTION_LIVED_BY_DYING
                weight = (1 - a) * n * healthy[:, :-1] + hle[:, 1:]
                closed = survivors[:, :-1] ** 2 * weight**2 * self.var_q
                if open_band_variance == "silcocks":
                    var_open = 1 / (self.deaths[:, -1:] * self.rate[:, -1:] ** 2)
                    open_ = (survivors[:, -1:] * healthy[:, -1:]) ** 2 * var_open
                else:
                    open_ = np.zeros((len(survivors), 1))
                terms = terms + np.concatenate([closed, open_], axis=1)
            se = np.sqrt(_from_band_up(terms) / survivors**2)
        hle[~valid], se[~valid] = np.nan, np.nan
        return hle, se


def _from_band_up(values: np.ndarray) -> np.ndarray:
    """Sum of each band and every band above it, summed from 90+ downwards as R's rev(cumsum)."""
    return np.cumsum(values[:, ::-1], axis=1)[:, ::-1]


__all__ = ["AGE_BANDS", "healthy_life_expectancy", "life_expectancy"]
