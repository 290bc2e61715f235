"""Confidence limits for a count (Byar's, exact Poisson) and for a proportion (Wilson score).

Every function takes NumPy arrays (or scalars) and returns arrays: the methods call them once for a
whole column, never row by row. METHODS.md sections 1 and 2 give the formulas.
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

from ._common import IndicatorInputError, Levels


def z_value(confidence: float) -> float:
    """The two-sided normal quantile: 1.959964 at 95%, 3.090232 at 99.8%."""
    return float(stats.norm.ppf(1 - (1 - confidence) / 2))


def _level(confidence) -> float:
    """One confidence level as a fraction: 95 and 0.95 both give 0.95."""
    levels = Levels(confidence).values
    if len(levels) != 1:
        raise IndicatorInputError("a single confidence level is needed")
    return levels[0]


def _events(x) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if (x < 0).any():
        raise IndicatorInputError("observed events must all be greater than or equal to zero")
    return x


def byars_lower(x, confidence: float = 0.95) -> np.ndarray:
    """Byar's lower limit for an observed count; NaN where the approximation turns negative."""
    x = _events(x)
    z = z_value(_level(confidence))
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
    return np.where(lower < 0, np.nan, lower)


def byars_upper(x, confidence: float = 0.95) -> np.ndarray:
    """Byar's upper limit for an observed count."""
    x = _events(x) + 1
    z = z_value(_level(confidence))
    return x * (1 - 1 / (9 * x) + z / (3 * np.sqrt(x))) ** 3


def exact_lower(x, confidence: float = 0.95) -> np.ndarray:
    """Garwood's exact lower limit for a Poisson count: chi-square(alpha/2, 2x) / 2; 0 at x = 0."""
    x = np.asarray(x, dtype=float)
    alpha = 1 - confidence
    with np.errstate(invalid="ignore"):
        lower = stats.chi2.ppf(alpha / 2, 2 * x) / 2
    return np.where(x == 0, 0.0, lower)


def exact_upper(x, confidence: float = 0.95) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    alpha = 1 - confidence
    return stats.chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2


def poisson_limits(x, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Limits for an observed count: exact below 10 events, Byar's from 10 (the PHE rule)."""
    x = np.asarray(x, dtype=float)
    small = x < 10
    # Evaluate each formula only where it is used: Byar's lower limit misbehaves at 0.
    lower = np.full(x.shape, np.nan)
    upper = np.full(x.shape, np.nan)
    lower[small] = exact_lower(x[small], confidence)
    upper[small] = exact_upper(x[small], confidence)
    big = x >= 10
    lower[big] = byars_lower(x[big], confidence)
    upper[big] = byars_upper(x[big], confidence)
    return lower, upper


def poisson_method(x) -> np.ndarray:
    """The label of the method poisson_limits used: "Exact" below 10, "Byars" from 10, else NaN."""
    x = np.asarray(x, dtype=float)
    return np.where(x < 10, "Exact", np.where(x >= 10, "Byars", None)).astype(object)


def wilson_lower(x, n, confidence: float = 0.95) -> np.ndarray:
    return _wilson(x, n, confidence, -1)


def wilson_upper(x, n, confidence: float = 0.95) -> np.ndarray:
    return _wilson(x, n, confidence, +1)


def _wilson(x, n, confidence, sign):
    x = _events(x)
    n = np.asarray(n, dtype=float)
    if (n < 0).any():
        raise IndicatorInputError("sample sizes must all be greater than zero")
    if (x > n).any():
        raise IndicatorInputError(
            "numerators must be less than or equal to denominator for a Wilson score to be calculated"
        )
    confidence = _level(confidence)
    if confidence >= 1:
        # z is infinite: the interval is the whole of [0, 1].
        return np.where(np.isnan(x) | np.isnan(n), np.nan, 0.0 if sign < 0 else 1.0)
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        root = np.sqrt(z**2 + 4 * x * (1 - x / n))
        return (2 * x + z**2 + sign * z * root) / (2 * (n + z**2))


def t_quantile(confidence: float, df) -> np.ndarray:
    """Student's t quantile for a two-sided interval; NaN where there are no degrees of freedom."""
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(
            df > 0, special.stdtrit(np.maximum(df, 1), 1 - (1 - confidence) / 2), np.nan
        )
