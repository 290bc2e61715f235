"""Suggested services: fit the reason, suit the age, near home, nearest first."""

from __future__ import annotations

from types import SimpleNamespace

from thedeal.prevention.actions import Offer, suggest


def offer(name, kinds, places=((360000, 405000),), minimum_age=None, maximum_age=None):
    return Offer(
        name.lower().replace(" ", "-"),
        name,
        minimum_age,
        maximum_age,
        tuple(places),
        frozenset(kinds),
    )


def resident(*supports, age=70, at=(360000, 405000)):
    reasons = [{"text": "...", "factor": "f", "support": list(kinds)} for kinds in supports]
    return SimpleNamespace(reasons=reasons, age=age, easting=at[0], northing=at[1])


def test_the_nearest_service_of_each_kind_in_the_order_of_the_reasons():
    available = [
        offer("Far stop smoking clinic", {"stop-smoking"}, [(366000, 405000)]),
        offer("Near stop smoking clinic", {"stop-smoking"}, [(361000, 405000)]),
        offer("Walking group", {"walking-and-running-groups"}, [(360500, 405000)]),
        offer("Befriending calls", {"befriending"}, places=()),
    ]
    chosen = suggest(
        resident(["stop-smoking"], ["befriending", "walking-and-running-groups"]), available
    )
    assert [c["name"] for c in chosen] == [
        "Near stop smoking clinic",
        "Befriending calls",
        "Walking group",
    ]
    assert chosen[0]["distance_km"] == 1.0 and chosen[1]["distance_km"] is None
    # Someone with one reason is offered the next nearest of its kind too.
    chosen = suggest(resident(["stop-smoking"]), available)
    assert [c["name"] for c in chosen] == ["Near stop smoking clinic", "Far stop smoking clinic"]


def test_too_far_or_unsuitable_for_their_age_is_not_suggested():
    available = [
        offer("Stop smoking, across the county", {"stop-smoking"}, [(380000, 405000)]),  # 20 km
        offer("Youth stop smoking", {"stop-smoking"}, maximum_age=25),
    ]
    assert suggest(resident(["stop-smoking"]), available) == []
    assert [c["name"] for c in suggest(resident(["stop-smoking"], age=19), available)] == [
        "Youth stop smoking"
    ]


def test_three_at_most_never_the_same_service_twice_and_the_next_nearest_fills_up():
    falls = offer("Strength and balance", {"falls-prevention", "older-people"})
    others = [
        offer(f"Lunch club {i}", {"older-people"}, [(360000 + 100 * i, 405000)]) for i in range(5)
    ]
    chosen = suggest(
        resident(["falls-prevention", "older-people"], ["older-people"]), [falls, *others]
    )
    assert [c["name"] for c in chosen] == ["Strength and balance", "Lunch club 0", "Lunch club 1"]
    assert [c["for"] for c in chosen] == ["falls-prevention", "older-people", "older-people"]


def test_a_listing_overdue_for_checking_comes_after_checked_ones():
    available = [
        Offer(
            "old",
            "Walking group (not checked)",
            None,
            None,
            ((360100, 405000),),
            frozenset({"walking-and-running-groups"}),
            True,
        ),
        offer("Walking group (checked)", {"walking-and-running-groups"}, [(362000, 405000)]),
    ]
    chosen = suggest(resident(["walking-and-running-groups"]), available)
    assert [c["name"] for c in chosen] == ["Walking group (checked)", "Walking group (not checked)"]
    assert [c["may_be_out_of_date"] for c in chosen] == [False, True]


def test_one_link_worker_is_enough_and_each_suggestion_says_why():
    mrs_kay = SimpleNamespace(
        age=79, easting=360000, northing=405000,
        reasons=[
            {"text": "two emergency admissions in the past year", "factor": "admissions", "support": ["social-prescribing"]},
            {"text": "24 GP contacts in the past year", "factor": "gp", "support": ["social-prescribing"]},
            {"text": "lives alone", "factor": "loneliness", "support": ["befriending"]},
        ],
    )  # fmt: skip
    available = [
        offer("Link worker, near", {"social-prescribing"}, [(360500, 405000)]),
        offer("Link worker, further", {"social-prescribing"}, [(362000, 405000)]),
        offer("Befriending calls", {"befriending"}, places=()),
    ]
    chosen = suggest(mrs_kay, available)
    # Befriending before a second link worker; and one link worker is enough.
    assert [c["name"] for c in chosen] == ["Link worker, near", "Befriending calls"]
    assert [c["because"] for c in chosen] == [
        "two emergency admissions in the past year",
        "lives alone",
    ]


def test_every_kind_of_support_a_reason_names_is_one_the_directory_is_searched_for():
    from thedeal.prevention.actions import SUPPORT
    from thedeal.prevention.explain import FACTORS

    named = {kind for factor in FACTORS for kind in factor.support}
    assert named == set(SUPPORT)
