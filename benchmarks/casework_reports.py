"""Casework's reports on a large borough: 50,000 people and 200,000 referrals (with their
conversations, plans and well-being measures), made with bulk_create, then each report timed,
and the whole reports page through the test client.

SQLite in a temporary folder by default; set DATABASE_URL to time PostgreSQL (its database is
created and dropped by the script, like the tests' own: name one that can be thrown away).

    .venv/bin/python benchmarks/casework_reports.py [--people 50000] [--referrals 200000]
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--referrals", type=int, default=200_000)
    parser.add_argument("--services", type=int, default=1_500)
    parser.add_argument("--repeat", type=int, default=3, help="times each report is run")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="thedeal-reports-")
    os.environ["THEDEAL_VAR_DIR"] = folder
    try:
        measure(args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")  # demo.env, a key of its own
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    # The tests' database (SQLite in the temporary folder, or a throwaway PostgreSQL one).
    old = setup_databases(verbosity=0, interactive=False)
    try:
        print(f"database: {connection.vendor}")
        build(args)
        # As the database's own maintenance would have by then (autovacuum on PostgreSQL):
        # statistics for the planner, and PostgreSQL's visibility map for index-only scans.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        time_reports(args.repeat)
    finally:
        teardown_databases(old, verbosity=0)


def build(args: argparse.Namespace) -> None:
    from django.utils import timezone

    from thedeal.casework.lifecycle import Status
    from thedeal.casework.models import (
        Conversation,
        Direction,
        Occasion,
        Person,
        Plan,
        Referral,
        WellbeingMeasure,
    )
    from thedeal.directory.models import Organization, Service

    rng = random.Random(1)
    started = time.perf_counter()
    today = timezone.localdate()
    organisations = Organization.objects.bulk_create(
        Organization(name=f"Organisation {n}", description="Benchmark") for n in range(600)
    )
    services = Service.objects.bulk_create(
        Service(name=f"Service {n}", organization=organisations[n % 600])
        for n in range(args.services)
    )
    wards = [f"Ward {n}" for n in range(25)]
    people = Person.objects.bulk_create(
        (
            Person(
                reference=f"B{n:07d}",
                given_name="Test",
                family_name=f"Person {n}",
                date_of_birth=datetime.date(1950, 1, 1) + datetime.timedelta(days=n % 20000),
                ward_name=rng.choice(wards),
            )
            for n in range(args.people)
        ),
        batch_size=5000,
    )
    Plan.objects.bulk_create(
        (
            Plan(
                person=p,
                agreed_on=today - datetime.timedelta(days=rng.randint(0, 360)),
                closed_on=None if rng.random() < 0.6 else today,
            )
            for p in people
        ),
        batch_size=5000,
    )
    Conversation.objects.bulk_create(
        (
            Conversation(
                person=p,
                held_on=today - datetime.timedelta(days=rng.randint(0, 360)),
                contact_method="phone",
                reason_for_contact="gp",
            )
            for p in people
        ),
        batch_size=5000,
    )
    measures = []
    for p in people[: args.people * 3 // 5]:
        level = rng.randint(2, 7)
        for occasion, days_ago, change in (
            (Occasion.FIRST_CONTACT, 200, 0),
            (Occasion.REVIEW, rng.randint(10, 150), rng.choice((-1, 0, 1, 1, 2))),
        ):
            answers = {
                name: max(1, min(5, level // 2 + change))
                for name in WellbeingMeasure.SWEMWBS_FIELDS
            }
            measures.append(
                WellbeingMeasure(
                    person=p,
                    taken_on=today - datetime.timedelta(days=days_ago),
                    occasion=occasion,
                    life_satisfaction=min(10, level + change),
                    worthwhile=level,
                    happiness=min(10, level + change),
                    anxiety=max(0, 10 - level - change),
                    **answers,
                )
            )
    WellbeingMeasure.objects.bulk_create(measures, batch_size=5000)
    statuses = [s for s in Status if s is not Status.DRAFT]
    now = timezone.now()

    def referral(n: int) -> Referral:
        person = people[n % len(people)]
        requested = now - datetime.timedelta(days=rng.randint(0, 364), hours=rng.randint(0, 23))
        if n % 5 == 0:
            return Referral(
                person=person, direction=Direction.INBOUND, requested_at=requested,
                status=Status.REQUESTED,
            )  # fmt: skip
        service = services[rng.randrange(len(services))]
        status = rng.choice(statuses)
        answered = (
            requested + datetime.timedelta(days=rng.randint(0, 20))
            if status not in (Status.REQUESTED, Status.ENTERED_IN_ERROR)
            else None
        )
        return Referral(
            person=person, direction=Direction.OUTBOUND, service=service,
            performer_organization_id=service.organization_id, status=status,
            requested_at=requested, answered_at=answered,
        )  # fmt: skip

    Referral.objects.bulk_create((referral(n) for n in range(args.referrals)), batch_size=5000)
    print(
        f"built {args.people:,} people, {args.referrals:,} referrals, {len(measures):,} measures "
        f"in {time.perf_counter() - started:.1f} s"
    )


def time_reports(repeat: int) -> None:
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from thedeal.accounts.models import Role
    from thedeal.casework import reports

    period = reports.period()
    for key, make in reports.REPORTS.items():
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            make(period)
            times.append(time.perf_counter() - started)
        print(f"{key:<24} median {statistics.median(times) * 1000:8.0f} ms")
    analyst = User.objects.create_user("ade@example.gov.uk")
    analyst.groups.add(Group.objects.get(name=Role.ANALYST))
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(analyst)
    started = time.perf_counter()
    response = client.get("/casework/reports/")
    assert response.status_code == 200, response.status_code
    print(f"{'the whole reports page':<24}        {(time.perf_counter() - started) * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
