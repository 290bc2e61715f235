"""ONS4: the four ONS personal well-being questions, each scored 0 to 10, and ONS's bands.

The wording is the Annual Population Survey's (data/ons4_questions.csv) and the bands are ONS's
(data/ons4_thresholds.csv): life satisfaction, worthwhile and happiness are low 0-4, medium 5-6,
high 7-8, very high 9-10; anxiety is banded the other way round (very low 0-1, low 2-3,
medium 4-5, high 6-10), because for anxiety a lower score is the better one.

ONS analyses the four questions one by one and never adds them up, so a person may answer some
and not others: an unanswered question has no score and no band (it is not a zero), and the
others still count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from ._scores import MeasureError, whole_score
from ._tables import rows

# ONS's own short names for the four measures (as in its personal well-being releases).
NAMES = {
    "life_satisfaction": "Life satisfaction",
    "worthwhile": "Worthwhile",
    "happiness": "Happiness",
    "anxiety": "Anxiety",
}
# The one measure where a lower score means better well-being (ONS bands it the other way round).
LOWER_IS_BETTER = frozenset({"anxiety"})


@dataclass(frozen=True)
class Band:
    """One of ONS's bands for a question: its name as ONS writes it and the scores it covers."""

    name: str
    lowest: int
    highest: int

    @property
    def label(self) -> str:
        """The band as a sentence says it: "very high"."""
        return self.name.replace("_", " ")

    def covers(self, score: int) -> bool:
        return self.lowest <= score <= self.highest

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Ons4Item:
    """One of the four questions: its wording, its 0-10 scale with the words at each end, and
    its bands."""

    key: str
    name: str
    question: str
    lowest: int
    highest: int
    lowest_means: str
    highest_means: str
    bands: tuple[Band, ...]
    lower_is_better: bool

    def score(self, value: object) -> Ons4Score:
        """A checked answer to this question, or a MeasureError naming it and its range."""
        return Ons4Score(item=self, score=value)  # type: ignore[arg-type]

    def band(self, score: int) -> Band:
        """ONS's band for a score on this question (the score must be on the scale)."""
        checked = whole_score(
            score, key=self.key, name=self.name, lowest=self.lowest, highest=self.highest
        )
        (band,) = (band for band in self.bands if band.covers(checked))
        return band

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Ons4Score:
    """One answer and its band: "Life satisfaction: 6, medium"."""

    item: Ons4Item
    score: int

    def __post_init__(self) -> None:
        checked = whole_score(
            self.score,
            key=self.item.key,
            name=self.item.name,
            lowest=self.item.lowest,
            highest=self.item.highest,
        )
        # Frozen: the checked whole number replaces what was given (6.0 from a spreadsheet).
        object.__setattr__(self, "score", checked)

    @property
    def band(self) -> Band:
        return self.item.band(self.score)

    def __str__(self) -> str:
        return f"{self.item.name}: {self.score}, {self.band.label}"


@cache
def items() -> tuple[Ons4Item, ...]:
    """The four questions in ONS's order: life satisfaction, worthwhile, happiness, anxiety."""
    bands: dict[str, list[Band]] = {}
    for row in rows("ons4_thresholds"):
        bands.setdefault(row["item"], []).append(
            Band(name=row["band"], lowest=int(row["min"]), highest=int(row["max"]))
        )
    return tuple(
        Ons4Item(
            key=row["item"],
            name=NAMES[row["item"]],
            question=row["question"],
            lowest=int(row["scale_min"]),
            highest=int(row["scale_max"]),
            lowest_means=row["anchor_0"],
            highest_means=row["anchor_10"],
            bands=tuple(sorted(bands[row["item"]], key=lambda band: band.lowest)),
            lower_is_better=row["item"] in LOWER_IS_BETTER,
        )
        for row in rows("ons4_questions")
    )


def item(key: str) -> Ons4Item:
    """The question called `key` ("life_satisfaction", "worthwhile", "happiness", "anxiety")."""
    for candidate in items():
        if candidate.key == key:
            return candidate
    raise MeasureError(f"ONS4 has no question {key!r}: its questions are {_keys()}", item=key)


def _keys() -> str:
    return ", ".join(candidate.key for candidate in items())


@dataclass(frozen=True)
class Ons4:
    """One person's answers on one day: each question's score, or None where not answered."""

    life_satisfaction: Ons4Score | None = None
    worthwhile: Ons4Score | None = None
    happiness: Ons4Score | None = None
    anxiety: Ons4Score | None = None

    def __post_init__(self) -> None:
        for question in items():
            score = getattr(self, question.key)
            if score is not None and score.item.key != question.key:
                raise MeasureError(
                    f"{question.name} was given a score for {score.item.name}", item=question.key
                )

    @classmethod
    def from_answers(cls, answers: Mapping[str, object]) -> Ons4:
        """Checked answers, keyed by question ("life_satisfaction": 6, ...). A question left out,
        or answered None, is not answered; an unknown question or a score off the scale is a
        MeasureError naming it. At least one question must be answered."""
        known = {candidate.key for candidate in items()}
        for key in answers:
            if key not in known:
                raise MeasureError(
                    f"ONS4 has no question {key!r}: its questions are {_keys()}", item=key
                )
        scores = {
            candidate.key: candidate.score(answers[candidate.key])
            for candidate in items()
            if answers.get(candidate.key) is not None
        }
        if not scores:
            raise MeasureError("ONS4 needs an answer to at least one of its four questions")
        return cls(**scores)

    def scores(self) -> tuple[Ons4Score, ...]:
        """The answered questions' scores, in ONS's order."""
        return tuple(s for s in (self.score_for(c.key) for c in items()) if s is not None)

    def score_for(self, key: str) -> Ons4Score | None:
        """The score for the question called `key`, or None if it was not answered."""
        item(key)
        score: Ons4Score | None = getattr(self, key)
        return score

    def __str__(self) -> str:
        return "; ".join(str(score) for score in self.scores())
