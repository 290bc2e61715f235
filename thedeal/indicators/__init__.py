"""Indicators: the statistics every published figure of the platform rests on.

`from thedeal.indicators import dsr, ...` gives the pure methods (thedeal.indicators.methods)
without importing Django, so analysts can use them outside the platform. The names are those of
thedeal.indicators.methods, listed once there.

This package is also a Django app, imported by every `thedeal` command at start-up, and the
methods need NumPy, SciPy and pandas, which take seconds to import: so they are loaded when a
name (or `import *`) first asks for them, not here.
"""

import importlib


def __getattr__(name: str) -> object:
    if name == "__all__" or not (name.startswith("__") or name == "methods"):
        methods = importlib.import_module("thedeal.indicators.methods")

        if name == "__all__" or name in methods.__all__:
            return getattr(methods, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    # A notebook's tab completion offers the methods, as it did when they were imported here.
    names: list[str] = importlib.import_module("thedeal.indicators.methods").__all__
    return sorted(set(globals()) | set(names))
