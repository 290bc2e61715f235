"""How good a risk score is: discrimination, calibration, the outreach list, fairness by group.

Pure NumPy, scikit-learn and fairlearn. Every metric takes outcomes (0/1), predicted
probabilities and, where the data is synthetic, each resident's true risk (the oracle).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from fairlearn.metrics import MetricFrame, selection_rate
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from thedeal.indicators.methods.intervals import poisson_limits

AGE_BANDS = ((0, 17, "0-17"), (18, 39, "18-39"), (40, 64, "40-64"), (65, 74, "65-74"),
             (75, 84, "75-84"), (85, 200, "85+"))  # fmt: skip
FAIRNESS_GROUPS = ("sex", "age_band", "ethnic_group", "deprivation_quintile")
# Groups smaller than this are reported but not held to the targets: their figures are too noisy.
TARGET_GROUP_SIZE = 2000
TARGETS = {
    "auroc_share_of_oracle": 0.97,
    "calibration_slope": (0.9, 1.1),
    "ece": 0.02,
    "group_auroc_share_of_oracle": 0.93,
}


def age_band(age: np.ndarray) -> np.ndarray:
    labels = np.array([label for _, _, label in AGE_BANDS])
    edges = np.array([high for _, high, _ in AGE_BANDS])
    return labels[np.searchsorted(edges, np.asarray(age), side="left")]


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return np.log(p / (1 - p))


def logistic_fit(y: np.ndarray, x: np.ndarray | None, offset: np.ndarray) -> np.ndarray:
    """Maximum-likelihood logistic regression of y on [1, x] with an offset (Newton-Raphson)."""
    design = np.ones((len(y), 1)) if x is None else np.column_stack([np.ones(len(y)), x])
    beta = np.zeros(design.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-(design @ beta + offset)))
        gradient = design.T @ (y - p)
        hessian = (design * (p * (1 - p))[:, None]).T @ design
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if np.max(np.abs(step)) < 1e-10:
            break
    return beta


def calibration(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """(slope, intercept): the slope of y on logit(p), and calibration-in-the-large.

    The intercept is fitted with logit(p) as an offset (slope fixed at 1), the usual definition:
    0 when the average risk is right.
    """
    lp = _logit(p)
    slope = logistic_fit(y, lp, np.zeros(len(y)))[1]
    intercept = logistic_fit(y, None, lp)[0]
    return float(slope), float(intercept)


def calibration_bins(y: np.ndarray, p: np.ndarray, bins: int = 20) -> pd.DataFrame:
    """Equal-sized groups by predicted risk: mean predicted and observed in each."""
    order = np.argsort(p, kind="stable")
    groups = np.empty(len(p), dtype=np.int64)
    groups[order] = np.arange(len(p)) * bins // len(p)
    frame = pd.DataFrame({"bin": groups, "y": y, "p": p})
    table = frame.groupby("bin").agg(
        n=("y", "size"), observed=("y", "mean"), predicted=("p", "mean")
    )
    return table.reset_index(drop=True)


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 20) -> float:
    """The mean gap between observed and predicted risk over 20 equal-sized risk groups.

    Equal-sized (not equal-width) groups, because most residents' risks are below 10%: equal
    widths would put nearly everyone in one group and hide the error there.
    """
    table = calibration_bins(y, p, bins)
    return float((table.n * (table.observed - table.predicted).abs()).sum() / table.n.sum())


def top_decile(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """(PPV, sensitivity) of offering support to the highest-risk tenth."""
    k = max(int(round(len(p) * 0.1)), 1)
    top = np.argsort(-p, kind="stable")[:k]
    hits = y[top].sum()
    return float(hits / k), float(hits / max(y.sum(), 1))


def _auroc(y, p) -> float:
    y = np.asarray(y)
    return float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else float("nan")


def group_metrics(
    frame: pd.DataFrame, attribute: str, threshold: float
) -> dict[str, dict[str, float | int]]:
    """One attribute's groups: n, AUROC, the true risk's AUROC, observed over predicted with its
    95% interval (from the observed count), and the share selected for outreach (fairlearn)."""
    y, p = frame.outcome.to_numpy(), frame.risk.to_numpy()
    truth = frame.true_risk.to_numpy() if "true_risk" in frame else None
    groups = frame[attribute].astype(str).to_numpy()
    selection = MetricFrame(
        metrics=selection_rate,
        y_true=y,
        y_pred=(p >= threshold).astype(int),
        sensitive_features=groups,
    ).by_group
    result = {}
    for group in np.unique(groups):
        members = groups == group
        observed, predicted = float(y[members].sum()), float(p[members].sum())
        lower, upper = poisson_limits(np.array([observed]))
        result[str(group)] = {
            "n": int(members.sum()),
            "auroc": _auroc(y[members], p[members]),
            "oracle_auroc": _auroc(y[members], truth[members]) if truth is not None else None,
            "calibration_ratio": observed / predicted,
            "calibration_ratio_lower": float(lower[0] / predicted),
            "calibration_ratio_upper": float(upper[0] / predicted),
            "selection_rate": float(selection[group]),
        }
    return result


def evaluate(
    frame: pd.DataFrame,
    *,
    threshold: float,
    baseline_risk: np.ndarray | None = None,
    prior_admissions_risk: np.ndarray | None = None,
) -> dict[str, object]:
    """Every metric for one population. `frame` has outcome, risk and the fairness attributes,
    and true_risk where the truth is known."""
    y, p = frame.outcome.to_numpy().astype(float), frame.risk.to_numpy()
    slope, intercept = calibration(y, p)
    ppv, sensitivity = top_decile(y, p)
    metrics: dict[str, object] = {
        "n": len(frame),
        "outcomes": int(y.sum()),
        "outcome_rate": float(y.mean()),
        "mean_risk": float(p.mean()),
        "auroc": _auroc(y, p),
        "oracle_auroc": _auroc(y, frame.true_risk) if "true_risk" in frame else None,
        "auprc": float(average_precision_score(y, p)),
        "brier": float(brier_score_loss(y, p)),
        "calibration_slope": slope,
        "calibration_intercept": intercept,
        "ece": expected_calibration_error(y, p),
        "baseline_auroc": _auroc(y, baseline_risk) if baseline_risk is not None else None,
        "prior_admissions_auroc": (
            _auroc(y, prior_admissions_risk) if prior_admissions_risk is not None else None
        ),
        "top_decile_ppv": ppv,
        "top_decile_sensitivity": sensitivity,
        "outreach_threshold": threshold,
        "fairness": {
            attribute: group_metrics(frame, attribute, threshold) for attribute in FAIRNESS_GROUPS
        },
    }
    metrics["targets"] = check_targets(metrics)
    return metrics


def check_targets(metrics: dict) -> dict[str, object]:
    """Each target, met or not, and by how much: what the model card and the note report."""
    checks = {}
    if metrics.get("oracle_auroc"):
        share = metrics["auroc"] / metrics["oracle_auroc"]
        checks["auroc_share_of_oracle"] = {
            "value": share,
            "target": f">= {TARGETS['auroc_share_of_oracle']}",
            "met": share >= TARGETS["auroc_share_of_oracle"],
        }
    low, high = TARGETS["calibration_slope"]
    slope = metrics["calibration_slope"]
    checks["calibration_slope"] = {
        "value": slope,
        "target": f"{low} to {high}",
        "met": low <= slope <= high,
    }
    ece = TARGETS["ece"]
    checks["ece"] = {"value": metrics["ece"], "target": f"<= {ece}", "met": metrics["ece"] <= ece}
    group_share = TARGETS["group_auroc_share_of_oracle"]
    failures = []
    for attribute, groups in metrics["fairness"].items():
        for group, entry in groups.items():
            if entry["n"] < TARGET_GROUP_SIZE:
                continue
            if entry["oracle_auroc"] and entry["auroc"] < group_share * entry["oracle_auroc"]:
                failures.append(
                    f"{attribute}={group}: AUROC {entry['auroc']:.3f} < {group_share} x {entry['oracle_auroc']:.3f}"
                )
            if not entry["calibration_ratio_lower"] <= 1 <= entry["calibration_ratio_upper"]:
                failures.append(
                    f"{attribute}={group}: observed/predicted {entry['calibration_ratio']:.3f} "
                    f"({entry['calibration_ratio_lower']:.3f} to {entry['calibration_ratio_upper']:.3f})"
                )
    checks["groups"] = {
        "target": f"groups of {TARGET_GROUP_SIZE:,} or more",
        "met": not failures,
        "failures": failures,
    }
    return checks
