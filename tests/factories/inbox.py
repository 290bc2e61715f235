"""Referrals as the inbox receives them, and Kofi, the editor of another organisation."""

import datetime

from django.contrib.auth.models import Group, User
from django.utils import timezone

from tests.factories import directory
from tests.factories.accounts import UserFactory
from tests.factories.casework import PersonFactory
from thedeal.accounts.models import OrganisationEditor, Role
from thedeal.casework.lifecycle import Party
from thedeal.casework.models import Consent, Direction, Referral
from thedeal.directory.models import Organization


def kofi() -> User:
    """Kofi edits the listings of Pemberton Men's Shed: another organisation than Priya's."""
    user = UserFactory(username="kofi@example.org")
    user.groups.add(Group.objects.get(name=Role.EDITOR))
    shed = directory.OrganizationFactory(name="Pemberton Men's Shed")
    OrganisationEditor.objects.create(user=user, organization=shed)
    return user


def organisation_of(editor: User) -> Organization:
    return Organization.objects.get(editors__user=editor)


def sent_referral(
    *,
    to: Organization,
    by: User | None = None,
    person=None,
    at: datetime.datetime | None = None,
    service_name: str = "Grow Together sessions",
    reason: str = "Lonely since her husband died; loved gardening.",
) -> Referral:
    """A practitioner's referral, sent (requested) to an organisation's service."""
    service = directory.ServiceFactory(organization=to, name=service_name)
    referral = Referral.objects.create(
        person=person or PersonFactory(),
        direction=Direction.OUTBOUND,
        reason=reason,
        requester_user=by,
        requester_name=by.get_username() if by else "",
        performer_organization=to,
        service=service,
        requested_at=at or timezone.now(),
    )
    referral.record_start(by=Party.REQUESTER, user=by)
    return referral


def share_consent(person, organisation, *, given_on=None, withdrawn_on=None) -> Consent:
    given_on = given_on or datetime.date(2026, 1, 5)
    return Consent.objects.create(
        person=person,
        kind="share",
        organization=organisation,
        given_on=given_on,
        withdrawn_on=withdrawn_on,
    )
