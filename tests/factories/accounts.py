"""Factories for accounts, and the named people the tests sign in as, one for each role."""

import factory
from django.contrib.auth.models import Group, User

from tests.factories import directory
from thedeal.accounts.models import OrganisationEditor, Role

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A resident's account as registering leaves it: the address is the username, and `email`
    (where emails go) is set once confirmed; `confirmed=False` leaves it waiting."""

    class Meta:
        model = User

    class Params:
        confirmed = True

    username = factory.Sequence(lambda n: f"resident{n}@example.org")
    email = factory.LazyAttribute(lambda o: o.username if o.confirmed else "")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, password=PASSWORD, **kwargs)


def sam() -> User:
    """Sam, a resident with an account and nothing else."""
    return UserFactory(username="sam@example.org")


def priya() -> User:
    """Priya edits the listings of Hindley Community Garden, and nothing else."""
    user = UserFactory(username="priya@example.org")
    user.groups.add(Group.objects.get(name=Role.EDITOR))
    garden = directory.OrganizationFactory(name="Hindley Community Garden")
    OrganisationEditor.objects.create(user=user, organization=garden)
    return user


def dana() -> User:
    """Dana, on the council's directory team: an administrator with the admin's staff access."""
    user = UserFactory(username="dana@example.gov.uk", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    return user


def ola() -> User:
    """Ola, a practitioner in the Wigan Central link workers (whose caseload PersonFactory's
    people join): may look at the directory's records, with no staff access."""
    from tests.factories.teams import WIGAN_CENTRAL, join  # (teams' factories use this module)

    user = UserFactory(username="ola@example.nhs.uk")
    user.groups.add(Group.objects.get(name=Role.PRACTITIONER))
    return join(user, WIGAN_CENTRAL)
