"""How well search answers what residents type, and how fast, on the demo borough.

    .venv/bin/python benchmarks/search_quality.py [--services 1500] [--queries FILE]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thedeal .venv/bin/python \
        benchmarks/search_quality.py

Loads the demo borough (1,500 services: its real size, seed 0) into a fresh database: a
scratch SQLite file, or with DATABASE_URL a scratch PostgreSQL database named after the one in
the URL with "_search_quality" added (created, and dropped afterwards; the database in the URL
is never touched). Then for each query of benchmarks/search_queries.csv (what residents type,
each with the demo taxonomy's categories a person would accept, a term or any term under it)
it prints how many listings the search finds, the share of the first ten in an accepted
category, and whether the query is answered well: at least 3 found and at least 70% of the first
ten accepted. Last, the share of queries answered well, and the time a few searches take (the
median of 30, through thedeal.directory.queries as the site and the feed search).

It reads only queries.services, so it measures any version of the code it sits in.
"""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WELL_FOUND = 3
WELL_SHARE = 0.7
FIRST = 10
TIMED = ("walking", "loneliness", "food bank", "stop smoking", "lonliness", "xqzvbn")


def _scratch_postgres(url: str) -> tuple[str, str]:
    """A fresh database beside the one named in the URL: (its URL, the server's admin URL)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_search_quality"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), admin


def _drop_postgres(url: str, admin: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=1500)
    parser.add_argument("--queries", type=Path, default=ROOT / "benchmarks/search_queries.csv")
    args = parser.parse_args()
    with args.queries.open(newline="") as f:
        cases = [(row["query"], set(row["accepted"].split())) for row in csv.DictReader(f)]

    var = Path(tempfile.mkdtemp(prefix="search-quality-"))
    env_file = var / "benchmark.env"
    env_file.write_text("")
    os.environ.update(
        THEDEAL_ENV_FILE=str(env_file), THEDEAL_VAR_DIR=str(var), DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50), DJANGO_SETTINGS_MODULE="thedeal.settings",
    )  # fmt: skip
    admin = None
    if url := os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"], admin = _scratch_postgres(url)
    try:
        _measure(args.services, cases)
    finally:
        if admin:
            from django.db import connections

            connections.close_all()
            _drop_postgres(os.environ["DATABASE_URL"], admin)


def _measure(services: int, cases: list[tuple[str, set[str]]]) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from thedeal.directory import queries
    from thedeal.directory.models import Attribute, TaxonomyTerm

    call_command("migrate", verbosity=0)
    call_command("load_demo", services=services, seed=0, verbosity=0, stdout=open(os.devnull, "w"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    parents = dict(TaxonomyTerm.objects.values_list("id", "parent_id"))
    codes = dict(TaxonomyTerm.objects.values_list("id", "code"))

    def categories(service_id) -> set[str]:  # type: ignore[no-untyped-def]
        found = set()
        for term in Attribute.objects.filter(
            link_entity="service", link_id=service_id, taxonomy_term__isnull=False
        ).values_list("taxonomy_term_id", flat=True):
            while term is not None:
                found.add(codes[term])
                term = parents.get(term)
        return found

    print(f"{connection.vendor}, {services} services")
    print(f"{'query':<26} {'found':>6} {'accepted':>9}  answered well")
    well = 0
    for query, accepted in cases:
        found = queries.services(queries.Filters(search=query))
        total = found.count()
        first = [row[0] for row in found[:FIRST].values_list("id")]
        share = sum(1 for i in first if categories(i) & accepted) / len(first) if first else 0.0
        good = total >= WELL_FOUND and share >= WELL_SHARE
        well += good
        print(f"{query:<26} {total:>6} {share:>8.0%}  {'well' if good else 'NOT well'}")
    print(f"answered well: {well} of {len(cases)} queries ({well / len(cases):.0%})")

    print("\ntime per search (median of 30: count and first page of 10)")
    for query in TIMED:
        times = []
        for _ in range(30):
            start = time.perf_counter()
            found = queries.services(queries.Filters(search=query))
            found.count()
            list(found[:FIRST].values_list("id"))
            times.append(time.perf_counter() - start)
        print(f"  {query:<16} {statistics.median(times) * 1000:7.2f} ms")


if __name__ == "__main__":
    main()
