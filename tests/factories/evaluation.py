"""Evaluation runs as `thedeal insight evaluate --save` stores them, and the programme's costs,
for the savings ledger's tests (the real evaluation is slow and needs a drawn borough)."""

from decimal import Decimal

from django.utils import timezone

from thedeal.insight.models import EvaluationRun, ProgrammeCost


def estimate(estimand, rr, lower, upper, avoided, avoided_lower, avoided_upper, method):
    """One analysis's figures, with the keys of the evaluation's JSON."""
    return {
        "estimand": estimand,
        "relative_risk": rr,
        "lower": lower,
        "upper": upper,
        "admissions_avoided": avoided,
        "admissions_avoided_lower": avoided_lower,
        "admissions_avoided_upper": avoided_upper,
        "method": method,
    }


def evaluation_result(**changes):
    """An evaluation's JSON as `thedeal insight evaluate --json` writes it: the primary estimate
    a relative risk of 0.82 (0.74 to 0.91), 400 admissions avoided (200 to 600)."""
    result = {
        "primary": estimate("intention_to_treat", 0.82, 0.74, 0.91, 400.0, 200.0, 600.0,
                            "Poisson regression by ward and quarter"),
        "matched": estimate("on_treated", 0.7, 0.6, 0.81, 520.0, 300.0, 700.0,
                            "Propensity scores, 1:1 matching"),
        "interrupted_time_series": estimate("intention_to_treat", 0.95, 0.7, 1.2, 120.0,
                                            -300.0, 500.0, "Segmented regression"),
        "naive": estimate("on_treated", 0.5, 0.45, 0.56, 900.0, 800.0, 1000.0,
                          "Takers against non-takers"),
    }  # fmt: skip
    result["matched"]["balance"] = [
        {"characteristic": "age", "before": 0.31, "after": 0.04},
        {"characteristic": "risk_score", "before": 0.52, "after": 0.08},
    ]
    return result | changes


def run(*, published=False, **changes) -> EvaluationRun:
    """A saved run of a synthetic borough's evaluation, published or not."""
    return EvaluationRun.objects.create(
        result=evaluation_result(**changes),
        generator_version="2",
        data_fingerprint="ab" * 32,
        published=published,
        published_at=timezone.now() if published else None,
    )


def cost(amount, payer="council", **fields) -> ProgrammeCost:
    values = {
        "period_start": "2023-04-01",
        "period_end": "2024-03-31",
        "category": "practitioner_time",
        "payer": payer,
        "amount": Decimal(amount),
        "description": "Two link workers",
    } | fields
    return ProgrammeCost.objects.create(**values)
