"""`thedeal insight import FILE`: load a Fingertips data download (all or nothing)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import CommandError


def add_arguments(parser) -> None:
    parser.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help="A CSV from Fingertips' 'Download data' (or fingertipsR), one row per indicator, "
        "area, period, sex and age.",
    )


def run(command, options) -> None:
    from thedeal.insight import actions, fingertips

    path: Path = options["file"]
    started = time.monotonic()

    def progress(step: str) -> None:
        command.stderr.write(f"  {step} ({time.monotonic() - started:.1f} s)")

    try:
        imported = actions.import_fingertips(path, progress=progress)
    except fingertips.FingertipsError as error:
        raise CommandError(str(error)) from None
    batch = imported.batch
    indicators = batch.values.values("indicator").distinct().count()
    areas = batch.values.values("area").distinct().count()
    suppressed = batch.values.filter(suppressed=True).count()
    lines = [
        f"Imported {batch.rows:,} values of {indicators:,} indicator(s) for {areas:,} area(s) "
        f"from {path.name} (batch {batch.pk})."
    ]
    if suppressed:
        lines.append(
            f"{suppressed:,} of them {'has' if suppressed == 1 else 'have'} no value "
            "(suppressed or not published; the file's note says why)."
        )
    if imported.new_indicators:
        lines.append(
            f"{imported.new_indicators:,} new indicator(s), with no polarity yet: set which "
            "direction is good in the admin (Insight > Indicators)."
        )
    if imported.new_areas:
        lines.append(f"{imported.new_areas:,} new area(s).")
    if imported.replaced:
        lines.append(
            f"Replaced {imported.replaced:,} value(s) held from earlier files for the same "
            "indicator, area, period, sex and age."
        )
    command.stdout.write(command.style.SUCCESS(lines[0]))
    for line in lines[1:]:
        command.stdout.write(line)
