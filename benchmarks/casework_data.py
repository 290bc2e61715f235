"""A borough-sized caseload made in bulk for the casework benchmarks: people, practitioners in
teams, organisations with editors, referrals in every status with their histories, and plans
(most people have an open one, due for review on dates spread around today; some an old one
closed).

Made with bulk_create, not through the actions a practitioner's pages use: the benchmark is of
reading under load, and the actions would take an hour to write 200,000 referrals one by one.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.test import Client
from django.utils import timezone

BATCH = 5_000
ORGANISATIONS = 200
TEAM_SIZE = 10  # practitioners per team: 500 practitioners make 50 teams


@dataclass
class Made:
    summary: str
    pages: list[tuple[str, str, str]] = field(default_factory=list)  # name, path, session id


def _session(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@transaction.atomic
def build(*, people: int, referrals: int, practitioners: int, seed: int) -> Made:
    from thedeal.accounts.models import OrganisationEditor, Role
    from thedeal.casework.lifecycle import CLOSED, Party, Status
    from thedeal.casework.models import (
        CaseloadEntry,
        Consent,
        ConsentKind,
        Direction,
        Membership,
        Person,
        Plan,
        Referral,
        ReferralChange,
        Team,
        keep_review_dates,
    )
    from thedeal.directory.models import Organization, Service

    rng = random.Random(seed)
    now = timezone.now()

    organisations = Organization.objects.bulk_create(
        Organization(name=f"Community group {n}", description="A benchmark organisation.")
        for n in range(ORGANISATIONS)
    )
    services = Service.objects.bulk_create(
        Service(organization=o, name=f"{o.name}'s group", description="Meets weekly.")
        for o in organisations
    )

    group = Group.objects.get(name=Role.PRACTITIONER)
    users = User.objects.bulk_create(
        User(username=f"practitioner{n}@example.nhs.uk") for n in range(practitioners)
    )
    group.user_set.add(*users)
    editor = User.objects.create_user("editor@example.org")
    editor.groups.add(Group.objects.get(name=Role.EDITOR))
    busiest = organisations[0]
    OrganisationEditor.objects.create(user=editor, organization=busiest)

    born = datetime.date(1930, 1, 1)
    for start in range(0, people, BATCH):
        Person.objects.bulk_create(
            Person(
                given_name=rng.choice(["Ann", "Bob", "Chidi", "Dawn", "Eve", "Farid", "Gail"]),
                family_name=f"Person{n}",
                date_of_birth=born + datetime.timedelta(days=rng.randrange(30_000)),
                postcode="WN1 1AA",
            )
            for n in range(start, min(people, start + BATCH))
        )
    person_ids = list(Person.objects.values_list("pk", flat=True))

    statuses = [s for s in Status if s is not Status.DRAFT]
    made_referrals = 0
    for start in range(0, referrals, BATCH):
        batch = []
        for _ in range(start, min(referrals, start + BATCH)):
            # A quarter go to the busiest organisation: its inbox is the one measured.
            organisation = busiest if rng.random() < 0.25 else rng.choice(organisations)
            status = rng.choice(statuses)
            requested = now - datetime.timedelta(days=rng.randrange(1, 730))
            batch.append(
                Referral(
                    person_id=rng.choice(person_ids),
                    direction=Direction.OUTBOUND,
                    performer_organization=organisation,
                    service=services[organisations.index(organisation)]
                    if organisation is not busiest
                    else services[0],
                    requester_user=rng.choice(users),
                    reason="Would like to meet people",
                    status=status.value,
                    requested_at=requested,
                    updated_at=requested,
                    answered_at=None
                    if status is Status.REQUESTED
                    else requested + datetime.timedelta(days=3),
                    closed_at=requested + datetime.timedelta(days=30) if status in CLOSED else None,
                )
            )
        created = Referral.objects.bulk_create(batch)
        ReferralChange.objects.bulk_create(
            ReferralChange(
                referral=r,
                from_status="",
                to_status=Status.REQUESTED.value,
                by_party=Party.REQUESTER.value,
                at=r.requested_at,
            )
            for r in created
        )
        made_referrals += len(created)

    # Teams of practitioners, the people shared out between their caseloads.
    teams = Team.objects.bulk_create(
        Team(
            name=f"Team {n}",
            administrator=users[n * TEAM_SIZE],
            safeguarding_lead=users[n * TEAM_SIZE],
        )
        for n in range(max(1, len(users) // TEAM_SIZE))
    )
    Membership.objects.bulk_create(
        Membership(team=teams[n % len(teams)], user=user) for n, user in enumerate(users)
    )
    for start in range(0, len(person_ids), BATCH):
        CaseloadEntry.objects.bulk_create(
            CaseloadEntry(team=teams[n % len(teams)], person_id=pk)
            for n, pk in enumerate(person_ids[start : start + BATCH], start=start)
        )
    # Plans: a quarter of the people had one closed; seven in ten have one open, most with a
    # review date (overdue for some), so that the caseload's order has dates to sort by.
    today = now.date()
    for start in range(0, len(person_ids), BATCH):
        plans = []
        for pk in person_ids[start : start + BATCH]:
            if rng.random() < 0.25:
                agreed = today - datetime.timedelta(days=rng.randrange(200, 700))
                plans.append(
                    Plan(person_id=pk, agreed_on=agreed, closed_on=agreed + datetime.timedelta(90))
                )
            if rng.random() < 0.7:
                agreed = today - datetime.timedelta(days=rng.randrange(0, 120))
                review = agreed + datetime.timedelta(days=rng.randrange(30, 120))
                plans.append(
                    Plan(
                        person_id=pk,
                        agreed_on=agreed,
                        review_on=review if rng.random() < 0.9 else None,
                    )
                )
        Plan.objects.bulk_create(plans)
    keep_review_dates(Person.objects.all())  # bulk_create does not call Plan.save
    # Consent to share with the busiest organisation for the people referred there.
    shared = (
        Referral.objects.filter(performer_organization=busiest)
        .values_list("person_id", flat=True)
        .distinct()
    )
    Consent.objects.bulk_create(
        Consent(person_id=pk, kind=ConsentKind.SHARE, organization=busiest, given_on=now.date())
        for pk in shared
    )

    practitioner = users[0]
    # Someone in the first practitioner's team's caseload (team 0: every len(teams)-th person).
    someone = Person.objects.get(pk=person_ids[len(teams) * 100])
    made = Made(
        summary=f"{len(person_ids):,} people, {made_referrals:,} referrals, "
        f"{len(users):,} practitioners in {len(teams)} teams, {len(organisations)} organisations"
    )
    as_practitioner = _session(practitioner)
    made.pages += [
        ("a practitioner's caseload", "/casework/caseload/", as_practitioner),
        ("a person's record", f"/casework/people/{someone.reference}/", as_practitioner),
        ("an organisation's inbox", "/referrals/", _session(editor)),
    ]
    return made
