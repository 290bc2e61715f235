"""The risk model: LightGBM, validated over time, calibrated, with two baselines beside it.

Trained on residents' features at earlier index dates and what happened in the following year;
early-stopped and calibrated on a later index date, so that every figure reported for it was
earned on a year it had not seen. Pure LightGBM, scikit-learn and pandas: no Django.

A model folder holds model.txt (the booster), the two baselines, model.json (everything needed
to use it again: the features, the calibration, the outreach threshold, the validation metrics
and the reference distributions for the drift check), and the model card and its companions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
import pyarrow as pa

from thedeal.prevention import evaluation
from thedeal.prevention.features import CATEGORIES, CONDITION_COLUMNS

# What the model sees. Not ethnic group (fairness is checked across it instead), nor where
# someone lives beyond their neighbourhood's deprivation.
NUMERIC = (
    "age", "deprivation_decile", "admissions_12m", "admissions_12_24m", "days_since_admission",
    "ae_12m", "ae_12_24m", "days_since_ae", "gp_12m", "gp_12_24m", "social_care_12m",
    "prescriptions_12m", "most_items_12m", "conditions", "efi_deficits", "bmi",
)  # fmt: skip
FLAGS = ("lives_alone", "care_home", "feels_lonely", *CONDITION_COLUMNS)
CATEGORICAL = ("sex", "smoking_status", "physical_activity")
FEATURES = (*NUMERIC, *FLAGS, *CATEGORICAL)
AGE_AND_SEX = ("age", "sex")
PRIOR_ADMISSIONS = ("admissions_12m", "admissions_12_24m", "days_since_admission")

OUTREACH_SHARE = 0.10  # the outreach ("high") band: the highest-risk tenth of the validation year
RISING_SHARE = 0.25  # the "rising" band: the next 15%
THREADS = int(os.environ.get("THEDEAL_THREADS", "0")) or os.cpu_count() or 2
PARAMETERS = {
    "objective": "binary",
    # Small trees: as accurate here as 31 leaves, and SHAP explanations (whose cost grows with
    # leaves and depth) three times faster; benchmarks/prevention.py measures both.
    "learning_rate": 0.1,
    "num_leaves": 15,
    "min_data_in_leaf": 200,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "max_bin": 255,
    "verbose": -1,
    "seed": 20240401,
    "deterministic": True,
    "num_threads": THREADS,
}


# Risk may only rise with these (1) or fall (-1), others held equal: what a practitioner would
# expect, and it keeps the trees from learning noise where data is thin.
MONOTONE = {
    "deprivation_decile": -1, "admissions_12m": 1, "admissions_12_24m": 1, "days_since_admission": -1,
    "ae_12m": 1, "gp_12m": 1, "social_care_12m": 1, "conditions": 1, "efi_deficits": 1,
    "most_items_12m": 1, **{column: 1 for column in CONDITION_COLUMNS},
}  # fmt: skip


def design(features: pa.Table | pd.DataFrame, columns: tuple[str, ...] = FEATURES) -> pd.DataFrame:
    """The model's input: numbers as floats (missing stays missing), flags as 0/1, categories
    with a fixed list of values so that codes mean the same in every population."""
    frame = features.to_pandas() if isinstance(features, pa.Table) else features
    out = {}
    for column in columns:
        if column in CATEGORICAL:
            out[column] = pd.Categorical(frame[column], categories=CATEGORIES[column])
        else:  # flags become 0/1; a flag never asked about (feeling lonely) stays missing
            out[column] = frame[column].astype("float64")
    return pd.DataFrame(out, index=frame.index)


def _expit(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


@dataclass
class RiskModel:
    booster: lgb.Booster
    age_and_sex: lgb.Booster
    prior_admissions: lgb.Booster
    meta: dict

    @property
    def version(self) -> str:
        return self.meta["version"]

    @property
    def threshold(self) -> float:
        return self.meta["outreach_threshold"]

    def margin(self, features) -> np.ndarray:
        """The calibrated log-odds of an emergency admission in the next 12 months."""
        raw = self.booster.predict(design(features), raw_score=True, num_threads=THREADS)
        return self.meta["calibration"]["slope"] * raw + self.meta["calibration"]["intercept"]

    def predict(self, features) -> np.ndarray:
        return _expit(self.margin(features))

    def contributions(self, features) -> tuple[np.ndarray, np.ndarray]:
        """Each feature's SHAP contribution to the calibrated log-odds, and the base value.

        LightGBM's contributions add up to the raw score; calibration is a straight line on
        the log-odds, so scaling them by its slope keeps them exact for the calibrated score.
        """
        raw = self.booster.predict(design(features), pred_contrib=True, num_threads=THREADS)
        slope = self.meta["calibration"]["slope"]
        return raw[:, :-1] * slope, raw[:, -1] * slope + self.meta["calibration"]["intercept"]

    def baselines(self, features) -> tuple[np.ndarray, np.ndarray]:
        return (
            self.age_and_sex.predict(design(features, AGE_AND_SEX), num_threads=THREADS),
            self.prior_admissions.predict(design(features, PRIOR_ADMISSIONS), num_threads=THREADS),
        )

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.booster.save_model(folder / "model.txt")
        self.age_and_sex.save_model(folder / "baseline_age_sex.txt")
        self.prior_admissions.save_model(folder / "baseline_prior_admissions.txt")
        (folder / "model.json").write_text(json.dumps(self.meta, indent=2, default=str) + "\n")


class ModelError(ValueError):
    pass


def load(folder: Path) -> RiskModel:
    folder = Path(folder)
    for name in (
        "model.txt",
        "baseline_age_sex.txt",
        "baseline_prior_admissions.txt",
        "model.json",
    ):
        if not (folder / name).exists():
            raise ModelError(
                f"{folder / name}: not found; is {folder} a folder made by `thedeal risk train`?"
            )
    return RiskModel(
        booster=lgb.Booster(model_file=str(folder / "model.txt")),
        age_and_sex=lgb.Booster(model_file=str(folder / "baseline_age_sex.txt")),
        prior_admissions=lgb.Booster(model_file=str(folder / "baseline_prior_admissions.txt")),
        meta=json.loads((folder / "model.json").read_text()),
    )


def _fit(
    x: pd.DataFrame,
    y: np.ndarray,
    x_valid: pd.DataFrame,
    y_valid: np.ndarray,
    *,
    rounds: int = 3000,
    **overrides,
):
    parameters = {**PARAMETERS, **overrides}
    if parameters.pop("monotone", True):
        parameters["monotone_constraints"] = [MONOTONE.get(column, 0) for column in x.columns]
        parameters["monotone_constraints_method"] = "intermediate"
    train = lgb.Dataset(
        x, y, categorical_feature=[c for c in x.columns if c in CATEGORICAL], free_raw_data=True
    )
    valid = lgb.Dataset(x_valid, y_valid, reference=train)
    return lgb.train(
        parameters,
        train,
        num_boost_round=rounds,
        valid_sets=[valid],
        callbacks=[lgb.early_stopping(100, verbose=False)],
    )


def train(
    training: list[tuple[pa.Table, pa.Table]],
    validation: tuple[pa.Table, pa.Table],
    *,
    data_fingerprint: str,
    synthetic: bool = True,
    progress=lambda message: None,
) -> tuple[RiskModel, pd.DataFrame]:
    """Train on (features, outcomes) pairs from earlier index dates; early-stop and calibrate on
    the later `validation` pair. Returns the model and the validation frame (for the card)."""
    frames = [_with_outcomes(f, o) for f, o in training]
    train_frame = pd.concat(frames, ignore_index=True)
    valid_frame = _with_outcomes(*validation)
    y, y_valid = train_frame.outcome.to_numpy(), valid_frame.outcome.to_numpy()

    progress(f"training on {len(train_frame):,} resident-years, validating on {len(valid_frame):,}")
    booster = _fit(design(train_frame), y, design(valid_frame), y_valid)
    progress(f"model: {booster.best_iteration} trees")
    # The baselines have two or three inputs: small trees, learnt quickly, are all they need.
    simple = {"num_leaves": 15, "min_data_in_leaf": 500, "learning_rate": 0.1, "rounds": 400}
    progress("baselines: age and sex only; prior admissions only")
    age_and_sex = _fit(
        design(train_frame, AGE_AND_SEX), y, design(valid_frame, AGE_AND_SEX), y_valid, **simple
    )
    prior = _fit(
        design(train_frame, PRIOR_ADMISSIONS),
        y,
        design(valid_frame, PRIOR_ADMISSIONS),
        y_valid,
        **simple,
    )

    # Platt scaling on the validation year: a straight line on the log-odds.
    raw = booster.predict(design(valid_frame), raw_score=True, num_iteration=booster.best_iteration)
    intercept, slope = evaluation.logistic_fit(y_valid.astype(float), raw, np.zeros(len(raw)))
    calibrated = _expit(slope * raw + intercept)
    threshold = float(np.quantile(calibrated, 1 - OUTREACH_SHARE))
    rising = float(np.quantile(calibrated, 1 - RISING_SHARE))

    text = booster.model_to_string(num_iteration=booster.best_iteration)
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    created = dt.datetime.now(dt.UTC).replace(microsecond=0)
    meta = {
        "version": f"emergency-admission-{created:%Y%m%d}-{digest}",
        "created": created.isoformat(),
        "outcome": "an emergency hospital admission in the 12 months after the index date",
        "features": list(FEATURES),
        "categories": {c: list(CATEGORIES[c]) for c in CATEGORICAL},
        "training_index_dates": sorted({str(f.index_date.iloc[0]) for f in frames}),
        "validation_index_date": str(valid_frame.index_date.iloc[0]),
        "training_rows": len(train_frame),
        "validation_rows": len(valid_frame),
        "trees": booster.best_iteration,
        "parameters": {k: v for k, v in PARAMETERS.items() if k != "num_threads"},
        "calibration": {
            "method": "Platt scaling on the validation year",
            "slope": float(slope),
            "intercept": float(intercept),
        },
        "outreach_share": OUTREACH_SHARE,
        "outreach_threshold": threshold,
        "rising_share": RISING_SHARE,
        "rising_threshold": rising,
        "data_fingerprint": data_fingerprint,
        "trained_on": "synthetic" if synthetic else "real",
        "drift_reference": drift_reference(valid_frame, calibrated),
    }
    model = RiskModel(
        booster=lgb.Booster(model_str=text),
        age_and_sex=age_and_sex,
        prior_admissions=prior,
        meta=meta,
    )
    valid_frame = valid_frame.assign(risk=calibrated)
    return model, valid_frame


def _with_outcomes(features: pa.Table, outcomes: pa.Table) -> pd.DataFrame:
    """Features joined to their index date's outcomes (residents with no outcome row are not
    in that year's population and are dropped)."""
    frame = features.to_pandas()
    out = outcomes.to_pandas()
    index_date = frame.index_date.iloc[0]
    out = out[out.index_date == index_date][["resident_id", "outcome", "true_risk"]]
    return frame.merge(out, on="resident_id", how="inner")


def evaluation_frame(
    model: RiskModel, features: pa.Table, outcomes: pa.Table | None
) -> pd.DataFrame:
    frame = _with_outcomes(features, outcomes) if outcomes is not None else features.to_pandas()
    return frame.assign(
        risk=model.predict(frame),
        age_band=evaluation.age_band(frame.age.to_numpy()),
    )


# --- drift ----------------------------------------------------------------------------------
DRIFT_FEATURES = ("age", "admissions_12m", "ae_12m", "gp_12m", "conditions", "efi_deficits", "bmi")
DRIFT_ALERT = 0.2  # population stability index: above 0.2 is usually read as a real shift


def drift_reference(frame: pd.DataFrame, risk: np.ndarray) -> dict:
    """The validation year's scores and key features in (up to) ten groups, to compare with."""
    reference = {"risk": _reference(risk)}
    for column in DRIFT_FEATURES:
        reference[column] = _reference(frame[column].to_numpy(dtype=float))
    return reference


def _reference(values: np.ndarray) -> dict[str, list[float]]:
    values = values[~np.isnan(values)]
    edges = sorted(set(np.quantile(values, np.linspace(0.1, 0.9, 9)).round(6).tolist()))
    shares = np.bincount(np.searchsorted(edges, values, side="right"), minlength=len(edges) + 1)
    return {"edges": edges, "shares": (shares / len(values)).tolist()}


def _psi(values: np.ndarray, reference: dict[str, list[float]]) -> float:
    """Population stability index: sum of (actual - expected) * ln(actual / expected) by group."""
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return float("nan")
    edges = reference["edges"]
    actual = np.bincount(
        np.searchsorted(edges, values, side="right"), minlength=len(edges) + 1
    ) / len(values)
    expected = np.asarray(reference["shares"])
    actual, expected = np.clip(actual, 1e-4, None), np.clip(expected, 1e-4, None)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def drift(model: RiskModel, features: pd.DataFrame, risk: np.ndarray) -> dict:
    """Population stability of this run's scores and key features against the validation year."""
    reference = model.meta["drift_reference"]
    values = {"risk": _psi(risk, reference["risk"])}
    for column in DRIFT_FEATURES:
        values[column] = _psi(features[column].to_numpy(dtype=float), reference[column])
    worst = max(values, key=lambda k: values[k] if not np.isnan(values[k]) else -1)
    return {
        "psi": values,
        "worst": worst,
        "alert": bool(values[worst] > DRIFT_ALERT),
        "threshold": DRIFT_ALERT,
        "mean_risk": float(np.mean(risk)),
    }
