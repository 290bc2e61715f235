"""The model: what it uses, how it behaves for a practitioner, and its drift check."""

from __future__ import annotations

import numpy as np

from thedeal.prevention import model as risk_model


def test_ethnic_group_and_where_someone_lives_are_not_inputs():
    assert "ethnic_group" not in risk_model.FEATURES
    assert not {"lsoa_code", "ward", "easting", "northing"} & set(risk_model.FEATURES)


def test_a_saved_model_scores_exactly_as_before(trained, latest_features, tmp_path):
    model, _ = trained
    model.save(tmp_path)
    again = risk_model.load(tmp_path)
    np.testing.assert_array_equal(again.predict(latest_features), model.predict(latest_features))
    assert again.version == model.version and again.version.startswith("emergency-admission-")


def test_another_admission_never_lowers_anyone_s_risk(trained, latest_features):
    model, _ = trained
    frame = latest_features.to_pandas().sample(2000, random_state=1)
    before = model.predict(frame)
    frame["admissions_12m"] += 1
    # The new admission was a month ago, unless one was more recent still.
    frame["days_since_admission"] = frame.days_since_admission.fillna(10**6).clip(upper=30)
    after = model.predict(frame)
    assert (after >= before - 1e-12).all()
    assert (after > before).mean() > 0.9


def test_the_outreach_band_is_the_highest_risk_tenth_of_the_validation_year(trained):
    model, validation = trained
    selected = (validation.risk >= model.threshold).mean()
    assert abs(selected - 0.10) < 0.002
    assert model.meta["rising_threshold"] < model.threshold


def test_drift_is_quiet_for_a_population_like_the_validation_year_and_loud_when_it_ages(
    trained, latest_features
):
    model, _ = trained
    frame = latest_features.to_pandas()
    risk = model.predict(frame)
    quiet = risk_model.drift(model, frame, risk)
    assert not quiet["alert"] and max(quiet["psi"].values()) < 0.1
    older = frame.assign(age=frame.age + 20)
    loud = risk_model.drift(model, older, model.predict(older))
    assert loud["alert"] and loud["psi"]["age"] > 0.2
