"""How long an HSDS import takes to check its records, at the demo borough's size.

    .venv/bin/python benchmarks/imports.py [--services 1500] [--repeat 3]

Generates the synthetic demo borough (no database needed), stages its tables as an import of
them would, and prints the best of --repeat runs of imports.check (every value converted and
validated against its field, and against what the database can store), with the number of
records and the time per record, and the part of it that checks what the database can store
(thedeal.storable). Writing is not timed: it depends on the database.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")  # demo.env, a key of its own


def main() -> None:
    import django

    django.setup()
    import datetime

    from thedeal import geography, storable
    from thedeal.directory import demo, imports

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    tables = demo.generate_directory(
        geography.borough_postcodes(), seed=1, services=args.services,
        as_of=datetime.date(2026, 1, 1),
    )  # fmt: skip
    best = float("inf")
    records = 0
    for _ in range(args.repeat):
        staged = imports._Staged()
        for stem, rows in tables.items():
            imports._stage_table_rows(stem, list(rows), staged, "demo borough")
        started = time.perf_counter()
        instances = imports.check(staged)
        best = min(best, time.perf_counter() - started)
        records = sum(len(v) for v in instances.values())
    alone = float("inf")
    for _ in range(args.repeat):
        started = time.perf_counter()
        for built in instances.values():
            for instance in built:
                storable.problems(instance)
        alone = min(alone, time.perf_counter() - started)
    print(
        f"imports.check: {records:,} records ({args.services:,} services) in {best:.2f} s, "
        f"{best / records * 1e6:.0f} µs a record (best of {args.repeat})"
    )
    print(f"of which what the database can store (storable.problems): {alone:.2f} s, "
          f"{alone / records * 1e6:.0f} µs a record")  # fmt: skip


if __name__ == "__main__":
    main()
