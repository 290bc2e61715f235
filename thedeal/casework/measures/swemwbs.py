"""SWEMWBS: the Short Warwick-Edinburgh Mental Wellbeing Scale, its raw total and metric score.

Seven statements about the last two weeks (data/swemwbs_items.csv), each answered on a five-point
scale from "None of the time" (1) to "All of the time" (5). The raw total (7 to 35) is the sum of
the seven answers; it is then converted to the metric score with the scale's conversion table
(data/swemwbs_conversion.csv, Stewart-Brown et al. 2009), which is what is reported and
compared: the raw total is not an interval scale, the metric score is.

A missing answer is not a zero, and our reference data holds no rule from the scale's authors for
scoring with an item missing: so SWEMWBS with any of the seven unanswered has no total and no
metric score, and is refused rather than guessed.

SWEMWBS © NHS Health Scotland, University of Warwick and University of Edinburgh, 2008, all
rights reserved; free to use once registered with Warwick Medical School (data/LICENCE.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ._scores import MeasureError, whole_score
from ._tables import rows

# The answers, as printed on the form (Warwick's wording), and the score each gives.
RESPONSES = {
    1: "None of the time",
    2: "Rarely",
    3: "Some of the time",
    4: "Often",
    5: "All of the time",
}
LOWEST_ANSWER, HIGHEST_ANSWER = min(RESPONSES), max(RESPONSES)
NAME = "SWEMWBS"
COPYRIGHT = (
    "Short Warwick Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, "
    "University of Warwick and University of Edinburgh, 2008, all rights reserved."
)


@dataclass(frozen=True)
class SwemwbsItem:
    """One of the seven statements: its number on the form (1 to 7), key and wording."""

    number: int
    key: str
    statement: str

    @property
    def name(self) -> str:
        """How an error or a page names it: 'SWEMWBS statement 2, "I've been feeling useful"'."""
        return f'{NAME} statement {self.number}, "{self.statement}"'

    def answer(self, value: object) -> int:
        """A checked answer (1 to 5), or a MeasureError naming the statement."""
        return whole_score(
            value, key=self.key, name=self.name, lowest=LOWEST_ANSWER, highest=HIGHEST_ANSWER
        )


@cache
def items() -> tuple[SwemwbsItem, ...]:
    """The seven statements in the form's order."""
    return tuple(
        SwemwbsItem(number=number, key=row["item"], statement=row["statement"])
        for number, row in enumerate(rows("swemwbs_items"), start=1)
    )


@cache
def conversion_table() -> dict[int, Decimal]:
    """Raw total -> metric score, every raw total from 7 to 35 (Decimal: the table's two decimal
    places exactly, so differences between scores are exact too)."""
    return {int(row["raw"]): Decimal(row["metric"]) for row in rows("swemwbs_conversion")}


def lowest_total() -> int:
    return len(items()) * LOWEST_ANSWER


def highest_total() -> int:
    return len(items()) * HIGHEST_ANSWER


def metric_score(raw_total: object) -> Decimal:
    """The metric score for a raw total (7 to 35), from the conversion table."""
    raw = whole_score(
        raw_total,
        key="raw_total",
        name=f"The {NAME} raw total",
        lowest=lowest_total(),
        highest=highest_total(),
    )
    return conversion_table()[raw]


@dataclass(frozen=True)
class Swemwbs:
    """One person's seven answers on one day, their raw total and metric score."""

    answers: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.answers) != len(items()):
            raise MeasureError(
                f"{NAME} has {len(items())} statements; {len(self.answers)} answers were given"
            )
        checked = tuple(
            statement.answer(value) for statement, value in zip(items(), self.answers, strict=True)
        )
        # Frozen: the checked whole numbers replace what was given (4.0 from a spreadsheet).
        object.__setattr__(self, "answers", checked)

    @classmethod
    def from_answers(cls, answers: Mapping[str, object]) -> Swemwbs:
        """Checked answers keyed by statement ("optimistic": 4, ...). Every statement needs an
        answer from 1 to 5: with one missing the scale has no total, and the error names each
        unanswered statement."""
        known = {statement.key for statement in items()}
        for key in answers:
            if key not in known:
                raise MeasureError(
                    f"{NAME} has no statement {key!r}: its statements are "
                    + ", ".join(statement.key for statement in items()),
                    item=key,
                )
        missing = [s for s in items() if answers.get(s.key) is None]
        if missing:
            raise MeasureError(
                f"{NAME} has no score unless all {len(items())} statements are answered; "
                "not answered: " + "; ".join(s.name for s in missing),
                item=missing[0].key,
            )
        return cls(answers=tuple(s.answer(answers[s.key]) for s in items()))

    @property
    def raw_total(self) -> int:
        """The sum of the seven answers, 7 to 35."""
        return sum(self.answers)

    @property
    def metric_score(self) -> Decimal:
        """The raw total converted with the scale's table: the score that is reported."""
        return metric_score(self.raw_total)

    def answer_to(self, key: str) -> int:
        """The answer (1 to 5) to the statement called `key`."""
        for statement, value in zip(items(), self.answers, strict=True):
            if statement.key == key:
                return value
        raise MeasureError(f"{NAME} has no statement {key!r}", item=key)

    def __str__(self) -> str:
        return f"{NAME}: {self.metric_score} (raw total {self.raw_total} of {highest_total()})"
