"""Change in one person's well-being between two days (a first contact and a review).

ONS4 question by question, SWEMWBS by its metric score; `before` is the earlier day. Each change
says its size and whether it is better or worse for the person (for anxiety, a fall is better).

What counts as a meaningful change: our reference data (data/LICENCE.md) gives no published
threshold for a meaningful change in ONS4 or in SWEMWBS, so none is applied here and no change is
called "meaningful"; a page shows the change and, for ONS4, whether the person moved between
ONS's bands. Change for a group, with its confidence interval, is
thedeal.indicators.methods.paired.paired_change.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ._scores import MeasureError
from .ons4 import Ons4, Ons4Item, Ons4Score, items
from .swemwbs import Swemwbs

BETTER, WORSE, NO_CHANGE = "better", "worse", "no change"


def _direction(difference: int | Decimal, *, lower_is_better: bool = False) -> str:
    if difference == 0:
        return NO_CHANGE
    return BETTER if (difference < 0) == lower_is_better else WORSE


def _points(difference: int | Decimal) -> str:
    size = abs(difference)
    return f"{size} point" if size == 1 else f"{size} points"


@dataclass(frozen=True)
class Ons4ItemChange:
    """One ONS4 question on two days. Either score may be None (not answered that day); then
    there is no difference and no direction."""

    item: Ons4Item
    before: Ons4Score | None
    after: Ons4Score | None

    def __post_init__(self) -> None:
        for score in (self.before, self.after):
            if score is not None and score.item != self.item:
                raise MeasureError(
                    f"A change in {self.item.name} was given a score for {score.item.name}",
                    item=self.item.key,
                )

    @property
    def difference(self) -> int | None:
        """After minus before, in points on the 0-10 scale."""
        if self.before is None or self.after is None:
            return None
        return self.after.score - self.before.score

    @property
    def direction(self) -> str | None:
        """For the person: BETTER, WORSE or NO_CHANGE; None without both scores."""
        if self.difference is None:
            return None
        return _direction(self.difference, lower_is_better=self.item.lower_is_better)

    @property
    def band_changed(self) -> bool | None:
        """Whether the person moved into another of ONS's bands; None without both scores."""
        if self.before is None or self.after is None:
            return None
        return self.before.band != self.after.band

    def __str__(self) -> str:
        name = self.item.name
        if self.before is None and self.after is None:
            return f"{name}: not answered on either day"
        if self.after is None:
            return f"{name}: {_score(self.before)} at first, then not answered"
        if self.before is None:
            return f"{name}: not answered at first, then {_score(self.after)}"
        difference = self.after.score - self.before.score
        how = NO_CHANGE if difference == 0 else f"{_points(difference)} {self.direction}"
        return f"{name}: {_score(self.before)} to {_score(self.after)} ({how})"


def _score(score: Ons4Score | None) -> str:
    assert score is not None
    return f"{score.score}, {score.band.label}"


@dataclass(frozen=True)
class Ons4Change:
    """All four ONS4 questions between two days, in ONS's order."""

    questions: tuple[Ons4ItemChange, ...]

    def for_question(self, key: str) -> Ons4ItemChange:
        """The change in the question called `key` ("anxiety", ...)."""
        for question in self.questions:
            if question.item.key == key:
                return question
        raise MeasureError(f"ONS4 has no question {key!r}", item=key)

    def __str__(self) -> str:
        return "; ".join(str(question) for question in self.questions)


def ons4_change(before: Ons4, after: Ons4) -> Ons4Change:
    """How each ONS4 question changed from `before` to `after`."""
    return Ons4Change(
        questions=tuple(
            Ons4ItemChange(
                item=question,
                before=before.score_for(question.key),
                after=after.score_for(question.key),
            )
            for question in items()
        )
    )


@dataclass(frozen=True)
class SwemwbsChange:
    """SWEMWBS on two days, compared by metric score (the raw totals are not an interval scale)."""

    before: Swemwbs
    after: Swemwbs

    @property
    def difference(self) -> Decimal:
        """After minus before, in metric score points."""
        return self.after.metric_score - self.before.metric_score

    @property
    def raw_difference(self) -> int:
        return self.after.raw_total - self.before.raw_total

    @property
    def direction(self) -> str:
        """BETTER, WORSE or NO_CHANGE: a higher SWEMWBS score is better well-being."""
        return _direction(self.difference)

    def __str__(self) -> str:
        difference = self.difference
        how = NO_CHANGE if difference == 0 else f"{_points(difference)} {self.direction}"
        return f"SWEMWBS: {self.before.metric_score} to {self.after.metric_score} ({how})"


def swemwbs_change(before: Swemwbs, after: Swemwbs) -> SwemwbsChange:
    """How SWEMWBS changed from `before` to `after`."""
    return SwemwbsChange(before=before, after=after)
