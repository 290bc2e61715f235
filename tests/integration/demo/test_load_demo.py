"""`thedeal load_demo`, as `make run` uses it: one command loads every app's part of the demo
borough, the directory first and then the Deal, each from the app's own generator."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from thedeal import geography
from thedeal.deal.models import Commitment, PledgeType
from thedeal.directory import demo
from thedeal.directory.models import Service

pytestmark = pytest.mark.django_db


def load(*args, **options):  # type: ignore[no-untyped-def]
    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_the_demo_borough_loads_the_directory_then_the_deal():
    out, progress = load(services=20, seed=3)

    assert Service.objects.count() == 20
    assert Commitment.objects.exists()
    assert PledgeType.objects.exists()
    assert progress.index("The directory of") < progress.index("The Deal: commitments")
    assert "Loaded the demo borough: 20 services" in out


def test_the_directory_holds_what_its_generator_makes_for_the_seed():
    tables = demo.generate_directory(
        geography.borough_postcodes(), seed=3, services=20, as_of=timezone.localdate()
    )

    load(services=20, seed=3)

    stored = {str(pk) for pk in Service.objects.values_list("id", flat=True)}
    assert stored == {row["id"] for row in tables["services"]}


def test_if_empty_leaves_a_directory_that_has_services_as_it_is():
    load(services=20, seed=3)
    before = set(Service.objects.values_list("id", flat=True))

    out, _ = load("--if-empty", services=30, seed=4)

    assert set(Service.objects.values_list("id", flat=True)) == before
    assert "The directory already has services; the demo borough was not loaded." in out
    assert Commitment.objects.exists()


def test_if_empty_on_a_new_installation_loads_the_whole_demo():
    load("--if-empty", services=20, seed=3)

    assert Service.objects.count() == 20
    assert Commitment.objects.exists()


def test_a_second_load_leaves_the_deal_as_it_was():
    load(services=20, seed=3)
    commitments = list(Commitment.objects.values_list("slug", flat=True))

    load("--if-empty", services=20, seed=3)

    assert list(Commitment.objects.values_list("slug", flat=True)) == commitments


def test_fewer_than_one_service_is_refused_before_anything_is_loaded():
    with pytest.raises(CommandError, match="--services must be at least 1"):
        load(services=0)

    assert not Commitment.objects.exists()
    assert not Service.objects.exists()


def test_anyone_trying_the_demo_can_sign_in_as_each_role(client):
    out, _ = load(services=20, seed=3)

    password = re.search(r"with the password (\S+)", out).group(1)
    landings = {
        "sam@example.org": "/deal/your-part/mine/",
        "priya@example.org": "/accounts/listings/",
        "dana@example.gov.uk": "/admin/",
        "ola@example.nhs.uk": "/casework/",
        "kofi@example.nhs.uk": "/casework/",
        "grace@example.nhs.uk": "/casework/",
        "ade@example.gov.uk": "/admin/",
    }
    for username, landing in landings.items():
        assert username in out
        client.logout()
        response = client.post("/accounts/sign-in/", {"username": username, "password": password})
        assert response.status_code == 302 and response["Location"] == landing, username
    # Priya edits the listings of a real organisation of the demo, named beside her.
    client.logout()
    client.post("/accounts/sign-in/", {"username": "priya@example.org", "password": password})
    assert "Your listings" in client.get("/accounts/listings/").content.decode()
    assert Service.objects.filter(organization__editors__user__username="priya@example.org")


def test_a_second_load_keeps_the_peoples_passwords_and_says_so():
    first, _ = load(services=20, seed=3)
    second, _ = load("--if-empty", services=20, seed=3)

    assert "with the password" in first
    assert "with the password" not in second
    assert "their passwords are as they were" in second


def test_a_demo_can_be_loaded_with_no_accounts():
    from django.contrib.auth.models import User

    out, _ = load(services=20, seed=3, no_people=True)

    assert not User.objects.exists()
    assert "password" not in out


def test_outside_the_demo_no_accounts_are_made(settings):
    from django.contrib.auth.models import User

    settings.DEMO_PEOPLE = False

    out, _ = load(services=20, seed=3)

    assert not User.objects.exists()
    assert "DEMO_PEOPLE is off" in out


def test_the_demo_practitioner_is_an_outreach_lead_who_may_re_identify():
    from django.contrib.auth.models import User

    out, _ = load(services=20, seed=3)

    assert "Outreach leads (may re-identify a worklist entry): ola@example.nhs.uk" in out
    assert User.objects.get(username="ola@example.nhs.uk").has_perm("casework.reidentify")
    assert not User.objects.get(username="dana@example.gov.uk").has_perm("casework.reidentify")


@pytest.mark.slow
def test_ola_finds_a_worklist_in_the_demo_and_reaches_its_first_resident(client):
    """A new user signing in as Ola, the demo's outreach lead, finds a worklist made by the
    risk model, re-identifies its first resident and records their first conversation."""
    from thedeal.casework.models import Conversation, Outreach
    from thedeal.prevention.models import ScoringRun

    out, progress = load(services=60, seed=3, casework_people=20, worklist_residents=2000)

    assert "training the risk model" in progress or "scoring every resident" in progress
    assert "put the 40 at highest risk on a worklist for outreach" in out
    run = ScoringRun.objects.get()
    assert run.residents_scored > 1500 and run.model_version.startswith("emergency-admission")
    password = re.search(r"with the password (\S+)", out).group(1)
    client.post("/accounts/sign-in/", {"username": "ola@example.nhs.uk", "password": password})
    triage = client.get("/casework/triage/").content.decode()
    assert "Your team covers Douglas, Ince, Pemberton, Wigan Central, Wigan West" in triage
    listed = client.get("/casework/outreach/").content.decode()
    assert "Whole borough: 40 residents" in listed
    worklist_url = re.search(r'href="(/casework/outreach/worklists/\d+/)"', listed).group(1)
    worklist = client.get(worklist_url).content.decode()
    assert worklist.count("Open an outreach") == 40
    open_url = re.search(r'href="(/casework/outreach/entries/\d+/open/)"', worklist).group(1)

    opened = client.post(open_url, {"purpose": "To offer support: high risk of an admission"})

    assert opened.status_code == 302
    outreach = Outreach.objects.get()
    assert outreach.person.given_name and outreach.person.nhs_number  # named from the table
    today = timezone.localdate()
    reached = client.post(
        f"/casework/outreach/{outreach.pk}/",
        {"tried_on_day": today.day, "tried_on_month": today.month, "tried_on_year": today.year,
         "method": "phone", "outcome": "reached"},
    )  # fmt: skip
    assert reached.status_code == 302
    assert Conversation.objects.get(person=outreach.person).reason_for_contact == (
        "worklist-outreach"
    )


def test_too_small_a_borough_for_the_worklist_is_refused_before_anything_is_loaded():
    with pytest.raises(CommandError, match="--worklist-residents must be 0 or at least 1,000"):
        load(services=20, worklist_residents=500)

    assert not Service.objects.exists()
