"""`thedeal insight compute --data DIR`: the borough's own indicators from its linked data,
stored as one batch that replaces the previous compute run."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import CommandError


def add_arguments(parser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        required=True,
        metavar="DIR",
        help="The folder of the borough's linked data (residents, events, conditions, lifestyle "
        "and lsoas as Parquet; `thedeal synthpop` writes one).",
    )


def run(command, options) -> None:
    from thedeal.insight import actions, compute

    data_dir: Path = options["data"]
    if not data_dir.is_dir():
        raise CommandError(f"{data_dir}: not a folder (--data names the borough's data folder).")
    started = time.monotonic()

    def progress(step: str) -> None:
        command.stderr.write(f"  {step} ({time.monotonic() - started:.1f} s)")

    command.stderr.write(f"Computing the borough's indicators from {data_dir}")
    try:
        frame = compute.compute(data_dir, progress=progress)
    except compute.ComputeError as error:
        raise CommandError(str(error)) from None
    progress(f"storing {len(frame):,} values")
    stored = actions.store_computed(frame, data_dir)
    summary = compute.summary(frame)
    width = max(len(slug) for slug in summary["indicator"])
    command.stdout.write(f"{'Indicator':<{width}}  {'values':>7}  {'not shown':>9}")
    for row in summary.itertuples():
        command.stdout.write(f"{row.indicator:<{width}}  {row.values:>7,}  {row.not_shown:>9,}")
    if "healthy-life-expectancy-birth" not in set(summary["indicator"]):
        command.stdout.write(command.style.WARNING(compute.NO_GENERAL_HEALTH))
    command.stdout.write(
        command.style.SUCCESS(
            f"Stored {stored.batch.rows:,} values (batch {stored.batch.pk}), replacing "
            f"{stored.replaced:,} from the previous compute run, in "
            f"{time.monotonic() - started:.1f} s."
        )
    )
    command.stdout.write(
        '"Not shown": suppressed (a count of 1 to 7, or one that would reveal it) or left out '
        "by the method's rules (a rate from fewer than 10 events, a life expectancy for fewer "
        "than 5,000 people); each such value keeps a note saying why."
    )
