"""The borough's own indicators, computed from its linked data (`thedeal insight compute`).

Pure: DuckDB, pandas and `thedeal.indicators`, no Django. `compute(data_dir)` returns one row per
indicator x area x period x sex x age group, with its value, limits, count and denominator, for
every indicator of `insight.catalogue`; `insight.actions.store_computed` keeps them.

**How it stays fast.** The records are never loaded into Python row by row: DuckDB reads the
Parquet files and counts, in a handful of lean queries, the population, deaths and emergency
admissions by LSOA x sex x single year of age x financial year, and the lifestyle and frailty
counts by LSOA x sex on each index date. Those tables have at most a few hundred thousand rows
whatever the borough's size; wards and the borough are sums of their LSOAs, and the PHE methods
run on the sums. (`prevention.features` builds a resident-level table per date, about 8 s at
120,000 residents: far too slow to run a dozen times at 1,000,000.)

**Who is counted.** Residents who opted out of data sharing are left out of every count. The
population of a financial year is those born, registered and alive on 1 October (mid-year), by
their age then; deaths and admissions are those in the year. A prevalence on an index date
(1 April) counts those born, registered and alive on it, by their latest record before it, as
`prevention.features` does, and is labelled with the financial year that ends the day before
(QOF's convention: a register on 31 March 2021 is 2020/21's).

**Areas.** The borough (E08000010), its 25 wards by best fit of 2011 LSOAs
(`thedeal.geography.wards`: each LSOA in the ward holding most of its postcodes) and its 200
LSOAs. A ward's figures are the sums of its best-fit LSOAs, so they approximate the real ward.

**Small numbers.** Every row goes through `thedeal.indicators`' disclosure control
(`publishable`): a count of 1 to 7, and any count that would reveal one (an LSOA within its ward,
a ward within the borough, a sex beside persons), is suppressed with its value and limits, and
the row keeps a note saying why. Methods' own rules also leave values out (a DSR from fewer than
10 events; a life expectancy for fewer than 5,000 people or with too wide an interval).
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from thedeal.geography import wards as ward_geography
from thedeal.indicators import periods as fingertips_periods
from thedeal.indicators.methods import (
    IndicatorWarning,
    dsr,
    healthy_life_expectancy,
    life_expectancy,
    proportion,
)
from thedeal.indicators.methods.disclosure import SMALL_COUNT_THRESHOLD, note_column, publishable
from thedeal.insight.catalogue import CATALOGUE
from thedeal.prevention import efi, features, synthpop

BOROUGH_CODE = "E08000010"
BOROUGH_NAME = "Wigan"
BOROUGH, WARD, LSOA = "borough", "ward", "lsoa"

PERSONS, MALE, FEMALE = "Persons", "Male", "Female"
_SEXES = {"male": MALE, "female": FEMALE}

ALL_AGES = "All ages"
ADULTS = "18+ yrs"
OLDER = "65+ yrs"
UNDER_75 = "<75 yrs"
AT_65 = "65 yrs"

# The financial years of the history: 2019/20 to 2025/26.
FIRST_YEAR = synthpop.HISTORY_START.year
YEARS = tuple(range(FIRST_YEAR, FIRST_YEAR + synthpop.YEARS))
POOLED = 3  # life expectancy and ward mortality pool three financial years, as ONS and OHID do
INDEX_DATES = synthpop.INDEX_DATES
ADULT_AGE = 18
OBESE_BMI = 30
# A child's general health is not asked: taken as 97% good, as known (ONS uses the census).
CHILDREN_IN_GOOD_HEALTH = 0.97
ASKED_FROM_BAND = 15
GOOD_HEALTH = ("very good", "good")
CONFIDENCE = (0.95, 0.998)

# The frame compute() returns: one row per value.
COLUMNS = (
    "indicator",
    "area_code",
    "area_name",
    "area_kind",
    "parent_code",
    "period_label",
    "period_start",
    "period_end",
    "sex",
    "age",
    "value",
    "lower95",
    "upper95",
    "lower998",
    "upper998",
    "count",
    "denominator",
    "value_note",
    "suppressed",
)
_LIMITS = {
    "lower95_0cl": "lower95",
    "upper95_0cl": "upper95",
    "lower99_8cl": "lower998",
    "upper99_8cl": "upper998",
}

SUPPRESSED_SMALL = (
    "Suppressed: fewer than 8 events or people, or a figure that would reveal such a number."
)
DSR_TOO_FEW = "Not shown: fewer than 10 events (too few for a standardised rate)."
LE_NOT_SHOWN = (
    "Not shown: fewer than 5,000 people, an age band with no one in it, or a 95% interval "
    "wider than 20 years (PHE's rules for life expectancy)."
)
NO_GENERAL_HEALTH = (
    "Healthy life expectancy skipped: the lifestyle records have no general_health column "
    "(self-rated general health), so the share in good health is unknown."
)


class ComputeError(ValueError):
    """The data folder cannot give the indicators: says which file or column is wrong."""


Progress = Callable[[str], None]


def compute(data_dir: Path, progress: Progress | None = None) -> pd.DataFrame:
    """Every indicator of the catalogue for the borough, its wards and LSOAs (COLUMNS), with
    small numbers suppressed. `progress` is told each step as it starts."""
    say = progress or (lambda message: None)
    data_dir = Path(data_dir)
    try:
        features.check(data_dir)
    except features.FeatureError as error:
        raise ComputeError(str(error)) from error
    places = _places(data_dir)
    counts = _Counts.read(data_dir, say)

    parts = []
    say("emergency admissions (standardised rates by year)")
    parts.append(_admissions(counts, places))
    say("mortality (standardised rates)")
    parts.append(_mortality(counts, places))
    say("smoking, obesity, loneliness and frailty (proportions on each index date)")
    parts.append(_prevalence(counts, places))
    say("life expectancy (three years pooled)")
    life_table = _life_table_counts(counts, places)
    parts.append(_life_expectancy(life_table))
    if counts.general_health is None:
        say(NO_GENERAL_HEALTH)
    else:
        say("healthy life expectancy (Sullivan, three years pooled)")
        parts.append(_healthy_life_expectancy(counts, places, life_table))
    say("suppressing small numbers")
    frame = suppress(pd.concat(parts, ignore_index=True), places.kinds, places.parents)
    names = places.names
    frame["area_name"] = frame["area_code"].map(names)
    frame["area_kind"] = frame["area_code"].map(places.kinds)
    frame["parent_code"] = frame["area_code"].map(places.parents)
    return frame.loc[:, list(COLUMNS)].reset_index(drop=True)


# --- Places ------------------------------------------------------------------------------------


class _Places:
    """Each LSOA's best-fit ward, and every area's name, kind and parent."""

    def __init__(self, lsoa_codes: list[str]):
        fits = ward_geography.lsoa_wards()
        unknown = sorted(set(lsoa_codes) - set(fits))
        if unknown:
            raise ComputeError(
                f"lsoas.parquet: {len(unknown)} LSOA(s) are not in the borough's postcode file, "
                f"so they have no ward (first: {unknown[0]})."
            )
        self.ward_of = {code: fits[code].code for code in lsoa_codes}
        self.names = {BOROUGH_CODE: BOROUGH_NAME}
        self.kinds = {BOROUGH_CODE: BOROUGH}
        self.parents: dict[str, str | None] = {BOROUGH_CODE: None}
        for code in lsoa_codes:
            ward = fits[code]
            self.names[ward.code] = ward.name
            self.kinds[ward.code] = WARD
            self.parents[ward.code] = BOROUGH_CODE
            self.names[code] = code  # LSOAs are known by their codes (their names are the town's)
            self.kinds[code] = LSOA
            self.parents[code] = ward.code


def _places(data_dir: Path) -> _Places:
    import pyarrow.parquet as pq

    codes = pq.read_table(data_dir / "lsoas.parquet", columns=["lsoa_code"]).column(0)
    return _Places(sorted(set(codes.to_pylist())))


def areas() -> list[tuple[str, str, str, str | None]]:
    """The borough, its wards and LSOAs as (code, name, kind, parent code), parents first: what
    `insight.actions` makes sure exists before storing values."""
    places = _Places(sorted(ward_geography.lsoa_wards()))
    order = {BOROUGH: 0, WARD: 1, LSOA: 2}
    codes = sorted(places.names, key=lambda code: (order[places.kinds[code]], code))
    return [(c, places.names[c], places.kinds[c], places.parents[c]) for c in codes]


# --- The counts, from DuckDB ---------------------------------------------------------------------


def _sql_date(day: dt.date) -> str:
    return f"DATE '{day.isoformat()}'"


class _Counts:
    """The aggregated tables everything else is computed from (by LSOA, sex and age)."""

    population: pd.DataFrame  # lsoa_code, sex, year, age, population (mid-year)
    deaths: pd.DataFrame  # lsoa_code, sex, year, age, deaths (age at death)
    admissions: pd.DataFrame  # lsoa_code, sex, year, age, admissions (age at mid-year)
    lifestyle: pd.DataFrame  # lsoa_code, sex, index_date, adults, smoking_recorded, ...
    general_health: pd.DataFrame | None  # lsoa_code, sex, recorded_on, age, good

    @classmethod
    def read(cls, data_dir: Path, say: Progress) -> _Counts:
        import duckdb
        import pyarrow.parquet as pq

        counts = cls()
        con = duckdb.connect()
        # DuckDB draws a progress bar on the terminal for slow queries; the command reports.
        con.execute("SET enable_progress_bar = false")
        file = {name: str(data_dir / f"{name}.parquet").replace("'", "''") for name in (
            "residents", "events", "conditions", "lifestyle")}  # fmt: skip
        # Residents who opted out are dropped before anything else is read.
        con.execute(f"""
            CREATE TEMP VIEW people AS
            SELECT resident_id, lsoa_code, CAST(sex AS VARCHAR) AS sex, date_of_birth AS dob,
                   registered_on, date_of_death AS dod
            FROM read_parquet('{file["residents"]}') WHERE NOT opted_out
        """)
        years = ", ".join(str(year) for year in YEARS)
        con.execute(f"CREATE TEMP TABLE years AS SELECT unnest([{years}]) AS year")
        first = _sql_date(dt.date(YEARS[0], 4, 1))
        last = _sql_date(dt.date(YEARS[-1] + 1, 3, 31))

        say("counting residents by area, sex, age and year")
        # Mid-year is 1 October every year, so a resident's age then goes up by one a year,
        # and they are counted in every year from the first mid-year after they were both born
        # and registered to the last before they died. Residents are first grouped by those
        # (tens of thousands of groups, whatever the borough's size), and only the groups are
        # spread over the years: a cross join of every resident with every year is 7 million
        # rows at 1,000,000 residents.
        counts.population = con.sql(f"""
            WITH spans AS (
                SELECT lsoa_code, sex,
                       -- age at mid-year Y is Y - born
                       year(dob) + CASE WHEN strftime(dob, '%m-%d') > '10-01' THEN 1 ELSE 0 END
                           AS born,
                       year(greatest(dob, registered_on)) + CASE
                           WHEN strftime(greatest(dob, registered_on), '%m-%d') > '10-01'
                           THEN 1 ELSE 0 END AS first_year,
                       CASE WHEN dod IS NULL THEN {YEARS[-1]}
                            ELSE year(dod) - CASE
                                WHEN strftime(dod, '%m-%d') <= '10-01' THEN 1 ELSE 0 END
                       END AS last_year,
                       count(*) AS people
                FROM people
                WHERE dod IS NULL OR dod > make_date({YEARS[0]}, 10, 1)
                GROUP BY ALL
            )
            SELECT s.lsoa_code, s.sex, y.year, least(y.year - s.born, 90) AS age,
                   sum(s.people) AS population
            FROM spans s JOIN years y ON y.year BETWEEN s.first_year AND s.last_year
            GROUP BY ALL
        """).df()
        counts.deaths = con.sql(f"""
            SELECT lsoa_code, sex, year(dod - INTERVAL 3 MONTH) AS year,
                   least(datesub('year', dob, dod), 90) AS age, count(*) AS deaths
            FROM people WHERE dod BETWEEN {first} AND {last}
            GROUP BY ALL
        """).df()
        say("counting emergency admissions")
        counts.admissions = con.sql(f"""
            WITH admitted AS (
                SELECT resident_id, year(event_date - INTERVAL 3 MONTH) AS year
                FROM read_parquet('{file["events"]}')
                WHERE event_type = 'emergency_admission' AND event_date BETWEEN {first} AND {last}
            )
            SELECT p.lsoa_code, p.sex, a.year,
                   greatest(least(datesub('year', p.dob, make_date(a.year, 10, 1)), 90), 0)
                       AS age,
                   count(*) AS admissions
            FROM admitted a JOIN people p USING (resident_id)
            GROUP BY ALL
        """).df()

        say("reading lifestyle records and frailty on each index date")
        dates = ", ".join(_sql_date(day) for day in INDEX_DATES)
        deficits = ", ".join(f"'{code}'" for code in efi.CONDITION_DEFICITS)
        alive_on_t = "p.dob < x.t AND p.registered_on <= x.t AND (p.dod IS NULL OR p.dod > x.t)"
        # Who is counted at all on each date (adults, people 65+): as for the population, a
        # resident's age goes up by one each 1 April, so residents are grouped first and only
        # the groups spread over the dates.
        everyone = con.sql(f"""
            WITH spans AS (
                SELECT lsoa_code, sex,
                       year(dob) + CASE WHEN strftime(dob, '%m-%d') > '04-01' THEN 1 ELSE 0 END
                           AS born,
                       greatest(
                           year(dob) + CASE WHEN strftime(dob, '%m-%d') >= '04-01'
                                       THEN 1 ELSE 0 END,
                           year(registered_on) + CASE WHEN strftime(registered_on, '%m-%d')
                                                 > '04-01' THEN 1 ELSE 0 END
                       ) AS first_year,
                       CASE WHEN dod IS NULL THEN {INDEX_DATES[-1].year}
                            ELSE year(dod) - CASE
                                WHEN strftime(dod, '%m-%d') <= '04-01' THEN 1 ELSE 0 END
                       END AS last_year,
                       count(*) AS people
                FROM people
                GROUP BY ALL
            ),
            dates AS (SELECT unnest([{", ".join(str(d.year) for d in INDEX_DATES)}]) AS year)
            SELECT s.lsoa_code, s.sex, make_date(d.year, 4, 1) AS index_date,
                   sum(s.people) FILTER (d.year - s.born >= {ADULT_AGE}) AS adults,
                   sum(s.people) FILTER (d.year - s.born >= {efi.MINIMUM_AGE}) AS older
            FROM spans s JOIN dates d ON d.year BETWEEN s.first_year AND s.last_year
            GROUP BY ALL
        """).df()
        recorded = con.sql(f"""
            WITH dates AS (SELECT unnest([{dates}]) AS t),
            -- The latest record before the date, whatever it holds (a later record with no
            -- smoking status means the status is not known, as prevention.features reads it).
            latest AS (
                SELECT l.resident_id, d.t,
                       arg_max_null(CAST(l.smoking_status AS VARCHAR), l.recorded_on) AS smoking,
                       arg_max_null(l.bmi, l.recorded_on) AS bmi,
                       arg_max_null(l.feels_lonely, l.recorded_on) AS lonely
                FROM read_parquet('{file["lifestyle"]}') l JOIN dates d ON l.recorded_on < d.t
                GROUP BY l.resident_id, d.t
            )
            SELECT p.lsoa_code, p.sex, x.t AS index_date,
                count(x.smoking) AS smoking_recorded,
                count(*) FILTER (x.smoking = 'current') AS smokers,
                count(x.bmi) AS bmi_recorded,
                count(*) FILTER (x.bmi >= {OBESE_BMI}) AS obese,
                count(x.lonely) AS loneliness_asked,
                count(*) FILTER (x.lonely) AS lonely
            FROM latest x JOIN people p USING (resident_id)
            WHERE {alive_on_t} AND datesub('year', p.dob, x.t) >= {ADULT_AGE}
            GROUP BY ALL
        """).df()
        frail = con.sql(f"""
            WITH dates AS (SELECT unnest([{dates}]) AS t),
            deficits AS (
                SELECT resident_id, CAST(condition AS VARCHAR) AS condition,
                       min(diagnosed_on) AS diagnosed_on
                FROM read_parquet('{file["conditions"]}')
                WHERE CAST(condition AS VARCHAR) IN ({deficits})
                GROUP BY ALL
            ),
            conditions AS (
                SELECT f.resident_id, d.t, count(*) AS n
                FROM deficits f, dates d WHERE f.diagnosed_on < d.t
                GROUP BY ALL
            ),
            -- Five or more items on one prescription in the year before the date: the years
            -- before 1 April are financial years, so each prescription falls in one of them.
            polypharmacy AS (
                SELECT DISTINCT resident_id,
                       make_date(year(event_date - INTERVAL 3 MONTH) + 1, 4, 1) AS t
                FROM read_parquet('{file["events"]}')
                WHERE event_type = 'prescription' AND items >= {efi.POLYPHARMACY_ITEMS}
                  AND event_date >= {_sql_date(dt.date(INDEX_DATES[0].year - 1, 4, 1))}
                  AND event_date < {_sql_date(INDEX_DATES[-1])}
            ),
            x AS (
                SELECT coalesce(c.resident_id, y.resident_id) AS resident_id,
                       coalesce(c.t, y.t) AS t,
                       coalesce(c.n, 0) + (y.resident_id IS NOT NULL)::INT AS deficits
                FROM conditions c FULL JOIN polypharmacy y
                  ON c.resident_id = y.resident_id AND c.t = y.t
            )
            SELECT p.lsoa_code, p.sex, x.t AS index_date, count(*) AS frail
            FROM x JOIN people p USING (resident_id)
            WHERE {alive_on_t} AND datesub('year', p.dob, x.t) >= {efi.MINIMUM_AGE}
              AND x.deficits >= {efi.MODERATE_FROM}
            GROUP BY ALL
        """).df()
        keys = ["lsoa_code", "sex", "index_date"]
        for table in (everyone, recorded, frail):
            table["index_date"] = pd.to_datetime(table["index_date"])
        counts.lifestyle = (
            everyone.merge(recorded, on=keys, how="outer")
            .merge(frail, on=keys, how="outer")
            .fillna(0)
        )

        counts.general_health = None
        if "general_health" in pq.read_schema(file["lifestyle"]).names:
            good = ", ".join(f"'{answer}'" for answer in GOOD_HEALTH)
            counts.general_health = con.sql(f"""
                SELECT p.lsoa_code, p.sex, l.recorded_on,
                       least(datesub('year', p.dob, l.recorded_on), 90) AS age,
                       CAST(l.general_health AS VARCHAR) IN ({good}) AS good
                FROM read_parquet('{file["lifestyle"]}') l JOIN people p USING (resident_id)
                WHERE l.general_health IS NOT NULL
            """).df()
        con.close()
        for table in (counts.population, counts.deaths, counts.admissions, counts.lifestyle):
            table["sex"] = table["sex"].map(_SEXES)
        if counts.general_health is not None:
            counts.general_health["sex"] = counts.general_health["sex"].map(_SEXES)
        return counts


# --- Periods -----------------------------------------------------------------------------------


def financial_year(year: int) -> tuple[str, dt.date, dt.date]:
    """("2021/22", 1 April 2021, 31 March 2022)."""
    period = fingertips_periods.financial_year(year)
    return period.label, period.start, period.end


def pooled_years(first: int, years: int = POOLED) -> tuple[str, dt.date, dt.date]:
    """("2019/20 - 21/22", 1 April 2019, 31 March 2022), as Fingertips writes pooled years."""
    last = first + years - 1
    label = f"{first}/{(first + 1) % 100:02d} - {last % 100:02d}/{(last + 1) % 100:02d}"
    return label, dt.date(first, 4, 1), dt.date(last + 1, 3, 31)


def _pooled_starts() -> range:
    return range(YEARS[0], YEARS[-1] - POOLED + 2)


def _with_period(frame: pd.DataFrame, periods: dict) -> pd.DataFrame:
    """Add period_label, period_start and period_end from a {key: (label, start, end)} map of
    the frame's `period` column."""
    frame = frame.copy()
    frame["period_label"] = frame["period"].map(lambda key: periods[key][0])
    frame["period_start"] = frame["period"].map(lambda key: periods[key][1])
    frame["period_end"] = frame["period"].map(lambda key: periods[key][2])
    return frame


# --- Areas and sexes: LSOA counts summed up ----------------------------------------------------


def _levels(
    frame: pd.DataFrame,
    places: _Places,
    keys: list[str],
    values: list[str],
    levels=(BOROUGH, WARD, LSOA),
) -> pd.DataFrame:
    """The LSOA-level counts summed to each level of area (area_code), with Persons added as the
    sum of the sexes. `keys` are the other columns kept (year, age, ...)."""
    parts = []
    for level in levels:
        if level == LSOA:
            area = frame["lsoa_code"]
        elif level == WARD:
            area = frame["lsoa_code"].map(places.ward_of)
        else:
            area = pd.Series(BOROUGH_CODE, index=frame.index)
        summed = (
            frame.assign(area_code=area)
            .groupby(["area_code", "sex", *keys], observed=True)[values]
            .sum()
            .reset_index()
        )
        persons = summed.groupby(["area_code", *keys], observed=True)[values].sum().reset_index()
        parts += [summed, persons.assign(sex=PERSONS)]
    return pd.concat(parts, ignore_index=True)


def _esp_band(age: pd.Series) -> pd.Series:
    """The 2013 European Standard Population's band by its start age: 0, 5, ..., 85, 90."""
    return np.minimum(age // 5 * 5, 90).astype(int)


def _life_table_band(age: pd.Series) -> pd.Series:
    """The life table's 20 bands by their start age: 0, 1, 5, 10, ..., 85, 90."""
    age = np.asarray(age)
    return pd.Series(np.where(age < 1, 0, np.where(age < 5, 1, np.minimum(age // 5 * 5, 90))))


def _complete(frame: pd.DataFrame, keys: list[str], band: str, bands, values: list[str]):
    """Every group with every band, zero where nobody was counted."""
    groups = frame[keys].drop_duplicates()
    grid = groups.merge(pd.DataFrame({band: list(bands)}), how="cross")
    out = grid.merge(frame, on=[*keys, band], how="left")
    out[values] = out[values].fillna(0)
    return out


# --- Indicators ----------------------------------------------------------------------------------


def _rates(
    events: pd.DataFrame,
    population: pd.DataFrame,
    event_column: str,
    *,
    period_of_year,
    periods: dict,
    places: _Places,
    levels,
    indicator: str,
    age: str,
    under: int | None = None,
) -> pd.DataFrame:
    """Directly standardised rates per 100,000 a year of `events` over the mid-year population,
    for each period (`period_of_year` maps a year to the periods it belongs to)."""
    frame = population.merge(events, on=["lsoa_code", "sex", "year", "age"], how="outer").fillna(
        {"population": 0, event_column: 0}
    )
    if under is not None:
        frame = frame[frame["age"] < under]
    frame = frame.assign(band=_esp_band(frame["age"]))
    rows = []
    for year, keys in period_of_year.items():
        in_year = frame[frame["year"] == year]
        for key in keys:
            rows.append(in_year.assign(period=key))
    frame = pd.concat(rows, ignore_index=True)
    grouped = (
        frame.groupby(["lsoa_code", "sex", "period", "band"])[[event_column, "population"]]
        .sum()
        .reset_index()
    )
    summed = _levels(grouped, places, ["period", "band"], [event_column, "population"], levels)
    # A band with nobody in it (no 90+ women in a small area) drops out; the rate is then
    # standardised over the bands the area has. An event there (a baby born after mid-year
    # with nobody else in the band) cannot be rated and goes with it.
    summed = summed[summed["population"] > 0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IndicatorWarning)
        out = dsr(
            summed,
            event_column,
            "population",
            age_band="band",
            group_by=["area_code", "sex", "period"],
            confidence=CONFIDENCE,
        )
    out = out.rename(columns={**_LIMITS, "total_count": "count", "total_pop": "denominator"})
    out["value_note"] = np.where(out["value"].isna(), DSR_TOO_FEW, "")
    out["indicator"] = indicator
    out["age"] = age
    return _with_period(out, periods)


def _admissions(counts: _Counts, places: _Places) -> pd.DataFrame:
    periods = {year: financial_year(year) for year in YEARS}
    return _rates(
        counts.admissions,
        counts.population,
        "admissions",
        period_of_year={year: [year] for year in YEARS},
        periods=periods,
        places=places,
        levels=(BOROUGH, WARD, LSOA),
        indicator="emergency-admissions",
        age=ALL_AGES,
    )


def _mortality(counts: _Counts, places: _Places) -> pd.DataFrame:
    """Each financial year for the borough; three years pooled for the borough and its wards
    (a ward has too few deaths in one year)."""
    yearly = {year: financial_year(year) for year in YEARS}
    pooled = {pooled_years(start)[0]: pooled_years(start) for start in _pooled_starts()}
    in_pools = {
        year: [
            pooled_years(start)[0] for start in _pooled_starts() if start <= year < start + POOLED
        ]
        for year in YEARS
    }
    parts = []
    for indicator, age, under in (
        ("mortality-all-causes", ALL_AGES, None),
        ("mortality-under-75", UNDER_75, 75),
    ):
        common = dict(places=places, indicator=indicator, age=age, under=under)
        parts.append(
            _rates(counts.deaths, counts.population, "deaths",
                   period_of_year={year: [year] for year in YEARS}, periods=yearly,
                   levels=(BOROUGH,), **common)
        )  # fmt: skip
        parts.append(
            _rates(counts.deaths, counts.population, "deaths", period_of_year=in_pools,
                   periods=pooled, levels=(BOROUGH, WARD), **common)
        )  # fmt: skip
    return pd.concat(parts, ignore_index=True)


# Each prevalence: (indicator, numerator, denominator, age group).
PREVALENCES = (
    ("smoking", "smokers", "smoking_recorded", ADULTS),
    ("obesity", "obese", "bmi_recorded", ADULTS),
    ("loneliness", "lonely", "loneliness_asked", ADULTS),
    ("frailty", "frail", "older", OLDER),
)


def _prevalence(counts: _Counts, places: _Places) -> pd.DataFrame:
    """Proportions (%) on each index date, labelled with the financial year that ends the day
    before it (the register on 1 April 2021 is 2020/21's)."""
    periods = {}
    for day in INDEX_DATES:
        label, start, end = financial_year(day.year - 1)
        periods[pd.Timestamp(day)] = (label, start, end)
    frame = counts.lifestyle.assign(index_date=pd.to_datetime(counts.lifestyle["index_date"]))
    values = [column for _, x, n, _ in PREVALENCES for column in (x, n)]
    summed = _levels(frame, places, ["index_date"], values)
    parts = []
    for indicator, x, n, age in PREVALENCES:
        # An area where nobody was asked has no proportion at all (and so no row).
        rows = summed[summed[n] > 0]
        out = proportion(
            rows, x, n, group_by=["area_code", "sex", "index_date"], confidence=CONFIDENCE,
            multiplier=100,
        ).rename(columns={**_LIMITS, x: "count", n: "denominator", "index_date": "period"})  # fmt: skip
        out["value_note"] = ""
        out["indicator"] = indicator
        out["age"] = age
        parts.append(_with_period(out, periods))
    return pd.concat(parts, ignore_index=True)


def _life_table_counts(counts: _Counts, places: _Places) -> pd.DataFrame:
    """Deaths and person-years by area, sex, pooled period and life-table band (M and F)."""
    frame = counts.population.merge(
        counts.deaths, on=["lsoa_code", "sex", "year", "age"], how="outer"
    ).fillna({"population": 0, "deaths": 0})
    frame = frame.assign(band=_life_table_band(frame["age"]).to_numpy())
    parts = []
    for start in _pooled_starts():
        pooled = frame[(frame["year"] >= start) & (frame["year"] < start + POOLED)]
        parts.append(pooled.assign(period=start))
    frame = pd.concat(parts, ignore_index=True)
    grouped = (
        frame.groupby(["lsoa_code", "sex", "period", "band"])[["deaths", "population"]]
        .sum()
        .reset_index()
    )
    summed = _levels(grouped, places, ["period", "band"], ["deaths", "population"], (BOROUGH, WARD))
    summed = summed[summed["sex"] != PERSONS]
    return _complete(
        summed, ["area_code", "sex", "period"], "band", _LIFE_TABLE_BANDS, ["deaths", "population"]
    )


_LIFE_TABLE_BANDS = (0, 1, *range(5, 95, 5))
_LE_AGES = {0: ("life-expectancy-birth", ALL_AGES), 65: ("life-expectancy-65", AT_65)}
_HLE_AGES = {
    0: ("healthy-life-expectancy-birth", ALL_AGES),
    65: ("healthy-life-expectancy-65", AT_65),
}


def _expectancy_rows(out: pd.DataFrame, ages: dict) -> pd.DataFrame:
    periods = {start: pooled_years(start) for start in _pooled_starts()}
    out = out.rename(columns={**_LIMITS, "dths_used": "count", "pops_used": "denominator"})
    out["indicator"] = out["start_age"].map(lambda a: ages[int(a)][0])
    out["age"] = out["start_age"].map(lambda a: ages[int(a)][1])
    out["value_note"] = np.where(out["value"].isna(), LE_NOT_SHOWN, "")
    # PHE keeps the limits of a value blanked for a wide interval; a stored value has none.
    for column in _LIMITS.values():
        out.loc[out["value"].isna(), column] = np.nan
    return _with_period(out, periods)


def _life_expectancy(frame: pd.DataFrame) -> pd.DataFrame:
    with warnings.catch_warnings():
        # Suppressed groups are noted on their rows (LE_NOT_SHOWN), not warned about.
        warnings.simplefilter("ignore", IndicatorWarning)
        out = life_expectancy(
            frame, "deaths", "population", start_age="band",
            group_by=["area_code", "sex", "period"], le_age=list(_LE_AGES), confidence=CONFIDENCE,
        )  # fmt: skip
    return _expectancy_rows(out, _LE_AGES)


def _healthy_life_expectancy(counts: _Counts, places: _Places, frame: pd.DataFrame) -> pd.DataFrame:
    """Sullivan: each pooled period's life table, weighted by the share of each band rating its
    health good or very good, from each answer on record by the period's end (its band is the
    age when asked). A ward band where nobody was asked takes the borough's share for that sex
    and band (and its sample size)."""
    answers = counts.general_health.assign(
        band=_life_table_band(counts.general_health["age"]).to_numpy(),
        recorded_on=pd.to_datetime(counts.general_health["recorded_on"]),
    )
    parts = []
    for start in _pooled_starts():
        _, _, end = pooled_years(start)
        known = answers[answers["recorded_on"] <= pd.Timestamp(end)]
        parts.append(
            known.groupby(["lsoa_code", "sex", "band"])["good"]
            .agg(good="sum", asked="size")
            .reset_index()
            .assign(period=start)
        )
    shares = pd.concat(parts, ignore_index=True)
    shares = _levels(shares, places, ["period", "band"], ["good", "asked"], (BOROUGH, WARD))
    frame = frame.merge(shares, on=["area_code", "sex", "period", "band"], how="left")
    borough = shares[shares["area_code"] == BOROUGH_CODE].set_index(["sex", "period", "band"])
    nobody = frame["asked"].isna() | (frame["asked"] == 0)
    fallback = borough.reindex(pd.MultiIndex.from_frame(frame[["sex", "period", "band"]]))
    good = np.where(nobody, fallback["good"].to_numpy(), frame["good"].to_numpy())
    asked = np.where(nobody, fallback["asked"].to_numpy(), frame["asked"].to_numpy())
    children = frame["band"].to_numpy() < ASKED_FROM_BAND
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["prevalence"] = np.where(children, CHILDREN_IN_GOOD_HEALTH, good / asked)
    frame["asked"] = np.where(children, np.inf, asked)
    # A band nobody in the whole borough was asked in leaves the area's HLE unknown.
    unknown = frame["prevalence"].isna() | ~(frame["asked"] > 0)
    bad_groups = frame.loc[unknown, ["area_code", "sex", "period"]].drop_duplicates()
    if len(bad_groups):
        frame = frame.merge(bad_groups.assign(_drop=True), how="left", on=list(bad_groups.columns))
        frame = frame[frame["_drop"].isna()].drop(columns="_drop")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IndicatorWarning)
        out = healthy_life_expectancy(
            frame, "deaths", "population", start_age="band", prevalence="prevalence",
            prevalence_n="asked", group_by=["area_code", "sex", "period"],
            le_age=list(_HLE_AGES), confidence=CONFIDENCE,
        )  # fmt: skip
    return _expectancy_rows(out, _HLE_AGES)


# --- Disclosure control ------------------------------------------------------------------------


def suppress(frame: pd.DataFrame, kinds: dict[str, str], parents: dict[str, str | None]):
    """Rows whose count or denominator (or a count it would reveal) is 1 to 7 lose their value,
    limits, count and denominator, and get a note. Both are counts of residents or events: a
    proportion of 0 out of 3 says something about each of the three.

    A value's count adds up in two ways: an area's LSOAs (or a borough's wards) to the area,
    and its males and females to its persons. `publishable` protects each way on the true
    counts; then, until nothing changes, any group left with one hidden cell (which the total
    minus the others would give back), or whose hidden cells add up to 7 or fewer, hides its
    smallest non-zero cell (by its count, or its denominator where the count is 0), or if it has
    none, its total."""
    frame = frame.reset_index(drop=True)
    counts = ["_count", "_denominator"]
    frame = frame.assign(
        _count=frame["count"].round().astype("Int64"),
        _denominator=frame["denominator"].round().astype("Int64"),
        _parent=frame["area_code"].map(parents).fillna(""),
        _kind=frame["area_code"].map(kinds),
        _persons=frame["sex"] == PERSONS,
    )
    keys = ["indicator", "period_label", "age"]
    # Areas within their parent, for each sex.
    across_areas = publishable(
        frame[[*counts, *keys, "sex", "_kind", "_parent"]],
        counts,
        group_by=[*keys, "sex", "_kind", "_parent"],
    )
    # The sexes within each area, persons as their total.
    across_sexes = publishable(
        frame[[*counts, *keys, "area_code", "_persons"]],
        counts,
        group_by=[*keys, "area_code"],
        total_rows="_persons",
    )
    hidden = np.zeros(len(frame), dtype=bool)
    for table in (across_areas, across_sexes):
        for count in counts:
            hidden |= table[note_column(count)].notna().to_numpy()
    hidden = _protect_both_ways(frame, hidden, keys)
    out = frame.drop(columns=[*counts, "_parent", "_kind", "_persons"])
    for column in ("value", "lower95", "upper95", "lower998", "upper998", "count", "denominator"):
        out.loc[hidden, column] = np.nan
    out.loc[hidden, "value_note"] = SUPPRESSED_SMALL
    out["suppressed"] = hidden | out["value"].isna()
    return out


def _groups(frame: pd.DataFrame, cells: np.ndarray, cell_keys, total_keys) -> tuple:
    """For one way of adding up: each row's group (-1 if not a cell) and each group's total
    row (-1 if the total is not in the table)."""
    group = np.full(len(frame), -1)
    keyed = frame.loc[cells, cell_keys]
    group[cells] = keyed.groupby(cell_keys, sort=False, dropna=False).ngroup().to_numpy()
    firsts = keyed.assign(_group=group[cells]).drop_duplicates("_group").sort_values("_group")
    rows = frame.reset_index().rename(columns={"index": "_row"})
    totals = firsts.rename(columns=dict(zip(cell_keys, total_keys, strict=True))).merge(
        rows[[*total_keys, "_row"]], on=total_keys, how="left"
    )
    total = totals.sort_values("_group")["_row"].fillna(-1).astype(int).to_numpy()
    return group, total


def _protect_both_ways(frame: pd.DataFrame, hidden: np.ndarray, keys: list[str]) -> np.ndarray:
    hidden = hidden.copy()
    values = np.nan_to_num(frame["_count"].to_numpy(dtype=float, na_value=np.nan))
    denominators = np.nan_to_num(frame["_denominator"].to_numpy(dtype=float, na_value=np.nan))
    # A cell with no events still has its people (its denominator) to protect or to hide.
    size = np.where(values > 0, values, denominators)
    sexes = frame["sex"].to_numpy() != PERSONS
    by_sex = _groups(
        frame.assign(_total_sex=PERSONS),
        sexes,
        [*keys, "area_code", "_total_sex"],
        [*keys, "area_code", "sex"],
    )
    children = frame["_parent"].to_numpy() != ""
    by_area = _groups(frame, children, [*keys, "sex", "_parent"], [*keys, "sex", "area_code"])
    rows = np.arange(len(frame))
    while True:
        changed = False
        for group, total in (by_sex, by_area):
            n = len(total)
            is_cell = group >= 0
            cells_hidden = np.bincount(group[is_cell], weights=hidden[is_cell], minlength=n)
            hidden_sum = np.bincount(
                group[is_cell], weights=np.where(hidden, values, 0)[is_cell], minlength=n
            )
            has_total = total >= 0
            total_hidden = has_total & hidden[np.maximum(total, 0)]
            # A group whose total is not published reveals nothing by adding up.
            breaks = has_total & (
                (cells_hidden + total_hidden == 1)
                | (~total_hidden & (cells_hidden >= 1) & (hidden_sum <= SMALL_COUNT_THRESHOLD))
            )
            if not breaks.any():
                continue
            candidate = is_cell & ~hidden & (size > 0)
            candidate[is_cell] &= breaks[group[is_cell]]
            chosen = np.flatnonzero(candidate)
            order = np.lexsort((rows[chosen], size[chosen], group[chosen]))
            chosen = chosen[order]
            first = np.ones(len(chosen), dtype=bool)
            first[1:] = group[chosen][1:] != group[chosen][:-1]
            hidden[chosen[first]] = True
            helped = np.zeros(n, dtype=bool)
            helped[group[chosen[first]]] = True
            # No non-zero cell left to hide: the total goes instead.
            lone = breaks & ~helped & ~total_hidden
            hidden[total[lone]] = True
            changed |= bool(first.any() or lone.any())
        if not changed:
            return hidden


def summary(frame: pd.DataFrame) -> pd.DataFrame:
    """How many values of each indicator, and how many are suppressed or not shown."""
    return (
        frame.groupby("indicator", sort=False)
        .agg(values=("value", "size"), not_shown=("suppressed", "sum"))
        .reset_index()
    )


def catalogue_slugs() -> list[str]:
    return [definition.slug for definition in CATALOGUE]
