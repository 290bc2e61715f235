"""One person's change in well-being between a first contact and a review."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thedeal.casework.measures import (
    BETTER,
    NO_CHANGE,
    WORSE,
    MeasureError,
    Ons4,
    Ons4ItemChange,
    Swemwbs,
    ons4,
    ons4_change,
    swemwbs,
    swemwbs_change,
)

ONS4_KEYS = ["life_satisfaction", "worthwhile", "happiness", "anxiety"]
OPPOSITE = {BETTER: WORSE, WORSE: BETTER, NO_CHANGE: NO_CHANGE, None: None}


def ons4_answers(life_satisfaction=None, worthwhile=None, happiness=None, anxiety=None):
    return Ons4.from_answers(
        {
            "life_satisfaction": life_satisfaction,
            "worthwhile": worthwhile,
            "happiness": happiness,
            "anxiety": anxiety,
        }
    )


def same_answer(value):
    return Swemwbs(answers=(value,) * len(swemwbs.items()))


def test_ons4_change_is_better_when_satisfaction_rises_and_anxiety_falls():
    first = ons4_answers(life_satisfaction=4, worthwhile=6, happiness=5, anxiety=8)
    review = ons4_answers(life_satisfaction=7, worthwhile=5, happiness=5, anxiety=3)

    change = ons4_change(first, review)
    change = {key: change.for_question(key) for key in ONS4_KEYS}

    assert (change["life_satisfaction"].difference, change["life_satisfaction"].direction) == (
        3,
        BETTER,
    )
    assert (change["worthwhile"].difference, change["worthwhile"].direction) == (-1, WORSE)
    assert (change["happiness"].difference, change["happiness"].direction) == (0, NO_CHANGE)
    assert (change["anxiety"].difference, change["anxiety"].direction) == (-5, BETTER)
    assert change["life_satisfaction"].band_changed is True
    assert change["worthwhile"].band_changed is False


def test_ons4_change_reads_as_a_sentence_for_each_question():
    first = ons4_answers(life_satisfaction=4, worthwhile=6, anxiety=8)
    review = ons4_answers(life_satisfaction=7, worthwhile=5, happiness=6, anxiety=7)

    assert str(ons4_change(first, review)) == (
        "Life satisfaction: 4, low to 7, high (3 points better); "
        "Worthwhile: 6, medium to 5, medium (1 point worse); "
        "Happiness: not answered at first, then 6, medium; "
        "Anxiety: 8, high to 7, high (1 point better)"
    )


def test_a_question_answered_on_one_day_only_has_no_change():
    change = ons4_change(ons4_answers(happiness=5), ons4_answers(anxiety=2)).questions

    assert all(c.difference is None and c.direction is None for c in change)
    assert all(c.band_changed is None for c in change)
    assert str(change[0]) == "Life satisfaction: not answered on either day"
    assert str(change[2]) == "Happiness: 5, medium at first, then not answered"


def test_a_change_refuses_another_questions_score():
    happiness = ons4_answers(happiness=5).happiness

    with pytest.raises(MeasureError, match="A change in Anxiety was given a score for Happiness"):
        Ons4ItemChange(item=ons4.item("anxiety"), before=happiness, after=None)
    with pytest.raises(MeasureError, match="ONS4 has no question 'calm'"):
        ons4_change(ons4_answers(anxiety=1), ons4_answers(anxiety=2)).for_question("calm")


def test_swemwbs_change_compares_metric_scores_exactly():
    change = swemwbs_change(same_answer(3), same_answer(4))

    # Raw 21 -> 28: metric 19.25 -> 25.03.
    assert change.difference == Decimal("5.78")
    assert change.raw_difference == 7
    assert change.direction == BETTER
    assert str(change) == "SWEMWBS: 19.25 to 25.03 (5.78 points better)"
    assert (
        str(swemwbs_change(same_answer(2), same_answer(2))) == "SWEMWBS: 15.32 to 15.32 (no change)"
    )


ons4_day = st.fixed_dictionaries(
    {
        "life_satisfaction": st.none() | st.integers(0, 10),
        "worthwhile": st.none() | st.integers(0, 10),
        "happiness": st.none() | st.integers(0, 10),
        "anxiety": st.integers(0, 10),
    }
).map(Ons4.from_answers)
swemwbs_day = st.lists(st.integers(1, 5), min_size=7, max_size=7).map(
    lambda answers: Swemwbs(answers=tuple(answers))
)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(ons4_day, ons4_day)
def test_ons4_change_backwards_is_the_same_change_the_other_way(first, second):
    forward = ons4_change(first, second).questions
    backward = ons4_change(second, first).questions

    for there, back in zip(forward, backward, strict=True):
        assert back.difference == (None if there.difference is None else -there.difference)
        assert back.direction == OPPOSITE[there.direction]
        assert back.band_changed == there.band_changed


@settings(derandomize=True, max_examples=300, deadline=None)
@given(swemwbs_day, swemwbs_day)
def test_swemwbs_change_backwards_is_the_same_change_the_other_way(first, second):
    forward, backward = swemwbs_change(first, second), swemwbs_change(second, first)

    assert backward.difference == -forward.difference
    assert backward.raw_difference == -forward.raw_difference
    assert backward.direction == OPPOSITE[forward.direction]


@pytest.mark.parametrize(
    ("before", "after", "direction"), [(0, 10, WORSE), (10, 0, BETTER), (3, 3, NO_CHANGE)]
)
def test_anxiety_rising_is_worse(before, after, direction):
    change = ons4_change(ons4_answers(anxiety=before), ons4_answers(anxiety=after))

    anxiety = change.for_question("anxiety")

    assert anxiety.direction == direction
