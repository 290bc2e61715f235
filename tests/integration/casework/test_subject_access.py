"""Subject access: an administrator exports a person's whole record, as a printable page and as
JSON, and each export is audited. Every kind of record that leads to a person is in it: a model
added with a link to a person and left out of the export fails here, by name."""

import datetime
import json

import pytest
from django.apps import apps
from django.utils.html import escape

from tests.factories import accounts as personas
from tests.factories.casework import PersonFactory
from tests.factories.safeguarding import whole_record
from thedeal.casework import subject_access
from thedeal.casework.models import Action, AuditEvent, ErasureRequest, GPPractice, Person

pytestmark = pytest.mark.django_db


def _leads_to_person(model, seen=()):
    """Whether a chain of foreign keys from `model` reaches Person, or it names a person by id
    (as the audit log does)."""
    if model is Person:
        return True
    for f in model._meta.concrete_fields:
        if f.name == "person_id" and not f.is_relation:
            return True
        if f.is_relation and f.many_to_one and f.related_model not in seen:
            if _leads_to_person(f.related_model, (*seen, model)):
                return True
    return False


def _user_model_and_directory(model):
    # Accounts and directory listings are not about the person, even though a user may have
    # made a record about them: a user's row does not lead to a person.
    return model._meta.app_label in ("auth", "directory", "accounts")


def test_every_model_that_leads_to_a_person_is_in_the_export():
    exported = {s.model for s in subject_access.SECTIONS}
    about_people = {
        m for m in apps.get_models() if not _user_model_and_directory(m) and _leads_to_person(m)
    }
    missing = sorted(m._meta.label for m in about_people - exported)
    assert not missing, f"Add these to casework.subject_access.SECTIONS: {missing}"


def test_the_check_finds_models_far_from_a_person_and_only_those():
    # The test above must be able to fail: an action is three links from its person.
    assert _leads_to_person(Action) and _leads_to_person(AuditEvent)
    assert not _leads_to_person(GPPractice)


@pytest.fixture
def dana():
    return personas.dana()


@pytest.fixture
def maureen(dana):
    person = PersonFactory(given_name="Maureen", family_name="Hesketh", what_matters="Zebedee")
    whole_record(person, by=dana)
    # An earlier request to erase it, refused while its concern was open.
    ErasureRequest.objects.create(
        person_id=person.pk,
        basis="17-1-b",
        received_on=datetime.date(2026, 3, 1),
        outcome="refused",
        refused_because=["1 safeguarding concern is still open"],
        decided_by=dana,
    )
    return person


def test_the_document_has_every_section_with_the_persons_words(client, dana, maureen):
    client.force_login(dana)
    response = client.get(f"/casework/people/{maureen.reference}/subject-access/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = response.text
    for section in subject_access.SECTIONS:
        assert f">{escape(section.title)}</h2>" in page, section.title
    assert "None.</p>" not in page  # every section has a record
    for words in (
        "Zebedee is poorly",  # the conversation
        "Falls; Zebedee trips",  # the risk
        "Walk Zebedee in the park",  # the goal
        "Buy a lead for Zebedee",  # the action
        "Zebedee needs walking",  # the referral
        "Zebedee left alone for days",  # the safeguarding concern
        "Spoke to Zebedee&#x27;s vet",
        "SWEMWBS metric score",  # the measure, scored
        "To share with an organisation",
        "Cancelled",  # the referral's change of status
        "They withdrew the consent it relied on",  # the refused erasure request
    ):
        assert words in page, words
    assert "govuk-summary-list" in page and "Download it as JSON" in page


def test_the_json_has_every_section_and_field(client, dana, maureen):
    client.force_login(dana)
    response = client.get(f"/casework/people/{maureen.reference}/subject-access/json/")
    assert response["Content-Type"] == "application/json"
    assert f'filename="person-{maureen.reference}.json"' in response["Content-Disposition"]
    record = json.loads(response.content)
    assert record["person"] == maureen.reference
    sections = record["sections"]
    assert set(sections) == {s.title for s in subject_access.SECTIONS}
    (person,) = sections["Their record"]
    assert person["given_name"] == "Maureen" and person["date_of_birth"] == "1952-03-27"
    (measure,) = sections["Well-being measures"]
    assert measure["swemwbs_raw_total"] == 21 and measure["pam_level"] == 3
    (referral,) = sections["Referrals"]
    assert referral["status"] == "cancelled" and referral["reason"] == "Zebedee needs walking"
    assert [c["to_status"] for c in sections["Changes of a referral's status"]] == [
        "requested",
        "cancelled",
    ]
    viewers = {e["username"] for e in sections["Who looked at or changed the record"]}
    assert dana.username in viewers


def test_each_export_is_audited(client, dana, maureen):
    client.force_login(dana)
    client.get(f"/casework/people/{maureen.reference}/subject-access/")
    client.get(f"/casework/people/{maureen.reference}/subject-access/json/")
    exports = AuditEvent.objects.filter(action="exported", person_id=maureen.pk).order_by("pk")
    assert [(e.record_type, e.reason, e.user_id) for e in exports] == [
        ("subject-access", "subject access request, as a document", dana.pk),
        ("subject-access", "subject access request, as JSON", dana.pk),
    ]


@pytest.mark.parametrize("persona", [personas.ola, personas.priya], ids=["practitioner", "editor"])
def test_only_administrators_export_a_record(client, maureen, persona):
    client.force_login(persona())
    for url in ("subject-access/", "subject-access/json/", "erase/"):
        assert client.get(f"/casework/people/{maureen.reference}/{url}").status_code == 403
    assert not AuditEvent.objects.filter(action="exported").exists()


def test_the_person_page_links_administrators_to_their_rights(client, dana, maureen):
    client.force_login(dana)
    assert (
        "Subject access: their whole record"
        in client.get(f"/casework/people/{maureen.reference}/").text
    )
    client.force_login(personas.ola())
    assert "Subject access" not in client.get(f"/casework/people/{maureen.reference}/").text
