"""Factories for worklist outreach: a prevention worklist (as `thedeal risk worklist` leaves
one), the re-identification table's rows for its residents, and the named people: Ola as an
outreach lead (who may re-identify) and Kim, a practitioner who may not."""

import datetime

import factory
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from tests.factories.accounts import UserFactory, ola
from tests.factories.casework import test_nhs_number
from thedeal.accounts.models import Role
from thedeal.casework.models import ResidentIdentity
from thedeal.casework.outreach_demo import OUTREACH_LEAD
from thedeal.prevention.models import RiskScore, ScoringRun, Worklist, WorklistEntry


class ScoringRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoringRun

    model_version = "emergency-admission-test"
    model_path = "/models/test"
    data_path = "/data/test"
    data_fingerprint = "0" * 16
    index_date = datetime.date(2025, 4, 1)
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyFunction(timezone.now)
    residents_scored = 20_000
    residents_opted_out = 600
    mean_risk = 0.05
    outreach_threshold = 0.3
    drift = factory.LazyFunction(lambda: {"alert": False})


class RiskScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskScore

    run = factory.SubFactory(ScoringRunFactory)
    resident_id = factory.Sequence(lambda n: 500_000_000_000 + n)
    rank = factory.Sequence(lambda n: n + 1)
    risk = 0.6
    band = RiskScore.Band.HIGH
    reasons = factory.LazyFunction(
        lambda: [
            {"text": "two emergency admissions in the past year", "factor": "admissions",
             "support": ["social-prescribing"]},
            {"text": "lives alone and reports feeling lonely", "factor": "lonely",
             "support": ["befriending"]},
        ]
    )  # fmt: skip
    lsoa_code = "E01006200"
    ward = "Hindley Green"
    age = 81
    easting = 362000
    northing = 404000


class ResidentIdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentIdentity

    resident_id = factory.Sequence(lambda n: 500_000_000_000 + n)
    given_name = "Edith"
    family_name = factory.Sequence(lambda n: f"Atherton{n}")
    date_of_birth = datetime.date(1944, 5, 2)
    nhs_number = factory.Sequence(lambda n: test_nhs_number(n + 900))
    address = "3 Chapel Street"
    postcode = "WN2 4QH"
    phone = "07700 900321"
    source = "a test borough"


SUGGESTIONS = [
    {"service_id": "", "name": "Wednesday friendship club – Hindley Green", "for": "befriending",
     "because": "lives alone and reports feeling lonely", "distance_km": 0.5,
     "may_be_out_of_date": False},
]  # fmt: skip


def worklist(*ranks_and_opt_outs: tuple[int, bool]) -> tuple[Worklist, list[WorklistEntry]]:
    """A Hindley Green worklist with one entry per (rank, opted out), each resident in the
    re-identification table."""
    run = ScoringRunFactory()
    made = Worklist.objects.create(run=run, ward="Hindley Green", size=len(ranks_and_opt_outs))
    entries = []
    for position, (rank, opted_out) in enumerate(ranks_and_opt_outs, start=1):
        score = RiskScoreFactory(run=run, rank=rank)
        ResidentIdentityFactory(resident_id=score.resident_id, opted_out=opted_out)
        entries.append(
            WorklistEntry.objects.create(
                worklist=made, score=score, position=position, suggestions=SUGGESTIONS
            )
        )
    return made, entries


def ola_outreach_lead() -> User:
    """Ola, a practitioner and an outreach lead: may re-identify a worklist entry."""
    user = ola()
    group = Group.objects.get_or_create(name=OUTREACH_LEAD)[0]
    # As casework's migration grants it (a transactional test's flush empties the groups).
    group.permissions.add(
        Permission.objects.get(content_type__app_label="casework", codename="reidentify")
    )
    user.groups.add(group)
    return user


def kim() -> User:
    """Kim, a practitioner in Wigan Central who is not an outreach lead: sees worklists,
    re-identifies no one."""
    from tests.factories.teams import WIGAN_CENTRAL, join

    user = UserFactory(username="kim@example.nhs.uk")
    user.groups.add(Group.objects.get(name=Role.PRACTITIONER))
    return join(user, WIGAN_CENTRAL)
