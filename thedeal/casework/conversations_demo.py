"""The demo borough's conversations, well-being measures and plans, for about a third of the
synthetic people (casework.demo): a first conversation with measures; for some, a review weeks
later with scores that changed; a plan with goals in their words and actions in every status;
a few plans closed with a summary. The same for the same seed.

Like the people, they write no audit events: no one looked at or changed a real record.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from decimal import Decimal

from thedeal.casework.models import (
    Action,
    ActionStatus,
    Conversation,
    ConversationKind,
    Goal,
    GoalStatus,
    Occasion,
    Person,
    Plan,
    ReasonForContactChoice,
    Risk,
    WellbeingMeasure,
)

FIRST_FROM = datetime.date(2026, 1, 5)
GOALS = (
    ("To get out of the house twice a week", ("Ring the walking group", "Me")),
    ("To feel less lonely", ("Go to the Tuesday coffee morning", "Me, with my neighbour")),
    ("To sort out my money worries", ("Book a benefits check", "The link worker")),
    ("To get back to the allotment", ("Ask about a shared plot", "Me, with my daughter")),
    ("To sleep better", ("Try the relaxation class at the library", "Me")),
)
RISKS = ("Has had falls at home", "Lives alone", "Rent arrears", "Carer for their husband")
STRENGTHS = ("Good with their hands", "Stubborn, in a good way", "Loves a chat", "Organised")


def _answers(rng: random.Random, better: int) -> dict[str, int]:
    """ONS4 and SWEMWBS answers, `better` steps better than a low start."""
    found = {
        "life_satisfaction": min(10, rng.randint(2, 6) + better),
        "worthwhile": min(10, rng.randint(3, 6) + better),
        "happiness": min(10, rng.randint(2, 6) + better),
        "anxiety": max(0, rng.randint(5, 9) - better),
    }
    for name in WellbeingMeasure.SWEMWBS_FIELDS:
        found[name] = min(5, rng.randint(1, 3) + (1 if better and rng.random() < 0.6 else 0))
    return found


def load(people: Sequence[Person], *, seed: int = 0) -> int:
    """Add conversations, measures and plans for about a third of `people`; returns how many
    people have them."""
    rng = random.Random(seed)
    chosen = [p for p in people if rng.random() < 0.33]
    for person in chosen:
        first = FIRST_FROM + datetime.timedelta(days=rng.randrange(200))
        reason = rng.choice(ReasonForContactChoice.values)
        risky = rng.random() < 0.4
        talk = Conversation.objects.create(
            person=person,
            kind=rng.choice(ConversationKind.values),
            held_on=first,
            place=rng.choice(("Their home", "The library", "By phone", "Wigan Life Centre")),
            contact_method=rng.choice(("in-person", "phone")),
            reason_for_contact=reason,
            what_matters=person.what_matters or "Keeping my independence",
            strengths=rng.choice(STRENGTHS),
            no_known_risks=not risky,
        )
        if risky:
            Risk.objects.create(person=person, conversation=talk, risk=rng.choice(RISKS))
        WellbeingMeasure.objects.create(
            person=person, conversation=talk, taken_on=first, occasion=Occasion.FIRST_CONTACT,
            pam_score=Decimal(rng.randint(350, 700)) / 10 if rng.random() < 0.3 else None,
            **_answers(rng, 0),
        )  # fmt: skip
        plan = Plan.objects.create(
            person=person, agreed_on=first, review_on=first + datetime.timedelta(days=56)
        )
        for order, (words, (what, who)) in enumerate(rng.sample(GOALS, k=rng.randint(1, 3))):
            goal = Goal.objects.create(
                plan=plan, in_their_words=words, importance=rng.randint(4, 10), order=order
            )
            Action.objects.create(
                goal=goal,
                description=what,
                who=who,
                due_on=first + datetime.timedelta(days=rng.randint(7, 28)),
                status=rng.choice(ActionStatus.values),
                confidence=rng.randint(3, 10),
            )
        review = first + datetime.timedelta(days=56)
        if rng.random() < 0.6 and review <= datetime.date(2026, 11, 30):
            again = Conversation.objects.create(
                person=person, kind=ConversationKind.GOOD_LIFE, held_on=review,
                contact_method="in-person", reason_for_contact=reason, is_review=True,
                what_matters=talk.what_matters, no_known_risks=not risky,
            )  # fmt: skip
            if risky:
                # Asked again at the review: still there (the standard's Risks, each conversation).
                Risk.objects.create(person=person, conversation=again, risk="Still lives alone")
            WellbeingMeasure.objects.create(
                person=person, conversation=again, taken_on=review, occasion=Occasion.REVIEW,
                **_answers(rng, rng.randint(0, 3)),
            )  # fmt: skip
            if rng.random() < 0.3:
                plan.goals.update(status=rng.choice(GoalStatus.values[1:]))
                plan.closed_on = review
                plan.closing_summary = "Goes to a group each week and feels more settled."
                plan.save(update_fields=["closed_on", "closing_summary"])
    return len(chosen)
