"""`thedeal synthpop --residents N --seed S --out DIR`: a synthetic borough as Parquet tables."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thedeal.prevention import synthpop


class Command(BaseCommand):
    help = (
        "Write a synthetic borough (residents, conditions, lifestyle, events, outcomes) as "
        "Parquet files in DIR. Nobody in it exists; SYNTHPOP.md describes how it is drawn."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--residents", type=int, default=330_000, help="how many (default 330,000)"
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="the same seed gives the same borough"
        )
        parser.add_argument("--out", type=Path, required=True, help="folder to write the tables to")

    def handle(self, *args, residents: int, seed: int, out: Path, **options) -> None:
        if residents < 1000:
            raise CommandError(f"--residents must be at least 1,000 (got {residents:,}).")
        if out.exists() and not out.is_dir():
            raise CommandError(f"--out {out} is a file, not a folder.")
        started = time.perf_counter()

        def progress(step: str) -> None:
            self.stderr.write(f"  {step} ({time.perf_counter() - started:.1f} s)")

        self.stderr.write(f"Drawing {residents:,} residents (seed {seed})...")
        population = synthpop.generate(residents, seed, progress=progress)
        manifest = synthpop.write(population, out)
        for name, table in manifest["tables"].items():
            self.stdout.write(f"{out / (name + '.parquet')}: {table['rows']:,} rows")
        self.stderr.write(f"Done in {time.perf_counter() - started:.1f} s.")
