"""Reasons in words a practitioner can say to a resident, from their record."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from thedeal.prevention import explain
from thedeal.prevention.model import FEATURES
from thedeal.prevention.synthpop import CONDITION_CODES


def record(**values) -> pd.Series:
    """A resident of 40 with nothing recorded, changed by `values`."""
    base = {
        "age": 40, "sex": "female", "deprivation_decile": 6, "admissions_12m": 0, "admissions_12_24m": 0,
        "days_since_admission": np.nan, "ae_12m": 0, "ae_12_24m": 0, "days_since_ae": np.nan,
        "gp_12m": 2, "gp_12_24m": 2, "social_care_12m": 0, "prescriptions_12m": 0, "most_items_12m": 0,
        "conditions": 0, "efi_deficits": np.nan, "bmi": np.nan, "lives_alone": False, "care_home": False,
        "feels_lonely": None, "smoking_status": None, "physical_activity": None,
        **{f"has_{code}": False for code in CONDITION_CODES},
    }  # fmt: skip
    base.update(values)
    return pd.Series(base)


def pushes(*features_up: str) -> np.ndarray:
    contributions = np.zeros(len(FEATURES))
    for rank, name in enumerate(features_up):
        contributions[FEATURES.index(name)] = 1.0 - rank * 0.1
    return contributions


def texts(found):
    return [reason.text for reason in found]


def test_mrs_ashworth_two_admissions_living_alone_and_lonely():
    """83, two emergency admissions this year (the latest six weeks ago), lives alone, lonely."""
    ashworth = record(age=83, admissions_12m=2, days_since_admission=42, lives_alone=True, feels_lonely=True,
                      efi_deficits=10)  # fmt: skip
    found = explain.reasons(pushes("admissions_12m", "feels_lonely", "efi_deficits"), ashworth)
    assert texts(found) == [
        "two emergency admissions in the past year, the latest about 6 weeks ago",
        "lives alone and reports feeling lonely",
        "moderate frailty on the electronic Frailty Index (0.28)",
    ]
    assert explain.sentence(found) == (
        "Two emergency admissions in the past year, the latest about 6 weeks ago; lives alone and "
        "reports feeling lonely; moderate frailty on the electronic Frailty Index (0.28)."
    )
    assert "befriending" in found[1].support and "falls-prevention" in found[2].support


def test_a_smoker_with_copd_is_told_so_and_offered_help_to_stop():
    mr_hart = record(
        age=58, smoking_status="current", has_copd=True, has_hypertension=True, conditions=2
    )
    found = explain.reasons(pushes("smoking_status", "has_copd"), mr_hart)
    assert texts(found) == ["smokes", "lives with high blood pressure and COPD"]
    assert found[0].support == ("stop-smoking",)


def test_factors_that_lower_the_risk_are_not_reasons():
    contributions = -pushes("age", "smoking_status")
    assert explain.reasons(contributions, record(age=90, smoking_status="current")) == []
    assert explain.sentence([]) == "No single recorded factor stands out."


def test_nothing_recorded_is_never_given_as_a_reason():
    # The model may raise the risk of someone with no admissions (say, for having none recorded
    # in a thin record); "no emergency admissions" is not something to tell them.
    found = explain.reasons(pushes("admissions_12m", "smoking_status"), record())
    assert found == []


def test_reasons_never_show_a_feature_name(trained, latest_features):
    model, _ = trained
    frame = latest_features.to_pandas()
    risk = model.predict(frame)
    top = frame.iloc[np.argsort(-risk)[:300]]
    names = re.compile("|".join(re.escape(f) for f in FEATURES if "_" in f))
    found = explain.explain(model, top)
    assert sum(1 for reasons in found if reasons) > 250
    for reasons in found:
        for reason in reasons:
            assert not names.search(reason.text), reason.text
            assert "_" not in reason.text and reason.text == reason.text.strip()


def test_the_contributions_add_up_to_the_calibrated_score(trained, latest_features):
    model, _ = trained
    frame = latest_features.to_pandas().head(500)
    contributions, base = model.contributions(frame)
    np.testing.assert_allclose(
        contributions.sum(axis=1) + base, model.margin(frame), rtol=1e-9, atol=1e-9
    )


def test_age_is_a_reason_to_suggest_older_people_s_groups_only_from_65():
    for age, support in ((84, ("older-people",)), (3, ())):
        (reason,) = explain.reasons(pushes("age"), record(age=age))
        assert reason.support == support
    assert explain.reasons(pushes("age"), record(age=84))[0].text == "aged 84"
    assert (
        explain.reasons(pushes("deprivation_decile"), record(deprivation_decile=1))[0].support == ()
    )
