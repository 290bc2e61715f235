"""How fast insight computes and evaluates at the size of a borough, and of a region.

    .venv/bin/python benchmarks/insight.py [--sizes 330000,1000000] [--data DIR ...] [--keep DIR]

For each size, a synthetic borough with a programme (from 1 April 2022, effect 0.8, take-up 0.5)
is drawn into a temporary folder (or `--keep DIR`, or the folders given with `--data` are used),
then `thedeal insight compute --data DIR` (into a fresh SQLite database, storing included) and
`thedeal insight evaluate --data DIR --json` run, each as an analyst runs it: a command in its
own process, timed from start to exit, its peak memory (maximum resident set size) read from
that process's own resource usage. Then the pages: `benchmarks/insight_pages.py` serves them
with gunicorn (2 workers) and asks for a ward's profile at 20 requests a second (`--no-pages`
leaves it out). Targets on a 2-core machine: compute at most 60 s for 330,000 and for 1,000,000
residents; evaluate at most 60 s; a ward's profile p95 at most 100 ms.

Run it with `nice -n 10` on a shared machine: the figures are wall time and depend on the load.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROGRAMME = ["--programme-start", "2022-04-01", "--programme-effect", "0.8",
             "--programme-uptake", "0.5"]  # fmt: skip


def run_child(args: list[str], env: dict[str, str]) -> dict[str, object]:
    """Run `thedeal ARGS` in a child process: its wall time, peak memory and how it ended.
    The child is reaped here with wait4, so the resource usage read is its own (RUSAGE_CHILDREN
    would give the largest of all the children so far)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "thedeal", *args], cwd=REPO, env=env, stdout=out, stderr=err,
        )  # fmt: skip
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return {
            "seconds": round(seconds, 1),
            "peak_mb": round(usage.ru_maxrss / 1024),  # KiB on Linux
            "ok": process.returncode == 0,
            "stdout": out.read(),
            "stderr": err.read(),
        }


def primary(output: str) -> str:
    """The primary estimate from evaluate's JSON, to show beside its time."""
    try:
        found = json.loads(output)["primary"]
        return (
            f"primary RR {found['relative_risk']:.2f} "
            f"({found['lower']:.2f} to {found['upper']:.2f})"
        )
    except (ValueError, KeyError, TypeError):
        return "no primary estimate in its output"


def environment(database: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", "benchmark-" + "x" * 50)
    env.setdefault("THEDEAL_ENV_FILE", "demo.env")
    env["DATABASE_URL"] = f"sqlite:///{database}"
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="330000,1000000", help="Residents, comma-separated.")
    parser.add_argument("--data", type=Path, nargs="*", default=[],
                        help="Boroughs already drawn (with a programme) to use instead.")  # fmt: skip
    parser.add_argument("--keep", type=Path, help="Draw the boroughs here and keep them.")
    parser.add_argument("--no-pages", action="store_true", help="Leave out the pages' timing.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="insight-bench-") as scratch:
        root = args.keep or Path(scratch)
        env = environment(Path(scratch) / "bench.sqlite3")
        migrated = run_child(["migrate", "--verbosity", "0"], env)
        if not migrated["ok"]:
            sys.exit(f"migrate failed:\n{migrated['stderr']}")
        boroughs = list(args.data)
        if not boroughs:
            for size in (int(s) for s in args.sizes.split(",")):
                folder = root / f"borough-{size}"
                drawn = run_child(
                    ["synthpop", "--residents", str(size), "--seed", "1", "--out", str(folder),
                     *PROGRAMME], env,
                )  # fmt: skip
                if not drawn["ok"]:
                    sys.exit(f"drawing {size:,} residents failed:\n{drawn['stderr']}")
                print(f"drew {size:,} residents in {drawn['seconds']} s", file=sys.stderr)
                boroughs.append(folder)

        rows = []
        for folder in boroughs:
            size = json.loads((folder / "manifest.json").read_text())["residents"]
            for step, step_args in (
                ("compute", ["insight", "compute", "--data", str(folder)]),
                ("evaluate", ["insight", "evaluate", "--data", str(folder), "--json"]),
            ):
                print(f"{step} on {size:,} residents...", file=sys.stderr)
                result = run_child(step_args, env)
                note = ""
                if not result["ok"]:
                    if "No module named" in result["stderr"]:
                        note = "not available"
                    else:
                        note = "failed: " + result["stderr"].strip().splitlines()[-1][:60]
                elif step == "compute":
                    stored = [line for line in result["stdout"].splitlines() if "Stored" in line]
                    note = stored[0].split(" (batch")[0] if stored else ""
                else:
                    note = primary(result["stdout"])
                rows.append((size, step, result, note))

    print(f"\n{'residents':>10}  {'step':<9} {'seconds':>8} {'peak MB':>8}  note")
    for size, step, result, note in rows:
        seconds = result["seconds"] if result["ok"] else "-"
        peak = result["peak_mb"] if result["ok"] else "-"
        print(f"{size:>10,}  {step:<9} {seconds:>8} {peak:>8}  {note}")
    if not args.no_pages:
        # The pages' own benchmark prints its table (it makes a borough's values and serves them).
        sys.stdout.flush()
        subprocess.run(
            [sys.executable, str(REPO / "benchmarks" / "insight_pages.py"), "--seconds", "10"],
            cwd=REPO, check=False,
        )  # fmt: skip
    print("\nTargets (2 cores): compute <= 60 s at 330,000 and 1,000,000; evaluate <= 60 s;")
    print("a ward's profile p95 <= 100 ms at 20 requests a second.")
    print(f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end.")


if __name__ == "__main__":
    main()
