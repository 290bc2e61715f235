"""The closing summary sent back to a referrer: a pure function of the episode's records, which
says what was done, and says "No actions." when nothing was agreed."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from thedeal.casework.closing_summary import (
    ActionDone,
    ConversationHeld,
    Episode,
    GoalWorkedOn,
    ReferralMade,
    write_summary,
)

START, END = datetime.date(2026, 3, 3), datetime.date(2026, 5, 14)


def test_a_summary_of_an_episode_says_what_was_done():
    episode = Episode(
        started_on=START,
        ended_on=END,
        conversations=(
            ConversationHeld(datetime.date(2026, 4, 1), "Build a good life", review=True),
            ConversationHeld(START, "Listen and connect"),
        ),
        goals=(
            GoalWorkedOn(
                "To get out of the house twice a week",
                "Achieved",
                outcome="Goes to the garden on Tuesdays and Fridays",
                actions=(ActionDone("Try the gardening group", "me", "Done"),),
            ),
        ),
        referrals=(
            ReferralMade(
                "Grow Together sessions",
                "Hindley Community Garden",
                "Completed",
                "Came to 6 sessions",
            ),
        ),
        signposted_to=("Wigan Pensioners' Link",),
    )

    assert write_summary(episode) == (
        "Social prescribing: summary of support\n"
        "From 3 March 2026 to 14 May 2026.\n"
        "\n"
        "Conversations held\n"
        "- 3 March 2026: Listen and connect\n"
        "- 1 April 2026: Build a good life (a review)\n"
        "\n"
        "Goals, in the person's words\n"
        '- "To get out of the house twice a week": Achieved. Goes to the garden on Tuesdays and '
        "Fridays.\n"
        "\n"
        "Actions agreed\n"
        "- Try the gardening group (me): Done.\n"
        "\n"
        "Referrals made\n"
        "- Hindley Community Garden, Grow Together sessions: Completed. Came to 6 sessions.\n"
        "\n"
        "Services signposted to (details given, without a referral)\n"
        "- Wigan Pensioners' Link\n"
    )


def test_an_episode_with_nothing_done_says_no_actions():
    summary = write_summary(Episode(started_on=START, ended_on=START))

    assert "No conversations were recorded." in summary
    assert "No goals were set." in summary
    assert "Actions agreed\nNo actions.\n" in summary
    assert "No referrals were made." in summary
    assert summary.endswith("No actions were taken for the person in this episode.\n")


def test_a_goal_without_actions_still_says_no_actions():
    summary = write_summary(
        Episode(START, END, goals=(GoalWorkedOn("Sleep better", "Working on it"),))
    )

    assert '- "Sleep better": Working on it.' in summary
    assert "Actions agreed\nNo actions.\n" in summary


def test_a_referral_that_failed_says_so_as_the_referrer_reads_it():
    summary = write_summary(
        Episode(
            START,
            END,
            referrals=(ReferralMade("Walk and talk", "Leigh Walkers", "Did not attend"),),
        )
    )

    assert "- Leigh Walkers, Walk and talk: Did not attend.\n" in summary


words = st.text(
    alphabet=st.characters(categories=["L", "N", "Zs", "P"]), min_size=1, max_size=30
).filter(str.strip)
actions = st.builds(ActionDone, words, words, st.sampled_from(["Done", "Not done", "Not started"]))
goals = st.builds(
    GoalWorkedOn,
    words,
    st.sampled_from(["Achieved", "Partly achieved", "Working on it"]),
    st.just(""),
    st.lists(actions, max_size=3).map(tuple),
)
referrals = st.builds(ReferralMade, words, words, st.sampled_from(["Completed", "Not accepted"]))
days = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31))
episodes = st.builds(
    Episode,
    days,
    days,
    st.lists(st.builds(ConversationHeld, days, words, st.booleans()), max_size=4).map(tuple),
    st.lists(goals, max_size=3).map(tuple),
    st.lists(referrals, max_size=3).map(tuple),
    st.lists(words, max_size=2).map(tuple),
)


@given(episodes)
def test_every_summary_states_no_actions_exactly_when_there_were_none(episode):
    summary = write_summary(episode)

    agreed = [a for g in episode.goals for a in g.actions]
    assert ("\nNo actions.\n" in summary) is (not agreed)
    nothing_done = not (agreed or episode.referrals or episode.signposted_to)
    assert summary.endswith("No actions were taken for the person in this episode.\n") is (
        nothing_done
    )


@given(episodes)
def test_every_summary_names_each_goal_and_referral_and_is_the_same_each_time(episode):
    summary = write_summary(episode)

    for goal in episode.goals:
        assert f'"{goal.in_their_words.strip()}"' in summary
    for referral in episode.referrals:
        assert referral.organisation in summary
    assert summary.count("\n- ") == (
        len(episode.conversations)
        + len(episode.goals)
        + sum(len(g.actions) for g in episode.goals)
        + len(episode.referrals)
        + len(episode.signposted_to)
    )
    assert write_summary(episode) == summary
