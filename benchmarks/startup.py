"""How long a `thedeal` command takes to start, beside a bare Django import.

    THEDEAL_ENV_FILE=.env,demo.env .venv/bin/python benchmarks/startup.py [--runs 5]

Runs each in a fresh interpreter from this checkout (`python -m thedeal ...`, as operators and
the Makefile do) and prints the median and slowest wall-clock seconds of `--runs` runs: a bare
`import django`, `django.setup()` with the URL map loaded, `thedeal help`, `thedeal check` and `thedeal risk --help`.
The first run of each also pays for reading files from a cold disk; the median does not. To see
where an import's time goes: `.venv/bin/python -X importtime -m thedeal check 2>&1 | sort -t'|'
-k2 -n | tail -20`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SETUP = (
    "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'thedeal.settings'); "
    "import django; django.setup(); "
    "from django.urls import get_resolver; get_resolver().url_patterns"
)

CASES = {
    "import django": ["-c", "import django"],
    "django.setup() + URL map": ["-c", SETUP],
    "thedeal help": ["-m", "thedeal", "help"],
    "thedeal check": ["-m", "thedeal", "check"],
    "thedeal risk --help": ["-m", "thedeal", "risk", "--help"],
}


def seconds(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(f"{'':28}{'median s':>10}{'slowest s':>11}  ({runs} runs each)")
    for name, args in CASES.items():
        times = [seconds(args) for _ in range(runs)]
        print(f"{name:28}{statistics.median(times):>10.2f}{max(times):>11.2f}")


if __name__ == "__main__":
    main()
