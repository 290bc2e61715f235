"""Administrators find every audit event about one person by the reference staff quote, and the
events to review (break glass, subject access, erasure) with one filter."""

import datetime

import pytest

from tests.factories import accounts as personas
from tests.factories.casework import PersonFactory
from thedeal.casework import actions, rights_actions
from thedeal.casework.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_administrators_find_a_persons_events_by_their_reference(client):
    maureen, ivy = PersonFactory(), PersonFactory()
    actions.record_view(person=maureen, by=personas.UserFactory(username="kim@example.nhs.uk"))
    actions.record_view(person=ivy, by=personas.UserFactory(username="lee@example.nhs.uk"))
    client.force_login(personas.dana())

    page = client.get("/admin/casework/auditevent/", {"q": maureen.reference.lower()}).text

    assert "kim@example.nhs.uk" in page and "lee@example.nhs.uk" not in page


def test_break_glass_subject_access_and_erasure_are_one_filter_away(client):
    dana = personas.dana()
    maureen, ivy = PersonFactory(), PersonFactory()
    actions.record_view(person=maureen, by=personas.UserFactory(username="kim@example.nhs.uk"))
    rights_actions.record_export(person=maureen, by=dana, how="as JSON")
    actions.audit(
        by=personas.UserFactory(username="lee@example.nhs.uk"),
        action=AuditEvent.Action.VIEWED,
        record_type="break-glass",
        person_id=ivy.pk,
        reason="Out of hours call from her daughter",
    )
    rights_actions.request_erasure(
        person=ivy, basis="17-1-b", received_on=datetime.date(2026, 3, 2), by=dana
    )
    client.force_login(dana)

    listed = client.get("/admin/casework/auditevent/", {"sensitive": "all"}).text
    exports = client.get("/admin/casework/auditevent/", {"sensitive": "subject-access"}).text

    assert "events to review" in listed
    assert "Out of hours call" in listed and "subject access request, as JSON" in listed
    assert "Erased: They withdrew the consent it relied on" in listed
    assert "kim@example.nhs.uk" not in listed
    assert "subject access request" in exports and "Out of hours" not in exports


def test_erasure_requests_are_listed_read_only_for_administrators(client):
    dana = personas.dana()
    rights_actions.request_erasure(
        person=PersonFactory(), basis="17-1-a", received_on=datetime.date(2026, 3, 2), by=dana
    )
    client.force_login(dana)
    assert "Erased" in client.get("/admin/casework/erasurerequest/").text
    assert client.get("/admin/casework/erasurerequest/add/").status_code == 403
