"""Teams and caseloads: practitioners find and open only their teams' people; anyone else takes a
recorded reason ("break glass"), good until midnight and reviewed by the team's administrator;
a person added joins the adder's team's caseload; organisations see a referral only with the
person's consent to share with them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.factories import accounts as personas
from tests.factories import directory as directory_factories
from tests.factories import teams
from tests.factories.casework import PersonFactory, ade, test_nhs_number
from thedeal.casework import access, actions, teams_actions
from thedeal.casework.models import (
    AuditEvent,
    BreakGlass,
    Consent,
    Direction,
    Person,
    Referral,
    Team,
    end_of_day,
)

pytestmark = pytest.mark.django_db

NEW = {
    "given_name": "Jamal",
    "family_name": "Okafor",
    "date_of_birth_day": "4",
    "date_of_birth_month": "11",
    "date_of_birth_year": "1971",
    "postcode": "wn1 1ae",
}
REASON = "Covering for Kofi: she rang about the walking group tomorrow"


@pytest.fixture
def leigh_person():
    """Brenda, in the Leigh community team's caseload (Kofi's), not Wigan Central's (Ola's)."""
    return PersonFactory(
        given_name="Brenda",
        family_name="Unsworth",
        nhs_number=test_nhs_number(3),
        caseload=teams.team(teams.LEIGH),
    )


def test_a_practitioner_finds_only_the_people_in_their_teams_caseload(client, leigh_person):
    mine = PersonFactory(given_name="Brenda", family_name="Atherton")
    client.force_login(personas.ola())

    page = client.get("/casework/?name=Brenda").text

    assert "Atherton" in page and "Unsworth" not in page
    assert "1 person found" in page
    # Only the person shown was seen, and the audit log says so.
    assert set(
        AuditEvent.objects.filter(action="searched").values_list("person_id", flat=True)
    ) == {mine.pk}


def test_an_exact_nhs_number_outside_the_caseload_offers_break_glass_without_a_name(
    client, leigh_person
):
    client.force_login(personas.ola())

    page = client.get(f"/casework/?nhs_number={leigh_person.nhs_number}").text

    assert "Someone with this NHS number has a record, but they are not in your team" in page
    assert f"/casework/people/{leigh_person.reference}/break-glass/" in page
    assert "Brenda" not in page and "Unsworth" not in page
    # Learning that a record exists is a look at it: audited, by what was searched on.
    event = AuditEvent.objects.get(action="searched")
    assert event.person_id == leigh_person.pk and event.field_names == ["nhs_number"]


def test_a_name_search_never_offers_break_glass(client, leigh_person):
    client.force_login(personas.ola())

    page = client.get("/casework/?name=Unsworth").text

    assert "No one found" in page and "break-glass" not in page
    assert leigh_person.reference not in page
    assert not AuditEvent.objects.filter(action="searched").exists()


def test_breaking_glass_opens_the_record_until_midnight_with_the_reason_audited(
    client, leigh_person
):
    ola = personas.ola()
    client.force_login(ola)
    url = f"/casework/people/{leigh_person.reference}/"
    assert client.get(url).status_code == 404

    response = client.post(f"{url}break-glass/", {"reason": f"  {REASON}  "})

    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).text
    assert "Unsworth" in page and "until midnight tonight" in page and REASON in page
    use = BreakGlass.objects.get()
    assert use.user == ola and use.reason == REASON and not use.reviewed
    assert timezone.localtime(use.expires_at).time() == datetime.time(0, 0)
    assert use.expires_at - use.opened_at <= datetime.timedelta(days=1)
    assert [t.name for t in use.teams.all()] == [teams.WIGAN_CENTRAL]
    event = AuditEvent.objects.get(record_type="break-glass")
    assert (event.action, event.person_id, event.reason) == ("created", leigh_person.pk, REASON)


def test_after_midnight_the_record_is_closed_again(client, leigh_person):
    ola = personas.ola()
    use = teams_actions.break_glass(person=leigh_person, reason=REASON, by=ola)
    client.force_login(ola)
    assert client.get(f"/casework/people/{leigh_person.reference}/").status_code == 200

    yesterday = timezone.now() - datetime.timedelta(days=1)
    BreakGlass.objects.filter(pk=use.pk).update(
        opened_at=yesterday - datetime.timedelta(hours=1), expires_at=yesterday
    )

    assert client.get(f"/casework/people/{leigh_person.reference}/").status_code == 404
    assert "1 person found" not in client.get("/casework/?name=Unsworth").text


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("", "Enter why you need to open this record"),
        ("   checking ", "The reason must say why, in 10 characters or more"),
        ("x" * 1001, "The reason must be 1,000 characters or fewer"),
    ],
)
def test_breaking_glass_needs_a_reason(client, leigh_person, reason, error):
    client.force_login(personas.ola())

    response = client.post(
        f"/casework/people/{leigh_person.reference}/break-glass/", {"reason": reason}
    )

    assert response.status_code == 200
    assert "There is a problem" in response.text and error in response.text
    assert "Unsworth" not in response.text
    assert not BreakGlass.objects.exists() and not AuditEvent.objects.exists()


def test_the_team_administrator_reviews_each_use_once(client, leigh_person):
    ola = personas.ola()
    use = teams_actions.break_glass(person=leigh_person, reason=REASON, by=ola)
    grace = teams.grace()
    client.force_login(grace)
    assert "1 record opened outside a caseload to review" in client.get("/casework/").text

    page = client.get("/casework/break-glass/").text
    assert REASON in page and leigh_person.reference in page and "ola@example.nhs.uk" in page

    response = client.post("/casework/break-glass/", {"use": use.pk})

    assert response["Location"] == "/casework/break-glass/?done=reviewed"
    use.refresh_from_db()
    assert use.reviewed_by == grace and use.reviewed_at is not None
    event = AuditEvent.objects.get(record_type="break-glass", action="changed")
    assert event.user_id == grace.pk and event.field_names == ["reviewed_at"]
    page = client.get(response["Location"]).text
    assert "Marked as reviewed" in page and "There is nothing to review" in page
    # Reviewed once: a second time is not found.
    assert client.post("/casework/break-glass/", {"use": use.pk}).status_code == 404


def test_looks_under_break_glass_are_audited_with_it_and_shown_to_the_reviewer(
    client, leigh_person
):
    ola = personas.ola()
    mine = PersonFactory(caseload=teams.team(teams.WIGAN_CENTRAL))
    use = teams_actions.break_glass(person=leigh_person, reason=REASON, by=ola)
    client.force_login(ola)
    client.get(f"/casework/people/{leigh_person.reference}/")
    client.get(f"/casework/people/{leigh_person.reference}/change/contact/")
    client.get(f"/casework/people/{mine.reference}/")
    # Her own team's practitioner sees her through the caseload: no break glass of theirs.
    actions.record_view(person=leigh_person, by=teams.kofi())

    under_glass = AuditEvent.objects.filter(break_glass_id=use.pk)
    assert [(e.action, e.person_id) for e in under_glass] == [("viewed", leigh_person.pk)] * 2
    assert not AuditEvent.objects.filter(person_id=mine.pk, break_glass_id__isnull=False)
    assert AuditEvent.objects.filter(break_glass_id__isnull=True, username="kofi@example.nhs.uk")
    client.force_login(teams.grace())
    page = client.get("/casework/break-glass/").text
    assert "What they looked at" in page
    assert page.count("Viewed the record") == 2 and "(to change: contact preferences)" in page


def test_only_the_practitioners_team_administrator_reviews_their_use(client, leigh_person):
    ola = personas.ola()
    teams_actions.break_glass(person=leigh_person, reason=REASON, by=ola)
    # Another team's administrator does not see Ola's use.
    other = teams.practitioner("mo@example.nhs.uk")
    leigh = teams.team(teams.LEIGH)
    leigh.administrator = other
    leigh.save()
    teams.join(other, teams.LEIGH)
    client.force_login(other)
    assert "There is nothing to review" in client.get("/casework/break-glass/").text
    # Nor does a practitioner who administers no team.
    client.force_login(teams.kofi())
    assert client.get("/casework/break-glass/").status_code == 403


def test_nobody_reviews_their_own_break_glass(client, leigh_person):
    grace = teams.join(teams.grace(), teams.WIGAN_CENTRAL)
    use = teams_actions.break_glass(person=leigh_person, reason=REASON, by=grace)
    client.force_login(grace)

    assert "There is nothing to review" in client.get("/casework/break-glass/").text
    assert client.post("/casework/break-glass/", {"use": use.pk}).status_code == 404
    # An administrator (who sees every team's) reviews it instead.
    client.force_login(personas.dana())
    assert REASON in client.get("/casework/break-glass/").text


def test_someone_the_practitioner_already_sees_needs_no_break_glass(client):
    maureen = PersonFactory()
    client.force_login(personas.ola())

    response = client.get(f"/casework/people/{maureen.reference}/break-glass/")

    assert response["Location"] == f"/casework/people/{maureen.reference}/"
    assert not BreakGlass.objects.exists()


def test_a_person_added_joins_the_adders_teams_caseload(client):
    ola = personas.ola()
    client.force_login(ola)

    assert "Which team" not in client.get("/casework/people/new/").text
    client.post("/casework/people/new/", NEW)

    person = Person.objects.get(family_name="Okafor")
    assert [t.name for t in person.teams.all()] == [teams.WIGAN_CENTRAL]
    assert (
        "In the caseload of Wigan Central link workers."
        in client.get(f"/casework/people/{person.reference}/").text
    )
    assert "caseload" in AuditEvent.objects.get(action="created").field_names
    assert not access.may_see(teams.kofi(), person)


def test_a_practitioner_in_two_teams_chooses_whose_caseload(client):
    grace = teams.join(teams.grace(), teams.WIGAN_CENTRAL, teams.LEIGH)
    client.force_login(grace)

    response = client.post("/casework/people/new/", NEW)

    assert response.status_code == 200
    assert "Select the team whose caseload they join" in response.text
    assert not Person.objects.exists()

    leigh = teams.team(teams.LEIGH)
    client.post("/casework/people/new/", {**NEW, "team": leigh.pk})

    person = Person.objects.get(family_name="Okafor")
    assert list(person.teams.all()) == [leigh]
    assert access.may_see(teams.kofi(), person) and not access.may_see(personas.ola(), person)


def test_a_practitioner_cannot_add_someone_to_a_team_they_are_not_in(client):
    grace = teams.join(teams.grace(), teams.WIGAN_CENTRAL, teams.LEIGH)
    kofi = teams.kofi()
    stranger = Team.objects.create(
        name="Hindley outreach", administrator=kofi, safeguarding_lead=kofi
    )
    client.force_login(grace)

    response = client.post("/casework/people/new/", {**NEW, "team": stranger.pk})

    assert response.status_code == 200 and "Select one of your teams" in response.text
    assert not Person.objects.exists()


def test_a_practitioner_in_no_team_is_told_to_ask_an_administrator(client):
    PersonFactory()
    client.force_login(teams.lone_practitioner())

    response = client.get("/casework/")

    assert response.status_code == 403
    assert "You are not in a team yet" in response.text
    assert "Ask an administrator to add you to your team" in response.text
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )


def test_administrators_see_everyone_and_analysts_no_one(leigh_person):
    dana, analyst = personas.dana(), ade()

    assert access.may_see(dana, leigh_person)
    assert list(access.visible_people(dana)) == [leigh_person]
    assert not access.may_see(analyst, leigh_person)
    assert not access.visible_people(analyst).exists()


def test_end_of_day_is_the_next_local_midnight_across_the_clock_change():
    # 26 October 2025: the clocks went back an hour in the night (a day of 25 hours).
    for at in (
        datetime.datetime(2025, 10, 25, 23, 30, tzinfo=datetime.UTC),  # 00:30 on the 26th, BST
        datetime.datetime(2025, 10, 26, 12, 0, tzinfo=datetime.UTC),
        datetime.datetime(2025, 10, 26, 23, 59, tzinfo=datetime.UTC),
    ):
        end = end_of_day(at)
        local = timezone.localtime(end)
        assert local.time() == datetime.time(0, 0)
        assert local.date() == timezone.localtime(at).date() + datetime.timedelta(days=1)
        assert at < end


# Organisations see a referral to them, with the person's consent to share with them.


@pytest.fixture
def priya():
    return personas.priya()


@pytest.fixture
def referral(priya):
    """A referral of someone in Ola's caseload to Priya's organisation."""
    garden = priya.editing.get().organization
    person = PersonFactory()
    return Referral.objects.create(
        person=person, direction=Direction.OUTBOUND, performer_organization=garden
    )


def share(referral, organization, *, withdrawn=False):
    consent = actions.record_consent(
        person=referral.person,
        kind="share",
        organization=organization,
        given_on=datetime.date(2026, 1, 5),
        by=teams.grace(),
    )
    if withdrawn:
        actions.withdraw_consent(consent=consent, on=datetime.date(2026, 2, 1), by=teams.grace())
    return consent


def test_the_receiving_organisations_editor_sees_a_referral_with_consent_to_share(referral, priya):
    assert not access.may_see_referral(priya, referral)  # no consent yet

    share(referral, referral.performer_organization)

    assert access.may_see_referral(priya, referral)
    # Only through the referral: the person's record stays closed to her.
    assert not access.may_see(priya, referral.person)


def test_a_withdrawn_consent_closes_the_referral_to_the_organisation(referral, priya):
    share(referral, referral.performer_organization, withdrawn=True)

    assert Consent.objects.get().withdrawn
    assert not access.may_see_referral(priya, referral)


def test_consent_to_share_with_another_organisation_is_not_enough(referral, priya):
    share(referral, directory_factories.OrganizationFactory(name="Leigh Food Bank"))

    assert not access.may_see_referral(priya, referral)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        (lambda: personas.ola(), True),  # the person is in her team's caseload
        (lambda: teams.kofi(), False),
        (lambda: ade(), False),
        (lambda: personas.sam(), False),
        (lambda: personas.dana(), True),
    ],
    ids=["ola", "kofi", "analyst", "resident", "administrator"],
)
def test_staff_see_a_referral_when_they_may_see_the_person(referral, who, sees):
    share(referral, referral.performer_organization)

    assert access.may_see_referral(who(), referral) is sees


def test_an_editor_of_another_organisation_never_sees_the_referral(referral):
    share(referral, referral.performer_organization)
    lee = personas.UserFactory(username="lee@example.org")
    from thedeal.accounts.models import OrganisationEditor

    OrganisationEditor.objects.create(
        user=lee, organization=directory_factories.OrganizationFactory(name="Leigh Food Bank")
    )

    assert not access.may_see_referral(lee, referral)


def test_an_inbound_referral_with_no_organisation_is_seen_by_no_editor(priya):
    person = PersonFactory()
    share(Referral(person=person), priya.editing.get().organization)
    inbound = Referral.objects.create(person=person, direction=Direction.INBOUND)

    assert not access.may_see_referral(priya, inbound)
    assert access.may_see_referral(personas.ola(), inbound)


# --- joining and leaving a caseload without an administrator ------------------------------

WHY_JOIN = "Moved to Wigan: our team is working with her now"
WHY_LEAVE = "Her plan is closed and she is settled at the walking group"


def test_after_break_glass_a_practitioner_adds_the_person_to_their_teams_caseload(
    client, leigh_person
):
    ola = personas.ola()
    client.force_login(ola)
    url = f"/casework/people/{leigh_person.reference}/"
    assert client.get(f"{url}caseload/add/").status_code == 404  # not hers to see yet
    client.post(f"{url}break-glass/", {"reason": REASON})

    form = client.get(f"{url}caseload/add/").text
    response = client.post(f"{url}caseload/add/", {"reason": f"  {WHY_JOIN} "})

    assert "Add to the caseload of Wigan Central link workers" in form
    assert response.status_code == 302 and response["Location"] == f"{url}?done=joined-caseload"
    assert set(leigh_person.teams.values_list("name", flat=True)) == {
        teams.LEIGH,
        teams.WIGAN_CENTRAL,
    }
    page = client.get(response["Location"]).text
    assert "They have been added to your team&#x27;s caseload" in page
    assert "added to the caseload of Wigan Central link workers by ola@example.nhs.uk" in page
    assert f"because “{WHY_JOIN}”" in page
    event = AuditEvent.objects.get(record_type="caseload")
    assert event.username == "ola@example.nhs.uk" and event.person_id == leigh_person.pk
    assert event.action == "changed" and WHY_JOIN in event.reason
    # In her caseload now: she sees Brenda after midnight, with no break glass.
    now = timezone.now()
    BreakGlass.objects.update(
        opened_at=now - datetime.timedelta(hours=2), expires_at=now - datetime.timedelta(hours=1)
    )
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("reason", "error"),
    [("", "Enter why you add them to the caseload"),
     ("because", "The reason must say why, in 10 characters or more")],
)  # fmt: skip
def test_adding_to_a_caseload_needs_a_reason_and_changes_nothing_without_one(
    client, leigh_person, reason, error
):
    grace = teams.join(teams.grace(), teams.WIGAN_CENTRAL, teams.LEIGH)
    client.force_login(grace)
    maureen = PersonFactory(given_name="Maureen")  # in Wigan Central's caseload only

    response = client.post(
        f"/casework/people/{maureen.reference}/caseload/add/", {"reason": reason}
    )

    assert response.status_code == 200 and error in response.text
    assert list(maureen.teams.values_list("name", flat=True)) == [teams.WIGAN_CENTRAL]
    assert not AuditEvent.objects.filter(record_type="caseload").exists()


def test_taking_someone_off_the_caseload_closes_their_record_to_the_team_and_shows_why(client):
    ola = personas.ola()
    maureen = PersonFactory(given_name="Maureen", family_name="Hesketh")
    client.force_login(ola)
    url = f"/casework/people/{maureen.reference}/"
    assert "Take off your team's caseload" in client.get(url).text

    response = client.post(f"{url}caseload/remove/", {"reason": WHY_LEAVE})

    assert response.status_code == 302 and response["Location"] == "/casework/?done=left-caseload"
    found = client.get(response["Location"]).text
    assert "their record is closed to you" in found and "There is a problem" not in found
    assert client.get(url).status_code == 404
    assert not maureen.teams.exists()
    client.force_login(personas.dana())
    page = client.get(url).text
    assert "taken off the caseload of Wigan Central link workers by ola@example.nhs.uk" in page
    assert f"because “{WHY_LEAVE}”" in page


def test_someone_in_two_teams_says_which_and_cannot_name_a_team_they_are_not_in(client):
    grace = teams.join(teams.grace(), teams.WIGAN_CENTRAL, teams.LEIGH)
    other = Team.objects.create(name="Ashton team", administrator=grace, safeguarding_lead=grace)
    maureen = PersonFactory(given_name="Maureen", caseload=teams.team(teams.WIGAN_CENTRAL))
    teams_actions.CaseloadEntry.objects.create(team=teams.team(teams.LEIGH), person=maureen)
    client.force_login(grace)
    url = f"/casework/people/{maureen.reference}/caseload/remove/"

    assert "Which team&#x27;s caseload?" in client.get(url).text
    refused = client.post(url, {"team": other.pk, "reason": WHY_LEAVE})
    assert refused.status_code == 200 and "Select one of your teams" in refused.text
    client.post(url, {"team": teams.team(teams.LEIGH).pk, "reason": WHY_LEAVE})
    assert list(maureen.teams.values_list("name", flat=True)) == [teams.WIGAN_CENTRAL]
    with pytest.raises(PermissionDenied):
        teams_actions.add_to_caseload(person=maureen, team=other, reason=WHY_JOIN, by=grace)


def test_an_administrator_keeps_the_teams_in_the_admin_but_cannot_rewrite_what_people_did(
    client, leigh_person
):
    """Dana (an Administrator, not a superuser) adds a team and changes who is in it; the
    break-glass uses and caseload changes she may read, never change or delete."""
    client.force_login(personas.dana())

    assert client.get("/admin/casework/team/").status_code == 200
    assert client.get("/admin/casework/team/add/").status_code == 200
    assert client.get("/admin/casework/caseloadentry/").status_code == 200
    assert client.get("/admin/casework/breakglass/").status_code == 200
    assert client.get("/admin/casework/caseloadchange/").status_code == 200
    assert client.get("/admin/casework/breakglass/add/").status_code == 403
    assert client.get("/admin/casework/caseloadchange/add/").status_code == 403
