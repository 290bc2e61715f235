"""How fast casework suggests services for a goal, on a fresh demo borough (SQLite, in a
temporary folder; ~1,500 listings). The issue asks for 50 ms at most for a goal.

Run from the repository root:

    .venv/bin/python benchmarks/suggestions.py [--repeat 20] [--people 10]

For each directory category (a goal's "kind of help"), for --people demo people: the time to
rank every service for the goal (casework.suggest_queries.suggest), with the person's home, a
choice of times, free first and an access need, as the suggestions page asks; then the same
with no category (every active service: the person-level page before a filter is chosen), and
with words. Prints the median, 95th percentile and worst, and the queries run. Figures only,
never an assertion.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timings per case")
    parser.add_argument("--people", type=int, default=10, help="demo people to suggest for")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="thedeal-suggestions-")
    os.environ["THEDEAL_VAR_DIR"] = folder
    try:
        measure(args.repeat, args.people)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def _report(label: str, times: list[float], cpu: list[float], queries: int, found: int) -> None:
    print(
        f"{label:<40} median {statistics.median(times) * 1000:6.1f} ms  "
        f"p95 {_p95(times) * 1000:6.1f} ms  worst {max(times) * 1000:6.1f} ms  "
        f"CPU median {statistics.median(cpu) * 1000:6.1f} ms  p95 {_p95(cpu) * 1000:6.1f} ms  "
        f"{queries} queries  {found} services"
    )


def measure(repeat: int, people: int) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")  # demo.env, a key of its own
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thedeal.casework import suggest_queries, suggestions
    from thedeal.casework.models import Person
    from thedeal.directory.demo import PROVENANCE_TAXONOMY_NAME
    from thedeal.directory.models import Service, TaxonomyTerm

    call_command("migrate", verbosity=0)
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("load_demo", verbosity=0)
    print(f"{Service.objects.count():,} services in the directory")
    persons = list(Person.objects.exclude(postcode="").order_by("pk")[:people])
    wishes = {
        "slots": frozenset({suggestions.Slot.WEEKDAY_MORNINGS}),
        "free_first": True,
        "needs": frozenset({suggestions.Need.STEP_FREE}),
    }
    cases: list[tuple[str, suggest_queries.Ask]] = [
        (f"goal: {term.name}"[:44], suggest_queries.Ask(category=term, **wishes))
        # Every category a goal may have (not the demo's provenance marker).
        for term in TaxonomyTerm.objects.exclude(taxonomy_detail__name=PROVENANCE_TAXONOMY_NAME)
    ]
    cases.append(("no category: every active service", suggest_queries.Ask(**wishes)))
    cases.append(("words: walking", suggest_queries.Ask(words="walking", **wishes)))
    print(
        "Wall-clock times, and CPU time (SQLite runs in this process, so its work counts too; "
        "on a busy machine the CPU time is the fairer figure)."
    )
    every: list[float] = []
    every_cpu: list[float] = []
    for label, ask in cases:
        times, cpu = [], []
        for i in range(repeat):
            person = persons[i % len(persons)]
            with CaptureQueriesContext(connection) as queries:
                start, start_cpu = time.perf_counter(), time.process_time()
                found = suggest_queries.suggest(person, ask)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
        if ask.category is not None:
            every += times
            every_cpu += cpu
        _report(label[:40], times, cpu, len(queries), len(found))
    _report("every goal with a category", every, every_cpu, 0, 0)


if __name__ == "__main__":
    main()
