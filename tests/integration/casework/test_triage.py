"""The link workers' triage queue: a GP's referral naming no organisation waits here, without
the person's name, until a practitioner takes it on (the person joins their team's caseload, so
they can open the record) or declines it with a reason."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import accounts as personas
from tests.factories import teams
from tests.factories.casework import PersonFactory, ade
from tests.factories.triage import gp_referral
from thedeal.casework import access, triage_actions
from thedeal.casework.lifecycle import Status, TransitionRefused
from thedeal.casework.models import AuditEvent, CaseloadEntry

pytestmark = pytest.mark.django_db

QUEUE = "/casework/triage/"


def take_on_url(referral):
    return f"{QUEUE}{referral.fhir_id}/take-on/"


def decline_url(referral):
    return f"{QUEUE}{referral.fhir_id}/decline/"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("ola", 200), ("dana", 200), ("ade", 403), ("priya", 403), ("sam", 403)],
)
def test_the_queue_is_for_practitioners_and_administrators(client, persona, status):
    gp_referral()
    make = {"ola": personas.ola, "dana": personas.dana, "ade": ade, "priya": personas.priya,
            "sam": personas.sam}[persona]  # fmt: skip
    client.force_login(make())

    assert client.get(QUEUE).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client):
    referral = gp_referral()

    for url in (QUEUE, take_on_url(referral), decline_url(referral)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")


def test_the_queue_shows_what_triage_needs_and_never_the_name(client):
    referral = gp_referral(at=timezone.make_aware(datetime.datetime(2026, 3, 2, 9)))
    client.force_login(personas.ola())

    page = client.get(QUEUE).content.decode()

    assert "Pemberton Surgery" in page and "Dr Nolan" in page
    assert "Socially isolated since a bereavement" in page
    assert "Pemberton" in page and "2 March 2026" in page
    expected_age = triage_actions.age_on(referral.person.date_of_birth, timezone.localdate())
    assert f">{expected_age}<" in page
    assert "Bernard" not in page and "Ashworth" not in page
    assert referral.person.nhs_number not in page


def test_only_referrals_still_waiting_show_oldest_first(client):
    newer = gp_referral(reason="Newer referral", at=timezone.now() - datetime.timedelta(days=1))
    older = gp_referral(
        reason="Older referral",
        person=PersonFactory(caseload=False),
        at=timezone.now() - datetime.timedelta(days=10),
    )
    answered = gp_referral(reason="Answered already", person=PersonFactory(caseload=False))
    triage_actions.decline(referral=answered, reason="Moved away", by=personas.dana())
    client.force_login(personas.ola())

    page = client.get(QUEUE).content.decode()

    assert page.index("Older referral") < page.index("Newer referral")
    assert "Answered already" not in page
    assert [r.pk for r in triage_actions.waiting()] == [older.pk, newer.pk]


def test_each_referral_shown_is_audited_against_its_person(client):
    referral = gp_referral()
    ola = personas.ola()
    client.force_login(ola)

    client.get(QUEUE)

    event = AuditEvent.objects.get(record_type="triage")
    assert (event.user_id, event.action, event.record_id, event.person_id) == (
        ola.pk, "viewed", referral.pk, referral.person_id,
    )  # fmt: skip
    assert "name" not in event.field_names


def test_taking_on_puts_the_person_in_the_caseload_and_opens_their_record(client):
    referral = gp_referral()
    ola = personas.ola()
    client.force_login(ola)
    assert not access.may_see(ola, referral.person)

    response = client.post(take_on_url(referral))

    assert response.status_code == 302
    assert response["Location"].startswith(f"/casework/people/{referral.person.reference}/")
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert referral.changes.last().by_user == ola
    assert CaseloadEntry.objects.filter(
        team__name=teams.WIGAN_CENTRAL, person=referral.person, added_by=ola
    ).exists()
    assert access.may_see(ola, referral.person)
    record = client.get(response["Location"]).content.decode()
    assert "Bernard" in record and "taken on the referral" in record
    assert AuditEvent.objects.filter(
        record_type="referral", record_id=referral.pk, action="changed", user_id=ola.pk
    ).exists()
    assert "Dr Nolan" not in client.get(QUEUE).content.decode()


def test_a_practitioner_in_several_teams_chooses_which_takes_them_on(client):
    referral = gp_referral()
    grace = teams.join(teams.grace(), teams.WIGAN_CENTRAL, teams.LEIGH)
    client.force_login(grace)

    unchosen = client.post(take_on_url(referral))
    assert unchosen.status_code == 200
    assert "Select the team that takes them on" in unchosen.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.REQUESTED

    leigh = teams.team(teams.LEIGH)
    client.post(take_on_url(referral), {"team": leigh.pk})

    assert list(referral.person.teams.all()) == [leigh]


def test_the_second_person_to_take_a_referral_on_is_told_and_changes_nothing(client):
    referral = gp_referral()
    triage_actions.take_on(referral=referral, team=teams.team(teams.LEIGH), by=teams.kofi())
    client.force_login(personas.ola())

    response = client.post(take_on_url(referral))

    assert response.status_code == 409
    assert (
        "Someone else has already taken on or declined this referral" in response.content.decode()
    )
    assert not CaseloadEntry.objects.filter(
        person=referral.person, team__name=teams.WIGAN_CENTRAL
    ).exists()
    assert referral.changes.filter(to_status=Status.ACCEPTED).count() == 1


def test_a_race_lost_inside_the_lifecycle_writes_nothing():
    # Both opened the referral while it was waiting; the other's answer lands first.
    referral = gp_referral()
    ola = personas.ola()
    stale = type(referral).objects.get(pk=referral.pk)
    triage_actions.decline(referral=referral, reason="Already seen", by=personas.dana())

    with pytest.raises(TransitionRefused):
        triage_actions.take_on(referral=stale, team=teams.team(), by=ola)

    assert not CaseloadEntry.objects.filter(person=referral.person).exists()


def test_declining_needs_a_reason(client):
    referral = gp_referral()
    client.force_login(personas.ola())

    response = client.post(decline_url(referral), {"reason": "   "})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter why the link workers cannot take this referral on" in page
    referral.refresh_from_db()
    assert referral.status == Status.REQUESTED


def test_declining_keeps_the_reason_for_the_referrer(client):
    referral = gp_referral()
    dana = personas.dana()
    client.force_login(dana)

    response = client.post(decline_url(referral), {"reason": "Already with the Leigh team"})

    assert response["Location"] == f"{QUEUE}?done=declined"
    referral.refresh_from_db()
    assert (referral.status, referral.status_reason) == (
        Status.REJECTED, "Already with the Leigh team",
    )  # fmt: skip
    assert not CaseloadEntry.objects.filter(person=referral.person).exists()
    assert "The referral has been declined" in client.get(response["Location"]).content.decode()


def test_an_outbound_referral_is_not_the_queues(client):
    from tests.factories.inbox import organisation_of, sent_referral

    ola = personas.ola()
    sent = sent_referral(to=organisation_of(personas.priya()), by=ola)
    client.force_login(ola)

    assert client.get(take_on_url(sent)).status_code == 404
    assert client.get(decline_url(sent)).status_code == 404


def test_the_find_page_says_how_many_are_waiting(client):
    gp_referral()
    gp_referral(person=PersonFactory(caseload=False))
    client.force_login(personas.ola())

    assert "Referrals received (2 waiting)" in client.get("/casework/").content.decode()


@given(
    born=st.dates(datetime.date(1900, 1, 1), datetime.date(2020, 12, 31)),
    later=st.integers(0, 365 * 100),
)
def test_age_goes_up_by_one_on_each_birthday_and_never_down(born, later):
    day = born + datetime.timedelta(days=later)
    age = triage_actions.age_on(born, day)
    next_day = triage_actions.age_on(born, day + datetime.timedelta(days=1))

    assert 0 <= age <= later // 365
    assert next_day - age in (0, 1)


# --- narrowing the queue to the wards a team covers ---------------------------------------


def ward(name):
    """A borough ward's code, from its name."""
    from thedeal import geography

    return {n: code for code, n in geography.borough_wards()}[name]


def living_in(name, reason):
    person = PersonFactory(caseload=False, ward_name=name, ward_code=ward(name) if name else "")
    return gp_referral(person=person, reason=reason)


@pytest.fixture
def three_wards():
    """Referrals from Pemberton (Wigan Central's), Leigh South (Leigh's) and somewhere unknown;
    Wigan Central covers Pemberton and Wigan West."""
    wigan = teams.team(teams.WIGAN_CENTRAL)
    wigan.ward_codes = [ward("Pemberton"), ward("Wigan West")]
    wigan.save()
    return {
        "pemberton": living_in("Pemberton", "Lonely in Pemberton"),
        "leigh": living_in("Leigh South", "Lonely in Leigh"),
        "unknown": living_in("", "Lonely, postcode outside the borough"),
    }


def test_the_queue_shows_the_wards_the_team_covers_first(client, three_wards):
    client.force_login(personas.ola())

    page = client.get(QUEUE).content.decode()

    assert "Lonely in Pemberton" in page
    assert "Lonely, postcode outside the borough" in page  # nobody's ward: every team sees it
    assert "Lonely in Leigh" not in page
    assert "Your team covers Pemberton, Wigan West" in page
    assert "1 more referral waits in other wards" in page and 'href="?ward=all"' in page
    # Only what was shown is recorded as seen.
    seen = set(AuditEvent.objects.filter(record_type="triage").values_list("person_id", flat=True))
    assert seen == {three_wards["pemberton"].person_id, three_wards["unknown"].person_id}


def test_all_wards_or_one_ward_can_be_chosen(client, three_wards):
    client.force_login(personas.ola())

    everywhere = client.get(QUEUE, {"ward": "all"}).content.decode()
    leigh = client.get(QUEUE, {"ward": ward("Leigh South")}).content.decode()

    assert all(f"Lonely in {w}" in everywhere for w in ("Pemberton", "Leigh"))
    assert "in other wards" not in everywhere
    assert "Lonely in Leigh" in leigh and "Lonely in Pemberton" not in leigh
    assert "2 more referrals wait in other wards" in leigh
    assert f'<option value="{ward("Leigh South")}" selected>Leigh South</option>' in leigh


def test_a_ward_not_in_the_borough_is_refused_and_says_so(client, three_wards):
    client.force_login(personas.ola())

    response = client.get(QUEUE, {"ward": "E05999999"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "Choose a ward from the list" in page
    assert "Lonely in Pemberton" in page and "Lonely in Leigh" not in page  # the first view


def test_a_team_that_covers_no_ward_in_particular_sees_the_whole_borough(client, three_wards):
    client.force_login(teams.kofi())  # Leigh's team says no wards

    page = client.get(QUEUE).content.decode()

    assert all(f"Lonely in {w}" in page for w in ("Pemberton", "Leigh"))
    assert "Your team's wards" not in page and "in other wards" not in page


def test_administrators_tick_the_wards_a_team_covers_in_the_admin(client):
    from thedeal.casework.teams_admin import TeamForm

    wigan = teams.team(teams.WIGAN_CENTRAL)
    client.force_login(
        personas.UserFactory(username="it@example.gov.uk", is_staff=True, is_superuser=True)
    )
    page = client.get(f"/admin/casework/team/{wigan.pk}/change/").content.decode()
    assert "Wards covered" in page and "Hindley Green" in page

    form = TeamForm(
        instance=wigan,
        data={"name": wigan.name, "administrator": wigan.administrator_id,
              "safeguarding_lead": wigan.safeguarding_lead_id,
              "ward_codes": [ward("Pemberton"), ward("Ince")]},
    )  # fmt: skip
    assert form.is_valid(), form.errors
    form.save()
    wigan.refresh_from_db()
    assert wigan.ward_codes == [ward("Pemberton"), ward("Ince")]
    bad = TeamForm(instance=wigan, data={**form.data, "ward_codes": ["E05999999"]})
    assert not bad.is_valid() and "ward_codes" in bad.errors
