"""The summary sent back to whoever referred a person to us (a GP, another service) when the
person's episode with the link workers closes: what was done. The PRSB standard's feedback to
the referrer, sent as the FHIR Task's output and by email.

It says what happened, never what the person said: the conversations held (when, and which
of the three conversations), the goals in the person's words with how each went, the actions
agreed, and the referrals made with their outcome. Where there were none it says so ("No
actions."), so that a referrer never reads a short summary as a lost one.

Pure Python, no Django: `write_summary` is a function of the records alone (plain values made
from them by casework.inbox_actions), so the same records always give the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = [
    "ActionDone",
    "ConversationHeld",
    "Episode",
    "GoalWorkedOn",
    "ReferralMade",
    "write_summary",
]


@dataclass(frozen=True, slots=True)
class ConversationHeld:
    held_on: date
    kind: str  # which of the three conversations, as staff read it
    review: bool = False


@dataclass(frozen=True, slots=True)
class ActionDone:
    description: str
    who: str
    status: str


@dataclass(frozen=True, slots=True)
class GoalWorkedOn:
    in_their_words: str
    status: str
    outcome: str = ""
    actions: tuple[ActionDone, ...] = ()


@dataclass(frozen=True, slots=True)
class ReferralMade:
    service: str
    organisation: str
    status: str  # as the referrer reads it ("Did not attend")
    outcome: str = ""


@dataclass(frozen=True, slots=True)
class Episode:
    started_on: date
    ended_on: date
    conversations: tuple[ConversationHeld, ...] = ()
    goals: tuple[GoalWorkedOn, ...] = ()
    referrals: tuple[ReferralMade, ...] = ()
    signposted_to: tuple[str, ...] = ()


def _day(day: date) -> str:
    # GOV.UK style: 3 March 2026.
    return f"{day.day} {day:%B %Y}"


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else f"{text}."


def write_summary(episode: Episode) -> str:
    """The summary's text: plain lines, readable in an email and as a FHIR Task.output."""
    lines = [
        "Social prescribing: summary of support",
        f"From {_day(episode.started_on)} to {_day(episode.ended_on)}.",
        "",
        "Conversations held",
    ]
    if episode.conversations:
        for held in sorted(episode.conversations, key=lambda c: c.held_on):
            review = " (a review)" if held.review else ""
            lines.append(f"- {_day(held.held_on)}: {held.kind}{review}")
    else:
        lines.append("No conversations were recorded.")

    lines += ["", "Goals, in the person's words"]
    if episode.goals:
        for goal in episode.goals:
            outcome = f" {_sentence(goal.outcome)}" if goal.outcome.strip() else ""
            lines.append(f'- "{goal.in_their_words.strip()}": {goal.status}.{outcome}')
    else:
        lines.append("No goals were set.")

    lines += ["", "Actions agreed"]
    actions = [a for goal in episode.goals for a in goal.actions]
    if actions:
        for action in actions:
            lines.append(f"- {action.description.strip()} ({action.who.strip()}): {action.status}.")
    else:
        lines.append("No actions.")

    lines += ["", "Referrals made"]
    if episode.referrals:
        for referral in episode.referrals:
            where = ", ".join(filter(None, [referral.organisation, referral.service]))
            outcome = f" {_sentence(referral.outcome)}" if referral.outcome.strip() else ""
            lines.append(f"- {where}: {referral.status}.{outcome}")
    else:
        lines.append("No referrals were made.")

    if episode.signposted_to:
        lines += ["", "Services signposted to (details given, without a referral)"]
        lines += [f"- {name}" for name in episode.signposted_to]

    if not (actions or episode.referrals or episode.signposted_to):
        lines += ["", "No actions were taken for the person in this episode."]
    return "\n".join(lines) + "\n"
