"""The risk model's features: one definition, in Ibis, run on DuckDB (default) or Apache Spark.

A resident's features at an index date use only what was recorded before that date: their
age, sex, ethnic group, neighbourhood and household; counts and recency of GP contacts, A&E
attendances, emergency admissions, adult social care contacts and prescriptions over the past
one and two years; their long-term conditions; the electronic Frailty Index (65 and over); and
their latest smoking, weight, activity and loneliness records.

Residents who registered a national data opt-out are dropped by the very first step, before any
of their records is read into a calculation, on either engine.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.parquet as pq

from thedeal.prevention import efi
from thedeal.prevention.synthpop import CONDITION_CODES, INDEX_DATES

ENGINES = ("duckdb", "spark")
LATEST_INDEX_DATE = INDEX_DATES[-1]

# Categorical features and their values, in a fixed order (the model's encoding).
CATEGORIES: dict[str, tuple[str, ...]] = {
    "sex": ("female", "male"),
    "ethnic_group": ("White", "Asian", "Black", "Mixed", "Other"),
    "smoking_status": ("never", "ex", "current"),
    "physical_activity": ("active", "fairly active", "inactive"),
}

CONDITION_COLUMNS = tuple(f"has_{code}" for code in CONDITION_CODES)

# Every column of the output, in order, with its type: both engines' results are cast to this,
# so "identical" means identical Parquet.
SCHEMA = pa.schema(
    [
        ("resident_id", pa.int64()),
        ("index_date", pa.date32()),
        ("lsoa_code", pa.string()),
        ("ward", pa.string()),
        ("easting", pa.int32()),
        ("northing", pa.int32()),
        ("age", pa.int32()),
        ("sex", pa.string()),
        ("ethnic_group", pa.string()),
        ("deprivation_decile", pa.int8()),
        ("deprivation_quintile", pa.int8()),
        ("lives_alone", pa.bool_()),
        ("care_home", pa.bool_()),
        ("admissions_12m", pa.int32()),
        ("admissions_12_24m", pa.int32()),
        ("days_since_admission", pa.int32()),
        ("ae_12m", pa.int32()),
        ("ae_12_24m", pa.int32()),
        ("days_since_ae", pa.int32()),
        ("gp_12m", pa.int32()),
        ("gp_12_24m", pa.int32()),
        ("social_care_12m", pa.int32()),
        ("prescriptions_12m", pa.int32()),
        ("most_items_12m", pa.int32()),
        *[(column, pa.bool_()) for column in CONDITION_COLUMNS],
        ("conditions", pa.int32()),
        ("efi_deficits", pa.int32()),
        ("efi_score", pa.float64()),
        ("efi_category", pa.string()),
        ("smoking_status", pa.string()),
        ("bmi", pa.float64()),
        ("physical_activity", pa.string()),
        ("feels_lonely", pa.bool_()),
    ]
)


class FeatureError(ValueError):
    """The data folder cannot give features: says which file or date is wrong."""


# The columns each table must have, and the kind of value in each (see SYNTHPOP.md).
REQUIRED = {
    "residents": {"resident_id": "integer", "date_of_birth": "date", "sex": "string", "ethnic_group": "string",
                  "lsoa_code": "string", "deprivation_decile": "integer", "household": "string",
                  "registered_on": "date", "date_of_death": "date", "opted_out": "boolean"},
    "events": {"resident_id": "integer", "event_date": "date", "event_type": "string", "items": "number"},
    "conditions": {"resident_id": "integer", "condition": "string", "diagnosed_on": "date"},
    "lifestyle": {"resident_id": "integer", "recorded_on": "date", "smoking_status": "string",
                  "bmi": "number", "physical_activity": "string", "feels_lonely": "boolean"},
    "lsoas": {"lsoa_code": "string", "ward": "string", "easting": "integer", "northing": "integer"},
}  # fmt: skip
# What happened after each index date: needed to train and to evaluate, not to score.
OUTCOMES = {"outcomes": {"resident_id": "integer", "index_date": "date", "outcome": "integer"}}


def _kind(arrow_type: pa.DataType) -> str:
    if pa.types.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    for kind, test in (("boolean", pa.types.is_boolean), ("integer", pa.types.is_integer),
                       ("floating", pa.types.is_floating), ("date", pa.types.is_date),
                       ("string", lambda t: pa.types.is_string(t) or pa.types.is_large_string(t))):  # fmt: skip
        if test(arrow_type):
            return kind
    return str(arrow_type)


def check(data_dir: Path, tables: dict[str, dict[str, str]] = REQUIRED) -> None:
    """Refuse a data folder whose tables lack a column or hold the wrong kind of value in one,
    naming the file and the column, before anything is computed."""
    for name, columns in tables.items():
        path = data_dir / f"{name}.parquet"
        if not path.exists():
            raise FeatureError(f"{path}: not found (the data folder needs {name}.parquet).")
        try:
            schema = pq.read_schema(path)
        except (OSError, pa.ArrowInvalid) as error:
            raise FeatureError(f"{path}: not a Parquet file ({error}).") from error
        for column, kind in columns.items():
            if column not in schema.names:
                raise FeatureError(f"{path}: no column {column!r} (it needs {', '.join(columns)}).")
            found = _kind(schema.field(column).type)
            if found != kind and not (kind == "number" and found in ("integer", "floating")):
                raise FeatureError(
                    f"{path}, column {column!r}: should hold {kind} values, not {found}."
                )


def _tables(con, data_dir: Path) -> dict[str, ibis.Table]:
    check(data_dir)
    return {
        name: con.read_parquet(
            str(data_dir / f"{name}.parquet"), table_name=f"{name}_{os.getpid()}"
        )
        for name in REQUIRED
    }


def _year_before(date: dt.date, years: int = 1) -> dt.date:
    try:
        return date.replace(year=date.year - years)
    except ValueError:  # 29 February
        return date.replace(year=date.year - years, day=28)


def define(
    con, data_dir: Path, index_date: dt.date = LATEST_INDEX_DATE, residents: list[int] | None = None
) -> ibis.Table:
    """The feature table for residents alive, registered and not opted out at `index_date`
    (only those of `residents`, if given: one person's explanation on request)."""
    wanted = residents
    t = ibis.literal(index_date)
    one_year, two_years = (
        ibis.literal(_year_before(index_date)),
        ibis.literal(_year_before(index_date, 2)),
    )
    source = _tables(con, data_dir)

    # First step: residents who opted out go, before anything else is read or joined.
    residents = source["residents"].filter(~source["residents"].opted_out)
    if wanted is not None:
        residents = residents.filter(residents.resident_id.isin(list(wanted)))
    residents = residents.filter(
        (residents.date_of_birth < t)
        & (residents.registered_on <= t)
        & (residents.date_of_death.isnull() | (residents.date_of_death > t))
    )
    kept = residents.select("resident_id")

    def only_kept(table: ibis.Table) -> ibis.Table:
        return table.semi_join(kept, "resident_id")

    age = (t.delta(residents.date_of_birth, unit="day") / 365.25).floor().cast("int32")
    people = residents.select(
        "resident_id",
        "lsoa_code",
        age=age,
        sex=residents.sex.cast("string"),
        ethnic_group=residents.ethnic_group.cast("string"),
        deprivation_decile=residents.deprivation_decile.cast("int8"),
        household=residents.household.cast("string"),
    )

    # Events: counts over the past one and two years, and days since the latest.
    events = only_kept(source["events"])
    events = events.filter(events.event_date < t)

    def count(kind: str, since: ibis.Value, until: ibis.Value = t) -> ibis.Value:
        hit = (
            (events.event_type == kind) & (events.event_date >= since) & (events.event_date < until)
        )
        return ibis.ifelse(hit, 1, 0).sum()

    def latest(kind: str) -> ibis.Value:
        return ibis.ifelse(events.event_type == kind, events.event_date, ibis.null("date")).max()

    prescription_12m = (events.event_type == "prescription") & (events.event_date >= one_year)
    use = events.group_by("resident_id").aggregate(
        admissions_12m=count("emergency_admission", one_year),
        admissions_12_24m=count("emergency_admission", two_years, one_year),
        last_admission=latest("emergency_admission"),
        ae_12m=count("ae_attendance", one_year),
        ae_12_24m=count("ae_attendance", two_years, one_year),
        last_ae=latest("ae_attendance"),
        gp_12m=count("gp_contact", one_year),
        gp_12_24m=count("gp_contact", two_years, one_year),
        social_care_12m=count("social_care_contact", one_year),
        prescriptions_12m=count("prescription", one_year),
        most_items_12m=ibis.ifelse(prescription_12m, events["items"], 0).max(),
    )

    # Conditions diagnosed before the index date: one flag each.
    conditions = only_kept(source["conditions"])
    conditions = conditions.filter(conditions.diagnosed_on < t)
    flags = conditions.group_by("resident_id").aggregate(
        **{
            f"has_{code}": ibis.ifelse(conditions.condition == code, 1, 0).max()
            for code in CONDITION_CODES
        }
    )

    # The latest lifestyle record before the index date.
    lifestyle = only_kept(source["lifestyle"])
    lifestyle = lifestyle.filter(lifestyle.recorded_on < t)
    order = ibis.window(group_by="resident_id", order_by=[ibis.desc("recorded_on")])
    lifestyle = lifestyle.mutate(latest=ibis.row_number().over(order)).filter(
        lambda r: r.latest == 0
    )
    lifestyle = lifestyle.select(
        "resident_id",
        smoking_status=lifestyle.smoking_status.cast("string"),
        bmi=lifestyle.bmi.cast("float64"),
        physical_activity=lifestyle.physical_activity.cast("string"),
        feels_lonely=lifestyle.feels_lonely,
    )

    places = source["lsoas"].select("lsoa_code", "ward", "easting", "northing")
    joined = (
        people.left_join(places, "lsoa_code")
        .select(~ibis.selectors.endswith("_right"))
        .left_join(use, "resident_id")
        .select(~ibis.selectors.endswith("_right"))
        .left_join(flags, "resident_id")
        .select(~ibis.selectors.endswith("_right"))
        .left_join(lifestyle, "resident_id")
        .select(~ibis.selectors.endswith("_right"))
    )

    zero = {column: joined[column].fill_null(0) for column in (
        "admissions_12m", "admissions_12_24m", "ae_12m", "ae_12_24m", "gp_12m", "gp_12_24m",
        "social_care_12m", "prescriptions_12m", "most_items_12m",
    )}  # fmt: skip
    has = {column: joined[column].fill_null(0) == 1 for column in CONDITION_COLUMNS}
    deficits = sum(
        (ibis.ifelse(has[f"has_{code}"], 1, 0) for code in efi.CONDITION_DEFICITS), ibis.literal(0)
    ) + ibis.ifelse(zero["most_items_12m"] >= efi.POLYPHARMACY_ITEMS, 1, 0)
    older = joined.age >= efi.MINIMUM_AGE
    category = ibis.cases(
        (deficits >= efi.SEVERE_FROM, "severe"),
        (deficits >= efi.MODERATE_FROM, "moderate"),
        (deficits >= efi.MILD_FROM, "mild"),
        else_="fit",
    )
    result = joined.select(
        "resident_id",
        index_date=t,
        lsoa_code=joined.lsoa_code,
        ward=joined.ward,
        easting=joined.easting,
        northing=joined.northing,
        age=joined.age,
        sex=joined.sex,
        ethnic_group=joined.ethnic_group,
        deprivation_decile=joined.deprivation_decile,
        deprivation_quintile=((joined.deprivation_decile + 1) // 2).cast("int8"),
        lives_alone=(joined.household == "lives alone") & (joined.age >= 18),
        care_home=(joined.household == "care home") & (joined.age >= 65),
        **{key: zero[key] for key in ("admissions_12m", "admissions_12_24m")},
        days_since_admission=t.delta(joined.last_admission, unit="day"),
        **{key: zero[key] for key in ("ae_12m", "ae_12_24m")},
        days_since_ae=t.delta(joined.last_ae, unit="day"),
        **{
            key: zero[key]
            for key in (
                "gp_12m",
                "gp_12_24m",
                "social_care_12m",
                "prescriptions_12m",
                "most_items_12m",
            )
        },
        **has,
        conditions=sum((ibis.ifelse(flag, 1, 0) for flag in has.values()), ibis.literal(0)),
        efi_deficits=ibis.ifelse(older, deficits, ibis.null("int64")),
        efi_score=ibis.ifelse(older, deficits.cast("float64") / 36.0, ibis.null("float64")),
        efi_category=ibis.ifelse(older, category, ibis.null("string")),
        smoking_status=joined.smoking_status,
        bmi=joined.bmi,
        physical_activity=joined.physical_activity,
        feels_lonely=joined.feels_lonely,
    )
    return result


def compute(
    data_dir: Path,
    *,
    engine: str = "duckdb",
    index_date: dt.date = LATEST_INDEX_DATE,
    residents: list[int] | None = None,
    spark=None,
) -> pa.Table:
    """The features as an Arrow table in SCHEMA, sorted by resident_id."""
    if engine not in ENGINES:
        raise FeatureError(f"engine {engine!r}: choose one of {', '.join(ENGINES)}.")
    if engine == "duckdb":
        # DuckDB draws a progress bar on the terminal for slow queries, which would land in the
        # middle of a command's output (`risk evaluate --json`); the commands report progress.
        con = ibis.duckdb.connect()
        con.raw_sql("SET enable_progress_bar = false")
    else:
        con = ibis.pyspark.connect(spark or spark_session())
    table = define(con, Path(data_dir), index_date, residents).to_pyarrow()
    table = table.sort_by("resident_id").select(SCHEMA.names)
    return table.cast(SCHEMA)


def write(table: pa.Table, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, out, compression="zstd")


# --- Spark ------------------------------------------------------------------------------------


def spark_unavailable() -> str | None:
    """Why Spark cannot run here (a sentence), or None if it can."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install '.[spark]')"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "Spark needs Java 17 or newer, and no java was found (set JAVA_HOME)"
    return None


_SPARK = None


def spark_session():
    """A local Spark session on every core of this machine, started once per process."""
    global _SPARK
    reason = spark_unavailable()
    if reason:
        raise FeatureError(reason + ".")
    if _SPARK is None:
        from pyspark.sql import SparkSession

        _SPARK = (
            SparkSession.builder.master("local[*]")
            .appName("thedeal-prevention")
            # Dates are dates: no time zone may shift them.
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.driver.memory", os.environ.get("THEDEAL_SPARK_MEMORY", "6g"))
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .getOrCreate()
        )
        _SPARK.sparkContext.setLogLevel("ERROR")
        # py4j logs each connection it closes, at exit too (after logging has shut down).
        logging.getLogger("py4j").setLevel(logging.ERROR)
    return _SPARK
