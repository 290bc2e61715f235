"""Indicators: the statistics every published figure of the platform rests on.

`from thedeal.indicators import dsr, ...` gives the pure methods (thedeal.indicators.methods)
without importing Django, so analysts can use them outside the platform.
"""

from thedeal.indicators.methods import *  # noqa: F403 (the methods' public names, listed there)
from thedeal.indicators.methods import __all__  # noqa: F401
