"""The rules the database keeps for casework, on SQLite and PostgreSQL alike: one record per
NHS number, a consent to share names its organisation, and the audit log is append-only and
outlives the person it is about."""

import csv
import datetime
import io

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from tests.factories import accounts as personas
from tests.factories import directory as directory_factories
from tests.factories.casework import PersonFactory, test_nhs_number
from thedeal.casework import actions
from thedeal.casework.models import AppendOnly, AuditEvent, Consent, Person

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_record_with_an_nhs_number():
    PersonFactory(nhs_number=test_nhs_number(3))
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(nhs_number=test_nhs_number(3))
    assert Person.objects.filter(nhs_number=test_nhs_number(3)).count() == 1


def test_the_database_lets_any_number_of_people_have_no_nhs_number():
    PersonFactory.create_batch(3, nhs_number=None)
    assert Person.objects.filter(nhs_number__isnull=True).count() == 3


def test_the_database_refuses_an_empty_nhs_number_in_place_of_none():
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(nhs_number="")


def test_a_record_racing_another_with_the_same_nhs_number_is_refused_as_a_duplicate(monkeypatch):
    # Two practitioners add the same person at once: each passed the check before either saved.
    first = PersonFactory(nhs_number=test_nhs_number(4))
    monkeypatch.setattr(actions, "_nhs_number_free", lambda *a, **k: None)
    with pytest.raises(actions.DuplicateNHSNumber) as raised:
        actions.add_person(
            details={
                "given_name": "A",
                "date_of_birth": datetime.date(1990, 1, 1),
                "nhs_number": test_nhs_number(4),
            },
            by=personas.ola(),
        )
    assert raised.value.existing == first
    assert not AuditEvent.objects.filter(action="created").exists()


def test_a_consent_to_share_without_an_organisation_is_refused_by_the_database():
    person = PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(person=person, kind="share", given_on=datetime.date(2026, 1, 1))


def test_a_consent_cannot_be_withdrawn_before_it_was_given_even_by_the_database():
    person = PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(
            person=person,
            kind="record",
            given_on=datetime.date(2026, 2, 1),
            withdrawn_on=datetime.date(2026, 1, 1),
        )


def test_a_consent_is_never_deleted_even_in_bulk():
    person = PersonFactory()
    org = directory_factories.OrganizationFactory()
    actions.record_consent(
        person=person,
        kind="share",
        organization=org,
        given_on=datetime.date(2026, 1, 1),
        by=personas.ola(),
    )
    with pytest.raises(Exception, match="PROTECT|protected"):
        person.delete()


# The audit log ------------------------------------------------------------------------------


@pytest.fixture
def event():
    person = PersonFactory()
    actions.record_view(person=person, by=personas.UserFactory(username="kim@example.nhs.uk"))
    return AuditEvent.objects.get()


def test_an_audit_event_cannot_be_changed_or_deleted_through_the_model(event):
    event.reason = "tidied"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(reason="tidied")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().reason == ""


def test_the_database_refuses_to_change_an_audit_event(event):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE casework_auditevent SET reason = 'tidied'")
    assert AuditEvent.objects.get().reason == ""


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's flush deletes row by row (see 0002_audit_append_only)",
)
def test_the_database_refuses_to_delete_an_audit_event_on_postgresql(event):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM casework_auditevent")
    assert AuditEvent.objects.count() == 1


def test_the_audit_log_outlives_the_person_and_the_user(event):
    Person.objects.filter(pk=event.person_id).delete()
    kim_id = event.user_id
    personas.UserFactory._meta.model.objects.filter(pk=kim_id).delete()
    kept = AuditEvent.objects.get()
    assert (kept.person_id, kept.user_id, kept.action) == (event.person_id, kim_id, "viewed")


# The audit log in the admin --------------------------------------------------------------


def test_administrators_search_the_audit_log_by_person(client, event):
    other = PersonFactory()
    actions.record_view(person=other, by=personas.priya())
    client.force_login(personas.dana())
    page = client.get("/admin/casework/auditevent/", {"q": str(event.person_id)})
    assert page.status_code == 200
    assert "kim@example.nhs.uk" in page.text and "priya@example.org" not in page.text


def test_administrators_export_the_audit_log_as_csv(client, event):
    client.force_login(personas.dana())
    response = client.post(
        "/admin/casework/auditevent/",
        {
            "action": "export_csv",
            "_selected_action": [event.pk],
            "select_across": "0",
            "index": "0",
        },
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    assert rows[0]["username"] == "kim@example.nhs.uk" and rows[0]["action"] == "viewed"
    assert rows[0]["person_id"] == str(event.person_id)
    assert AuditEvent.objects.count() == 1  # exporting changed nothing


def test_nobody_adds_changes_or_deletes_audit_events_in_the_admin(client, event):
    client.force_login(personas.dana())
    assert client.get("/admin/casework/auditevent/add/").status_code == 403
    assert (
        client.post(f"/admin/casework/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert (
        client.get(f"/admin/casework/auditevent/{event.pk}/change/").status_code == 200
    )  # to read
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize("persona", [personas.ola, personas.priya], ids=["practitioner", "editor"])
def test_only_administrators_read_the_audit_log(client, event, persona):
    client.force_login(persona())
    response = client.get("/admin/casework/auditevent/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_administrators_keep_the_gp_practices_with_a_checked_ods_code(client):
    client.force_login(personas.dana())
    bad = client.post(
        "/admin/casework/gppractice/add/",
        {"name": "Test Surgery", "ods_code": "p9200", "postcode": ""},
    )
    assert "a capital letter and 5 digits" in bad.text
    client.post(
        "/admin/casework/gppractice/add/",
        {"name": "Test Surgery", "ods_code": "P92001", "postcode": ""},
    )
    assert client.get("/admin/casework/gppractice/").text.count("Test Surgery") >= 1
