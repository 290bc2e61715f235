"""PHE/UKHSA indicator methods in Python: PHEindicatormethods' statistics, vectorised.

Pure: NumPy, SciPy and pandas only, no Django, so analysts can use them in a notebook. Each method
takes a DataFrame and column names and returns a DataFrame with PHEindicatormethods' columns
(METHODS.md, beside this file, gives the formulas and conventions).
"""

from . import (
    comparison,  # the polarities and labels: comparison.HIGH_IS_GOOD, comparison.BETTER, ...
    trends,  # the statuses: trends.GETTING_BETTER, ...
)
from ._common import IndicatorInputError, IndicatorWarning
from .comparison import compare_with_benchmark, significance, spine_positions, spine_scale
from .crude import mean, proportion, rate
from .funnels import funnel_limits, funnel_points, funnel_significance
from .inequality import sii
from .intervals import byars_lower, byars_upper, wilson_lower, wilson_upper
from .life_expectancy import healthy_life_expectancy, life_expectancy
from .paired import paired_change, publishable_paired_change
from .ranking import quantiles
from .standardised import ESP2013, dsr, israte, isratio

__all__ = [
    "ESP2013",
    "IndicatorInputError",
    "IndicatorWarning",
    "byars_lower",
    "byars_upper",
    "compare_with_benchmark",
    "comparison",
    "dsr",
    "funnel_limits",
    "funnel_points",
    "funnel_significance",
    "healthy_life_expectancy",
    "israte",
    "isratio",
    "life_expectancy",
    "mean",
    "paired_change",
    "proportion",
    "publishable_paired_change",
    "quantiles",
    "rate",
    "sii",
    "significance",
    "spine_positions",
    "spine_scale",
    "trends",
    "wilson_lower",
    "wilson_upper",
]
