"""Why a resident's risk is high, in words a practitioner can say to them.

The model's SHAP contributions (one per feature, adding up to the score's log-odds) are summed
into factors a person would recognise ("emergency admissions", "lives alone and lonely"), and
the factors that raise the risk most are written out from the resident's own record. A factor
is only ever described by what is recorded ("two emergency admissions in the past year"), never
as a diagnosis or a judgement, and never by a feature's name.

Each factor also names the kinds of local support that fit it (the directory's categories),
which is how a worklist suggests services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from thedeal.prevention import efi
from thedeal.prevention.model import FEATURES
from thedeal.prevention.synthpop import CONDITION_CODES

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

CONDITION_NAMES = {
    "activity_limitation": "limits on day-to-day activities",
    "anaemia_and_haematinic_deficiency": "anaemia",
    "arthritis": "arthritis",
    "atrial_fibrillation": "atrial fibrillation",
    "cerebrovascular_disease": "a past stroke or mini-stroke",
    "chronic_kidney_disease": "chronic kidney disease",
    "diabetes": "diabetes",
    "dizziness": "dizziness",
    "dyspnoea": "breathlessness",
    "falls": "a recorded fall",
    "foot_problems": "foot problems",
    "fragility_fracture": "a fragility fracture",
    "hearing_impairment": "hearing loss",
    "heart_failure": "heart failure",
    "heart_valve_disease": "heart valve disease",
    "housebound": "being housebound",
    "hypertension": "high blood pressure",
    "hypotension_syncope": "low blood pressure or fainting",
    "ischaemic_heart_disease": "coronary heart disease",
    "memory_and_cognitive_problems": "memory problems",
    "mobility_and_transfer_problems": "difficulty getting about",
    "osteoporosis": "osteoporosis",
    "parkinsonism_and_tremor": "Parkinson's or a tremor",
    "peptic_ulcer": "a stomach ulcer",
    "peripheral_vascular_disease": "poor circulation in the legs",
    "requirement_for_care": "needing care",
    "respiratory_disease": "a breathing condition",
    "skin_ulcer": "a skin ulcer",
    "sleep_disturbance": "poor sleep",
    "social_vulnerability": "social vulnerability",
    "thyroid_disease": "a thyroid condition",
    "urinary_incontinence": "bladder problems",
    "urinary_system_disease": "a urinary condition",
    "visual_impairment": "sight loss",
    "weight_loss_and_anorexia": "weight loss",
    "copd": "COPD",
    "asthma": "asthma",
    "cancer": "cancer",
    "depression": "depression",
    "severe_mental_illness": "a severe mental illness",
    "dementia": "dementia",
}
assert set(CONDITION_NAMES) == set(CONDITION_CODES)

# Named first when someone has many conditions: those that weigh most on the risk of admission.
SERIOUS = {CONDITION_NAMES[c] for c in ("heart_failure", "copd", "cancer", "severe_mental_illness", "dementia",
                                        "chronic_kidney_disease", "diabetes", "atrial_fibrillation")}  # fmt: skip

# Conditions whose support is falls prevention (strength and balance).
FALLS = {"falls", "fragility_fracture", "dizziness", "hypotension_syncope", "mobility_and_transfer_problems",
         "osteoporosis"}  # fmt: skip


def _count(n: float, one: str, many: str) -> str:
    n = int(n)
    word = NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else f"{n:,}"
    return f"{word} {one if n == 1 else many}"


def _days(days: float) -> str:
    if days < 14:
        return "in the past two weeks"
    if days < 62:
        return f"about {int(round(days / 7))} weeks ago"
    return f"about {int(round(days / 30.4))} months ago"


@dataclass(frozen=True)
class Factor:
    """A reason a person would recognise: the features it sums, and how to say it."""

    key: str
    features: tuple[str, ...]
    say: Callable[[pd.Series], str | None]  # None: nothing recorded worth saying
    support: tuple[str, ...] = ()  # kinds of support that fit (see actions.SUPPORT)
    support_from_age: int = 0  # the support fits only from this age


def _admissions(r: pd.Series) -> str | None:
    if r.admissions_12m >= 1:
        text = (
            _count(r.admissions_12m, "emergency admission", "emergency admissions")
            + " in the past year"
        )
        if r.days_since_admission <= 90:
            text += f", the latest {_days(r.days_since_admission)}"
        return text
    if r.admissions_12_24m >= 1:
        return (
            _count(r.admissions_12_24m, "emergency admission", "emergency admissions")
            + " in the year before last"
        )
    return None


def _ae(r):
    if r.ae_12m >= 1:
        return _count(r.ae_12m, "A&E attendance", "A&E attendances") + " in the past year"
    return None


def _gp(r):
    if r.gp_12m >= 6:
        return _count(r.gp_12m, "GP contact", "GP contacts") + " in the past year"
    return None


def _social_care(r):
    if r.social_care_12m >= 1:
        return (
            "in touch with adult social care ("
            + _count(r.social_care_12m, "contact", "contacts")
            + " in the past year)"
        )
    return None


def _medicines(r):
    if r.most_items_12m >= 5:
        return f"{int(r.most_items_12m)} medicines on one prescription"
    return None


def _conditions(r):
    present = [CONDITION_NAMES[c] for c in CONDITION_CODES if r[f"has_{c}"] and c not in FALLS]
    if not present:
        return None
    if len(present) <= 3:
        return "lives with " + _and(present)
    # The ones that matter most for admissions first, then the rest in the list's order.
    present.sort(key=lambda name: name not in SERIOUS)
    total = max(int(r.conditions), len(present))
    return f"lives with {total} recorded conditions, including " + _and(present[:2])


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _frailty(r):
    if pd.notna(r.efi_deficits) and r.efi_deficits >= efi.MILD_FROM:
        deficits = int(r.efi_deficits)
        return f"{efi.category(deficits)} frailty on the electronic Frailty Index ({efi.score(deficits):.2f})"
    return None


def _falls(r):
    present = [CONDITION_NAMES[c] for c in sorted(FALLS) if r[f"has_{c}"]]
    return ("recorded " + _and(present)) if present else None


def _age(r):
    if r.age >= 65 or r.age < 5:
        return f"aged {int(r.age)}" if r.age >= 1 else "under one year old"
    return None


def _deprivation(r):
    if r.deprivation_decile <= 3:
        return "lives in one of England's more deprived neighbourhoods"
    return None


def _loneliness(r):
    lonely = r.feels_lonely is True or r.feels_lonely == 1
    if r.lives_alone and lonely:
        return "lives alone and reports feeling lonely"
    if lonely:
        return "reports feeling lonely"
    if r.lives_alone:
        return "lives alone"
    if r.care_home:
        return "lives in a care home"
    return None


def _smoking(r):
    return {"current": "smokes", "ex": "used to smoke"}.get(r.smoking_status)


def _weight(r):
    if pd.isna(r.bmi):
        return None
    if r.bmi < 18.5:
        return f"underweight (BMI {r.bmi:.1f})"
    if r.bmi >= 30:
        return f"BMI of {r.bmi:.0f}"
    return None


def _activity(r):
    return "physically inactive" if r.physical_activity == "inactive" else None


CONDITION_FEATURES = tuple(f"has_{c}" for c in CONDITION_CODES if c not in FALLS)
FACTORS: tuple[Factor, ...] = (
    # Much use of services: a social prescribing link worker can find what matters to them.
    Factor("admissions", ("admissions_12m", "admissions_12_24m", "days_since_admission"), _admissions,
           ("social-prescribing",)),
    Factor("ae", ("ae_12m", "ae_12_24m", "days_since_ae"), _ae, ("social-prescribing",)),
    Factor("gp", ("gp_12m", "gp_12_24m"), _gp, ("social-prescribing",)),
    Factor("social_care", ("social_care_12m",), _social_care, ("older-people",)),
    Factor("medicines", ("most_items_12m", "prescriptions_12m"), _medicines, ("social-prescribing",)),
    Factor("conditions", (*CONDITION_FEATURES, "conditions"), _conditions,
           ("social-prescribing",)),
    Factor("frailty", ("efi_deficits",), _frailty, ("falls-prevention", "older-people")),
    Factor("falls", tuple(f"has_{c}" for c in sorted(FALLS)), _falls, ("falls-prevention",)),
    # Older people's groups, for those 65 and over.
    Factor("age", ("age", "sex"), _age, ("older-people",), support_from_age=65),
    # A neighbourhood's deprivation says nothing of this resident's own means: no suggestion.
    Factor("deprivation", ("deprivation_decile",), _deprivation, ()),
    Factor("loneliness", ("lives_alone", "feels_lonely", "care_home"), _loneliness,
           ("befriending", "social-groups", "walking-and-running-groups")),
    Factor("smoking", ("smoking_status",), _smoking, ("stop-smoking",)),
    Factor("weight", ("bmi",), _weight, ("healthy-weight", "walking-and-running-groups")),
    Factor("activity", ("physical_activity",), _activity, ("walking-and-running-groups", "sport-and-exercise-classes")),
)  # fmt: skip
_COVERED = [f for factor in FACTORS for f in factor.features]
assert sorted(_COVERED) == sorted(FEATURES), set(FEATURES) ^ set(_COVERED)


@dataclass(frozen=True)
class Reason:
    factor: str
    text: str
    contribution: float  # to the log-odds
    support: tuple[str, ...]


_POSITIONS = {name: i for i, name in enumerate(FEATURES)}
# Features x factors: contributions @ _MEMBERSHIP sums each factor's features in one step.
_MEMBERSHIP = np.zeros((len(FEATURES), len(FACTORS)))
for _column, _factor in enumerate(FACTORS):
    for _feature in _factor.features:
        _MEMBERSHIP[_POSITIONS[_feature], _column] = 1.0
SMALLEST = 0.02  # a factor that moves the log-odds less than this is not a reason


def _reasons(totals: np.ndarray, record, top: int) -> list[Reason]:
    found = []
    for column in np.argsort(-totals, kind="stable"):
        if totals[column] <= SMALLEST or len(found) == top:
            break
        factor = FACTORS[column]
        text = factor.say(record)
        if text:
            support = factor.support if record["age"] >= factor.support_from_age else ()
            found.append(Reason(factor.key, text, float(totals[column]), support))
    return found


class _Record(dict):
    """A row as a dict with attribute access, which is what the wording functions read."""

    __getattr__ = dict.__getitem__


def reasons(contributions: np.ndarray, record: pd.Series, *, top: int = 3) -> list[Reason]:
    """The factors that raise this resident's risk most, each said from their record."""
    return _reasons(contributions @ _MEMBERSHIP, _Record(record.to_dict()), top)


def explain(model, frame: pd.DataFrame, *, top: int = 3) -> list[list[Reason]]:
    """Reasons for each row of a feature frame (one SHAP pass for all of them)."""
    contributions, _ = model.contributions(frame)
    totals = contributions @ _MEMBERSHIP
    records = frame.to_dict("records")
    return [_reasons(totals[i], _Record(records[i]), top) for i in range(len(records))]


def sentence(found: list[Reason]) -> str:
    """'Two emergency admissions in the past year; lives alone and reports feeling lonely.'"""
    if not found:
        return "No single recorded factor stands out."
    text = "; ".join(reason.text for reason in found)
    return text[0].upper() + text[1:] + "."
