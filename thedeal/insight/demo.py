"""The demo's insight: a synthetic borough with a prevention programme, its indicators computed
and stored by the pipeline an analyst runs (`thedeal synthpop --programme-start ...`, then
`thedeal insight compute`), so that the insight pages have data on a new installation.

The borough is kept in a folder (THEDEAL_VAR_DIR/demo-insight), as prevention's demo keeps its
own: a second load (a new database on the same checkout) computes again without drawing again.
The programme is then evaluated as an analyst would (`thedeal insight evaluate --data
var/demo-insight --save`), the run published, and the programme's costs entered as staff would
(illustrative figures, said so in each cost's description), so that "What the Deal has achieved"
shows a whole ledger.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from thedeal.indicators.periods import financial_year
from thedeal.insight.models import (
    Batch,
    BatchKind,
    CostCategory,
    EvaluationRun,
    Payer,
    ProgrammeCost,
)

SEED = 1
# The programme the demo borough runs: from the second index date, a fifth fewer admissions for
# those who take it up, half of those offered taking it up.
PROGRAMME_START = dt.date(2022, 4, 1)
PROGRAMME_EFFECT = 0.8
PROGRAMME_UPTAKE = 0.5


# What the demo's programme cost a year, each financial year from its start: illustrative
# figures of the order of a borough's link-worker team and its community grants, not any
# council's accounts.
YEARLY_COSTS = (
    (CostCategory.PRACTITIONER_TIME, Payer.COUNCIL, Decimal("160000.00"),
     "Illustrative (demo): four link workers' time, with their supervision"),
    (CostCategory.PRACTITIONER_TIME, Payer.NHS, Decimal("45000.00"),
     "Illustrative (demo): GP practices' time finding and referring residents"),
    (CostCategory.GRANTS, Payer.COUNCIL, Decimal("60000.00"),
     "Illustrative (demo): small grants to the community groups residents are connected to"),
)  # fmt: skip
LAST_YEAR_STARTS = dt.date(2025, 4, 1)  # the synthetic borough's data end on 31 March 2026


@dataclass(frozen=True)
class Loaded:
    batch: Batch
    drew: bool  # a new borough was drawn
    evaluation: EvaluationRun | None  # None when an evaluation was already kept


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
    return Loaded(stored.batch, drew=drew, evaluation=_evaluate(folder, progress))


def _evaluate(folder: Path, progress: Callable[[str], None]) -> EvaluationRun | None:
    """Evaluate the demo's programme, publish the run and enter its costs, unless staff have
    kept an evaluation or entered costs of their own."""
    if EvaluationRun.objects.exists():
        return None
    from thedeal.insight import actions, evaluation

    progress("  evaluating the programme")
    result = evaluation.evaluate(folder, progress=lambda step: progress(f"  {step}"))
    with transaction.atomic():
        run = actions.keep_evaluation(folder, result)
        # Published without a person: no one chose it; the demo shows it as staff would.
        run.published, run.published_at = True, timezone.now()
        run.save(update_fields=["published", "published_at"])
        if not ProgrammeCost.objects.exists():
            ProgrammeCost.objects.bulk_create(
                ProgrammeCost(
                    period_start=financial_year(year).start,
                    period_end=financial_year(year).end,
                    category=category,
                    payer=payer,
                    amount=amount,
                    description=description,
                    entered_by=None,
                )
                for year in range(PROGRAMME_START.year, LAST_YEAR_STARTS.year + 1)
                for category, payer, amount, description in YEARLY_COSTS
            )
    return run


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
