"""Indicators: the statistics every published figure of the platform rests on.

`from thedeal.indicators import dsr, ...` gives the pure methods (thedeal.indicators.methods)
without importing Django, so analysts can use them outside the platform. The names are those of
thedeal.indicators.methods, listed once there.
"""

from thedeal.indicators import methods as _methods
from thedeal.indicators.methods import *  # noqa: F403 (its __all__)

__all__ = _methods.__all__
