"""Indicators: the statistics every published figure of the platform rests on.

`from thedeal.indicators import dsr, ...` gives the pure methods (thedeal.indicators.methods)
without importing Django, so analysts can use them outside the platform.
"""

from thedeal.indicators.methods import (
    ESP2013,
    IndicatorInputError,
    IndicatorWarning,
    byars_lower,
    byars_upper,
    dsr,
    funnel_limits,
    funnel_points,
    funnel_significance,
    healthy_life_expectancy,
    israte,
    isratio,
    life_expectancy,
    mean,
    proportion,
    quantiles,
    rate,
    sii,
    wilson_lower,
    wilson_upper,
)

__all__ = [
    "ESP2013",
    "IndicatorInputError",
    "IndicatorWarning",
    "byars_lower",
    "byars_upper",
    "dsr",
    "funnel_limits",
    "funnel_points",
    "funnel_significance",
    "healthy_life_expectancy",
    "israte",
    "isratio",
    "life_expectancy",
    "mean",
    "proportion",
    "quantiles",
    "rate",
    "sii",
    "wilson_lower",
    "wilson_upper",
]
