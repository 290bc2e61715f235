"""The demo's casework: a few hundred synthetic people, the same for a seed, who can never be
mistaken for real ones (test-range NHS numbers, synthetic practices, drama phone numbers)."""

import io

import pytest
from django.core.management import call_command

from thedeal import geography
from thedeal.casework import demo
from thedeal.casework.models import Consent, GPPractice, Person
from thedeal.casework.nhs_number import is_test_number, normalise_nhs_number


def test_the_same_seed_makes_the_same_people_and_another_seed_others():
    first = demo.generate(seed=5, people=40)
    assert demo.generate(seed=5, people=40) == first
    other = demo.generate(seed=6, people=40)
    assert [p["family_name"] for p in other["people"]] != [
        p["family_name"] for p in first["people"]
    ]


def test_demo_people_are_recognisably_synthetic_and_live_at_real_borough_postcodes():
    made = demo.generate(seed=1, people=300)
    people = made["people"]
    numbers = [p["nhs_number"] for p in people if p["nhs_number"]]
    assert len(numbers) == len(set(numbers)) > 200
    assert all(is_test_number(n) and normalise_nhs_number(n) == n for n in numbers)
    assert len({p["reference"] for p in people}) == 300
    borough = {p.postcode: p for p in geography.borough_postcodes()}
    assert all(
        p["postcode"] in borough and p["ward_name"] == borough[p["postcode"]].ward_name
        for p in people
    )
    assert all(
        p["phone"].startswith("07700 900") and p["email"].endswith("@example.org") for p in people
    )
    assert all(row["synthetic"] and row["ods_code"].startswith("Z99") for row in made["practices"])


@pytest.mark.django_db
def test_load_demo_adds_the_synthetic_people_once():
    out = io.StringIO()
    call_command(
        "load_demo",
        services=20,
        seed=3,
        no_people=True,
        casework_people=50,
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "Loaded 50 synthetic people for casework" in out.getvalue()
    assert Person.objects.count() == 50
    assert GPPractice.objects.filter(synthetic=False).count() == 0
    assert Consent.objects.filter(kind="record").count() > 30
    expected = {p["reference"]: p["given_name"] for p in demo.generate(seed=3, people=50)["people"]}
    assert dict(Person.objects.values_list("reference", "given_name")) == expected
    again = io.StringIO()
    call_command(
        "load_demo",
        services=20,
        seed=3,
        no_people=True,
        casework_people=50,
        stdout=again,
        stderr=io.StringIO(),
    )
    assert "Casework already has people; none were added." in again.getvalue()
    assert Person.objects.count() == 50


@pytest.mark.django_db
def test_the_demo_splits_its_people_between_two_teams_that_each_persona_works_in():
    from django.contrib.auth.models import User

    from thedeal.casework import access
    from thedeal.casework.models import Team

    out = io.StringIO()
    call_command(
        "load_demo", services=20, seed=3, casework_people=60, stdout=out, stderr=io.StringIO()
    )

    assert "Put 60 people in the caseloads of two teams of practitioners" in out.getvalue()
    assert "kofi@example.nhs.uk" in out.getvalue() and "grace@example.nhs.uk" in out.getvalue()
    wigan, leigh = (
        Team.objects.get(name__startswith="Wigan"),
        Team.objects.get(name="Leigh community team"),
    )
    assert (
        wigan.administrator.username == leigh.safeguarding_lead.username == "grace@example.nhs.uk"
    )
    ola, kofi, grace = (
        User.objects.get(username=f"{name}@example.nhs.uk") for name in ("ola", "kofi", "grace")
    )
    seen_by_ola = set(access.visible_people(ola))
    seen_by_kofi = set(access.visible_people(kofi))
    # Split between the teams, a few shared, everyone in one caseload at least.
    assert 25 <= len(seen_by_ola) <= 35 and 25 <= len(seen_by_kofi) <= 35
    assert 0 < len(seen_by_ola & seen_by_kofi) < 10
    assert (
        seen_by_ola | seen_by_kofi == set(Person.objects.all()) == set(access.visible_people(grace))
    )
