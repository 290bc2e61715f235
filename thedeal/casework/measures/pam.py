"""The Patient Activation Measure (PAM): which of its four levels a score (0 to 100) is in.

The cut scores are those of data/pam_levels.csv: level 1 up to 47.0, level 2 47.1 to 55.1, level
3 55.2 to 67.0 and level 4 from 67.1 (the source writes "greater than 67.1"). They come from a
secondary paper, not from Insignia Health, who license PAM (data/LICENCE.md); the survey itself
and its scoring are Insignia's, so we record a score someone else has worked out, never the
answers.

PAM scores are published to one decimal place, so the source's bands leave gaps between levels
(47.0 and 47.1, 55.1 and 55.2, 67.0 and 67.1). We read each gap as a cut point at the lower
band's top: a score belongs to the first level whose highest score it does not exceed. So 67.0
is level 3 and anything above it, 67.05 included, is level 4; every score written to one decimal
place lands in the level the source gives it, and every score from 0 to 100 in exactly one level.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ._scores import MeasureError, whole_score
from ._tables import rows

NAME = "Patient Activation Measure score"
LOWEST_SCORE = Decimal(0)
HIGHEST_SCORE = Decimal(100)


@dataclass(frozen=True)
class PamLevel:
    """One level, with the scores the source gives it and what it says about a person."""

    level: int
    lowest: Decimal
    highest: Decimal
    summary: str

    def __str__(self) -> str:
        return f"Level {self.level}: {self.summary}"


@cache
def levels() -> tuple[PamLevel, ...]:
    """The four levels, lowest first."""
    return tuple(
        sorted(
            (
                PamLevel(
                    level=int(row["level"]),
                    lowest=Decimal(row["min_score"]),
                    highest=Decimal(row["max_score"]),
                    summary=row["summary"],
                )
                for row in rows("pam_levels")
            ),
            key=lambda level: level.level,
        )
    )


def level(number: object) -> PamLevel:
    """Level 1, 2, 3 or 4 itself, for a record that holds the level a PAM report gave (not the
    score), or a MeasureError saying which levels there are."""
    known = [candidate.level for candidate in levels()]
    checked = whole_score(
        number,
        key="pam_level",
        name="The Patient Activation Measure level",
        lowest=min(known),
        highest=max(known),
    )
    (found,) = (candidate for candidate in levels() if candidate.level == checked)
    return found


def level_for(score: object) -> PamLevel:
    """The level of a PAM score from 0 to 100, or a MeasureError saying what was wrong."""
    value = _score(score)
    # The first level whose top the score does not pass: the gaps between the source's bands
    # belong to the higher level (see the module's docstring).
    for level in levels():
        if value <= level.highest:
            return level
    raise AssertionError("the last level ends at the top of the scale")  # pragma: no cover


def _score(score: object) -> Decimal:
    allowed = f"a number from {LOWEST_SCORE} to {HIGHEST_SCORE}"
    if score is None:
        raise MeasureError(f"The {NAME} has no value: it must be {allowed}", item="pam")
    if isinstance(score, bool) or not isinstance(score, (numbers.Real, Decimal)):
        raise MeasureError(f"The {NAME} must be {allowed}, not {score!r}", item="pam")
    if isinstance(score, float) and not math.isfinite(score):
        raise MeasureError(f"The {NAME} must be {allowed}, not {score!r}", item="pam")
    if isinstance(score, Decimal):
        value = score
    elif isinstance(score, numbers.Integral):
        value = Decimal(int(score))
    else:
        # Through its shortest written form, so 67.05 is compared as written, not as the binary
        # float nearest to it (which is a little below 67.05).
        value = Decimal(repr(float(score)))
    if not value.is_finite() or not LOWEST_SCORE <= value <= HIGHEST_SCORE:
        raise MeasureError(f"The {NAME} must be {allowed}, not {score}", item="pam")
    return value
