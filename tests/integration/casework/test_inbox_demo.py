"""The demo's inbox: the editor persona finds referrals in each state an inbox shows, among
them one waiting without consent to share, and loading the demo again adds none."""

import pytest
from django.contrib.auth.models import User

from tests.factories import accounts as personas
from tests.factories.casework import PersonFactory
from tests.factories.inbox import organisation_of
from thedeal.casework import inbox_actions, inbox_demo
from thedeal.casework.models import Referral

pytestmark = pytest.mark.django_db


def test_the_editor_persona_has_referrals_in_every_state_an_inbox_shows():
    priya = personas.priya()
    personas.ola()
    PersonFactory.create_batch(8)

    assert inbox_demo.load() == 7
    assert inbox_demo.load() == 0  # once

    referrals = list(inbox_actions.inbox(priya))
    assert len(referrals) == 7
    assert {r.status for r in referrals} == {
        "requested", "accepted", "in-progress", "rejected", "completed", "failed",
    }  # fmt: skip
    assert [r.status for r in referrals[:2]] == ["requested", "requested"]
    without_consent = [r for r in referrals if inbox_actions.consent_to_share(r) is None]
    assert len(without_consent) == 1 and without_consent[0].times_chased == 1
    assert all(r.performer_organization == organisation_of(priya) for r in referrals)


def test_no_personas_no_referrals():
    PersonFactory.create_batch(3)

    assert inbox_demo.load() == 0
    assert not Referral.objects.exists()
    assert not User.objects.exists()
