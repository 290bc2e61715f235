"""Every `thedeal` command starts without loading the statistics and modelling libraries.

They take seconds to import; only the commands and pages that compute with them may load them.
Each check runs in a fresh interpreter, since this test process has long since imported them.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

HEAVY = ["pandas", "scipy", "numpy", "pyarrow", "ibis", "duckdb", "lightgbm", "sklearn", "altair"]
HEAVY += ["fairlearn", "shap", "osgb"]

PROBE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thedeal.settings")
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
from django.core.management import ManagementUtility
try:
    ManagementUtility(["thedeal", *sys.argv[1:]]).execute()
except SystemExit:  # --help and argument errors end this way
    pass
print(json.dumps(sorted(sys.modules)))
"""


def modules_loaded_by(*command: str) -> set[str]:
    # -c with cwd=ROOT imports this checkout's thedeal, not an installed one.
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_check_and_the_url_map_load_no_heavy_library():
    loaded = modules_loaded_by("check")
    assert [name for name in HEAVY if name in loaded] == []


def test_help_loads_no_heavy_library():
    loaded = modules_loaded_by("help")
    assert [name for name in HEAVY if name in loaded] == []


def test_the_risk_commands_help_loads_no_modelling_library():
    # An analyst reading `thedeal risk --help` waits for nothing the help does not need.
    loaded = modules_loaded_by("risk", "--help")
    assert [
        name for name in ("lightgbm", "sklearn", "fairlearn", "shap", "pandas") if name in loaded
    ] == []


def test_the_indicators_still_import_by_name():
    # Loading them when first used must keep `from thedeal.indicators import dsr` and `import *`.
    import thedeal.indicators as indicators

    names: dict[str, object] = {}
    exec("from thedeal.indicators import *", names)
    assert set(indicators.__all__) <= set(names)
    assert callable(indicators.dsr)
    assert {"dsr", "proportion", "wilson_lower"} <= set(dir(indicators))
    try:
        indicators.no_such_method  # noqa: B018
    except AttributeError as error:
        assert "no_such_method" in str(error)
    else:
        raise AssertionError("a misspelt method name must fail")
