"""What deciding what is public costs: the feed, the public exports and the site's pages.

    .venv/bin/python benchmarks/publication.py [--services 1500] [--repeat 20]

Builds the demo borough (1,500 services by default, about 27 of its places refuges) in a
scratch SQLite database, then times requests through Django's test client in this process (no
server, so the figures are the application's own work): the median over --repeat runs and the
number of database queries of each. The pages are those that publish what is attached to places:
a refuge's service in full (feed and site), a page of fully nested services and of organisations
with their services, services open on a day, search results near a postcode; and the public
exports (three runs each). Run it on two checkouts to compare them.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="thedeal-publication-"))
    os.environ.update(
        THEDEAL_ENV_FILE=str(ROOT / "demo.env"),
        DATABASE_URL=f"sqlite:///{scratch / 'db.sqlite3'}",
        THEDEAL_VAR_DIR=str(scratch),
        ALLOWED_HOSTS="testserver",
        DIRECTORY_API_RATE_LIMIT="1000000/min",
        DJANGO_SETTINGS_MODULE="tests.settings",  # demo.env, a key of its own, no manifest
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from thedeal.directory import exports
    from thedeal.directory.models import Location, ServiceAtLocation

    quiet = io.StringIO()
    call_command("migrate", "--no-input", stdout=quiet)
    call_command("load_demo", services=args.services, seed=0, stdout=quiet, stderr=quiet)
    refuge = ServiceAtLocation.objects.filter(location__confidential=True).select_related(
        "service"
    )[0]
    service, organization = refuge.service_id, refuge.service.organization_id
    print(
        f"{args.services} services, {Location.objects.filter(confidential=True).count()} refuges;"
        f" median of {args.repeat} runs (exports: of 3)"
    )
    client = Client()
    pages = {
        "feed: a refuge's service": f"/api/directory/services/{service}",
        "feed: 50 services, full": "/api/directory/services?full=true&per_page=50",
        "feed: organisation, full_service": (
            f"/api/directory/organizations/{organization}?full_service=true"
        ),
        "feed: 50 organisations, full_service": (
            "/api/directory/organizations?full_service=true&per_page=50"
        ),
        "feed: services open on Mondays": "/api/directory/services?day=MO",
        "site: a refuge's service page": f"/services/{service}/",
        "site: search near WN1 1AA": "/services/?postcode=WN1+1AA",
        "site: search open on Sundays": "/services/?day=SU",
    }
    for label, path in pages.items():
        client.get(path)  # warm up
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, (path, response.status_code)
        print(f"{label:40} {statistics.median(times) * 1000:8.1f} ms {len(queries):4d} queries")
    for fmt, export in (("json", exports.export_json), ("csv", exports.export_csv)):
        times = []
        for _ in range(3):
            with tempfile.TemporaryDirectory() as folder:
                start = time.perf_counter()
                export(Path(folder))
                times.append(time.perf_counter() - start)
        print(f"{'export_hsds --format ' + fmt:40} {statistics.median(times) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
