"""The ranking of services for a person's goal, and each organisation's figures: what a
practitioner reads beside each suggestion, and the order they come in."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thedeal.casework.suggestions import (
    MIN_REFERRALS,
    Candidate,
    Need,
    Opening,
    PastReferral,
    Slot,
    Wishes,
    age_on,
    organisation_figures,
    rank,
    score,
    slots_in,
)

TUESDAY_MORNING = Opening(frozenset({"TU"}), datetime.time(10), datetime.time(12))
WALKING = Candidate(
    service_id="walk",
    name="Health walk",
    organisation="Hindley Walkers",
    in_category=True,
    category="Walking and running groups",
    distance_m=1234,
    openings=(TUESDAY_MORNING,),
    cost="free",
    cost_text="Free",
    access=("Step-free access to all public areas.",),
    minimum_age=50,
)


def test_a_suggestion_says_why_in_plain_words():
    wishes = Wishes(
        age=67, slots=frozenset({Slot.WEEKDAY_MORNINGS}), needs=frozenset({Need.STEP_FREE})
    )

    suggestion = score(WALKING, wishes)

    assert suggestion.fits == [
        "Helps with walking and running groups",
        "1.2 km from home",
        "Tuesday mornings",
        "Free",
        "Step-free or wheelchair access",
        "For ages 50 and over: they are 67",
    ]
    assert suggestion.misfits == []


def test_a_suggestion_says_what_does_not_fit():
    far_and_paid = Candidate(
        service_id="swim",
        name="Aqua fit",
        distance_m=12_400,
        openings=(Opening(frozenset({"SA"}), datetime.time(18), datetime.time(19)),),
        cost="paid",
        cost_text="Per session: £3.50.",
        access=("Lift to all floors.",),
        maximum_age=25,
    )
    wishes = Wishes(
        age=67,
        slots=frozenset({Slot.WEEKDAY_MORNINGS}),
        free_first=True,
        needs=frozenset({Need.HEARING_LOOP}),
    )

    suggestion = score(far_and_paid, wishes)

    assert suggestion.misfits == [
        "12 km from home",
        "Not open when it suits them (weekday mornings)",
        "Not free: Per session: £3.50.",
        "Hearing loop: not listed",
        "For ages up to 25: they are 67",
    ]
    assert not suggestion.age_fits


def test_what_is_not_known_is_said_and_neither_helps_nor_harms():
    unknown = Candidate(service_id="x", name="Drop-in")
    suggestion = score(unknown, Wishes(slots=frozenset({Slot.WEEKENDS}), home_known=False))

    assert suggestion.notes == [
        "Distance not known: no postcode for their home",
        "Opening times not listed",
        "Cost not listed",
    ]
    assert suggestion.score == 0


def test_a_service_with_no_place_to_go_to_is_not_judged_on_access():
    helpline = Candidate(service_id="h", name="Helpline", has_place=False)
    suggestion = score(helpline, Wishes(needs=frozenset({Need.STEP_FREE})))
    assert "By phone or online: no place to travel to" in suggestion.notes
    assert suggestion.misfits == []


def test_free_first_puts_a_free_service_above_a_nearer_paid_one():
    free = Candidate(service_id="a", name="Free walk", distance_m=4000, cost="free")
    paid = Candidate(service_id="b", name="Paid walk", distance_m=500, cost="paid")

    assert [s.candidate.name for s in rank([free, paid], Wishes())] == ["Paid walk", "Free walk"]
    assert [s.candidate.name for s in rank([free, paid], Wishes(free_first=True))] == [
        "Free walk",
        "Paid walk",
    ]


def test_a_category_match_outranks_a_nearer_service_of_another_kind():
    in_category = Candidate(service_id="a", name="Walk", in_category=True, distance_m=8000)
    nearer = Candidate(service_id="b", name="Knitting", distance_m=100)
    assert rank([nearer, in_category], Wishes())[0].candidate.name == "Walk"


@pytest.mark.parametrize(
    ("opens", "closes", "parts"),
    [
        (datetime.time(10), datetime.time(12), ["morning"]),
        (datetime.time(11), datetime.time(13), ["morning", "afternoon"]),
        (datetime.time(17), datetime.time(19), ["evening"]),
        # A night shelter from 10pm to 7am runs past midnight: an evening.
        (datetime.time(22), datetime.time(7), ["evening"]),
        (None, None, ["morning", "afternoon", "evening"]),
    ],
)
def test_parts_of_the_day_an_opening_covers(opens, closes, parts):
    assert Opening(frozenset({"MO"}), opens, closes).parts() == parts


def test_times_that_suit_are_said_as_a_person_says_them():
    openings = (
        Opening(frozenset({"MO", "WE"}), datetime.time(10), datetime.time(12)),
        Opening(frozenset({"1SA"}), datetime.time(10), datetime.time(12)),
    )
    wishes = Wishes(slots=frozenset({Slot.WEEKDAY_MORNINGS, Slot.WEEKENDS}))
    suggestion = score(Candidate(service_id="x", name="Club", openings=openings), wishes)
    assert "Monday and Wednesday mornings, Saturdays" in suggestion.fits


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("Weekday mornings", {Slot.WEEKDAY_MORNINGS}),
        ("evenings or weekends", {Slot.WEEKDAY_EVENINGS, Slot.WEEKENDS}),
        ("Any time after 2 on Saturday afternoon", {Slot.WEEKENDS, Slot.WEEKDAY_AFTERNOONS}),
        ("", set()),
    ],
)
def test_when_to_contact_them_gives_a_first_guess_at_times(text, slots):
    assert slots_in(text) == slots


@pytest.mark.parametrize(
    ("born", "today", "age"),
    [
        (datetime.date(1959, 3, 27), datetime.date(2026, 3, 26), 66),
        (datetime.date(1959, 3, 27), datetime.date(2026, 3, 27), 67),
        (datetime.date(1960, 2, 29), datetime.date(2026, 2, 28), 65),
    ],
)
def test_age_on_a_day(born, today, age):
    assert age_on(born, today) == age


ages = st.one_of(st.none(), st.integers(min_value=0, max_value=110))


@st.composite
def candidates(draw, name):
    low = draw(ages)
    high = draw(ages)
    if low is not None and high is not None and low > high:
        low, high = high, low
    return Candidate(
        service_id=name,
        name=name,
        in_category=draw(st.booleans()),
        words_match=draw(st.booleans()),
        has_place=draw(st.booleans()),
        distance_m=draw(st.one_of(st.none(), st.floats(min_value=0, max_value=50_000))),
        openings=tuple(
            draw(
                st.lists(
                    st.builds(
                        Opening,
                        st.frozensets(
                            st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]), min_size=1
                        ),
                        st.one_of(st.none(), st.times()),
                        st.one_of(st.none(), st.times()),
                    ),
                    max_size=3,
                )
            )
        ),
        cost=draw(st.sampled_from(["free", "paid", ""])),
        access=tuple(
            draw(
                st.lists(
                    st.sampled_from(["Step-free access.", "Hearing loop.", "Quiet room."]),
                    max_size=3,
                )
            )
        ),
        minimum_age=low,
        maximum_age=high,
    )


wishes = st.builds(
    Wishes,
    age=st.integers(min_value=0, max_value=110),
    home_known=st.booleans(),
    slots=st.frozensets(st.sampled_from(list(Slot))),
    free_first=st.booleans(),
    needs=st.frozensets(st.sampled_from(list(Need))),
    words=st.sampled_from(["", "walking"]),
)


def _suits(candidate, age):
    low, high = candidate.minimum_age, candidate.maximum_age
    return (low is None or age >= low) and (high is None or age <= high)


@given(
    st.lists(st.integers(), min_size=1, max_size=12).flatmap(
        lambda keys: st.tuples(*(candidates(f"s{i}") for i in range(len(keys))))
    ),
    wishes,
)
def test_a_service_outside_the_persons_age_range_ranks_below_every_one_within_it(found, wish):
    ranked = rank(found, wish)

    suits = [_suits(s.candidate, wish.age) for s in ranked]
    # Every service they may use comes before every one they may not.
    assert suits == sorted(suits, reverse=True)
    assert [s.age_fits for s in ranked] == suits
    assert sorted(s.candidate.name for s in ranked) == sorted(c.name for c in found)


@given(candidates("x"), wishes)
def test_every_suggestion_says_something_and_never_the_same_thing_twice(candidate, wish):
    suggestion = score(candidate, wish)
    said = suggestion.fits + suggestion.misfits + suggestion.notes
    assert said
    assert all(said) and len(said) == len(set(said))


def _past(n, *, answered_after_days=3, status="accepted"):
    sent = datetime.date(2026, 3, 2)  # a Monday
    return [
        PastReferral(sent, sent + datetime.timedelta(days=answered_after_days), status)
        for _ in range(n)
    ]


def test_figures_from_fewer_than_eight_answered_referrals_are_withheld():
    figures = organisation_figures(_past(MIN_REFERRALS - 1))
    assert (figures.median_working_days, figures.acceptance_rate) == (None, None)
    assert figures.response_text == "Not enough referrals yet"
    assert figures.acceptance_text == "Not enough referrals yet"


def test_figures_from_eight_referrals_are_shown_in_working_days():
    # Sent on a Monday, answered on the Friday (4 working days) or the Monday after (5, the
    # weekend not counted); a quarter refused.
    past = _past(5, answered_after_days=4) + _past(3, answered_after_days=7)
    past[-2:] = _past(2, answered_after_days=7, status="rejected")
    figures = organisation_figures(past)
    assert figures.median_working_days == 4
    assert figures.response_text == "4 working days to answer (median)"
    assert figures.acceptance_text == "Accepts 75% of referrals"


def test_unanswered_and_mistaken_referrals_do_not_count():
    past = _past(7) + [PastReferral(datetime.date(2026, 3, 2), None, "requested")] * 5
    past += _past(3, status="entered-in-error")
    assert organisation_figures(past).acceptance_rate is None
