"""A practitioner's pages for people: finding, adding, a person's record and each of its parts,
consents; who may open them; and the audit event each look and change leaves."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import accounts as personas
from tests.factories import directory as directory_factories
from tests.factories.casework import GPPracticeFactory, PersonFactory, ade, test_nhs_number
from thedeal.casework import actions
from thedeal.casework.models import AuditEvent, Consent, Person

pytestmark = pytest.mark.django_db


def page_urls(person, consent):
    base = f"/casework/people/{person.reference}/"
    return [
        "/casework/",
        "/casework/?name=Maureen",
        "/casework/people/new/",
        base,
        *(
            f"{base}change/{part}/"
            for part in (
                "name",
                "date-of-birth",
                "nhs-number",
                "address",
                "gp-practice",
                "contact",
                "adjustments",
                "about-me",
            )
        ),
        f"{base}consents/new/",
        f"{base}consents/{consent.pk}/withdraw/",
    ]


@pytest.fixture
def maureen():
    return PersonFactory(
        given_name="Maureen",
        family_name="Hesketh",
        preferred_name="Mo",
        nhs_number=test_nhs_number(1),
    )


@pytest.fixture
def consent(maureen):
    recorder = personas.UserFactory(username="kim@example.nhs.uk")
    return actions.record_consent(
        person=maureen, kind="record", given_on=datetime.date(2026, 1, 5), by=recorder
    )


@pytest.mark.parametrize(
    "persona", [personas.priya, personas.sam, ade], ids=["editor", "resident", "analyst"]
)
def test_casework_pages_are_forbidden_to_other_roles(client, maureen, consent, persona):
    client.force_login(persona())
    for url in page_urls(maureen, consent):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            f"/casework/people/{maureen.reference}/change/name/", {"given_name": "X"}
        ).status_code
        == 403
    )
    assert not AuditEvent.objects.filter(action="viewed").exists()
    assert Person.objects.get(pk=maureen.pk).given_name == "Maureen"


def test_casework_pages_send_a_signed_out_visitor_to_sign_in(client, maureen, consent):
    for url in page_urls(maureen, consent):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/sign-in/"
        ), url


@pytest.mark.parametrize(
    "persona", [personas.ola, personas.dana], ids=["practitioner", "administrator"]
)
def test_practitioners_and_administrators_open_every_page_never_cached(
    client, maureen, consent, persona
):
    client.force_login(persona())
    for url in page_urls(maureen, consent):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_opening_a_record_is_audited_by_id_without_its_contents(client, maureen):
    ola = personas.ola()
    client.force_login(ola)
    response = client.get(f"/casework/people/{maureen.reference}/")
    assert "Maureen" in response.text and "Hesketh" in response.text
    event = AuditEvent.objects.get(action="viewed")
    assert (event.user_id, event.username, event.record_type, event.person_id) == (
        ola.pk,
        ola.username,
        "person",
        maureen.pk,
    )
    assert "Maureen" not in str(event.__dict__) and "Hesketh" not in str(event.__dict__)


def test_every_page_about_a_person_leaves_one_audit_event(client, maureen, consent):
    client.force_login(personas.ola())
    for url in page_urls(maureen, consent)[3:]:
        before = AuditEvent.objects.filter(action="viewed", person_id=maureen.pk).count()
        client.get(url)
        after = AuditEvent.objects.filter(action="viewed", person_id=maureen.pk).count()
        assert after == before + 1, url


# Finding people ---------------------------------------------------------------------------


def test_find_by_each_detail_shows_enough_to_tell_people_apart(client, maureen):
    other = PersonFactory(
        given_name="Maureen",
        family_name="Ashton",
        date_of_birth=datetime.date(1980, 1, 2),
        postcode="WN2 2AB",
        nhs_number=None,
    )
    client.force_login(personas.ola())
    by_name = client.get("/casework/", {"name": "maureen"}).text
    assert "2 people found" in by_name and "27 Mar 1952" in by_name and "2 Jan 1980" in by_name
    assert "known as Mo" in by_name
    by_number = client.get(
        "/casework/", {"nhs_number": maureen.nhs_number_display.replace(" ", "-")}
    ).text
    assert "1 person found" in by_number and "Hesketh" in by_number and "Ashton" not in by_number
    by_date = client.get(
        "/casework/",
        {"date_of_birth_day": "2", "date_of_birth_month": "1", "date_of_birth_year": "1980"},
    ).text
    assert "Ashton" in by_date and "Hesketh" not in by_date
    by_postcode = client.get("/casework/", {"postcode": "wn22ab"}).text
    assert "Ashton" in by_postcode and "Hesketh" not in by_postcode
    assert other.pk


def test_find_with_nothing_to_search_for_says_what_to_enter(client):
    client.force_login(personas.ola())
    response = client.get("/casework/", {"name": ""})
    assert (
        "Enter a name, a date of birth, a postcode or an NHS number to search for" in response.text
    )
    assert "Error: Find a person" in response.text


def test_find_refuses_a_mistyped_nhs_number(client):
    client.force_login(personas.ola())
    response = client.get("/casework/", {"nhs_number": "943 476 5918"})
    assert "its last digit does not match" in response.text


def test_each_person_a_search_shows_is_audited_by_what_was_searched_on(client, maureen):
    other = PersonFactory(given_name="Maureen", family_name="Ashton", postcode="WN1 1AA")
    PersonFactory(given_name="Someone", family_name="Else", postcode="WN1 1AA")
    client.force_login(personas.ola())
    client.get("/casework/", {"name": "Maureen", "postcode": "WN1 1AA"})
    events = AuditEvent.objects.filter(action="searched")
    assert sorted(e.person_id for e in events) == sorted([maureen.pk, other.pk])
    assert all(e.field_names == ["name", "postcode"] for e in events)
    assert "Maureen" not in str([e.__dict__ for e in events])


# Adding a person ---------------------------------------------------------------------------

NEW = {
    "given_name": "Jamal",
    "family_name": "Okafor",
    "preferred_name": "",
    "date_of_birth_day": "4",
    "date_of_birth_month": "11",
    "date_of_birth_year": "1971",
    "nhs_number": "",
    "address": "2 Library Street",
    "postcode": "wn1 1ae",
}


def test_adding_a_person_places_them_in_their_ward_and_lsoa(client):
    ola = personas.ola()
    client.force_login(ola)
    response = client.post(
        "/casework/people/new/",
        {**NEW, "nhs_number": test_nhs_number(7)[:3] + " " + test_nhs_number(7)[3:]},
    )
    person = Person.objects.get(family_name="Okafor")
    assert response["Location"] == f"/casework/people/{person.reference}/?done=added"
    assert (person.postcode, person.ward_name, person.lsoa_code) == (
        "WN1 1AE",
        "Wigan Central",
        "E01006370",
    )
    assert person.nhs_number == test_nhs_number(7) and person.date_of_birth == datetime.date(
        1971, 11, 4
    )
    assert person.created_by == ola and person.updated_by == ola
    event = AuditEvent.objects.get(action="created")
    assert event.person_id == person.pk and "family_name" in event.field_names
    page = client.get(response["Location"]).text
    assert "The person has been added" in page and "Wigan Central" in page


def test_adding_a_second_record_for_an_nhs_number_names_the_first(client, maureen):
    client.force_login(personas.ola())
    response = client.post("/casework/people/new/", {**NEW, "nhs_number": maureen.nhs_number})
    assert response.status_code == 200
    assert (
        f"This NHS number is already on the record of person {maureen.reference}" in response.text
    )
    assert not Person.objects.filter(family_name="Okafor").exists()
    assert not AuditEvent.objects.filter(action="created").exists()


def test_the_duplicate_error_names_no_record_to_someone_who_may_not_see_it(rf, maureen):
    from thedeal.casework import views

    request = rf.get("/")
    request.user = AnonymousUser()
    message = views._duplicate_error(request, maureen)
    assert maureen.reference not in message and "ask your team's administrator" in message


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            {"given_name": "", "family_name": ""},
            "Enter a given name, a family name or what they like to be called",
        ),
        ({"date_of_birth_month": ""}, "Date of birth must include a month"),
        (
            {"date_of_birth_day": "31", "date_of_birth_month": "2"},
            "Date of birth must be a real date",
        ),
        ({"date_of_birth_year": "2999"}, "Date of birth must be today or in the past"),
        (
            {"date_of_birth_day": "", "date_of_birth_month": "", "date_of_birth_year": ""},
            "Enter date of birth",
        ),
        ({"nhs_number": "123"}, "An NHS number must be 10 digits"),
        ({"postcode": "WN1 ABC"}, "Enter a real postcode, like WN1 1AA"),
    ],
)
def test_adding_a_person_with_a_mistake_says_what_and_where(client, change, error):
    client.force_login(personas.ola())
    response = client.post("/casework/people/new/", {**NEW, **change})
    assert response.status_code == 200 and error in response.text
    assert "There is a problem" in response.text
    assert not Person.objects.exists()


# Changing each part ------------------------------------------------------------------------


def test_changing_about_me_saves_it_and_audits_the_fields_not_their_words(client, maureen):
    client.force_login(personas.ola())
    words = {
        "what_matters": "My garden and my grandchildren",
        "important_people": "My daughter Claire",
        "how_i_communicate": "Face to face",
        "please_do": "Speak slowly",
        "please_dont": "Phone before 10",
    }
    response = client.post(f"/casework/people/{maureen.reference}/change/about-me/", words)
    assert response["Location"].endswith("?done=changed")
    maureen.refresh_from_db()
    assert maureen.what_matters == "My garden and my grandchildren"
    event = AuditEvent.objects.get(action="changed")
    assert event.field_names == sorted(words)
    assert "garden" not in str(event.__dict__)
    assert (
        "My garden and my grandchildren"
        in client.get(f"/casework/people/{maureen.reference}/").text
    )


def test_saving_a_part_unchanged_writes_no_change(client, maureen):
    client.force_login(personas.ola())
    client.post(
        f"/casework/people/{maureen.reference}/change/name/",
        {"given_name": "Maureen", "family_name": "Hesketh", "preferred_name": "Mo"},
    )
    assert not AuditEvent.objects.filter(action="changed").exists()


def test_changing_the_postcode_moves_the_ward(client, maureen):
    client.force_login(personas.ola())
    client.post(
        f"/casework/people/{maureen.reference}/change/address/",
        {"address": "3 Hall Lane", "postcode": "WN2 2AB"},
    )
    maureen.refresh_from_db()
    assert (maureen.postcode, maureen.ward_name, maureen.lsoa_code) == (
        "WN2 2AB",
        "Ince",
        "E01006307",
    )
    assert AuditEvent.objects.get(action="changed").field_names == ["address", "postcode"]


def test_changing_the_nhs_number_to_anothers_is_refused(client, maureen):
    other = PersonFactory(nhs_number=test_nhs_number(2))
    client.force_login(personas.ola())
    response = client.post(
        f"/casework/people/{other.reference}/change/nhs-number/",
        {"nhs_number": maureen.nhs_number_display},
    )
    assert f"already on the record of person {maureen.reference}" in response.text
    other.refresh_from_db()
    assert other.nhs_number == test_nhs_number(2)


def test_removing_an_nhs_number_stores_none_so_many_may_have_none(client, maureen):
    PersonFactory(nhs_number=None)
    client.force_login(personas.ola())
    client.post(f"/casework/people/{maureen.reference}/change/nhs-number/", {"nhs_number": ""})
    maureen.refresh_from_db()
    assert maureen.nhs_number is None


def test_gp_practice_is_chosen_from_the_list_staff_keep(client, maureen):
    practice = GPPracticeFactory(name="Pemberton Surgery", ods_code="Y99001")
    GPPracticeFactory(name="Closed Practice", ods_code="Y99002", closed=True)
    client.force_login(personas.ola())
    form = client.get(f"/casework/people/{maureen.reference}/change/gp-practice/").text
    assert "Pemberton Surgery, Y99001 (synthetic)" in form and "Closed Practice" not in form
    client.post(
        f"/casework/people/{maureen.reference}/change/gp-practice/", {"gp_practice": practice.pk}
    )
    maureen.refresh_from_db()
    assert maureen.gp_practice == practice


def test_contact_by_phone_needs_a_number_and_do_not_contact_is_shown(client, maureen):
    client.force_login(personas.ola())
    url = f"/casework/people/{maureen.reference}/change/contact/"
    response = client.post(url, {"contact_methods": ["phone"], "phone": ""})
    assert "Enter a phone number, to contact them by phone or text message" in response.text
    client.post(
        url,
        {
            "contact_methods": ["phone", "letter"],
            "phone": "01942 000000",
            "contact_times": "Mornings",
            "do_not_contact": "on",
        },
    )
    maureen.refresh_from_db()
    assert maureen.contact_methods == ["phone", "letter"] and maureen.do_not_contact
    page = client.get(f"/casework/people/{maureen.reference}/").text
    assert "They have asked not to be contacted." in page and "Phone call, Letter" in page


def test_the_contact_form_offers_each_way_of_contact_as_a_checkbox_with_each_kept_ticked(
    client, maureen
):
    maureen.contact_methods = ["phone", "letter"]
    maureen.save()
    client.force_login(personas.ola())

    form = client.get(f"/casework/people/{maureen.reference}/change/contact/").text

    assert '<div class="govuk-checkboxes" data-module="govuk-checkboxes">' in form
    assert 'name="contact_methods" type="radio"' not in form
    for method in ("phone", "letter"):
        assert f'name="contact_methods" type="checkbox" value="{method}" checked>' in form
    assert 'name="contact_methods" type="checkbox" value="email">' in form


def test_an_unknown_part_is_not_found(client, maureen):
    client.force_login(personas.ola())
    assert client.get(f"/casework/people/{maureen.reference}/change/password/").status_code == 404
    assert client.get("/casework/people/NOSUCH23/").status_code == 404


# Consents ----------------------------------------------------------------------------------


def test_consent_to_share_names_an_organisation(client, maureen):
    garden = directory_factories.OrganizationFactory(name="Hindley Community Garden")
    client.force_login(personas.ola())
    url = f"/casework/people/{maureen.reference}/consents/new/"
    dated = {"given_on_day": "1", "given_on_month": "12", "given_on_year": "2026"}
    response = client.post(url, {"kind": "share", **dated})
    assert "Choose the organisation they agree to share with" in response.text
    client.post(url, {"kind": "share", "organization": garden.pk, **dated})
    consent = Consent.objects.get(person=maureen)
    assert consent.organization == garden and consent.given_on == datetime.date(2026, 12, 1)
    assert (
        "To share with Hindley Community Garden"
        in client.get(f"/casework/people/{maureen.reference}/").text
    )


def test_a_withdrawn_consent_is_kept_with_its_dates(client, maureen, consent):
    ola = personas.ola()
    client.force_login(ola)
    url = f"/casework/people/{maureen.reference}/consents/{consent.pk}/withdraw/"
    early = client.post(
        url, {"withdrawn_on_day": "1", "withdrawn_on_month": "1", "withdrawn_on_year": "2026"}
    )
    assert "on or after the date it was given" in early.text
    client.post(
        url, {"withdrawn_on_day": "2", "withdrawn_on_month": "2", "withdrawn_on_year": "2026"}
    )
    consent.refresh_from_db()
    assert consent.withdrawn_on == datetime.date(2026, 2, 2) and consent.withdrawn_by == ola
    page = client.get(f"/casework/people/{maureen.reference}/").text
    assert "withdrawn 2 February 2026 (recorded by ola@example.nhs.uk)" in page
    assert "Recorded by kim@example.nhs.uk" in page
    # Withdrawn once: its withdraw page is gone.
    assert client.get(url).status_code == 404
    with pytest.raises(Exception, match="never deleted"):
        consent.delete()
