"""`thedeal casework_reidentification load --data DIR`: the re-identification table, from a
synthetic borough's residents (`thedeal synthpop`), all or nothing.

The worklists name nobody; this table is what turns a worklist entry into a person, for someone
allowed to re-identify who says why (thedeal/prevention/docs/dpia.md). In the demo every
resident is made up: a name from Faker (a fixed seed), an address at a real postcode in their
own LSOA, a test-range NHS number and a phone number in Ofcom's drama range.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thedeal.casework import identities, outreach_actions


class Command(BaseCommand):
    help = "Load the re-identification table for worklist outreach from a synthetic borough."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser(
            "load", help="replace the table with a synthetic borough's residents (all or nothing)"
        )
        load.add_argument(
            "--data",
            type=Path,
            required=True,
            help="a synthetic borough's folder (thedeal synthpop)",
        )

    def handle(self, *args, action: str, data: Path, **options) -> None:
        if not data.is_dir():
            raise CommandError(f"--data {data}: not a folder.")
        started = time.perf_counter()

        def progress(message: str) -> None:
            self.stderr.write(f"  {message} ({time.perf_counter() - started:.1f} s)")

        try:
            count = outreach_actions.load_identities(data, progress=progress)
        except identities.IdentitiesError as error:
            raise CommandError(f"{error} Nothing was loaded.") from error
        self.stdout.write(f"The re-identification table holds {count:,} residents from {data}.")
