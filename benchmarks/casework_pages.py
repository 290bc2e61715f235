"""Where the casework pages' time goes, one request at a time in this process: for each page
measured by casework_load.py (a practitioner's caseload, a person's record, an organisation's
inbox, each with its audit write) it prints the CPU time of a request (time.process_time, so
that other work on a busy machine counts less; the least of them too), how much of it rendering
the template took, and the number of queries and their time.

CPU time, not wall-clock time: with 2 gunicorn workers at 20 requests a second each worker
serves 10 a second, so a page has to cost well under 50 ms of CPU to leave room for queueing.

Run from the repository root:

    .venv/bin/python benchmarks/casework_pages.py [--people 20000] [--referrals 80000]
        [--practitioners 500] [--requests 30] [--folder var/bench-pages] [--profile 25]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_pages .venv/bin/python ...

The borough is built once into --folder (a SQLite file there, or the PostgreSQL database named,
dropped and made again) and kept, with the pages' session cookies: later runs with the same
folder reuse it (delete the folder to build again). --profile N prints each page's N most
expensive functions (cProfile, cumulative time) of one more request.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--referrals", type=int, default=80_000)
    parser.add_argument("--practitioners", type=int, default=500)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--folder", type=Path, default=ROOT / "var" / "bench-pages")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()

    folder = args.folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["THEDEAL_VAR_DIR"] = str(folder)
    os.environ["THEDEAL_ENV_FILE"] = str(ROOT / "demo.env")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "k" * 50)
    os.environ["DJANGO_SETTINGS_MODULE"] = "thedeal.settings"
    os.environ["LOG_LEVEL"] = "WARNING"
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'casework.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    # One list of pages per database: a folder may hold a SQLite borough and a PostgreSQL one.
    kept = folder / f"pages-{engine.lower()}-{args.people}-{args.referrals}.json"

    sys.path.insert(0, str(ROOT))
    if kept.exists():
        import django

        django.setup()
        pages = json.loads(kept.read_text())
    else:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import casework_load

        if engine == "PostgreSQL":
            casework_load._recreate_postgres(url)
        pages = [
            [page.name, page.path, page.cookie]
            for page in casework_load.build(args.people, args.referrals, args.practitioners)
        ]
        kept.write_text(json.dumps(pages))

    print(
        f"{engine}, in this process: {args.people:,} people, {args.referrals:,} referrals; "
        f"median of {args.requests} requests"
    )
    for name, path, cookie in pages:
        measure(name, path, cookie, requests=args.requests, profile=args.profile)


def measure(name: str, path: str, cookie: str, *, requests: int, profile: int) -> None:
    from django.db import connection
    from django.template.backends.django import Template
    from django.test import Client

    client = Client()
    client.cookies["sessionid"] = cookie

    rendering = [0.0]
    render = Template.render

    def timed_render(self, *args, **kwargs):  # the page's template, its includes within it
        begun = time.process_time()
        try:
            return render(self, *args, **kwargs)
        finally:
            rendering[0] += time.process_time() - begun

    def get() -> int:
        status = client.get(path, HTTP_HOST="127.0.0.1").status_code
        if status != 200:
            raise SystemExit(f"{name}: {path} answered {status}, not 200")
        return status

    for _ in range(3):  # the first requests load templates and warm the database's cache
        get()
    # Counted and timed by a wrapper of our own: CaptureQueriesContext loses the queries of a
    # request (Django empties its list of queries when a request begins).
    queries: list[tuple[float, str]] = []

    def timed_query(execute, sql, params, many, context):
        begun = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - begun, sql))

    with connection.execute_wrapper(timed_query):
        get()
    query_ms = sum(took for took, _ in queries) * 1000

    cpu, wall, renders = [], [], []
    Template.render = timed_render
    try:
        for _ in range(requests):
            rendering[0] = 0.0
            begun, begun_wall = time.process_time(), time.perf_counter()
            get()
            cpu.append((time.process_time() - begun) * 1000)
            wall.append((time.perf_counter() - begun_wall) * 1000)
            renders.append(rendering[0] * 1000)
    finally:
        Template.render = render
    print(
        f"{name:<26} CPU {statistics.median(cpu):5.1f} ms (least {min(cpu):5.1f}; template "
        f"{statistics.median(renders):4.1f} ms), wall {statistics.median(wall):5.1f} ms; "
        f"{len(queries):3d} queries, {query_ms:5.1f} ms"
    )
    if profile:
        for took, sql in sorted(queries, reverse=True)[:5]:
            print(f"  {took * 1000:6.1f} ms  {sql[:400]}")
        profiler = cProfile.Profile()
        profiler.runcall(get)
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats("thedeal/", profile)  # the project's own code
        stats.sort_stats("tottime").print_stats(profile)


if __name__ == "__main__":
    main()
