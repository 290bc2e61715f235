"""The well-being measures against their published tables: every SWEMWBS conversion, every ONS4
band boundary and every PAM cut score, with the values typed here from the sources (data/
LICENCE.md), not read from the shipped files, so a wrong file fails."""

import dataclasses
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thedeal.casework.measures import MeasureError, Ons4, Swemwbs, ons4, pam, swemwbs

ROOT = Path(__file__).resolve().parents[3]

# --- ONS4 ---------------------------------------------------------------------------------------

# ONS's bands (FOI reply "a set of annual UK SWB score distributions"), by question.
POSITIVE_BANDS = {"low": (0, 4), "medium": (5, 6), "high": (7, 8), "very_high": (9, 10)}
ONS_BANDS = {
    "life_satisfaction": POSITIVE_BANDS,
    "worthwhile": POSITIVE_BANDS,
    "happiness": POSITIVE_BANDS,
    "anxiety": {"very_low": (0, 1), "low": (2, 3), "medium": (4, 5), "high": (6, 10)},
}
BOUNDARIES = [
    (key, score, band)
    for key, bands in ONS_BANDS.items()
    for band, (lowest, highest) in bands.items()
    for score in sorted({lowest, highest})
]


def test_ons4_asks_onss_four_questions_in_onss_order_and_words():
    questions = ons4.items()

    assert [q.key for q in questions] == ["life_satisfaction", "worthwhile", "happiness", "anxiety"]
    assert questions[0].question == "Overall, how satisfied are you with your life nowadays?"
    assert questions[2].question == "Overall, how happy did you feel yesterday?"
    assert (questions[3].lowest_means, questions[3].highest_means) == (
        "not at all anxious",
        "completely anxious",
    )
    assert all((q.lowest, q.highest) == (0, 10) for q in questions)


@pytest.mark.parametrize(("key", "score", "band"), BOUNDARIES, ids=lambda v: str(v))
def test_ons4_score_at_each_band_boundary_is_in_onss_band(key, score, band):
    assert ons4.item(key).score(score).band.name == band


@pytest.mark.parametrize("key", list(ONS_BANDS))
def test_ons4_next_score_past_each_band_is_in_the_next_band(key):
    bands = ons4.item(key).bands

    for lower, upper in zip(bands, bands[1:], strict=False):
        assert ons4.item(key).band(lower.highest + 1) == upper


def test_only_anxiety_is_better_lower():
    assert [q.key for q in ons4.items() if q.lower_is_better] == ["anxiety"]


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.sampled_from(list(ONS_BANDS)), st.integers(0, 10))
def test_every_valid_ons4_answer_has_exactly_one_band(key, score):
    question = ons4.item(key)

    covering = [band for band in question.bands if band.covers(score)]

    assert len(covering) == 1
    assert question.band(score) == covering[0]


def test_ons4_says_each_score_and_band_as_a_link_worker_reads_it():
    answers = Ons4.from_answers(
        {"life_satisfaction": 6, "worthwhile": 9, "happiness": 0, "anxiety": 7}
    )

    assert str(answers) == (
        "Life satisfaction: 6, medium; Worthwhile: 9, very high; Happiness: 0, low; "
        "Anxiety: 7, high"
    )


def test_an_unanswered_ons4_question_has_no_score_and_is_not_a_zero():
    answers = Ons4.from_answers({"life_satisfaction": 6, "worthwhile": None, "anxiety": 0})

    assert answers.worthwhile is None
    assert answers.score_for("happiness") is None
    assert answers.anxiety is not None and answers.anxiety.score == 0
    assert [s.item.key for s in answers.scores()] == ["life_satisfaction", "anxiety"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (11, "Life satisfaction must be a whole number from 0 to 10, not 11"),
        (-1, "Life satisfaction must be a whole number from 0 to 10, not -1"),
        (6.5, "Life satisfaction must be a whole number from 0 to 10, not 6.5"),
        ("6", "Life satisfaction must be a whole number from 0 to 10, not '6'"),
        (True, "Life satisfaction must be a whole number from 0 to 10, not True"),
        (float("nan"), "Life satisfaction must be a whole number from 0 to 10, not nan"),
    ],
)
def test_ons4_refuses_an_answer_off_the_scale_naming_the_question_and_range(value, message):
    with pytest.raises(MeasureError) as error:
        Ons4.from_answers({"worthwhile": 5, "life_satisfaction": value})

    assert str(error.value) == message
    assert error.value.item == "life_satisfaction"


def test_ons4_takes_whole_numbers_written_as_decimals():
    assert Ons4.from_answers({"happiness": Decimal("7"), "anxiety": 3.0}).happiness.score == 7


def test_ons4_has_a_place_for_each_question_in_the_table_and_no_other():
    places = [field.name for field in dataclasses.fields(Ons4)]

    assert places == [question.key for question in ons4.items()]


def test_ons4_refuses_a_score_made_by_hand_off_the_scale_or_in_the_wrong_place():
    anxiety = ons4.item("anxiety")

    with pytest.raises(MeasureError, match="Anxiety must be a whole number from 0 to 10, not 12"):
        ons4.Ons4Score(item=anxiety, score=12)
    with pytest.raises(MeasureError, match="Happiness was given a score for Anxiety"):
        Ons4(happiness=anxiety.score(3))


def test_ons4_refuses_an_unknown_question_and_no_answers_at_all():
    with pytest.raises(MeasureError, match="ONS4 has no question 'satisfaction'"):
        Ons4.from_answers({"satisfaction": 5})
    with pytest.raises(MeasureError, match="at least one of its four questions"):
        Ons4.from_answers({"anxiety": None})


# --- SWEMWBS ------------------------------------------------------------------------------------

# Raw total -> metric score: Stewart-Brown et al. 2009 as given by two independent copies (the
# reference README); 29 -> 26.02, not one copy's 25.99.
CONVERSION = {
    7: "7.00", 8: "9.51", 9: "11.25", 10: "12.40", 11: "13.33", 12: "14.08", 13: "14.75",
    14: "15.32", 15: "15.84", 16: "16.36", 17: "16.88", 18: "17.43", 19: "17.98", 20: "18.59",
    21: "19.25", 22: "19.98", 23: "20.73", 24: "21.54", 25: "22.35", 26: "23.21", 27: "24.11",
    28: "25.03", 29: "26.02", 30: "27.03", 31: "28.13", 32: "29.31", 33: "30.70", 34: "32.55",
    35: "35.00",
}  # fmt: skip

answers_1_to_5 = st.lists(st.integers(1, 5), min_size=7, max_size=7)


@pytest.mark.parametrize(("raw", "metric"), CONVERSION.items())
def test_swemwbs_metric_score_is_the_published_conversion(raw, metric):
    assert swemwbs.metric_score(raw) == Decimal(metric)


def test_swemwbs_converts_every_raw_total_and_nothing_else():
    assert set(swemwbs.conversion_table()) == set(range(7, 36))
    for raw in (6, 36):
        with pytest.raises(
            MeasureError, match=f"raw total must be a whole number from 7 to 35, not {raw}"
        ):
            swemwbs.metric_score(raw)


def test_swemwbs_has_warwicks_seven_statements_answered_one_to_five():
    statements = swemwbs.items()

    assert len(statements) == 7
    assert statements[0].statement == "I've been feeling optimistic about the future"
    assert statements[6].statement == "I've been able to make up my own mind about things"
    assert swemwbs.RESPONSES[1] == "None of the time"
    assert swemwbs.RESPONSES[5] == "All of the time"


def everyone_answers(value):
    return {statement.key: value for statement in swemwbs.items()}


def test_swemwbs_raw_total_adds_the_answers_and_converts_it():
    answers = everyone_answers(3) | {"useful": 5, "relaxed": 1}

    scored = Swemwbs.from_answers(answers)

    assert scored.raw_total == 21
    assert scored.metric_score == Decimal("19.25")
    assert scored.answer_to("relaxed") == 1
    assert str(scored) == "SWEMWBS: 19.25 (raw total 21 of 35)"


def test_swemwbs_with_a_statement_unanswered_has_no_score_and_says_which():
    answers = everyone_answers(4) | {"relaxed": None}
    del answers["own_mind"]

    with pytest.raises(MeasureError) as error:
        Swemwbs.from_answers(answers)

    assert str(error.value) == (
        "SWEMWBS has no score unless all 7 statements are answered; not answered: "
        'SWEMWBS statement 3, "I\'ve been feeling relaxed"; '
        'SWEMWBS statement 7, "I\'ve been able to make up my own mind about things"'
    )
    assert error.value.item == "relaxed"


@pytest.mark.parametrize("value", [0, 6, 2.5, "often"])
def test_swemwbs_refuses_an_answer_off_the_scale_naming_the_statement(value):
    with pytest.raises(MeasureError) as error:
        Swemwbs.from_answers(everyone_answers(3) | {"useful": value})

    assert str(error.value).startswith(
        'SWEMWBS statement 2, "I\'ve been feeling useful" must be a whole number from 1 to 5'
    )
    assert error.value.item == "useful"


def test_swemwbs_keeps_whole_numbers_given_as_decimals_as_whole_numbers():
    scored = Swemwbs(answers=(4.0, 4, Decimal(4), 4, 4, 4, 4))

    assert scored.answers == (4,) * 7
    assert all(type(answer) is int for answer in scored.answers)
    assert scored.metric_score == Decimal("25.03")


def test_swemwbs_refuses_an_unknown_statement_and_a_short_form():
    with pytest.raises(MeasureError, match="SWEMWBS has no statement 'happy'"):
        Swemwbs.from_answers(everyone_answers(3) | {"happy": 3})
    with pytest.raises(MeasureError, match="SWEMWBS has 7 statements; 6 answers were given"):
        Swemwbs(answers=(3, 3, 3, 3, 3, 3))


@settings(derandomize=True, max_examples=300, deadline=None)
@given(answers_1_to_5, answers_1_to_5)
def test_swemwbs_metric_score_rises_with_the_raw_total(first, second):
    a, b = Swemwbs(answers=tuple(first)), Swemwbs(answers=tuple(second))

    if a.raw_total < b.raw_total:
        assert a.metric_score < b.metric_score
    elif a.raw_total == b.raw_total:
        assert a.metric_score == b.metric_score
    else:
        assert a.metric_score > b.metric_score
    assert Decimal(7) <= a.metric_score <= Decimal(35)


# --- Patient Activation Measure -----------------------------------------------------------------

# The cut scores as the source writes them: <=47.0, 47.1-55.1, 55.2-67.0, "greater than 67.1";
# the gaps between one-decimal scores go to the higher level (pam.py's docstring).
PAM_CASES = [
    (0, 1), (47, 1), ("47.0", 1), ("47.05", 2), ("47.1", 2), ("55.1", 2), ("55.15", 3),
    ("55.2", 3), ("67.0", 3), (67.05, 4), ("67.05", 4), ("67.1", 4), (100, 4),
]  # fmt: skip


@pytest.mark.parametrize(("score", "level"), PAM_CASES, ids=lambda v: str(v))
def test_pam_score_at_each_cut_is_in_the_sources_level(score, level):
    value = Decimal(score) if isinstance(score, str) else score

    assert pam.level_for(value).level == level


def test_pam_level_can_be_recorded_without_its_score():
    assert pam.level(2) == pam.level_for(50)
    with pytest.raises(
        MeasureError,
        match="The Patient Activation Measure level must be a whole number from 1 to 4, not 5",
    ):
        pam.level(5)


def test_pam_level_says_what_it_means():
    assert str(pam.level_for(60)) == (
        "Level 3: Beginning to take action; may still lack confidence/skill"
    )


@settings(derandomize=True, max_examples=300, deadline=None)
@given(
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False),
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False),
)
def test_every_pam_score_has_one_level_and_a_higher_score_never_a_lower_level(a, b):
    low, high = sorted([a, b])

    assert pam.level_for(low).level <= pam.level_for(high).level
    # The level's range as the source writes it holds the score, or the score is in a gap just
    # below the level's lowest score.
    level = pam.level_for(a)
    assert level.lowest - Decimal("0.1") < a <= level.highest


@pytest.mark.parametrize(
    ("score", "message"),
    [
        (-0.1, "must be a number from 0 to 100, not -0.1"),
        (100.5, "must be a number from 0 to 100, not 100.5"),
        (None, "has no value: it must be a number from 0 to 100"),
        ("50", "must be a number from 0 to 100, not '50'"),
        (float("inf"), "must be a number from 0 to 100, not inf"),
        (True, "must be a number from 0 to 100, not True"),
    ],
)
def test_pam_refuses_a_score_off_the_scale(score, message):
    with pytest.raises(MeasureError) as error:
        pam.level_for(score)

    assert str(error.value) == f"The Patient Activation Measure score {message}"


# --- Shipped with the package -------------------------------------------------------------------


def test_the_reference_tables_and_their_licence_ship_with_the_package():
    data = ROOT / "thedeal" / "casework" / "data"
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["thedeal.casework"]

    assert "data/*.csv" in package_data and "data/*.md" in package_data
    licence = (data / "LICENCE.md").read_text()
    for table in data.glob("*.csv"):
        assert table.name in licence, f"{table.name} has no source in data/LICENCE.md"
