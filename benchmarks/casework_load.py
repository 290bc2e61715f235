"""Casework under load, served as in production: gunicorn with 2 workers, on SQLite (a file)
or PostgreSQL (DATABASE_URL), with a borough-sized caseload: 50,000 people, 200,000 referrals
and 500 practitioners by default.

For each page (a practitioner's caseload, a person's record, an organisation's inbox; each
writes its audit event) it prints:
- the latency at a steady 20 requests a second (an open loop: each request is timed from when
  it was due, so a slow server cannot hide its queue), median, 95th percentile and slowest;
- the throughput with 10 clients asking as fast as they are answered.

Run from the repository root:

    .venv/bin/python benchmarks/casework_load.py [--people 50000] [--referrals 200000]
        [--practitioners 500] [--rate 20] [--seconds 15] [--clients 10] [--port 8765]
        [--explain]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/casework_load.py

The PostgreSQL database named is dropped and made again.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--referrals", type=int, default=200_000)
    parser.add_argument("--practitioners", type=int, default=500)
    parser.add_argument("--rate", type=float, default=20.0, help="requests a second, open loop")
    parser.add_argument("--seconds", type=float, default=15.0, help="per page and per test")
    parser.add_argument("--clients", type=int, default=10, help="concurrent clients, closed loop")
    parser.add_argument("--port", type=int, default=PORT, help="for gunicorn, on 127.0.0.1")
    parser.add_argument(
        "--explain", action="store_true", help="print each page's slowest queries and their plans"
    )
    args = parser.parse_args()
    globals()["PORT"] = args.port  # two engineers benchmarking on one machine each need their own

    folder = Path(tempfile.mkdtemp(prefix="thedeal-load-"))
    env = dict(os.environ)
    env["THEDEAL_VAR_DIR"] = str(folder)
    env["THEDEAL_ENV_FILE"] = str(ROOT / "demo.env")
    env.setdefault("SECRET_KEY", "benchmark-only-" + "k" * 50)
    env["DJANGO_SETTINGS_MODULE"] = "thedeal.settings"
    env["LOG_LEVEL"] = "WARNING"  # one access log line per request would measure the terminal
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{folder / 'casework.sqlite3'}"
    else:
        _recreate_postgres(env["DATABASE_URL"])
    engine = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    os.environ.update(env)
    try:
        pages = build(args.people, args.referrals, args.practitioners)
        if args.explain:
            for page in pages:
                explain(page)
        server = _serve(env)
        try:
            print(
                f"\n{engine}, gunicorn with 2 workers: {args.people:,} people, "
                f"{args.referrals:,} referrals, {args.practitioners:,} practitioners"
            )
            for page in pages:
                _warm(page)
                steady = open_loop(page, rate=args.rate, seconds=args.seconds)
                busy = closed_loop(page, clients=args.clients, seconds=args.seconds)
                print(
                    f"{page.name:<28} at {args.rate:g}/s: median {steady.median:6.1f} ms, "
                    f"p95 {steady.p95:6.1f} ms, slowest {steady.slowest:6.1f} ms"
                    f"{steady.errors_note}; {args.clients} clients: "
                    f"{busy.per_second:6.1f} requests/s, p95 {busy.p95:6.1f} ms{busy.errors_note}"
                )
        finally:
            server.terminate()
            server.wait(timeout=20)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _recreate_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    cookie: str  # the session cookie of who asks for it


def build(people: int, referrals: int, practitioners: int) -> list[Page]:
    """Migrate, and fill the database with the caseload in bulk; the pages to ask for."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks import casework_data

    begun = time.perf_counter()
    call_command("migrate", verbosity=0)
    # DEBUG is off, as in production: pages link to the collected, fingerprinted files.
    call_command("collectstatic", "--no-input", verbosity=0)
    made = casework_data.build(
        people=people, referrals=referrals, practitioners=practitioners, seed=1
    )
    # A database in service has its tables' statistics (PostgreSQL's autovacuum gathers them a
    # minute or so after a bulk load; SQLite when `PRAGMA optimize` runs), and the planner
    # chooses by them: measure with them, or a plan no server would use is what gets timed.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built in {time.perf_counter() - begun:.0f} s: {made.summary}", flush=True)
    return [Page(name, path, cookie) for name, path, cookie in made.pages]


def explain(page: Page, slowest: int = 3) -> None:
    """The page's slowest queries (asked for once, in this process), each with the plan the
    database chose for it: EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.cookies["sessionid"] = page.cookie
    with CaptureQueriesContext(connection) as queries:
        status = client.get(page.path, HTTP_HOST="127.0.0.1").status_code
    selects = [q for q in queries.captured_queries if q["sql"].lstrip().startswith("SELECT")]
    print(f"\n{page.name} ({status}): {len(queries)} queries, the slowest:")
    sqlite = connection.vendor == "sqlite"
    for query in sorted(selects, key=lambda q: -float(q["time"]))[:slowest]:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
        with connection.cursor() as cursor:
            cursor.execute(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + query["sql"])
            for row in cursor.fetchall():
                print("             " + str(row[-1] if sqlite else row[0]))


def _serve(env: dict[str, str]) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "thedeal.wsgi",
            "--workers=2",
            f"--bind=127.0.0.1:{PORT}",
            "--log-level=warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 20 seconds")


_local = threading.local()


def _get(page: Page) -> tuple[float, int]:
    """One request on this thread's own kept-alive connection: (seconds, status)."""
    connection = getattr(_local, "connection", None)
    if connection is None:
        connection = _local.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    begun = time.perf_counter()
    try:
        connection.request("GET", page.path, headers={"Cookie": f"sessionid={page.cookie}"})
        response = connection.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        _local.connection = None
        status = 0
    return time.perf_counter() - begun, status


def _warm(page: Page) -> None:
    for _ in range(5):
        _, status = _get(page)
        if status != 200:
            raise SystemExit(f"{page.name}: {page.path} answered {status}, not 200")


@dataclass(frozen=True)
class Result:
    times_ms: list[float]
    errors: int
    seconds: float

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.times_ms, n=20)[-1]

    @property
    def slowest(self) -> float:
        return max(self.times_ms)

    @property
    def per_second(self) -> float:
        return len(self.times_ms) / self.seconds

    @property
    def errors_note(self) -> str:
        return f" ({self.errors} errors)" if self.errors else ""


def open_loop(page: Page, *, rate: float, seconds: float) -> Result:
    """Requests sent at a steady rate, whatever the answers; each timed from when it was due."""
    count = int(rate * seconds)
    start = time.perf_counter() + 0.1
    times: list[float] = []
    errors = 0
    lock = threading.Lock()

    def one(due: float) -> None:
        nonlocal errors
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        took, status = _get(page)
        with lock:
            times.append((time.perf_counter() - due) * 1000)
            errors += status != 200

    with ThreadPoolExecutor(max_workers=64) as pool:
        for n in range(count):
            pool.submit(one, start + n / rate)
    return Result(times, errors, seconds)


def closed_loop(page: Page, *, clients: int, seconds: float) -> Result:
    """`clients` clients, each asking again as soon as it is answered."""
    stop = time.perf_counter() + seconds
    times: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client() -> None:
        nonlocal errors
        while time.perf_counter() < stop:
            took, status = _get(page)
            with lock:
                times.append(took * 1000)
                errors += status != 200

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(times, errors, seconds)


if __name__ == "__main__":
    random.seed(1)
    main()
