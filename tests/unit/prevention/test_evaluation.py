"""The evaluation's measures behave as their definitions say, on risks whose truth we set."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from thedeal.indicators.methods.intervals import poisson_limits
from thedeal.prevention import evaluation

RNG = np.random.default_rng(4)


def drawn(n=200_000):
    risk = 1 / (1 + np.exp(-RNG.normal(-2.8, 1.0, n)))
    return risk, (RNG.random(n) < risk).astype(float)


def test_well_calibrated_risks_have_slope_one_intercept_zero_and_small_ece():
    risk, outcome = drawn()
    slope, intercept = evaluation.calibration(outcome, risk)
    assert slope == pytest.approx(1, abs=0.03)
    assert intercept == pytest.approx(0, abs=0.03)
    assert evaluation.expected_calibration_error(outcome, risk) < 0.005


def test_overconfident_risks_have_a_slope_below_one_and_a_larger_ece():
    risk, outcome = drawn()
    logit = np.log(risk / (1 - risk))
    overconfident = 1 / (1 + np.exp(-(2 * logit + 2.8)))
    slope, _ = evaluation.calibration(outcome, overconfident)
    assert slope == pytest.approx(0.5, abs=0.03)
    assert evaluation.expected_calibration_error(outcome, overconfident) > 0.02


def test_top_decile_ppv_and_sensitivity():
    risk = np.linspace(0, 1, 100)
    outcome = np.zeros(100)
    outcome[[99, 98, 95, 10]] = 1  # three of four admissions among the top ten
    ppv, sensitivity = evaluation.top_decile(outcome, risk)
    assert ppv == pytest.approx(0.3)
    assert sensitivity == pytest.approx(0.75)


def test_group_calibration_ratio_has_an_interval_from_the_observed_count():
    frame = pd.DataFrame({
        "outcome": [1, 0, 0, 0, 1, 1, 0, 0], "risk": [0.5] * 8, "true_risk": [0.5] * 8,
        "sex": ["female"] * 4 + ["male"] * 4,
    })  # fmt: skip
    groups = evaluation.group_metrics(frame, "sex", threshold=0.5)
    female = groups["female"]
    assert female["n"] == 4 and female["calibration_ratio"] == pytest.approx(0.5)
    lower, upper = poisson_limits(np.array([1]))
    assert female["calibration_ratio_lower"] == pytest.approx(lower[0] / 2)
    assert female["calibration_ratio_upper"] == pytest.approx(upper[0] / 2)
    assert groups["male"]["calibration_ratio"] == pytest.approx(1.0)
    assert female["selection_rate"] == 1.0


def test_age_bands():
    assert list(evaluation.age_band(np.array([0, 17, 18, 39, 40, 64, 65, 74, 75, 84, 85, 104]))) == [
        "0-17", "0-17", "18-39", "18-39", "40-64", "40-64", "65-74", "65-74", "75-84", "75-84", "85+", "85+",
    ]  # fmt: skip


def test_targets_name_the_groups_that_miss():
    metrics = {
        "auroc": 0.70, "oracle_auroc": 0.80, "calibration_slope": 1.2, "ece": 0.01,
        "fairness": {"sex": {
            "female": {"n": 5000, "auroc": 0.7, "oracle_auroc": 0.8, "calibration_ratio": 1.3,
                       "calibration_ratio_lower": 1.1, "calibration_ratio_upper": 1.5},
            "male": {"n": 100, "auroc": 0.5, "oracle_auroc": 0.8, "calibration_ratio": 2.0,
                     "calibration_ratio_lower": 1.5, "calibration_ratio_upper": 2.5},
        }},
    }  # fmt: skip
    targets = evaluation.check_targets(metrics)
    assert not targets["auroc_share_of_oracle"]["met"]
    assert not targets["calibration_slope"]["met"]
    assert targets["ece"]["met"]
    failures = targets["groups"]["failures"]
    assert len(failures) == 2 and all(f.startswith("sex=female") for f in failures)  # male: too few
