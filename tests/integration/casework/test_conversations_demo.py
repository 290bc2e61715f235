"""The demo's conversations, measures and plans: for some of the synthetic people, the same for
a seed, with reviews whose scores changed, and no audit events (no one looked at anyone)."""

import pytest

from tests.factories.casework import PersonFactory
from thedeal.casework import conversations_demo
from thedeal.casework.models import AuditEvent, Conversation, Plan, WellbeingMeasure

pytestmark = pytest.mark.django_db


def test_some_demo_people_have_conversations_measures_and_plans():
    people = PersonFactory.create_batch(60)
    with_them = conversations_demo.load(people, seed=4)
    assert 5 < with_them < 40
    assert Conversation.objects.values("person").distinct().count() == with_them
    assert Plan.objects.values("person").distinct().count() == with_them
    reviewed = WellbeingMeasure.objects.filter(occasion="review")
    assert reviewed.exists()
    # Every measure scores: ONS4 and SWEMWBS with all seven answers.
    assert all(m.ons4() is not None and m.swemwbs() is not None
               for m in WellbeingMeasure.objects.all())  # fmt: skip
    # Every conversation records its risks or "no known risks", exactly one of them.
    assert all(c.no_known_risks != c.risks.exists() for c in Conversation.objects.all())
    assert Plan.objects.filter(closed_on__isnull=False).exclude(closing_summary="").count() == (
        Plan.objects.filter(closed_on__isnull=False).count()
    )
    assert not AuditEvent.objects.exists()
