import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from thedeal.deal import demo as deal_demo
from thedeal.directory import demo, geography, imports
from thedeal.directory.models import Service


class Command(BaseCommand):
    help = (
        "Load the demo borough's synthetic directory (organisations, services, places) on the "
        "real postcodes of the borough. The same seed gives the same data."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
        parser.add_argument(
            "--services", type=int, default=1500, help="How many services (default 1,500)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the directory already has services.",
        )

    def handle(self, *args, seed: int, services: int, if_empty: bool, **options):  # type: ignore[no-untyped-def]
        # The Deal's demo commitments and pledge catalogue (idempotent).
        deal_demo.load(seed=seed)
        if if_empty and Service.objects.exists():
            self.stdout.write(
                "The directory already has services; the demo borough was not loaded."
            )
            return
        if services < 1:
            raise CommandError("--services must be at least 1.")
        started = time.monotonic()
        postcodes = geography.borough_postcodes()
        self.stderr.write(
            f"Generating {services:,} synthetic services on {len(postcodes):,} postcodes of "
            f"{settings.COUNCIL['name']} (seed {seed})"
        )
        tables = demo.generate_directory(
            postcodes, seed=seed, services=services, as_of=timezone.localdate()
        )
        try:
            report = imports.import_tables(
                tables, source="demo borough", progress=self.stderr.write
            )
        except imports.ImportFailed as error:  # pragma: no cover  (the generator is tested)
            raise CommandError(f"The generated demo data did not import:\n{error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo borough: {report.counts.get('services', 0):,} services from "
                f"{report.counts.get('organizations', 0):,} organisations at "
                f"{report.counts.get('locations', 0):,} locations in {time.monotonic() - started:.1f} s."
            )
        )
