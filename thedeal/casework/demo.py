"""The demo borough's casework: synthetic GP practices and a few hundred synthetic people, the
same for the same seed.

Everything here is made up and says so: names from Faker's UK locale, NHS numbers from NHS
England's test range (999...: never a real person's), phone numbers from Ofcom's range for
drama (07700 900000-900999), email addresses at example.org, GP practices marked synthetic
with ODS codes starting Z99 (no real practice's code starts with Z). Postcodes are the
borough's real ones (thedeal.geography), so that wards and LSOAs are real.

Creating them writes no audit events: no one looked at or changed a real person's record.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction

from thedeal import geography
from thedeal.casework import demo_safeguarding
from thedeal.casework.models import (
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    Consent,
    ConsentKind,
    ContactMethod,
    GPPractice,
    Person,
)
from thedeal.casework.nhs_number import TEST_PREFIX, check_digit

PRACTICE_PLACES = (
    "Wigan", "Leigh", "Hindley", "Ince", "Atherton", "Tyldesley", "Ashton", "Standish",
    "Orrell", "Golborne", "Pemberton", "Shevington",
)  # fmt: skip
PRACTICE_KINDS = ("Family Practice", "Medical Centre", "Health Centre", "Surgery")
WHAT_MATTERS = (
    "Getting out of the house more",
    "Seeing my grandchildren",
    "Being able to walk to the shops again",
    "Feeling less lonely since my wife died",
    "Getting back into work",
    "Looking after my garden",
    "Keeping my independence",
    "Sorting out my money worries",
)
ADJUSTMENTS = (
    "British Sign Language interpreter",
    "Large print letters",
    "Step-free access: uses a wheelchair",
    "Needs extra time and a quiet room",
    "Prefers someone to come with them",
)
# When the demo's people were born: adults of every age (fixed, so a seed gives the same
# people whatever the day).
BORN_FROM = datetime.date(1930, 1, 1)
BORN_TO = datetime.date(2007, 12, 31)
CONSENTED_FROM = datetime.date(2025, 1, 6)


def test_range_nhs_numbers(rng: random.Random, count: int) -> list[str]:
    """`count` different valid NHS numbers from the test range, in a seeded random order."""
    numbers: set[str] = set()
    while len(numbers) < count:
        first_nine = f"{TEST_PREFIX}{rng.randrange(1_000_000):06d}"
        digit = check_digit(first_nine)
        number = first_nine + str(digit) if digit is not None else ""
        if number and len(set(number)) > 1:
            numbers.add(number)
    return sorted(numbers, key=lambda _: rng.random())


def generate(*, seed: int, people: int, practices: int = 12) -> dict[str, list[dict[str, Any]]]:
    """The practices and people for a seed, as dicts of model fields (no database)."""
    from faker import Faker  # only the demo needs it (with factory_boy, in the dev extra)

    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    postcodes = [p for p in geography.borough_postcodes() if p.ward_name]
    practice_rows = []
    for n in range(practices):
        place = PRACTICE_PLACES[n % len(PRACTICE_PLACES)]
        practice_rows.append(
            {
                "name": f"{place} {PRACTICE_KINDS[n % len(PRACTICE_KINDS)]}",
                "ods_code": f"Z99{n + 1:03d}",
                "postcode": rng.choice(postcodes).postcode,
                "synthetic": True,
            }
        )
    numbers = test_range_nhs_numbers(rng, people)
    references: set[str] = set()
    person_rows = []
    span = (BORN_TO - BORN_FROM).days
    for n in range(people):
        reference = ""
        while not reference or reference in references:
            reference = "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        references.add(reference)
        given, family = fake.first_name(), fake.last_name()
        place = rng.choice(postcodes)
        methods = rng.sample([m.value for m in ContactMethod], k=rng.randint(1, 2))
        person_rows.append(
            {
                "reference": reference,
                "given_name": given,
                "family_name": family,
                # About one in ten goes by a shorter name.
                "preferred_name": given[:3] if len(given) > 5 and rng.random() < 0.1 else "",
                "date_of_birth": BORN_FROM + datetime.timedelta(days=rng.randrange(span)),
                # About one in eight has no NHS number recorded yet.
                "nhs_number": numbers[n] if rng.random() >= 0.125 else None,
                "address": f"{fake.building_number()} {fake.street_name()}",
                "postcode": place.postcode,
                "ward_code": place.ward_code or "",
                "ward_name": place.ward_name or "",
                "lsoa_code": place.lsoa_code or "",
                "gp_practice": rng.randrange(practices) if rng.random() < 0.9 else None,
                "phone": f"07700 900{rng.randrange(1000):03d}",
                "email": f"{given}.{family}{n}@example.org".lower()
                .replace(" ", "")
                .replace("'", ""),
                "contact_methods": methods,
                "contact_times": rng.choice(
                    ("", "Mornings", "Weekday afternoons", "Not after 6pm")
                ),
                "do_not_contact": rng.random() < 0.03,
                "reasonable_adjustments": rng.choice(ADJUSTMENTS) if rng.random() < 0.15 else "",
                "what_matters": rng.choice(WHAT_MATTERS) if rng.random() < 0.5 else "",
                "consents": [
                    (kind, CONSENTED_FROM + datetime.timedelta(days=rng.randrange(300)))
                    for kind in (ConsentKind.RECORD, ConsentKind.CONTACT)
                    if rng.random() < (0.9 if kind == ConsentKind.RECORD else 0.6)
                ],
            }
        )
    return {"practices": practice_rows, "people": person_rows}


@transaction.atomic
def load(*, seed: int = 0, people: int = 300) -> int:
    """Create the demo's practices and people (once: a second call changes nothing). Returns
    how many people were added."""
    if people < 1 or Person.objects.exists():
        return 0
    made = generate(seed=seed, people=people)
    practices = [
        GPPractice.objects.get_or_create(ods_code=row["ods_code"], defaults=row)[0]
        for row in made["practices"]
    ]
    consents = []
    rows = []
    for row in made["people"]:
        fields = dict(row)
        consent_rows = fields.pop("consents")
        index = fields.pop("gp_practice")
        rows.append(Person(**fields, gp_practice=practices[index] if index is not None else None))
        consents.append(consent_rows)
    created = Person.objects.bulk_create(rows)
    # bulk_create sets primary keys on SQLite and PostgreSQL alike.
    Consent.objects.bulk_create(
        Consent(person=person, kind=kind, given_on=given_on)
        for person, given in zip(created, consents, strict=True)
        for kind, given_on in given
    )
    demo_safeguarding.load(created, seed=seed)
    return len(created)
