"""The listings page of directory staff, who look after every listing: its rows, database
queries, time and size, on a fresh demo borough (SQLite, in a temporary folder).

Run from the repository root:

    .venv/bin/python benchmarks/staff_listings.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="requests timed (median shown)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="thedeal-staff-listings-")
    os.environ["THEDEAL_VAR_DIR"] = folder
    try:
        measure(args.repeat)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure(repeat: int) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")  # demo.env, a key of its own
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    staff = get_user_model().objects.create_superuser("dana", "dana@example.gov.uk", None)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(staff)
    client.get("/accounts/listings/")  # warm up
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get("/accounts/listings/")
            times.append(time.perf_counter() - start)
    rows = response.content.decode().count('<tr class="govuk-table__row">') - 1
    print(
        f"/accounts/listings/ as directory staff: {rows} rows, {len(queries)} queries, "
        f"median {statistics.median(times) * 1000:.0f} ms, {len(response.content):,} bytes"
    )


if __name__ == "__main__":
    main()
