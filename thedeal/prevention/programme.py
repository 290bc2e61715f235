"""A prevention programme in the synthetic borough, rolled out ward by ward (a stepped wedge).

The synthetic borough (synthpop.py) calls these functions from its year loop when it is drawn
with `--programme-start`. They exist so that an evaluation of the programme can be checked
against a known truth: the generator knows each offered resident's admission risk with and
without the programme, so it can say exactly what the programme did, and the evaluation (which
never reads truth.json) has to find it from the records alone.

Pure NumPy: no Django. SYNTHPOP.md explains the design in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

# How strongly the unrecorded part of a resident's risk puts them off taking up support, per
# standard deviation of that part: those with more hidden risk take it up less, as in life, so
# takers look healthier than non-takers for reasons no record shows.
HIDDEN_RISK_ON_TAKE_UP = -0.8
# What the record shows about who takes up support (log-odds): the oldest and the lonely more
# often, the most deprived less often.
TAKE_UP_OLDEST = 0.4  # 75 and over
TAKE_UP_LONELY = 0.3  # recorded as feeling lonely
TAKE_UP_MOST_DEPRIVED = -0.5  # deprivation deciles 1 and 2


class ProgrammeError(ValueError):
    """A programme's setting cannot be used: `setting` names it, the message says why."""

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(message)
        self.setting = setting


@dataclass(frozen=True)
class Programme:
    """The programme's settings: when it starts, what it does, and how many take it up."""

    start: dt.date  # an index date: the first group of wards joins then
    effect: float = 1.0  # R: relative risk of an admission in 12 months for a taker (1 = none)
    uptake: float = 0.5  # P: the average share of offered residents who take it up
    worklist_share: float = 0.05  # the highest-risk share of each ward put on the worklist

    def check(self, index_dates: tuple[dt.date, ...]) -> None:
        if self.start not in index_dates:
            dates = ", ".join(d.isoformat() for d in index_dates)
            raise ProgrammeError(
                "start", f"the programme must start on an index date ({dates}); got {self.start}."
            )
        if not 0 < self.effect <= 1:
            raise ProgrammeError(
                "effect",
                f"the programme's effect is a relative risk above 0 and at most 1; got {self.effect}.",
            )
        if not 0 < self.uptake < 1:
            raise ProgrammeError(
                "uptake",
                f"the programme's take-up is a share above 0 and below 1; got {self.uptake}.",
            )
        if not 0 < self.worklist_share < 1:
            raise ProgrammeError(
                f"the worklist share must be between 0 and 1; got {self.worklist_share}."
            )


def rollout(
    wards: list[str], programme: Programme, index_dates: tuple[dt.date, ...], rng
) -> dict[str, dt.date | None]:
    """When each ward joins: a random order split into one group per index date from the start,
    plus one more group that has not joined by the last index date (None)."""
    dates = [d for d in index_dates if d >= programme.start]
    order = rng.permutation(sorted(wards))
    groups = np.array_split(order, len(dates) + 1)
    starts: dict[str, dt.date | None] = {}
    for group, date in zip(groups, [*dates, None], strict=True):
        for ward in group:
            starts[str(ward)] = date
    return starts


def worklist(risk: np.ndarray, ward: np.ndarray, eligible: np.ndarray, share: float) -> np.ndarray:
    """Positions of the highest-risk ⌈share⌉ of eligible residents in each ward.

    `ward` holds a ward number per resident. Ties are broken by position, so the same borough
    always gives the same list.
    """
    chosen = []
    candidates = np.flatnonzero(eligible)
    order = candidates[np.lexsort((-risk[candidates], ward[candidates]))]
    wards_in_order = ward[order]
    bounds = np.flatnonzero(np.diff(wards_in_order)) + 1
    for group in np.split(order, bounds):
        if len(group):
            chosen.append(group[: int(np.ceil(share * len(group)))])
    return np.sort(np.concatenate(chosen)) if chosen else np.array([], dtype=np.int64)


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def take_up_probability(
    recorded_logit: np.ndarray, hidden_z: np.ndarray, mean_uptake: float
) -> np.ndarray:
    """Each offered resident's chance of taking up support, averaging `mean_uptake` over them.

    recorded_logit: what the record says about them (see TAKE_UP_*); hidden_z: the unrecorded
    part of their admission risk in standard deviations. The intercept is found by bisection.
    """
    base = recorded_logit + HIDDEN_RISK_ON_TAKE_UP * hidden_z
    if len(base) == 0:
        return np.zeros(0)
    low, high = -30.0, 30.0
    for _ in range(80):
        mid = (low + high) / 2
        if _expit(mid + base).mean() < mean_uptake:
            low = mid
        else:
            high = mid
    return _expit((low + high) / 2 + base)


def recorded_take_up_logit(age: np.ndarray, decile: np.ndarray, lonely: np.ndarray) -> np.ndarray:
    """The recorded part of take-up (log-odds, before the intercept)."""
    return (
        TAKE_UP_OLDEST * (age >= 75)
        + TAKE_UP_LONELY * (lonely == 1)
        + TAKE_UP_MOST_DEPRIVED * (decile <= 2)
    )


@dataclass
class Truth:
    """The programme's true effect on emergency admissions in the 12 months after each offer.

    For each offered resident it adds up the expected number of admissions without the
    programme (m·p0) and with it (m·p0·R if they took it up), from the very probabilities the
    admissions were drawn with: p0 is their risk given their record *and* their unrecorded part,
    m the expected number of admissions given at least one.
    """

    effect: float
    sums: dict[str, list[float]] = field(
        default_factory=lambda: {"intention_to_treat": [0.0, 0.0, 0], "on_treated": [0.0, 0.0, 0]}
    )

    def add(self, p0: np.ndarray, took: np.ndarray, per_admitted: np.ndarray) -> None:
        without = per_admitted * p0
        with_programme = without * np.where(took, self.effect, 1.0)
        for key, keep in (("intention_to_treat", slice(None)), ("on_treated", took)):
            self.sums[key][0] += float(without[keep].sum())
            self.sums[key][1] += float(with_programme[keep].sum())
            self.sums[key][2] += int(np.size(without[keep]))

    def as_dict(self) -> dict[str, dict[str, float | int | None]]:
        out = {}
        for key, (without, with_programme, count) in self.sums.items():
            out[key] = {
                "relative_risk": with_programme / without if without > 0 else None,
                "admissions_avoided": without - with_programme,
                "expected_admissions_without": without,
                "expected_admissions_with": with_programme,
                "offers" if key == "intention_to_treat" else "take_ups": count,
            }
        return out
