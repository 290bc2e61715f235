"""`thedeal synthpop --residents N --seed S --out DIR`: a synthetic borough as Parquet tables.

With `--programme-start DATE` it also has a prevention programme rolled out ward by ward, with
its worklists, rollout and true effect (programme.py, SYNTHPOP.md).
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thedeal.prevention import synthpop
from thedeal.prevention.programme import Programme, ProgrammeError


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
        dates = ", ".join(d.isoformat() for d in synthpop.INDEX_DATES)
        parser.add_argument(
            "--programme-start",
            metavar="DATE",
            help=f"add a prevention programme whose first wards join on this index date ({dates})",
        )
        parser.add_argument(
            "--programme-effect",
            metavar="R",
            type=float,
            default=None,
            help="relative risk of an emergency admission in the 12 months after an index date "
            "for a resident who takes up support then (default 1: no effect)",
        )
        parser.add_argument(
            "--programme-uptake",
            metavar="P",
            type=float,
            default=None,
            help="average share of offered residents who take up support (default 0.5)",
        )

    def handle(self, *args, residents: int, seed: int, out: Path, **options) -> None:
        if residents < 1000:
            raise CommandError(f"--residents must be at least 1,000 (got {residents:,}).")
        if out.exists() and not out.is_dir():
            raise CommandError(f"--out {out} is a file, not a folder.")
        programme = self._programme(
            options.get("programme_start"),
            options.get("programme_effect"),
            options.get("programme_uptake"),
        )
        started = time.perf_counter()

        def progress(step: str) -> None:
            self.stderr.write(f"  {step} ({time.perf_counter() - started:.1f} s)")

        self.stderr.write(f"Drawing {residents:,} residents (seed {seed})...")
        population = synthpop.generate(residents, seed, progress=progress, programme=programme)
        manifest = synthpop.write(population, out)
        for name, table in manifest["tables"].items():
            self.stdout.write(f"{out / (name + '.parquet')}: {table['rows']:,} rows")
        if population.truth is not None:
            self.stdout.write(f"{out / 'truth.json'}: the programme's true effect")
        self.stderr.write(f"Done in {time.perf_counter() - started:.1f} s.")

    @staticmethod
    def _programme(start: str | None, effect: float | None, uptake: float | None):
        if start is None:
            if effect is not None or uptake is not None:
                raise CommandError(
                    "--programme-effect and --programme-uptake need --programme-start."
                )
            return None
        try:
            starts_on = dt.date.fromisoformat(start)
        except ValueError:
            raise CommandError(f"--programme-start {start!r} is not a date (YYYY-MM-DD).") from None
        programme = Programme(
            start=starts_on,
            effect=1.0 if effect is None else effect,
            uptake=0.5 if uptake is None else uptake,
        )
        try:
            programme.check(synthpop.INDEX_DATES)
        except ProgrammeError as error:
            raise CommandError(f"--programme-{error.setting}: {error}") from None
        return programme
