"""A synthetic borough: residents, their records, and what happens to them.

Nobody in these tables exists. They are drawn on Wigan's real neighbourhoods (2011 LSOAs, see
data/LICENCE.md) so that the prevention module can be built, measured and demonstrated without
anybody's health record. SYNTHPOP.md describes the generating model; this module is its only
definition. Pure NumPy and pyarrow: no Django.

The borough is simulated a year at a time, from 1 April to 31 March. At the start of each year
every resident's chance of an emergency admission in that year is worked out from what is
*recorded* about them at that moment (their age, conditions, frailty, use of services in the
past two years, smoking, weight, activity, loneliness, household, deprivation), plus a share of
risk that no record reveals. Because that unrecorded share is drawn afresh each year and is
independent of everything recorded, the probability given the record (the "true risk") is exact:
the recorded part's logistic curve averaged over the unrecorded part, by Gauss-Hermite
quadrature. Admissions then become part of the record that next year's risk is worked out from,
as in life.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from thedeal.prevention import efi
from thedeal.prevention import programme as programme_module
from thedeal.prevention.programme import Programme

# 2: the national data opt-out is drawn before the years (its own random stream), so that a
# programme's worklists can leave out those who opted out; every other table is as in 1.
GENERATOR_VERSION = "2"
DATA_DIR = Path(__file__).parent / "data"

HISTORY_START = dt.date(2019, 4, 1)
YEARS = 7  # 2019-20 to 2025-26
INDEX_DATES = tuple(dt.date(year, 4, 1) for year in range(2021, 2026))
DATA_END = dt.date(HISTORY_START.year + YEARS, 3, 31)

EPOCH = dt.date(1970, 1, 1)


def _day(date: dt.date) -> int:
    return (date - EPOCH).days


# Age pyramid by five-year band (0-4 ... 90-94), per cent: close to Wigan's mid-2019 estimate.
AGE_BANDS_PERCENT = (
    5.7, 6.0, 6.1, 5.6, 5.5, 6.3, 6.6, 6.3, 6.0, 6.4, 7.3, 7.4, 6.6, 5.6, 5.4, 3.9, 2.7, 1.6, 1.0,
)  # fmt: skip

# Ethnic groups (Census 2021 high-level categories), shares close to Wigan's.
ETHNIC_GROUPS = ("White", "Asian", "Black", "Mixed", "Other")
ETHNIC_SHARES = (0.950, 0.018, 0.012, 0.012, 0.008)

SMOKING = ("never", "ex", "current")
ACTIVITY = ("active", "fairly active", "inactive")
HOUSEHOLDS = ("with others", "lives alone", "care home")

# Self-rated general health, as the Census asks it, best first.
GENERAL_HEALTH = ("very good", "good", "fair", "bad", "very bad")

EVENT_TYPES = (
    "gp_contact",
    "ae_attendance",
    "emergency_admission",
    "social_care_contact",
    "prescription",
)


@dataclass(frozen=True)
class Condition:
    """A long-term condition or recorded problem, and how its onset depends on age and more.

    Onset follows a Gompertz hazard fitted to the prevalence by age 50 and by age 80 for a
    resident of average health; `health` scales it by the unrecorded health factor.
    """

    code: str
    efi: bool  # one of the electronic Frailty Index's 36 deficits
    by_50: float
    by_80: float
    health: float = 0.5  # effect of the unrecorded health factor on the log hazard
    deprivation: float = 0.1  # effect per standard deviation of deprivation on the log hazard
    medicines: int = 0  # repeat medicines a diagnosis usually brings


# The eFI's 36 deficits (Clegg et al. 2016, Box 1) are the eFI names below, in its order, less
# polypharmacy, which comes from the prescriptions; then other conditions that matter for
# admissions. Codes are the eFI names in snake case.
CONDITIONS: tuple[Condition, ...] = (
    Condition("activity_limitation", True, 0.03, 0.25, 0.7),
    Condition("anaemia_and_haematinic_deficiency", True, 0.04, 0.18, 0.5, 0.1, 1),
    Condition("arthritis", True, 0.10, 0.45, 0.4, 0.1, 1),
    Condition("atrial_fibrillation", True, 0.005, 0.12, 0.4, 0.05, 2),
    Condition("cerebrovascular_disease", True, 0.01, 0.10, 0.5, 0.15, 2),
    Condition("chronic_kidney_disease", True, 0.01, 0.25, 0.5, 0.1, 1),
    Condition("diabetes", True, 0.06, 0.20, 0.4, 0.2, 2),
    Condition("dizziness", True, 0.04, 0.20, 0.5),
    Condition("dyspnoea", True, 0.04, 0.22, 0.6, 0.15),
    Condition("falls", True, 0.02, 0.25, 0.6),
    Condition("foot_problems", True, 0.04, 0.20, 0.4),
    Condition("fragility_fracture", True, 0.01, 0.10, 0.5),
    Condition("hearing_impairment", True, 0.04, 0.30, 0.2, 0.05),
    Condition("heart_failure", True, 0.003, 0.07, 0.6, 0.15, 3),
    Condition("heart_valve_disease", True, 0.005, 0.06, 0.4, 0.05, 1),
    Condition("housebound", True, 0.002, 0.08, 0.8),
    Condition("hypertension", True, 0.12, 0.55, 0.3, 0.1, 2),
    Condition("hypotension_syncope", True, 0.02, 0.10, 0.5),
    Condition("ischaemic_heart_disease", True, 0.02, 0.18, 0.5, 0.2, 3),
    Condition("memory_and_cognitive_problems", True, 0.005, 0.12, 0.5, 0.1, 1),
    Condition("mobility_and_transfer_problems", True, 0.01, 0.15, 0.7),
    Condition("osteoporosis", True, 0.01, 0.15, 0.4, 0.05, 1),
    Condition("parkinsonism_and_tremor", True, 0.003, 0.04, 0.4, 0.0, 2),
    Condition("peptic_ulcer", True, 0.02, 0.06, 0.4, 0.15, 1),
    Condition("peripheral_vascular_disease", True, 0.005, 0.05, 0.5, 0.2, 1),
    Condition("requirement_for_care", True, 0.005, 0.12, 0.8, 0.1),
    Condition("respiratory_disease", True, 0.12, 0.25, 0.4, 0.15, 1),
    Condition("skin_ulcer", True, 0.005, 0.06, 0.6),
    Condition("sleep_disturbance", True, 0.08, 0.18, 0.4, 0.1, 1),
    Condition("social_vulnerability", True, 0.03, 0.12, 0.5, 0.3),
    Condition("thyroid_disease", True, 0.04, 0.12, 0.2, 0.0, 1),
    Condition("urinary_incontinence", True, 0.02, 0.15, 0.4, 0.05, 1),
    Condition("urinary_system_disease", True, 0.03, 0.12, 0.4),
    Condition("visual_impairment", True, 0.02, 0.18, 0.3, 0.05),
    Condition("weight_loss_and_anorexia", True, 0.01, 0.08, 0.7),
    Condition("copd", False, 0.02, 0.12, 0.5, 0.25, 2),
    Condition("asthma", False, 0.09, 0.11, 0.3, 0.1, 1),
    Condition("cancer", False, 0.03, 0.15, 0.3, 0.05, 1),
    Condition("depression", False, 0.12, 0.15, 0.4, 0.2, 1),
    Condition("severe_mental_illness", False, 0.008, 0.010, 0.3, 0.3, 2),
    Condition("dementia", False, 0.001, 0.08, 0.5, 0.05, 1),
)
CONDITION_CODES = tuple(c.code for c in CONDITIONS)
EFI_FROM_CONDITIONS = efi.CONDITION_DEFICITS
POLYPHARMACY_ITEMS = efi.POLYPHARMACY_ITEMS
assert set(EFI_FROM_CONDITIONS) == {c.code for c in CONDITIONS if c.efi}
# How strongly the unrecorded health factor ties conditions together (scales each one's effect).
HEALTH_SCALE = 1.7


def _index(code: str) -> int:
    return CONDITION_CODES.index(code)


# --- the risk of an emergency admission, from what is recorded ------------------------------
# Logit by age (piecewise linear between these ages); the rest of the model adds to it.
AGE_KNOTS = (0, 1, 5, 16, 25, 40, 60, 70, 80, 90, 100)
AGE_LOGIT = (-2.75, -3.55, -4.75, -4.75, -4.25, -4.65, -4.75, -4.75, -4.65, -4.55, -4.5)
UNRECORDED_SD = 0.45  # the share of risk that no recorded field reveals, on the logit scale
_GH_NODES, _GH_WEIGHTS = np.polynomial.hermite_e.hermegauss(24)
_GH_WEIGHTS = _GH_WEIGHTS / _GH_WEIGHTS.sum()


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def integrated_risk(logit: np.ndarray, sd: float = UNRECORDED_SD) -> np.ndarray:
    """P(admission | record): the logistic curve averaged over the unrecorded N(0, sd^2) part."""
    out = np.zeros(logit.shape, dtype=np.float64)
    for node, weight in zip(_GH_NODES, _GH_WEIGHTS, strict=True):
        out += weight * _expit(logit + sd * node)
    return out


@dataclass
class Record:
    """What is recorded about each resident at the start of a year (arrays of one length)."""

    age: np.ndarray
    female: np.ndarray
    decile: np.ndarray
    lives_alone: np.ndarray
    care_home: np.ndarray
    has: np.ndarray  # (residents, conditions) diagnosed before the date
    polypharmacy_items: np.ndarray  # most items on one prescription in the past year
    admissions_12m: np.ndarray
    admissions_12_24m: np.ndarray
    days_since_admission: np.ndarray  # a large number if never
    ae_12m: np.ndarray
    gp_12m: np.ndarray
    social_care_12m: np.ndarray
    smoking: np.ndarray  # -1 not recorded, else an index into SMOKING
    bmi: np.ndarray  # nan if not recorded
    activity: np.ndarray  # -1 not recorded, else an index into ACTIVITY
    lonely: np.ndarray  # -1 not asked, 0 no, 1 yes

    def efi_deficits(self) -> np.ndarray:
        efi_columns = [_index(code) for code in EFI_FROM_CONDITIONS]
        return self.has[:, efi_columns].sum(axis=1) + (
            self.polypharmacy_items >= POLYPHARMACY_ITEMS
        )


# --- self-rated general health ----------------------------------------------------------------
# An ordered logit: a resident's health score is the linear predictor below plus a standard
# logistic draw, cut at these points into very good, good, fair, bad and very bad. So the chance
# of "very good" or "good" (what healthy life expectancy counts as good health) is expit(score).
GENERAL_HEALTH_CUTS = (1.9, 0.0, -2.3, -3.8)
# Calibrated so that the borough's healthy life expectancy at birth (Sullivan, 3 years pooled, as
# tests/unit/prevention/test_general_health.py computes it) comes near Wigan's published figure:
# ONS, "Health state life expectancies, UK: 2015 to 2017" (via PHE Fingertips, as reported by
# Wigan Today, 5 June 2019): males 60.5 years, females 62.6. That is the figure used; it was not
# checked against the ONS dataset itself, and later Wigan figures were not found.
WIGAN_HLE_AT_BIRTH = {"male": 60.5, "female": 62.6}
GOOD_HEALTH_INTERCEPT = 2.65
GOOD_HEALTH_PER_YEAR_OVER_20 = -0.035
GOOD_HEALTH_FEMALE = 0.25


def general_health_score(
    *, age, female, deprivation_z, health, conditions, lives_alone, lonely, inactive
) -> np.ndarray:
    """The linear predictor of self-rated general health (higher is better)."""
    return (
        GOOD_HEALTH_INTERCEPT
        + GOOD_HEALTH_PER_YEAR_OVER_20 * np.maximum(age - 20, 0)
        + GOOD_HEALTH_FEMALE * female
        - 0.2 * deprivation_z
        - 0.35 * health
        - 0.25 * np.minimum(conditions, 6)
        - 0.2 * lives_alone
        - 0.4 * lonely
        - 0.4 * inactive
    )


def draw_general_health(score: np.ndarray, rng) -> np.ndarray:
    """Index into GENERAL_HEALTH for each score (an ordered logit with GENERAL_HEALTH_CUTS)."""
    latent = score + rng.logistic(size=score.shape)
    return np.sum(latent[:, None] < np.array(GENERAL_HEALTH_CUTS)[None, :], axis=1)


def admission_logit(r: Record) -> np.ndarray:
    """The recorded part of the risk of an emergency admission in the next 12 months (logit).

    Non-linear in age and in use of services (capped counts, a recent-admission step), with
    interactions: deprivation matters more in mid-life, frailty only from 65, smoking more with
    COPD, loneliness more for those who live alone and for the oldest.
    """
    has = r.has
    age = r.age.astype(np.float64)
    logit = np.interp(age, AGE_KNOTS, AGE_LOGIT)
    deprivation = (10 - r.decile) / 9.0  # 0 least deprived, 1 most
    logit += deprivation * (1.0 + 0.35 * ((age >= 40) & (age < 75)))
    conditions = has.sum(axis=1)
    logit += 0.35 * np.log1p(conditions)
    for code, effect in (
        ("heart_failure", 0.45), ("copd", 0.40), ("cancer", 0.35), ("chronic_kidney_disease", 0.15),
        ("diabetes", 0.15), ("dementia", 0.25), ("severe_mental_illness", 0.35),
        ("atrial_fibrillation", 0.12), ("falls", 0.15),
    ):  # fmt: skip
        logit += effect * has[:, _index(code)]
    deficits = r.efi_deficits()
    older = age >= efi.MINIMUM_AGE
    steps = [deficits >= efi.SEVERE_FROM, deficits >= efi.MODERATE_FROM, deficits >= efi.MILD_FROM]
    logit += older * np.select(steps, [0.6, 0.35, 0.15], 0.0)
    logit += 0.7 * np.minimum(r.admissions_12m, 4) + 0.25 * np.minimum(r.admissions_12_24m, 4)
    logit += 0.35 * (r.days_since_admission <= 90)
    logit += 0.22 * np.minimum(r.ae_12m, 5)
    logit += 0.035 * np.minimum(r.gp_12m, 24)
    logit += 0.25 * (r.social_care_12m >= 1) + 0.1 * (r.social_care_12m >= 6)
    logit += 0.4 * r.care_home
    current = r.smoking == 2
    logit += 0.35 * current + 0.1 * (r.smoking == 1) + 0.3 * (current & has[:, _index("copd")])
    lonely = r.lonely == 1
    logit += 0.12 * lonely + 0.1 * r.lives_alone + 0.25 * (lonely & r.lives_alone)
    logit += 0.1 * (lonely & (age >= 75))
    bmi = np.nan_to_num(r.bmi, nan=25.0)
    logit += 0.35 * (bmi < 18.5) + 0.25 * (bmi >= 40)
    logit += 0.12 * (r.activity == 2)
    logit += 0.2 * (r.polypharmacy_items >= 10)
    return logit


# --- geography -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Neighbourhoods:
    codes: np.ndarray
    wards: np.ndarray
    eastings: np.ndarray
    northings: np.ndarray
    weights: np.ndarray  # share of residents: by number of live postcodes
    deciles: np.ndarray


def neighbourhoods() -> Neighbourhoods:
    """Wigan's LSOAs, with a synthetic deprivation decile for each.

    The deciles are not the Index of Multiple Deprivation: they are drawn once (a fixed seed,
    the same for every synthetic borough) from a smooth east-west gradient plus noise, then
    ranked into England-wide deciles skewed towards the more deprived, as Wigan's are.
    """
    with (DATA_DIR / "wigan_lsoas.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    eastings = np.array([int(r["easting"]) for r in rows])
    northings = np.array([int(r["northing"]) for r in rows])
    rng = np.random.default_rng(20190401)
    centre_e, centre_n = 358000, 405800  # Wigan town centre, roughly
    distance = np.hypot(eastings - centre_e, northings - centre_n) / 1000
    score = -0.18 * distance + rng.normal(0, 1.0, len(rows))
    # England-wide deciles as Wigan has them: more in the most deprived deciles.
    shares = np.array([0.16, 0.13, 0.11, 0.10, 0.10, 0.10, 0.09, 0.08, 0.07, 0.06])
    ranks = np.argsort(np.argsort(-score)) / len(rows)
    deciles = np.searchsorted(np.cumsum(shares), ranks, side="right") + 1
    postcodes = np.array([int(r["postcodes"]) for r in rows], dtype=np.float64)
    return Neighbourhoods(
        codes=np.array([r["lsoa_code"] for r in rows]),
        wards=np.array([r["ward"] for r in rows]),
        eastings=eastings,
        northings=northings,
        weights=postcodes / postcodes.sum(),
        deciles=np.minimum(deciles, 10).astype(np.int8),
    )


# --- helpers ---------------------------------------------------------------------------------


def nhs_number_check_digit(first_nine: np.ndarray) -> np.ndarray:
    """The modulus 11 check digit for nine-digit numbers; 10 means the number cannot be used."""
    total = np.zeros(first_nine.shape, dtype=np.int64)
    rest = first_nine.astype(np.int64)
    for weight in range(2, 11):  # from the ninth digit (weight 2) to the first (weight 10)
        total += (rest % 10) * weight
        rest //= 10
    check = 11 - total % 11
    return np.where(check == 11, 0, check)


def synthetic_nhs_numbers(count: int, rng: np.random.Generator) -> np.ndarray:
    """Valid NHS numbers from the range kept for testing (999 000 0000 to 999 999 9999).

    That range holds 909,091 valid numbers; residents beyond that get none (None).
    """
    bases = 999_000_000 + np.arange(1_000_000)
    checks = nhs_number_check_digit(bases)
    valid = bases[checks != 10] * 10 + checks[checks != 10]
    valid = rng.permutation(valid)
    numbers = np.full(count, None, dtype=object)
    take = min(count, len(valid))
    numbers[:take] = valid[:take].astype(str)
    return numbers


def _gompertz(by_50: float, by_80: float) -> tuple[float, float]:
    """(alpha, beta) of a Gompertz hazard with these cumulative probabilities by 50 and 80."""
    h50, h80 = -np.log1p(-by_50), -np.log1p(-by_80)
    target = h80 / h50

    def ratio(beta: float) -> float:
        if abs(beta) < 1e-9:
            return 80 / 50
        return np.expm1(80 * beta) / np.expm1(50 * beta)

    low, high = -0.5, 0.5
    for _ in range(100):
        mid = (low + high) / 2
        low, high = (mid, high) if ratio(mid) < target else (low, mid)
    beta = (low + high) / 2
    scale = 50 if abs(beta) < 1e-9 else np.expm1(50 * beta) / beta
    return float(np.log(h50 / scale)), float(beta)


def _onset_ages(multiplier: np.ndarray, alpha: float, beta: float, rng) -> np.ndarray:
    """Ages at onset (inf if never) drawn by inverting the cumulative Gompertz hazard."""
    exposure = rng.standard_exponential(multiplier.shape) / (multiplier * np.exp(alpha))
    with np.errstate(invalid="ignore", divide="ignore"):
        if abs(beta) < 1e-9:
            return exposure
        inner = 1 + beta * exposure
        return np.where(inner > 0, np.log(inner) / beta, np.inf)


def _dates_in(starts: np.ndarray, spans: np.ndarray, counts: np.ndarray, rng) -> np.ndarray:
    """`counts[i]` days drawn uniformly in [starts[i], starts[i] + spans[i])."""
    starts = np.repeat(starts, counts)
    spans = np.repeat(spans, counts)
    return starts + np.floor(rng.random(len(starts)) * spans).astype(np.int32)


def _date_array(days: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(days.astype(np.int32), type=pa.date32(), mask=mask)


def _dictionary(indices: np.ndarray, labels: tuple[str, ...]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int8)), pa.array(labels))


# --- the generator ---------------------------------------------------------------------------


@dataclass
class Population:
    tables: dict[str, pa.Table]
    summary: dict[str, object]
    # The programme's true effects (truth.json), if the borough has a programme. Kept apart from
    # the tables: an evaluation must find the effect from the records alone.
    truth: dict[str, object] | None = None


def generate(
    residents: int,
    seed: int,
    *,
    progress: Callable[[str], None] | None = None,
    programme: Programme | None = None,
) -> Population:
    """Draw a synthetic borough of `residents` people. The same seed gives the same borough.

    With a `programme`, a prevention programme is rolled out ward by ward from its start date
    (see programme.py): its draws come from their own random stream, so the main stream makes
    the same draws as without it, and only the offered residents' admissions (and what follows
    from them) differ.
    """
    say = progress or (lambda message: None)
    rng = np.random.default_rng(seed)
    if programme is not None:
        programme.check(INDEX_DATES)
    n = residents
    history_start = _day(HISTORY_START)

    # Who lives here: ages on 1 April 2019, plus babies born since (about 1.1% a year).
    born_since = rng.random(n) < 0.011 * (YEARS - 1)
    shares = np.array(AGE_BANDS_PERCENT) / sum(AGE_BANDS_PERCENT)
    band = rng.choice(len(shares), size=n, p=shares)
    age_2019 = band * 5 + rng.random(n) * 5
    dob = history_start - np.floor(age_2019 * 365.25).astype(np.int32)
    newborn_days = np.floor(rng.random(n) * (YEARS - 1) * 365.25).astype(np.int32)
    dob = np.where(born_since, history_start + newborn_days, dob).astype(np.int32)
    age_now = (history_start - dob) / 365.25  # negative for babies born since

    female = rng.random(n) < 0.505
    ethnic = rng.choice(len(ETHNIC_GROUPS), size=n, p=ETHNIC_SHARES)
    places = neighbourhoods()
    lsoa = rng.choice(len(places.codes), size=n, p=places.weights)
    decile = places.deciles[lsoa]
    deprivation_z = (5.5 - decile) / 2.9
    # Unrecorded health: drives conditions and use of services (clipped: no one is 4 SD from the mean).
    health = np.clip(rng.standard_normal(n), -3, 3)

    # Household. Adults live alone more often as they age; some of the oldest live in care homes.
    adult_age = np.maximum(age_now + 3, 0)  # around the middle of the years simulated
    care_home = rng.random(n) < np.where(
        adult_age >= 85, 0.05, np.where(adult_age >= 75, 0.012, 0.0)
    )
    care_home |= (adult_age >= 65) & (rng.random(n) < 0.004 * np.exp(0.8 * health))
    p_alone = np.interp(
        adult_age, [0, 17.9, 18, 30, 50, 65, 80, 95], [0, 0, 0.10, 0.12, 0.14, 0.25, 0.45, 0.6]
    )
    lives_alone = ~care_home & (rng.random(n) < p_alone)
    household = np.where(care_home, 2, np.where(lives_alone, 1, 0))

    # Lifestyle, recorded once at a GP review between 2018 and 2024 (adults only).
    adult = adult_age >= 16
    recorded_on = history_start - 450 + np.floor(rng.random(n) * 6 * 365).astype(np.int32)
    p_smoker = _expit(-2.2 + 0.45 * deprivation_z - 0.02 * np.maximum(adult_age - 50, 0))
    p_ex = np.clip(0.08 + 0.006 * np.maximum(adult_age - 25, 0), 0, 0.45)
    draw = rng.random(n)
    smoking = np.where(draw < p_smoker, 2, np.where(draw < p_smoker + p_ex, 1, 0))
    smoking = np.where(adult & (rng.random(n) < 0.88), smoking, -1)
    bmi = rng.normal(26.5 + 0.05 * np.clip(adult_age - 30, -15, 35) + 0.5 * deprivation_z, 4.8, n)
    bmi = np.clip(bmi, 14.5, 60)
    bmi = np.where(adult & (rng.random(n) < 0.75), np.round(bmi, 1), np.nan)
    p_inactive = np.clip(
        0.18 + 0.004 * np.maximum(adult_age - 40, 0) + 0.05 * deprivation_z + 0.05 * health,
        0.02,
        0.9,
    )
    draw = rng.random(n)
    activity = np.where(draw < p_inactive, 2, np.where(draw < p_inactive + 0.12, 1, 0))
    activity = np.where(adult & (rng.random(n) < 0.6), activity, -1)
    p_lonely = np.clip(
        0.05 + 0.12 * lives_alone + 0.04 * (adult_age >= 75) + 0.03 * health, 0.0, 0.8
    )
    lonely = (rng.random(n) < p_lonely).astype(np.int8)
    asked = adult & (rng.random(n) < np.where(adult_age >= 65, 0.7, 0.35))
    lonely = np.where(asked, lonely, -1)

    # Conditions: an age at onset for each, from its Gompertz hazard, scaled by health,
    # deprivation, sex, ethnicity, smoking and weight.
    say("conditions")
    obese = np.nan_to_num(bmi, nan=26) >= 30
    ever_smoked = smoking >= 1
    diagnosed = np.full((n, len(CONDITIONS)), np.iinfo(np.int32).max, dtype=np.int32)
    for column, condition in enumerate(CONDITIONS):
        effect = HEALTH_SCALE * condition.health
        log_m = effect * health + condition.deprivation * deprivation_z
        log_m -= (effect**2 + condition.deprivation**2) / 2  # keep the average hazard
        extra = np.zeros(n)
        code = condition.code
        if code in ("copd", "peripheral_vascular_disease"):
            extra += np.log(3.0) * (smoking == 2) + np.log(2.0) * (smoking == 1)
        if code in ("ischaemic_heart_disease", "cerebrovascular_disease", "dyspnoea"):
            extra += np.log(1.6) * ever_smoked
        if code in ("diabetes",):
            extra += np.log(2.5) * obese + np.log(2.0) * (ethnic == 1) + np.log(1.6) * (ethnic == 2)
        if code in ("hypertension",):
            extra += np.log(1.5) * obese + np.log(1.4) * (ethnic == 2)
        if code in ("osteoporosis", "thyroid_disease"):
            extra += np.where(female, np.log(3.0), 0) - np.log(2.0)
        if code in ("urinary_incontinence",):
            extra += np.where(female, np.log(1.8), 0) - np.log(1.4)
        if code in ("ischaemic_heart_disease", "parkinsonism_and_tremor"):
            extra += np.where(female, np.log(0.6), 0) + np.log(1.25)
        if code in ("requirement_for_care", "housebound"):
            extra += np.log(4.0) * care_home
        if code == "social_vulnerability":
            extra += np.log(2.0) * lives_alone + np.log(2.0) * (lonely == 1)
        alpha, beta = _gompertz(condition.by_50, condition.by_80)
        onset = _onset_ages(np.exp(log_m + extra), alpha, beta, rng)
        days = dob + np.floor(np.minimum(onset, 150) * 365.25).astype(np.int64)
        diagnosed[:, column] = np.where(
            np.isfinite(onset) & (days <= _day(DATA_END)), days, np.iinfo(np.int32).max
        )
    medicines = np.array([c.medicines for c in CONDITIONS])

    # Self-rated general health, asked at the same review as the lifestyle items of about 70% of
    # those who have a lifestyle record (its own stream, so nothing else changes): worse with
    # age, deprivation, conditions diagnosed by then, unrecorded health, living alone,
    # loneliness and inactivity; a little better for women.
    hrng = np.random.default_rng([seed, 2])
    asked_health = ((smoking >= 0) | ~np.isnan(bmi) | (activity >= 0) | (lonely >= 0)) & (
        hrng.random(n) < 0.7
    )
    general_health = np.where(
        asked_health,
        draw_general_health(
            general_health_score(
                age=(recorded_on - dob) / 365.25,
                female=female,
                deprivation_z=deprivation_z,
                health=health,
                conditions=(diagnosed < recorded_on[:, None]).sum(axis=1),
                lives_alone=lives_alone,
                lonely=lonely == 1,
                inactive=activity == 2,
            ),
            hrng,
        ),
        -1,
    )
    extra_items = rng.poisson(0.3, n)
    # The national data opt-out, from its own stream: drawn before the years so that worklists
    # can leave out those who opted out (features.py drops them too).
    opted_out = np.random.default_rng([seed, 1]).random(n) < 0.03

    wards = sorted(set(places.wards.tolist()))
    ward = np.searchsorted(wards, places.wards)[lsoa]
    if programme is not None:
        prng = np.random.default_rng([seed, 13])
        starts_on = programme_module.rollout(wards, programme, INDEX_DATES, prng)
        joins = np.array(
            [_day(starts_on[w]) if starts_on[w] else np.iinfo(np.int32).max for w in wards]
        )
        truth = programme_module.Truth(effect=programme.effect)
        worklists: list[tuple[np.ndarray, int, np.ndarray, np.ndarray, np.ndarray]] = []

    # The years, one at a time.
    death = np.full(n, np.iinfo(np.int32).max, dtype=np.int32)
    state = {
        "admissions_12m": np.zeros(n, np.int32),
        "admissions_12_24m": np.zeros(n, np.int32),
        "last_admission": np.full(n, -(10**6), np.int64),
        "ae_12m": np.zeros(n, np.int32),
        "gp_12m": np.zeros(n, np.int32),
        "social_care_12m": np.zeros(n, np.int32),
        "items_12m": np.zeros(n, np.int32),
    }
    events: list[tuple[np.ndarray, np.ndarray, int, np.ndarray | None]] = []
    outcomes: list[tuple[np.ndarray, int, np.ndarray, np.ndarray]] = []
    for year in range(YEARS):
        start_date = dt.date(HISTORY_START.year + year, 4, 1)
        start, end = _day(start_date), _day(dt.date(start_date.year + 1, 4, 1))
        say(f"year {start_date.year}-{(start_date.year + 1) % 100:02d}")
        here = np.flatnonzero((dob < start) & (death > start))
        age = ((start - dob[here]) / 365.25).astype(np.int32)
        recorded = recorded_on[here] < start
        record = Record(
            age=age,
            female=female[here],
            decile=decile[here],
            lives_alone=lives_alone[here] & (age >= 18),
            care_home=care_home[here] & (age >= 65),
            has=diagnosed[here] < start,
            polypharmacy_items=state["items_12m"][here],
            admissions_12m=state["admissions_12m"][here],
            admissions_12_24m=state["admissions_12_24m"][here],
            days_since_admission=start - state["last_admission"][here],
            ae_12m=state["ae_12m"][here],
            gp_12m=state["gp_12m"][here],
            social_care_12m=state["social_care_12m"][here],
            smoking=np.where(recorded, smoking[here], -1),
            bmi=np.where(recorded, bmi[here], np.nan),
            activity=np.where(recorded, activity[here], -1),
            lonely=np.where(recorded, lonely[here], -1),
        )
        logit = admission_logit(record)
        risk = integrated_risk(logit)
        # Drawing the unrecorded part and then the admission is the same, in distribution, as
        # drawing the admission with the integrated risk; the latter is what is saved.
        chance = rng.random(len(here))
        admitted = chance < risk
        if programme is not None and start_date in INDEX_DATES:
            # The worklist is drawn in every ward; only those in wards that have joined are
            # offered support. For them the unrecorded part is drawn explicitly, because take-up
            # depends on it, and the admission is drawn from their risk given it (with the same
            # uniform, so the main stream is untouched); averaged over that part, it is `risk`.
            on = programme_module.worklist(
                risk, ward[here], ~opted_out[here], programme.worklist_share
            )
            offered = joins[ward[here[on]]] <= start
            who = on[offered]
            hidden = prng.normal(0.0, UNRECORDED_SD, len(who))
            p0 = _expit(logit[who] + hidden)
            p_take = programme_module.take_up_probability(
                programme_module.recorded_take_up_logit(
                    age[who], record.decile[who], record.lonely[who]
                ),
                hidden / UNRECORDED_SD,
                programme.uptake,
            )
            took = prng.random(len(who)) < p_take
            admitted[who] = chance[who] < p0 * np.where(took, programme.effect, 1.0)
            # The expected number of admissions given one or more (see the count below).
            per_admitted = 1.25 + 0.08 * np.minimum(record.has[who].sum(axis=1), 6)
            truth.add(p0, took, per_admitted)
            took_up = np.zeros(len(on), bool)
            took_up[offered] = took
            worklists.append((here[on], start, risk[on], offered, took_up))
        if start_date in INDEX_DATES:
            outcomes.append((here, start, risk, admitted))

        # Deaths during the year (about 1% a year): after any admission, which comes first.
        frail = record.efi_deficits() >= efi.SEVERE_FROM
        has = record.has
        p_death = _expit(
            -10.9 + 0.095 * age + 0.8 * admitted + 0.5 * frail + 0.5 * has[:, _index("heart_failure")]
            + 0.6 * has[:, _index("cancer")] + 0.6 * record.care_home
        )  # fmt: skip
        dies = rng.random(len(here)) < p_death
        death_day = start + 1 + np.floor(rng.random(len(here)) * (end - start - 1)).astype(np.int32)
        death[here[dies]] = death_day[dies]
        stop = np.where(dies, death_day, end)
        span = stop - start
        share = span / (end - start)

        # Emergency admissions: one or more for those admitted, before any death.
        conditions = has.sum(axis=1)
        count = admitted * (1 + rng.poisson(0.25 + 0.08 * np.minimum(conditions, 6)))
        days = _dates_in(np.full(len(here), start), span, count, rng)
        who = np.repeat(here, count)
        events.append((who, days, 2, None))
        last = np.full(n, -1, np.int64)
        np.maximum.at(last, who, days)
        # Most admissions come through A&E that day.
        through_ae = rng.random(len(who)) < 0.75
        events.append((who[through_ae], days[through_ae], 1, None))
        ae_from_admissions = np.bincount(
            np.searchsorted(here, who[through_ae]), minlength=len(here)
        )

        # Other A&E attendances, GP contacts, adult social care contacts.
        young_adult = (age >= 16) & (age < 30)
        ae_rate = np.exp(
            np.log(0.22)
            + 0.25 * health[here]
            + 0.12 * deprivation_z[here]
            + 0.3 * young_adult
            + 0.01 * np.maximum(age - 60, 0)
            + 0.1 * np.log1p(conditions)
        )
        ae_count = rng.poisson(ae_rate * share)
        gp_rate = np.exp(
            np.log(2.0)
            + 0.012 * np.maximum(age - 20, 0)
            + 0.12 * np.minimum(conditions, 8)
            + 0.3 * health[here]
            + 0.25 * (record.female & (age >= 16) & (age < 45))
            + 0.6 * admitted
            + 0.3 * (age < 5)
        )
        gp_count = rng.poisson(gp_rate * share)
        sc_rate = np.where(
            age >= 18,
            np.exp(
                -4.2
                + 0.07 * np.maximum(age - 55, 0)
                + 0.5 * health[here]
                + 0.6 * record.lives_alone
                + 1.8 * record.care_home
                + 1.0 * has[:, _index("requirement_for_care")]
                + 0.8 * admitted
            ),
            0,
        )
        sc_count = rng.poisson(np.minimum(sc_rate, 24) * share)
        for kind, counts in ((1, ae_count), (0, gp_count), (3, sc_count)):
            events.append(
                (
                    np.repeat(here, counts),
                    _dates_in(np.full(len(here), start), span, counts, rng),
                    kind,
                    None,
                )
            )

        # Repeat prescriptions, issued quarterly: one item per medicine for each condition.
        items = (has * medicines).sum(axis=1) + extra_items[here] * (conditions > 0)
        issued = np.zeros(len(here), np.int32)
        for quarter in range(4):
            day = start + 91 * quarter + rng.integers(0, 21, len(here))
            gets = (items > 0) & (day < stop)
            events.append((here[gets], day[gets], 4, items[gets]))
            issued = np.where(gets, np.maximum(issued, items), issued)

        # Next year's record of this year (zero for anyone not here this year).
        this_year = {
            "admissions_12_24m": state["admissions_12m"][here],
            "admissions_12m": count,
            "ae_12m": ae_count + ae_from_admissions,
            "gp_12m": gp_count,
            "social_care_12m": sc_count,
            "items_12m": issued,
        }
        for key, values in this_year.items():
            state[key] = np.zeros(n, np.int32)
            state[key][here] = values
        state["last_admission"] = np.where(last >= 0, last, state["last_admission"])

    say("tables")
    population = Population(
        tables=_tables(
            n=n,
            rng=rng,
            dob=dob,
            female=female,
            ethnic=ethnic,
            lsoa=lsoa,
            places=places,
            decile=decile,
            household=household,
            death=death,
            diagnosed=diagnosed,
            recorded_on=recorded_on,
            smoking=smoking,
            bmi=bmi,
            activity=activity,
            lonely=lonely,
            general_health=general_health,
            events=events,
            outcomes=outcomes,
            opted_out=opted_out,
        ),  # fmt: skip
        summary={"residents": n, "seed": seed, "generator_version": GENERATOR_VERSION},
    )
    if programme is not None:
        ids = population.tables["residents"].column("resident_id").to_numpy()
        population.tables["programme"] = _programme_table(ids, ward, wards, worklists)
        population.tables["rollout"] = pa.table({
            "ward": pa.array(wards),
            "starts_on": pa.array([starts_on[w] for w in wards], pa.date32()),
        })  # fmt: skip
        # Only the start date goes in the manifest: the effect and take-up are what an
        # evaluation has to find.
        population.summary["programme_start"] = programme.start.isoformat()
        population.truth = {
            **truth.as_dict(),
            "settings": {
                "start": programme.start.isoformat(),
                "effect": programme.effect,
                "uptake": programme.uptake,
                "worklist_share": programme.worklist_share,
            },
        }
    return population


def _programme_table(ids, ward, wards, worklists) -> pa.Table:
    """Everyone on each index date's worklist: offered (their ward had joined) and took up."""
    who = np.concatenate([w[0] for w in worklists])
    return pa.table({
        "resident_id": pa.array(ids[who], pa.int64()),
        "index_date": _date_array(np.concatenate([np.full(len(w[0]), w[1]) for w in worklists])),
        "ward": pa.array(np.array(wards)[ward[who]]),
        "risk_score": pa.array(np.concatenate([w[2] for w in worklists])),
        "offered": pa.array(np.concatenate([w[3] for w in worklists])),
        "took_up": pa.array(np.concatenate([w[4] for w in worklists])),
    })  # fmt: skip


def _tables(*, n, rng, dob, female, ethnic, lsoa, places, decile, household, death, diagnosed,
            recorded_on, smoking, bmi, activity, lonely, general_health, events, outcomes, opted_out) -> dict[str, pa.Table]:  # fmt: skip
    history_start = _day(HISTORY_START)
    # Pseudonymous ids: random, unique, and unrelated to the NHS number or the row order.
    ids = np.unique(rng.integers(10**11, 10**12, int(n * 1.01) + 100))
    ids = rng.permutation(ids)[:n]
    while len(ids) < n:  # vanishingly rare: top up with fresh draws
        ids = np.unique(np.concatenate([ids, rng.integers(10**11, 10**12, n)]))[:n]
    no_death = death == np.iinfo(np.int32).max
    residents = pa.table({
        "resident_id": pa.array(ids, pa.int64()),
        "nhs_number": pa.array(synthetic_nhs_numbers(n, rng), pa.string()),
        "date_of_birth": _date_array(dob),
        "sex": _dictionary(np.where(female, 0, 1), ("female", "male")),
        "ethnic_group": _dictionary(ethnic, ETHNIC_GROUPS),
        "lsoa_code": pa.array(places.codes[lsoa]),
        "deprivation_decile": pa.array(decile.astype(np.int8)),
        "household": _dictionary(household, HOUSEHOLDS),
        "registered_on": _date_array(np.maximum(dob, history_start)),
        "date_of_death": _date_array(np.where(no_death, 0, death), mask=no_death),
        "opted_out": pa.array(opted_out),
    })  # fmt: skip

    rows, columns = np.nonzero(diagnosed != np.iinfo(np.int32).max)
    conditions = pa.table({
        "resident_id": pa.array(ids[rows], pa.int64()),
        "condition": _dictionary(columns, CONDITION_CODES),
        "diagnosed_on": _date_array(diagnosed[rows, columns]),
    })  # fmt: skip

    has_any = (smoking >= 0) | ~np.isnan(bmi) | (activity >= 0) | (lonely >= 0)
    keep = np.flatnonzero(has_any)
    lifestyle = pa.table({
        "resident_id": pa.array(ids[keep], pa.int64()),
        "recorded_on": _date_array(recorded_on[keep]),
        "smoking_status": pa.array(np.array(SMOKING)[np.maximum(smoking[keep], 0)], mask=smoking[keep] < 0),
        "bmi": pa.array(bmi[keep].astype(np.float32), mask=np.isnan(bmi[keep])),
        "physical_activity": pa.array(np.array(ACTIVITY)[np.maximum(activity[keep], 0)], mask=activity[keep] < 0),
        "feels_lonely": pa.array(lonely[keep] == 1, mask=lonely[keep] < 0),
        "general_health": pa.array(
            np.array(GENERAL_HEALTH)[np.maximum(general_health[keep], 0)],
            mask=general_health[keep] < 0,
        ),
    })  # fmt: skip

    who = np.concatenate([e[0] for e in events])
    days = np.concatenate([e[1] for e in events])
    kinds = np.concatenate([np.full(len(e[0]), e[2], np.int8) for e in events])
    items = np.concatenate(
        [e[3] if e[3] is not None else np.zeros(len(e[0]), np.int32) for e in events]
    )
    events_table = pa.table({
        "resident_id": pa.array(ids[who], pa.int64()),
        "event_date": _date_array(days),
        "event_type": _dictionary(kinds, EVENT_TYPES),
        "items": pa.array(items.astype(np.int16), mask=kinds != 4),
    })  # fmt: skip

    outcomes_table = pa.table({
        "resident_id": pa.array(np.concatenate([ids[o[0]] for o in outcomes]), pa.int64()),
        "index_date": _date_array(np.concatenate([np.full(len(o[0]), o[1]) for o in outcomes])),
        "true_risk": pa.array(np.concatenate([o[2] for o in outcomes])),
        "outcome": pa.array(np.concatenate([o[3] for o in outcomes]).astype(np.int8)),
    })  # fmt: skip

    lsoas = pa.table({
        "lsoa_code": pa.array(places.codes),
        "ward": pa.array(places.wards),
        "easting": pa.array(places.eastings.astype(np.int32)),
        "northing": pa.array(places.northings.astype(np.int32)),
        "deprivation_decile": pa.array(places.deciles),
    })  # fmt: skip
    return {
        "residents": residents,
        "conditions": conditions,
        "lifestyle": lifestyle,
        "events": events_table,
        "outcomes": outcomes_table,
        "lsoas": lsoas,
    }


def write(population: Population, out: Path) -> dict[str, object]:
    """Write each table as DIR/<name>.parquet, and a manifest with a fingerprint of them."""
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, table in population.tables.items():
        path = out / f"{name}.parquet"
        pq.write_table(table, path, compression="zstd")
        files[name] = {"rows": table.num_rows, "bytes": path.stat().st_size}
    manifest = {
        **population.summary,
        "index_dates": [d.isoformat() for d in INDEX_DATES],
        "history_start": HISTORY_START.isoformat(),
        "data_end": DATA_END.isoformat(),
        "tables": files,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    truth = out / "truth.json"
    if population.truth is not None:
        truth.write_text(json.dumps(population.truth, indent=2) + "\n")
    elif truth.exists():  # an earlier borough's truth would belong to other tables
        truth.unlink()
    return manifest


def is_synthetic(data_dir: Path) -> bool:
    """Whether a data folder was written by this generator (its manifest says so)."""
    try:
        manifest = json.loads((Path(data_dir) / "manifest.json").read_text())
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and "generator_version" in manifest


def fingerprint(data_dir: Path) -> str:
    """A short fingerprint of a data folder's Parquet files (names, sizes, first bytes hashed)."""
    digest = hashlib.sha256()
    for path in sorted(data_dir.glob("*.parquet")):
        digest.update(path.name.encode())
        digest.update(str(path.stat().st_size).encode())
        with path.open("rb") as f:
            digest.update(f.read(1 << 20))
            f.seek(max(path.stat().st_size - (1 << 16), 0))
            digest.update(f.read())
    return digest.hexdigest()[:16]
