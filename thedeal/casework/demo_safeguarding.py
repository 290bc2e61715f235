"""The demo's safeguarding concerns: a handful among the synthetic people, in every state, so
that the lead's list has something to show: two overdue, two waiting, one acknowledged and one
closed. Times are relative to when the demo is loaded, so the overdue ones are overdue then.

Like the demo's people, they are made up and write no audit events."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from django.utils import timezone

from thedeal.casework.models import Person, SafeguardingConcern, Urgency, acknowledge_by

# (category, urgency, hours ago, state, what happened)
CONCERNS = (
    ("financial", Urgency.IMMEDIATELY, 5, "open", "Says her son takes her pension each week."),
    ("self-neglect", Urgency.TODAY, 30, "open", "No food in the kitchen; heating off."),
    ("domestic", Urgency.THREE_WORKING_DAYS, 2, "open", "Partner answered every question."),
    ("child", Urgency.TODAY, 1, "open", "Grandchild aged 6 left at home alone during calls."),
    ("neglect", Urgency.THREE_WORKING_DAYS, 200, "acknowledged", "Carer missed visits."),
    ("psychological", Urgency.TODAY, 400, "closed", "Neighbour shouts threats at him."),
)


def load(people: Sequence[Person], *, seed: int = 0) -> int:
    if not people or SafeguardingConcern.objects.exists():
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    chosen = rng.sample(list(people), min(len(CONCERNS), len(people)))
    concerns = []
    for person, (category, urgency, hours, state, details) in zip(chosen, CONCERNS, strict=False):
        raised = now - datetime.timedelta(hours=hours)
        concern = SafeguardingConcern(
            person=person,
            category=category,
            urgency=urgency,
            details=f"{details} (synthetic: made up for the demo)",
            raised_at=raised,
            acknowledge_by=acknowledge_by(urgency, raised),
        )
        if state in ("acknowledged", "closed"):
            concern.acknowledged_at = raised + datetime.timedelta(hours=2)
            concern.action_taken = "Spoke to the practitioner; referred to adult social care."
        if state == "closed":
            concern.closed_at = raised + datetime.timedelta(days=5)
            concern.outcome = "Section 42 enquiry made; a plan agreed with him."
        concerns.append(concern)
    SafeguardingConcern.objects.bulk_create(concerns)
    return len(concerns)
