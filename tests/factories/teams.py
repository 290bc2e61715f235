"""Teams of practitioners for the tests: Ola's "Wigan Central link workers" and Kofi's "Leigh
community team", both managed by Grace (administrator and safeguarding lead), as in the demo.

PersonFactory puts the people it makes in Wigan Central's caseload (so Ola sees them) unless
told another team, or `caseload=False` for someone in no caseload.
"""

from django.contrib.auth.models import Group, User

from tests.factories.accounts import UserFactory
from thedeal.accounts.models import Role
from thedeal.casework.models import Membership, Team

WIGAN_CENTRAL = "Wigan Central link workers"
LEIGH = "Leigh community team"


def practitioner(username: str, **kwargs) -> User:
    """A practitioner's account (the same one each time for the same username)."""
    user = User.objects.filter(username=username).first() or UserFactory(
        username=username, **kwargs
    )
    user.groups.add(Group.objects.get_or_create(name=Role.PRACTITIONER)[0])
    return user


def grace() -> User:
    """Grace manages both teams: their administrator and their safeguarding lead."""
    return practitioner("grace@example.nhs.uk", first_name="Grace")


def team(name: str = WIGAN_CENTRAL) -> Team:
    manager = grace()
    found, created = Team.objects.get_or_create(
        name=name, defaults={"administrator": manager, "safeguarding_lead": manager}
    )
    if created:
        Membership.objects.create(team=found, user=manager)
    return found


def join(user: User, *names: str) -> User:
    for name in names:
        Membership.objects.get_or_create(team=team(name), user=user)
    return user


def kofi() -> User:
    """Kofi, a practitioner in the Leigh community team: Ola's colleague in another team."""
    return join(practitioner("kofi@example.nhs.uk", first_name="Kofi"), LEIGH)


def lone_practitioner() -> User:
    """Pat, a practitioner whom no one has added to a team yet."""
    return practitioner("pat@example.nhs.uk", first_name="Pat")
