"""The demo's prevention worklist: a small synthetic borough, a risk model trained on it, one
scoring run and a worklist made from it, each by the pipeline an analyst runs (`thedeal
synthpop`, `thedeal risk train`, `thedeal risk worklist`), so that outreach has residents to
offer support to on a new installation.

The borough and the model are kept in a folder (THEDEAL_VAR_DIR/demo-prevention): the scoring
run names it, the re-identification table is drawn from it, and a second load (a new database on
the same checkout, as the tests make) scores again without drawing or training again. The model
has no card: its evaluation would double the time load_demo takes, and `thedeal risk train`
writes one for anyone who wants to read it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from thedeal.prevention.models import Worklist

SEED = 1
TOP = 40  # a worklist a link worker can read through in one sitting


@dataclass(frozen=True)
class Loaded:
    worklist: Worklist
    residents_scored: int
    drew: bool  # a new borough was drawn
    trained: bool  # a new model was trained


def load(
    *, folder: Path, residents: int, seed: int = SEED,
    progress: Callable[[str], None] = lambda message: None,
) -> Loaded | None:  # fmt: skip
    """Make the demo's worklist, if there is no worklist yet (None otherwise: an analyst's own
    worklists are never joined by a demo one). Draws the borough and trains the model only when
    the folder does not already hold them for this size and seed."""
    if Worklist.objects.exists():
        return None
    # The modelling libraries take seconds to import: only a load that scores waits for them.
    from thedeal.prevention import actions, features, synthpop

    borough, model_dir = folder / "borough", folder / "model"
    drew = not _holds(borough, residents=residents, seed=seed)
    if drew:
        progress(f"  drawing a synthetic borough of {residents:,} residents (seed {seed})")
        synthpop.write(synthpop.generate(residents, seed), borough)
    made_from = synthpop.fingerprint(borough)
    trained = not _trained_on(model_dir, made_from)
    if trained:
        progress("  training the risk model on it")
        # As `thedeal risk train` does, without the test year's card (seconds the demo needn't).
        *dates, _ = synthpop.INDEX_DATES
        tables = {d: features.compute(borough, index_date=d) for d in dates}
        model = actions.train(borough, tables, progress=lambda step: progress(f"  {step}"))
        model.save(model_dir)
    progress("  scoring every resident and making the worklist")
    run = actions.score_population(model_dir, borough)
    worklist = actions.make_worklist(run, top=TOP)
    return Loaded(worklist, run.residents_scored, drew=drew, trained=trained)


def _holds(borough: Path, *, residents: int, seed: int) -> bool:
    try:
        manifest = json.loads((borough / "manifest.json").read_text())
    except (OSError, ValueError):
        return False
    return manifest.get("residents") == residents and manifest.get("seed") == seed


def _trained_on(model_dir: Path, fingerprint: str) -> bool:
    try:
        meta = json.loads((model_dir / "model.json").read_text())
    except (OSError, ValueError):
        return False
    return meta.get("data_fingerprint") == fingerprint
