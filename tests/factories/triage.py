"""Referrals to the link workers waiting in the triage queue: from a GP practice, through the
FHIR API, naming no organisation, for a person in no team's caseload."""

import datetime

from django.utils import timezone

from tests.factories import directory
from tests.factories.casework import PersonFactory
from thedeal.casework.lifecycle import Party
from thedeal.casework.models import Direction, Referral


def gp_referral(
    *,
    person=None,
    at: datetime.datetime | None = None,
    reason: str = "Socially isolated since a bereavement; would like to get out more.",
) -> Referral:
    """Dr Nolan at Pemberton Surgery refers someone (Bernard, 74, unless told) to us."""
    practice = directory.OrganizationFactory(name="Pemberton Surgery")
    referral = Referral.objects.create(
        person=person
        or PersonFactory(
            given_name="Bernard",
            family_name="Ashworth",
            date_of_birth=datetime.date(1952, 1, 10),
            ward_name="Pemberton",
            caseload=False,
        ),
        direction=Direction.INBOUND,
        reason=reason,
        requester_organization=practice,
        requester_name="Dr Nolan",
        requested_at=at or timezone.now(),
    )
    referral.record_start(by=Party.REQUESTER, system="Pemberton Surgery")
    return referral
