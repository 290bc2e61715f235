"""A practitioner's casework pages on a large caseload: finding a person by each detail, and
opening a record, with their database queries and time (SQLite, in a temporary folder).

Run from the repository root:

    .venv/bin/python benchmarks/casework.py [--people 20000] [--repeat 5]
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
    parser.add_argument("--people", type=int, default=20_000, help="synthetic people loaded")
    parser.add_argument("--repeat", type=int, default=5, help="requests timed (median shown)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="thedeal-casework-")
    os.environ["THEDEAL_VAR_DIR"] = folder
    try:
        measure(args.people, args.repeat)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure(people: int, repeat: int) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")  # demo.env, a key of its own
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from thedeal.accounts.models import Role
    from thedeal.casework import demo, demo_teams, teams_actions
    from thedeal.casework.models import Person

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    demo.load(seed=1, people=people)
    print(f"casework demo: {people:,} people loaded in {time.perf_counter() - start:.1f} s")
    # The demo's teams: Ola sees her team's caseload (half the people), and anyone else only
    # through break glass (whose looks are audited with it).
    for username in demo_teams.TEAMS[demo_teams.WIGAN_CENTRAL] + demo_teams.TEAMS[demo_teams.LEIGH]:
        user, _ = User.objects.get_or_create(username=username)
        user.groups.add(Group.objects.get(name=Role.PRACTITIONER))
    demo_teams.load()
    ola = User.objects.get(username="ola@example.nhs.uk")
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(ola)
    hers = Person.objects.filter(caseload_entries__team__name=demo_teams.WIGAN_CENTRAL)
    someone = hers.exclude(nhs_number=None).order_by("pk")[people // 4]
    elsewhere = Person.objects.exclude(pk__in=hers.values("pk")).order_by("pk").first()
    teams_actions.break_glass(person=elsewhere, reason="Covering for a colleague today", by=ola)
    born = someone.date_of_birth
    pages = {
        "find by family name": f"/casework/?name={someone.family_name}",
        "find by given and family name": f"/casework/?name={someone.given_name}+{someone.family_name}",
        "find by date of birth": f"/casework/?date_of_birth_day={born.day}&date_of_birth_month={born.month}&date_of_birth_year={born.year}",
        "find by postcode": f"/casework/?postcode={someone.postcode.replace(' ', '+')}",
        "find by NHS number": f"/casework/?nhs_number={someone.nhs_number}",
        "a person's record": f"/casework/people/{someone.reference}/",
        "a record through break glass": f"/casework/people/{elsewhere.reference}/",
    }
    for name, url in pages.items():
        client.get(url)  # warm up
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                begun = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - begun)
        assert response.status_code == 200, (url, response.status_code)
        print(
            f"{name:<32} {len(queries):>3} queries, median {statistics.median(times) * 1000:6.1f} ms"
        )


if __name__ == "__main__":
    main()
