"""The demo's insight: a synthetic borough with a prevention programme, its indicators computed
and stored by the pipeline an analyst runs (`thedeal synthpop --programme-start ...`, then
`thedeal insight compute`), so that the insight pages have data on a new installation.

The borough is kept in a folder (THEDEAL_VAR_DIR/demo-insight), as prevention's demo keeps its
own: a second load (a new database on the same checkout) computes again without drawing again.
The evaluation (`thedeal insight evaluate --data var/demo-insight --save`) can read the same
folder.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from thedeal.insight.models import Batch, BatchKind

SEED = 1
# The programme the demo borough runs: from the second index date, a fifth fewer admissions for
# those who take it up, half of those offered taking it up.
PROGRAMME_START = dt.date(2022, 4, 1)
PROGRAMME_EFFECT = 0.8
PROGRAMME_UPTAKE = 0.5


@dataclass(frozen=True)
class Loaded:
    batch: Batch
    drew: bool  # a new borough was drawn


def load(
    *, folder: Path, residents: int, seed: int = SEED,
    progress: Callable[[str], None] = lambda message: None,
) -> Loaded | None:  # fmt: skip
    """Compute and store the demo borough's indicators, if nothing has been computed yet (None
    otherwise: an analyst's own compute run is never replaced by the demo's). Draws the borough
    only when the folder does not already hold it for this size and seed."""
    if Batch.objects.filter(kind=BatchKind.COMPUTE).exists():
        return None
    # NumPy, pandas and DuckDB take seconds to import: only a load that computes waits for them.
    from thedeal.insight import actions, compute
    from thedeal.prevention import synthpop
    from thedeal.prevention.programme import Programme

    drew = not _holds(folder, residents=residents, seed=seed, version=synthpop.GENERATOR_VERSION)
    if drew:
        progress(
            f"  drawing a synthetic borough of {residents:,} residents (seed {seed}) with a "
            f"programme from {PROGRAMME_START:%-d %B %Y}"
        )
        programme = Programme(
            start=PROGRAMME_START, effect=PROGRAMME_EFFECT, uptake=PROGRAMME_UPTAKE
        )
        synthpop.write(synthpop.generate(residents, seed, programme=programme), folder)
    frame = compute.compute(folder, progress=lambda step: progress(f"  {step}"))
    progress(f"  storing {len(frame):,} values")
    stored = actions.store_computed(frame, folder)
    return Loaded(stored.batch, drew=drew)


def _holds(folder: Path, *, residents: int, seed: int, version: str) -> bool:
    """Whether the folder holds this borough, drawn by this version of the generator (an older
    one has no general health, so no healthy life expectancy)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        return False
    return (
        manifest.get("residents") == residents
        and manifest.get("seed") == seed
        and manifest.get("programme_start") == PROGRAMME_START.isoformat()
        and manifest.get("generator_version") == version
    )
