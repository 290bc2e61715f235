"""PHE/UKHSA indicator methods in Python: PHEindicatormethods' statistics, vectorised.

Pure: NumPy, SciPy and pandas only, no Django, so analysts can use them in a notebook. Each method
takes a DataFrame and column names and returns a DataFrame with PHEindicatormethods' columns
(METHODS.md, beside this file, gives the formulas and conventions).
"""

from ._common import IndicatorInputError, IndicatorWarning
from .crude import mean, proportion, rate
from .quantiles import quantiles
from .standardised import ESP2013, dsr, israte, isratio

__all__ = [
    "ESP2013",
    "IndicatorInputError",
    "IndicatorWarning",
    "dsr",
    "israte",
    "isratio",
    "mean",
    "proportion",
    "quantiles",
    "rate",
]
