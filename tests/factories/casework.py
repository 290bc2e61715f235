"""Factories for casework: GP practices, people with test-range NHS numbers, and Ade, an
analyst (who sees counts, never a person)."""

import datetime

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from tests.factories.accounts import UserFactory
from thedeal.accounts.models import Role
from thedeal.casework.models import CaseloadEntry, Conversation, GPPractice, Person, Risk
from thedeal.casework.nhs_number import check_digit


def test_nhs_number(n: int) -> str:
    """The n-th valid number in NHS England's test range (999...), skipping those with none."""
    found = -1
    serial = 0
    while True:
        first_nine = f"999{serial:06d}"
        digit = check_digit(first_nine)
        serial += 1
        if digit is not None:
            found += 1
            if found == n:
                return first_nine + str(digit)


test_nhs_number.__test__ = False  # type: ignore[attr-defined]  (not a test, despite its name)


class GPPracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GPPractice
        django_get_or_create = ("ods_code",)

    name = factory.Sequence(lambda n: f"Test Medical Practice {n}")
    ods_code = factory.Sequence(lambda n: f"Y{90000 + n:05d}")
    synthetic = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    given_name = "Maureen"
    family_name = factory.Sequence(lambda n: f"Tester{n}")
    date_of_birth = datetime.date(1952, 3, 27)
    nhs_number = factory.Sequence(lambda n: test_nhs_number(n + 500))
    address = "1 Market Street\nWigan"
    postcode = "WN1 1AA"

    @factory.post_generation
    def caseload(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        """The team whose caseload they are in: Wigan Central's (Ola's) unless another team
        is given, or `caseload=False` for no caseload."""
        if not create or extracted is False:
            return
        from tests.factories.teams import team  # (teams' factories use accounts')

        CaseloadEntry.objects.create(team=extracted or team(), person=self)


class ConversationFactory(factory.django.DjangoModelFactory):
    """A listen-and-connect conversation held today, by phone, with no known risks."""

    class Meta:
        model = Conversation

    person = factory.SubFactory(PersonFactory)
    held_on = factory.LazyFunction(timezone.localdate)
    contact_method = "phone"
    reason_for_contact = "self-referral"
    no_known_risks = True


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    person = factory.SubFactory(PersonFactory)
    risk = "Falls at home"
    comment = "Grab rails fitted; daughter visits daily"


def ade() -> User:
    """Ade, an analyst: reads the indicators and the Deal's figures, never a person's record."""
    user = UserFactory(username="ade@example.gov.uk")
    user.groups.add(Group.objects.get(name=Role.ANALYST))
    return user
