"""The evaluation of the prevention programme: what it did to emergency admissions, four ways.

`evaluate(data_dir)` reads a borough's linked records (Parquet files, as `thedeal synthpop`
writes them) and the programme's own records (`programme.parquet`: everyone on each index date's
worklist, whether they were offered support and whether they took it up; `rollout.parquet`:
when each ward joined). It never reads `truth.json`: on a synthetic borough the truth is there
to check the evaluation against, not to feed it.

The four analyses, each an `Estimate` (EVALUATION.md explains them in words an analyst can
check):

- `primary`, the stepped wedge (intention to treat): everyone on a worklist, in wards that had
  joined and wards that had not yet, compared within ward and within index date;
- `matched` (on the treated): takers against similar worklisted residents in wards not yet
  joined on the same date, matched on a propensity score from what the record shows;
- `interrupted_time_series` (intention to treat): the borough's monthly admission rate before
  and after the start, which the history's warm-up biases;
- `naive` (on the treated): takers against those offered who did not take it up, the biased
  comparison, shown so that its bias can be seen.

Pure: DuckDB SQL over the Parquet files, NumPy, and statsmodels and scikit-learn imported only
inside the functions that fit models. No Django.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

INTENTION_TO_TREAT = "intention_to_treat"
ON_TREATED = "on_treated"

CONFIDENCE = 0.95
# Admissions are counted in the 12 months from each index date: the window the programme's offer
# is meant to act in, and the one a worklist's risk score predicts.
FOLLOW_UP_MONTHS = 12
# The matched comparison: nearest neighbours on the logit of the propensity score, within this
# many standard deviations of it (Austin 2011's 0.2), with replacement, on the same index date.
CALIPER_SD = 0.2
# Each taker's nearest comparison residents: several, since the wards still waiting hold fewer
# worklisted residents than there are takers, and averaging over a few makes the comparison
# steadier (and the balance closer) than one match each.
MATCHES = 3
# A balance table's standardised mean differences should all be below this (Austin 2009).
BALANCE_LIMIT = 0.1
BOOTSTRAP_RESAMPLES = 500
# Fixed, so that the same data always gives the same figures (and the same JSON).
BOOTSTRAP_SEED = 20_130_401
# DuckDB's threads: the machine's two cores (a study running boroughs side by side sets 1).
THREADS = 2
# The interrupted time series: Newey-West errors over a year of lags, since admissions are
# drawn a year at a time and neighbouring months share their year's level.
HAC_LAGS = 12

# What each table must hold: the evaluation names the file and column it misses.
REQUIRED = {
    "programme": ("resident_id", "index_date", "ward", "risk_score", "offered", "took_up"),
    "rollout": ("ward", "starts_on"),
    "events": ("resident_id", "event_date", "event_type"),
    "residents": (
        "resident_id",
        "date_of_birth",
        "sex",
        "deprivation_decile",
        "household",
        "registered_on",
        "date_of_death",
        "opted_out",
    ),
    "conditions": ("resident_id", "diagnosed_on"),
    "lifestyle": ("resident_id", "recorded_on", "smoking_status", "feels_lonely"),
}

# The recorded characteristics the matched comparison balances, in the balance table's words.
CHARACTERISTICS = {
    "risk_logit": "Risk score (log-odds)",
    "age": "Age (years)",
    "aged_75_plus": "Aged 75 or over",
    "female": "Female",
    "most_deprived": "Deprivation decile 1 or 2",
    "deprivation_decile": "Deprivation decile",
    "lives_alone": "Lives alone",
    "care_home": "Lives in a care home",
    "lonely": "Recorded as feeling lonely",
    "loneliness_not_recorded": "Loneliness not recorded",
    "smoker": "Recorded as a smoker",
    "conditions": "Long-term conditions",
    "admissions_before": "Emergency admissions in the 12 months before",
    "ae_before": "A&E attendances in the 12 months before",
}


class EvaluationError(ValueError):
    """The data cannot be evaluated: the message names the file (and column) and says why."""


@dataclass
class Estimate:
    """One analysis's answer: the programme's relative risk of an emergency admission and the
    admissions it avoided, each with its 95% interval, for the estimand it targets."""

    estimand: str  # INTENTION_TO_TREAT (everyone offered) or ON_TREATED (those who took it up)
    relative_risk: float | None  # None where it cannot be worked out (see the time series)
    lower: float | None
    upper: float | None
    admissions_avoided: float
    admissions_avoided_lower: float | None
    admissions_avoided_upper: float | None
    method: str
    details: dict = field(default_factory=dict)

    @classmethod
    def from_ratio(
        cls, estimand: str, rr: float, lower: float, upper: float, *, observed: float,
        method: str, details: dict | None = None,
    ) -> Estimate:  # fmt: skip
        """An estimate from a relative risk and its interval: the admissions avoided are those
        observed among the people it is about, against what the ratio says they would have had
        without the programme (a higher ratio, fewer avoided)."""
        return cls(
            estimand=estimand,
            relative_risk=rr,
            lower=lower,
            upper=upper,
            admissions_avoided=_avoided(observed, rr),
            admissions_avoided_lower=_avoided(observed, upper),
            admissions_avoided_upper=_avoided(observed, lower),
            method=method,
            details=details or {},
        )

    def as_dict(self) -> dict:
        out = asdict(self)
        details = out.pop("details")
        return {**out, **details}


def evaluate(data_dir: Path | str, *, progress: Callable[[str], None] | None = None) -> dict:
    """Estimate the programme's effect from the borough's records in `data_dir`.

    Returns a dict with `primary`, `matched`, `interrupted_time_series` and `naive` (each an
    `Estimate.as_dict()`) and `data` (what was read: offers, take-ups, dates, wards).
    """
    say = progress or (lambda message: None)
    data_dir = Path(data_dir)
    paths = _check(data_dir)
    con = duckdb.connect(config={"threads": THREADS})
    con.execute("SET enable_progress_bar = false")  # the command reports its own progress
    try:
        say("reading the worklists and their admissions")
        worklist = _worklist(con, paths)
        say("reading the borough's monthly admissions")
        monthly = _monthly(con, paths)
        rollout = con.execute(
            f"SELECT ward, starts_on FROM read_parquet('{paths['rollout']}') ORDER BY ward"
        ).df()
    finally:
        con.close()

    _check_consistent(worklist, rollout, paths)
    worklist, dropped = _complete_follow_up(worklist, monthly)
    offered = worklist[worklist.offered]
    if offered.empty:
        raise EvaluationError(
            f"{paths['programme']}: no one on a worklist was offered support, so there is no "
            "programme to evaluate."
        )
    start = offered.index_date.min()
    from threadpoolctl import threadpool_limits

    # The models' matrices are small (tens of columns): one linear-algebra thread fits them
    # faster than several, which wait for each other on a busy machine (half the time at 330k).
    with threadpool_limits(limits=1):
        say("primary analysis: the stepped wedge")
        primary = stepped_wedge(worklist)
        say("matched comparison: propensity scores and the balance table")
        matched = matched_comparison(worklist)
        say("interrupted time series of the borough's monthly admissions")
        its = interrupted_time_series(
            monthly, start, offered_admissions=int(offered.admissions.sum())
        )
        say("naive comparison: takers against non-takers")
        naive = naive_comparison(worklist)
    dates = sorted(worklist.index_date.unique())
    return {
        "primary": primary.as_dict(),
        "matched": matched.as_dict(),
        "interrupted_time_series": its.as_dict(),
        "naive": naive.as_dict(),
        "data": {
            "programme_start": start.isoformat(),
            "index_dates": [d.isoformat() for d in dates],
            "index_dates_left_out": [d.isoformat() for d in dropped],
            "wards": int(worklist.ward.nunique()),
            "wards_joined_by_date": {
                d.isoformat(): int(
                    worklist[(worklist.index_date == d)].groupby("ward").offered.any().sum()
                )
                for d in dates
            },
            "wards_never_joined": int(rollout.starts_on.isna().sum()),
            "worklist_places": len(worklist),
            "offers": len(offered),
            "take_ups": int(offered.took_up.sum()),
            "admissions_of_the_offered": int(offered.admissions.sum()),
            "admissions_of_the_takers": int(offered.admissions[offered.took_up].sum()),
            "follow_up_months": FOLLOW_UP_MONTHS,
        },
    }


# Reading the data ------------------------------------------------------------------------------


def _check(data_dir: Path) -> dict[str, str]:
    if not data_dir.is_dir():
        raise EvaluationError(f"{data_dir}: not a folder.")
    paths = {}
    for name, columns in REQUIRED.items():
        path = data_dir / f"{name}.parquet"
        if not path.exists():
            why = (
                " (a borough drawn with `thedeal synthpop --programme-start` has it)"
                if name in ("programme", "rollout")
                else ""
            )
            raise EvaluationError(f"{path}: not found; the evaluation needs {name}.parquet{why}.")
        try:
            found = duckdb.execute(f"DESCRIBE SELECT * FROM read_parquet('{_quoted(path)}')").df()
        except duckdb.Error as error:
            raise EvaluationError(f"{path}: not a Parquet file ({error}).") from error
        missing = [c for c in columns if c not in set(found.column_name)]
        if missing:
            raise EvaluationError(
                f"{path}: no column {missing[0]!r} (the evaluation needs {', '.join(columns)})."
            )
        paths[name] = _quoted(path)
    return paths


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _worklist(con, paths: dict[str, str]) -> pd.DataFrame:
    """One row per place on a worklist (a resident on an index date), with the admissions in the
    12 months from that date and what the record showed on it."""
    frame = con.execute(
        f"""
        WITH worklist AS (
            SELECT resident_id, index_date, ward, risk_score, offered, took_up,
                file_row_number + 1 AS file_row
            FROM read_parquet('{paths["programme"]}', file_row_number = true)
        ),
        events AS (
            SELECT e.resident_id, e.event_date, e.event_type::VARCHAR AS event_type
            FROM read_parquet('{paths["events"]}') e
            SEMI JOIN worklist w ON w.resident_id = e.resident_id
            WHERE e.event_type::VARCHAR IN ('emergency_admission', 'ae_attendance')
        ),
        counts AS (
            SELECT w.resident_id, w.index_date,
                count(*) FILTER (
                    e.event_type = 'emergency_admission' AND e.event_date >= w.index_date
                    AND e.event_date < w.index_date + INTERVAL {FOLLOW_UP_MONTHS} MONTH
                ) AS admissions,
                count(*) FILTER (
                    e.event_type = 'emergency_admission' AND e.event_date < w.index_date
                    AND e.event_date >= w.index_date - INTERVAL 12 MONTH
                ) AS admissions_before,
                count(*) FILTER (
                    e.event_type = 'ae_attendance' AND e.event_date < w.index_date
                    AND e.event_date >= w.index_date - INTERVAL 12 MONTH
                ) AS ae_before
            FROM worklist w JOIN events e ON e.resident_id = w.resident_id
            GROUP BY ALL
        ),
        conditions AS (
            SELECT w.resident_id, w.index_date, count(*) AS conditions
            FROM worklist w JOIN read_parquet('{paths["conditions"]}') c
              ON c.resident_id = w.resident_id AND c.diagnosed_on < w.index_date
            GROUP BY ALL
        ),
        lifestyle AS (
            SELECT w.resident_id, w.index_date,
                arg_max(l.feels_lonely, l.recorded_on) AS lonely,
                arg_max(l.smoking_status, l.recorded_on) AS smoking
            FROM worklist w JOIN read_parquet('{paths["lifestyle"]}') l
              ON l.resident_id = w.resident_id AND l.recorded_on < w.index_date
            GROUP BY ALL
        )
        SELECT w.file_row, w.resident_id, w.index_date, w.ward, w.risk_score, w.offered,
            w.took_up, r.resident_id IS NULL AS unknown_resident,
            coalesce(c.admissions, 0) AS admissions,
            coalesce(c.admissions_before, 0) AS admissions_before,
            coalesce(c.ae_before, 0) AS ae_before,
            coalesce(k.conditions, 0) AS conditions,
            date_diff('year', r.date_of_birth, w.index_date) AS age,
            r.sex::VARCHAR = 'female' AS female,
            r.deprivation_decile AS deprivation_decile,
            r.household::VARCHAR = 'lives alone' AS lives_alone,
            r.household::VARCHAR = 'care home' AS care_home,
            l.lonely AS lonely_answer,
            l.smoking = 'current' AS smoker
        FROM worklist w
        LEFT JOIN read_parquet('{paths["residents"]}') r USING (resident_id)
        LEFT JOIN counts c USING (resident_id, index_date)
        LEFT JOIN conditions k USING (resident_id, index_date)
        LEFT JOIN lifestyle l USING (resident_id, index_date)
        ORDER BY w.index_date, w.ward, w.resident_id
        """
    ).df()
    frame["index_date"] = pd.to_datetime(frame.index_date).dt.date
    frame["offered_answer"] = frame.offered
    frame["took_up_answer"] = frame.took_up
    frame["offered"] = frame.offered.fillna(False).astype(bool)
    frame["took_up"] = frame.took_up.fillna(False).astype(bool)
    frame["smoker"] = frame.smoker.fillna(False).astype(bool)
    frame["lonely"] = frame.lonely_answer.fillna(False).astype(bool)
    frame["loneliness_not_recorded"] = frame.lonely_answer.isna()
    frame["aged_75_plus"] = frame.age >= 75
    frame["most_deprived"] = frame.deprivation_decile <= 2
    risk = frame.risk_score.clip(1e-6, 1 - 1e-6)
    frame["risk_logit"] = np.log(risk / (1 - risk))
    return frame.drop(columns="lonely_answer")  # file_row and the answers stay for the checks


def _monthly(con, paths: dict[str, str]) -> pd.DataFrame:
    """The borough's emergency admissions and residents month by month (residents alive,
    registered and not opted out on the 1st)."""
    admissions = con.execute(
        f"""
        SELECT date_trunc('month', e.event_date)::DATE AS month, count(*) AS admissions
        FROM read_parquet('{paths["events"]}') e
        JOIN read_parquet('{paths["residents"]}') r USING (resident_id)
        WHERE e.event_type::VARCHAR = 'emergency_admission' AND NOT coalesce(r.opted_out, false)
        GROUP BY 1 ORDER BY 1
        """
    ).df()
    people = con.execute(
        f"""
        SELECT greatest(date_of_birth, registered_on) AS joined, date_of_death AS left_on
        FROM read_parquet('{paths["residents"]}') WHERE NOT coalesce(opted_out, false)
        """
    ).df()
    admissions["month"] = pd.to_datetime(admissions.month).dt.date
    last_event = con.execute(
        f"SELECT max(event_date) FROM read_parquet('{paths['events']}')"
    ).fetchone()[0]
    months = pd.date_range(admissions.month.min(), last_event, freq="MS")
    # A month is kept only if the records cover all of it.
    months = [m.date() for m in months if (m + pd.offsets.MonthEnd(0)).date() <= last_event]
    joined = np.sort(pd.to_datetime(people.joined).to_numpy())
    left = np.sort(pd.to_datetime(people.left_on.dropna()).to_numpy())
    at = pd.to_datetime(months).to_numpy()
    population = np.searchsorted(joined, at, side="right") - np.searchsorted(left, at, side="right")
    frame = pd.DataFrame({"month": months, "residents": population})
    frame = frame.merge(admissions, on="month", how="left").fillna({"admissions": 0})
    frame.attrs["last_event"] = last_event
    return frame


def _check_consistent(worklist: pd.DataFrame, rollout: pd.DataFrame, paths) -> None:
    """Refuse worklists that contradict themselves or the rollout, naming the first row (the
    file's data rows numbered from 1) by its date and ward: not by the resident, since an error
    may be pasted into a ticket or a log."""
    where = paths["programme"]

    def refuse(rows: pd.DataFrame, why: str) -> None:
        row = rows.sort_values("file_row").iloc[0]
        raise EvaluationError(
            f"{where}, row {int(row.file_row)} ({row.index_date}, ward {row.ward!r}): {why}"
        )

    for column in ("offered", "took_up"):
        missing = worklist[worklist[f"{column}_answer"].isna()]
        if len(missing):
            refuse(missing, f"column {column!r} is empty; it must say true or false.")
    unknown = worklist[worklist.unknown_resident]
    if len(unknown):
        refuse(unknown, "the resident is not in residents.parquet.")
    took_without_offer = worklist[worklist.took_up & ~worklist.offered]
    if len(took_without_offer):
        refuse(took_without_offer, "column 'took_up' says they took up support not offered.")
    starts = dict(zip(rollout.ward, pd.to_datetime(rollout.starts_on).dt.date, strict=True))
    unknown_ward = worklist[~worklist.ward.isin(starts)]
    if len(unknown_ward):
        refuse(unknown_ward, "the ward is not in rollout.parquet.")
    joined = [
        start is not None and not pd.isna(start) and start <= day
        for start, day in zip(worklist.ward.map(starts), worklist.index_date, strict=True)
    ]
    contradicts = worklist[worklist.offered != np.array(joined, bool)]
    if len(contradicts):
        refuse(
            contradicts,
            "column 'offered' contradicts rollout.parquet (everyone listed in a ward that has "
            "joined is offered support, no one in a ward that has not).",
        )


def _complete_follow_up(worklist: pd.DataFrame, monthly: pd.DataFrame):
    """Leave out index dates whose 12 months of follow-up the records do not yet cover."""
    last = monthly.attrs["last_event"]
    ends = {
        d: (pd.Timestamp(d) + pd.DateOffset(months=FOLLOW_UP_MONTHS) - pd.Timedelta(days=1)).date()
        for d in worklist.index_date.unique()
    }
    dropped = sorted(d for d, end in ends.items() if end > last)
    return worklist[~worklist.index_date.isin(dropped)].reset_index(drop=True), dropped


# The analyses ----------------------------------------------------------------------------------


def _z(level: float = CONFIDENCE) -> float:
    from scipy import stats

    return float(stats.norm.ppf(0.5 + level / 2))


def _avoided(observed: float, rr: float) -> float:
    """Admissions avoided among a group who had `observed` admissions under a relative risk
    `rr`: what they would have had without the programme, less what they had (unbounded at a
    relative risk of 0, which a small group's bootstrap can give)."""
    return observed * (1 / rr - 1) if rr > 0 else math.inf


def _design(frame: pd.DataFrame, columns: list[str], fixed: list[str]) -> pd.DataFrame:
    """A design matrix: an intercept, `columns` as they are, and one indicator per level of each
    `fixed` effect but the first."""
    parts = [pd.Series(1.0, index=frame.index, name="intercept")]
    parts += [frame[c].astype(float) for c in columns]
    for name in fixed:
        parts.append(
            pd.get_dummies(frame[name].astype(str), prefix=name, drop_first=True, dtype=float)
        )
    return pd.concat(parts, axis=1)


def stepped_wedge(worklist: pd.DataFrame) -> Estimate:
    """The primary analysis: a Poisson regression of each worklisted resident's admissions in the
    12 months after the index date on whether they were offered support, with fixed effects for
    ward and index date and the risk score's log-odds, and errors clustered by ward."""
    import statsmodels.api as sm
    from scipy import stats

    frame = worklist.copy()
    frame["offered_support"] = frame.offered.astype(float)
    x = _design(frame, ["offered_support", "risk_logit"], ["ward", "index_date"])
    groups = pd.factorize(frame.ward)[0]
    fit = sm.GLM(frame.admissions.astype(float), x, family=sm.families.Poisson()).fit(
        cov_type="cluster", cov_kwds={"groups": groups}
    )
    beta = float(fit.params["offered_support"])
    se = float(fit.bse["offered_support"])
    clusters = int(groups.max()) + 1
    # 25 wards are few clusters: t with G - 1 degrees of freedom, not the normal, widens the
    # interval as the small-sample correction (Cameron and Miller 2015).
    t = float(stats.t.ppf(0.5 + CONFIDENCE / 2, clusters - 1))
    rr, lower, upper = math.exp(beta), math.exp(beta - t * se), math.exp(beta + t * se)
    observed = float(frame.admissions[frame.offered].sum())
    return Estimate.from_ratio(
        INTENTION_TO_TREAT,
        rr,
        lower,
        upper,
        observed=observed,
        method=(
            "Stepped wedge: everyone on a worklist, in wards that had joined (offered support) "
            "and wards that had not yet, compared within the same ward and the same index date. "
            "A Poisson regression of each person's emergency admissions in the 12 months after "
            "the index date on whether they were offered support, with a term for each ward and "
            "each index date and the risk score they were put on the list with; errors clustered "
            f"by ward, with a t distribution on {clusters - 1} degrees of freedom."
        ),
        details={
            "worklist_places": len(frame),
            "offers": int(frame.offered.sum()),
            "admissions_of_the_offered": int(observed),
            "wards": clusters,
            "standard_error_log_rr": se,
            "imputation_relative_risk": _imputation(frame, x),
            "on_treated": _on_treated(
                float(frame.admissions[frame.took_up].sum()),
                _avoided(observed, rr),
                _avoided(observed, upper),
                _avoided(observed, lower),
            ),
        },
    )


def _on_treated(takers_admissions: float, avoided: float, low: float, high: float) -> dict:
    """The effect on those who took support up, from the primary analysis (Bloom 1984): support
    not taken up changes nothing, so every admission avoided among the offered was avoided among
    the takers, and their relative risk is their admissions over those plus the avoided ones."""

    def rr(avoided_: float) -> float | None:
        denominator = takers_admissions + avoided_
        return takers_admissions / denominator if denominator > 0 else None

    return {
        "estimand": ON_TREATED,
        "relative_risk": rr(avoided),
        "lower": rr(high),
        "upper": rr(low),
        "method": (
            "From the primary analysis, for those who took support up: the admissions it "
            "avoided among everyone offered were all avoided among the takers (support not taken "
            "up changes nothing), so their relative risk is their admissions over those plus the "
            "admissions avoided, with the primary's limits (Bloom's estimator)."
        ),
    }


def _imputation(frame: pd.DataFrame, x: pd.DataFrame) -> float | None:
    """A check on the primary analysis (Borusyak, Jaravel and Spiess's imputation estimator):
    the same model fitted to the places not offered support only, predicting what the offered
    would have had; their admissions over that prediction. Close to the primary's relative risk
    when the model's assumptions hold. None where a ward joined on the first index date (it has
    no place without an offer to learn from)."""
    import statsmodels.api as sm

    untreated = ~frame.offered.to_numpy()
    if not set(frame.ward[~untreated]) <= set(frame.ward[untreated]):
        return None
    design = x.drop(columns="offered_support")
    fit = sm.GLM(
        frame.admissions[untreated].astype(float),
        design[untreated],
        family=sm.families.Poisson(),
    ).fit()
    predicted = fit.predict(design[~untreated]).sum()
    return float(frame.admissions[~untreated].sum() / predicted)


def _smd(a: np.ndarray, b: np.ndarray, scale: float) -> float:
    return float((a.mean() - b.mean()) / scale) if scale > 0 else 0.0


def matched_comparison(worklist: pd.DataFrame) -> Estimate:
    """Takers against worklisted residents in wards not yet joined on the same index date,
    matched 1:1 (with replacement, within a caliper) on a propensity score from the record."""
    from sklearn.linear_model import LogisticRegression

    # Wards that had joined put everyone on their worklist on offer: those not offered on a date
    # when others took up support are on the worklists of wards still waiting.
    dates = set(worklist.index_date[worklist.took_up])
    pool = worklist[worklist.index_date.isin(dates) & (worklist.took_up | ~worklist.offered)]
    pool = pool.reset_index(drop=True)
    names = list(CHARACTERISTICS)
    x = pool[names].astype(float).to_numpy()
    dummies = pd.get_dummies(pool.index_date.astype(str), drop_first=True, dtype=float).to_numpy()
    mean, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    design = np.hstack([(x - mean) / sd, dummies])
    treated = pool.took_up.to_numpy()
    model = LogisticRegression(C=1e6, max_iter=2000).fit(design, treated)
    score = np.clip(model.predict_proba(design)[:, 1], 1e-9, 1 - 1e-9)
    logit = np.log(score / (1 - score))
    caliper = CALIPER_SD * float(logit.std())

    # Matched exactly on the date, the deprivation quintile and being 75 or over: the wards
    # still waiting are few, and deprivation goes by neighbourhood, so a score alone leaves
    # them unbalanced.
    stratum = pd.factorize(
        pool.index_date.astype(str)
        + "|"
        + ((pool.deprivation_decile + 1) // 2).astype(str)
        + "|"
        + pool.aged_75_plus.astype(str)
    )[0]
    takers, matches = nearest_matches(logit, treated, stratum, caliper=caliper, k=MATCHES)
    if len(takers) == 0:
        raise EvaluationError(
            "programme.parquet: no taker could be matched to a worklisted resident in a ward "
            "not yet joined (every ward had joined on the dates with take-up)."
        )
    # Each taker's matches share one weight: a taker with fewer matches within the caliper
    # counts as much as one with MATCHES.
    used = matches >= 0
    weight = used / used.sum(axis=1, keepdims=True)
    safe = np.where(used, matches, 0)

    def matched_mean(values: np.ndarray) -> np.ndarray:
        """Each taker's matches' mean of `values`."""
        return (values[safe] * weight).sum(axis=1)

    # The balance table: each characteristic's difference in means over the pooled standard
    # deviation of takers and the whole comparison pool, before and after matching.
    t_all, c_all = x[treated], x[~treated]
    balance = []
    for j, name in enumerate(names):
        scale = math.sqrt((t_all[:, j].var() + c_all[:, j].var()) / 2)
        after_t, after_c = x[takers, j], matched_mean(x[:, j])
        balance.append({
            "characteristic": CHARACTERISTICS[name],
            "takers_mean": float(after_t.mean()),
            "comparison_mean": float(after_c.mean()),
            "standardised_difference_before": _smd(t_all[:, j], c_all[:, j], scale),
            "standardised_difference_after": _smd(after_t, after_c, scale),
        })  # fmt: skip

    y = pool.admissions.to_numpy(float)
    y_t, y_c = y[takers], matched_mean(y)
    rr = y_t.sum() / y_c.sum()
    # The interval: the takers with their matches resampled together.
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    draws = rng.integers(0, len(takers), (BOOTSTRAP_RESAMPLES, len(takers)))
    ratios = y_t[draws].sum(axis=1) / np.maximum(y_c[draws].sum(axis=1), 1e-9)
    tail = (1 - CONFIDENCE) / 2
    lower, upper = (float(v) for v in np.quantile(ratios, [tail, 1 - tail]))
    controls = matches[used]
    observed = float(y[treated].sum())
    worst = max(abs(b["standardised_difference_after"]) for b in balance)
    return Estimate.from_ratio(
        ON_TREATED,
        float(rr),
        lower,
        upper,
        observed=observed,
        method=(
            f"Matched comparison: each resident who took up support is matched to the {MATCHES} "
            "most similar residents on a worklist on the same date in wards that had not joined "
            "yet, in the same deprivation quintile and the same age group (under 75, or 75 and "
            "over), "
            "by a propensity score from what the record shows (risk score, age, sex, "
            "deprivation, household, loneliness, smoking, conditions, recent admissions and A&E "
            f"visits); matches within {CALIPER_SD} standard deviations of the score's log-odds, "
            "a comparison resident may be used more than once; interval from "
            f"{BOOTSTRAP_RESAMPLES} bootstrap resamples of the takers with their matches. It cannot balance what the "
            "record does not show: if those who take up support differ in unrecorded ways (as "
            "they do in life), it is biased."
        ),
        details={
            "takers": int(treated.sum()),
            "matched_takers": len(takers),
            "unmatched_takers": int(treated.sum()) - len(takers),
            "matches_per_taker": MATCHES,
            "distinct_comparison_residents": len(np.unique(controls)),
            "admissions_of_matched_takers": int(y_t.sum()),
            "admissions_of_their_matches": float(y_c.sum()),
            "balance": balance,
            "balanced": bool(worst < BALANCE_LIMIT),
            "largest_standardised_difference": worst,
        },
    )


def nearest_matches(
    score: np.ndarray, treated: np.ndarray, stratum: np.ndarray, *, caliper: float, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each treated unit's k nearest untreated units by `score`, in the same stratum, within
    `caliper`, with replacement (an untreated unit may serve several treated ones).

    Returns the positions of the treated units with at least one match, and for each a row of
    k positions of their matches, nearest first (-1 where fewer than k lie within the caliper).
    """
    takers, matches = [], []
    for group in np.unique(stratum[treated]):
        t_idx = np.flatnonzero(treated & (stratum == group))
        c_idx = np.flatnonzero(~treated & (stratum == group))
        if len(c_idx) == 0:
            continue
        c_sorted = c_idx[np.argsort(score[c_idx], kind="stable")]
        c_score = score[c_sorted]
        # The k nearest lie among the k on either side of where the treated unit's score would
        # go in the sorted scores.
        at = np.searchsorted(c_score, score[t_idx])
        near = np.clip(at[:, None] + np.arange(-k, k), 0, len(c_sorted) - 1)
        distance = np.abs(c_score[near] - score[t_idx][:, None])
        # A position clipped at either end repeats: count each untreated unit once.
        distance[:, 1:][near[:, 1:] == near[:, :-1]] = np.inf
        order = np.argsort(distance, axis=1, kind="stable")[:, :k]
        chosen = np.take_along_axis(near, order, axis=1)
        within = np.take_along_axis(distance, order, axis=1) <= caliper
        keep = within.any(axis=1)
        takers.append(t_idx[keep])
        matches.append(np.where(within[keep], c_sorted[chosen[keep]], -1))
    if not takers:
        return np.array([], np.int64), np.empty((0, k), np.int64)
    return np.concatenate(takers), np.concatenate(matches)


def interrupted_time_series(
    monthly: pd.DataFrame, start: dt.date, *, offered_admissions: int
) -> Estimate:
    """The borough's monthly emergency admission rate before and after the programme's start:
    a segmented regression (level and slope before, a change in each after) with HAC errors.

    Admissions avoided are the months after the start's counterfactual (the line before, carried
    on) less what the regression fits; the relative risk sets them against the admissions of
    those offered support (all the programme could have changed).
    """
    import statsmodels.api as sm

    # The first year of records has no year before it to draw on (no earlier admissions on
    # record), so admissions climb through the early years; it is left out.
    first = monthly.month.min()
    begin = dt.date(first.year + 1, first.month, 1)
    frame = monthly[monthly.month >= begin].reset_index(drop=True)
    t = np.arange(len(frame), dtype=float)
    after = (frame.month >= start).to_numpy()
    t0 = float(t[after][0]) if after.any() else float(len(frame))
    rate = frame.admissions.to_numpy(float) / frame.residents.to_numpy(float) * 1000
    # A term for each calendar month but the first: admissions follow the year's pattern (in
    # the synthetic borough each year's admissions come early in it, from April), and a
    # straight line through a saw-tooth would mistake its teeth for a change.
    month_of_year = np.array([m.month for m in frame.month])
    seasons = [(month_of_year == m).astype(float) for m in sorted(set(month_of_year))[1:]]
    x = np.column_stack(
        [np.ones_like(t), t, after.astype(float), np.where(after, t - t0, 0.0), *seasons]
    )
    fit = sm.OLS(rate, x).fit(cov_type="HAC", cov_kwds={"maxlags": HAC_LAGS})
    # avoided = -sum over months after the start of (level change + slope change * time) *
    # residents / 1,000: a linear function of the fit's coefficients, so its variance is exact.
    weight = frame.residents.to_numpy(float)[after] / 1000
    g = np.zeros(x.shape[1])
    g[2] = -weight.sum()
    g[3] = -(weight * (t[after] - t0)).sum()
    avoided = float(g @ fit.params)
    se = float(math.sqrt(g @ fit.cov_params() @ g))
    z = _z()
    low, high = avoided - z * se, avoided + z * se

    def rr(avoided_: float) -> float | None:
        # None where the avoided admissions would exceed what the offered could have had.
        denominator = offered_admissions + avoided_
        return offered_admissions / denominator if denominator > 0 else None

    return Estimate(
        estimand=INTENTION_TO_TREAT,
        relative_risk=rr(avoided),
        lower=rr(high),
        upper=rr(low),
        admissions_avoided=avoided,
        admissions_avoided_lower=low,
        admissions_avoided_upper=high,
        method=(
            "Interrupted time series: the borough's monthly emergency admissions per 1,000 "
            f"residents from {begin:%B %Y}, a straight line before the start on {start.day} {start:%B %Y} "
            "and a change of level and slope after it, with a term for each calendar month "
            "(segmented regression, Newey-West errors "
            f"over {HAC_LAGS} months); admissions avoided are the line before carried on less "
            "the line after, and the relative risk sets them against the offered residents' "
            "admissions. Biased here: the records' early years have less history to draw on, so "
            "admissions climb and then level off, and a straight line through that climb "
            "carried on overstates what would have happened, and with it the admissions avoided."
        ),
        details={
            "months_before": int((~after).sum()),
            "months_after": int(after.sum()),
            "from_month": begin.isoformat(),
            "level_change_per_1000": float(fit.params[2]),
            "slope_change_per_1000_per_month": float(fit.params[3]),
        },
    )


def naive_comparison(worklist: pd.DataFrame) -> Estimate:
    """Takers against those offered who did not take it up: the comparison a programme's own
    report often makes, and a biased one, shown so that its bias can be seen."""
    import statsmodels.api as sm

    offered = worklist[worklist.offered]
    x = _design(offered.assign(took=offered.took_up.astype(float)), ["took"], [])
    fit = sm.GLM(offered.admissions.astype(float), x, family=sm.families.Poisson()).fit(
        cov_type="HC0"
    )
    beta, se, z = float(fit.params["took"]), float(fit.bse["took"]), _z()
    rr, lower, upper = math.exp(beta), math.exp(beta - z * se), math.exp(beta + z * se)
    observed = float(offered.admissions[offered.took_up].sum())
    return Estimate.from_ratio(
        ON_TREATED,
        rr,
        lower,
        upper,
        observed=observed,
        method=(
            "Naive comparison, biased: the admission rate of residents who took up support over "
            "that of residents offered it who did not (Poisson regression, robust errors). "
            "Those who take up support differ from those who do not, partly in ways no record "
            "shows, so this mixes the programme's effect with who chose it."
        ),
        details={
            "takers": int(offered.took_up.sum()),
            "non_takers": int((~offered.took_up).sum()),
            "admissions_of_takers": int(observed),
            "admissions_of_non_takers": int(offered.admissions[~offered.took_up].sum()),
        },
    )
