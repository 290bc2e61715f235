"""Erasure where the law allows: an administrator records a request with its legal basis; it is
refused (saying why) while a safeguarding concern or a referral is open; otherwise everything
about the person goes in one transaction, a record of the erasure without personal data is
kept, and the audit log survives."""

import datetime

import pytest
from django.apps import apps
from django.db import models
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories import accounts as personas
from tests.factories.casework import PersonFactory, test_nhs_number
from tests.factories.safeguarding import ConcernFactory, whole_record
from thedeal.casework import rights_actions
from thedeal.casework.models import (
    AuditEvent,
    Consent,
    ErasureRequest,
    Person,
    Referral,
    SafeguardingConcern,
)

pytestmark = pytest.mark.django_db

RECEIVED = datetime.date(2026, 3, 2)


@pytest.fixture
def dana():
    return personas.dana()


def _erase(client, person, **data):
    form = {
        "basis": "17-1-b",
        "identity_checked": "on",
        "received_on_day": "2",
        "received_on_month": "3",
        "received_on_year": "2026",
    }
    form.update(data)
    return client.post(f"/casework/people/{person.reference}/erase/", form)


def _rows_holding(*values):
    """Every row, in every table of every model, with a text or date column equal to (or, for
    text, containing) one of the values: a search of the whole database."""
    found = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            for value in values:
                if isinstance(value, datetime.date) and type(f) is models.DateField:
                    lookup = {f.name: value}
                elif isinstance(value, str) and isinstance(f, (models.CharField, models.TextField)):
                    lookup = {f"{f.name}__contains": value}
                elif isinstance(value, str) and isinstance(f, models.JSONField):
                    lookup = None
                    for row in model._default_manager.values_list(f.name, flat=True):
                        if value in str(row):
                            found.append((model._meta.label, f.name))
                else:
                    continue
                if lookup and model._default_manager.filter(**lookup).exists():
                    found.append((model._meta.label, f.name))
    return found


def test_a_record_is_erased_whole_and_the_erasure_and_audit_are_kept(client, dana):
    maureen = whole_record(
        PersonFactory(given_name="Maureen", family_name="Hesketh", what_matters="Zebedee"),
        by=dana,
    )
    person_id = maureen.pk
    # The search below finds them before (so that finding nothing after means something).
    assert ("casework.Person", "family_name") in _rows_holding("Hesketh")
    assert ("casework.Goal", "in_their_words") in _rows_holding("Zebedee")
    client.force_login(dana)
    assert (
        "Erasing deletes everything about Maureen Hesketh"
        in client.get(f"/casework/people/{maureen.reference}/erase/").text
    )

    response = _erase(client, maureen)

    erasure = ErasureRequest.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/casework/erasures/{erasure.pk}/"
    )
    assert not Person.objects.filter(pk=person_id).exists()
    assert _rows_holding("Zebedee", "Hesketh", maureen.nhs_number, maureen.date_of_birth) == []
    assert (erasure.person_id, erasure.basis, erasure.outcome, erasure.decided_by) == (
        person_id,
        "17-1-b",
        "erased",
        dana,
    )
    assert erasure.received_on == RECEIVED
    # The audit log outlives the record: the views before, and the erasure itself.
    assert AuditEvent.objects.filter(person_id=person_id, action="viewed").exists()
    erased = AuditEvent.objects.get(person_id=person_id, action="erased")
    assert (erased.record_type, erased.record_id) == ("erasure", erasure.pk)
    page = client.get(response["Location"]).text
    assert "Record erased" in page and "Article 17(1)(b)" in page and "Maureen" not in page


@pytest.mark.parametrize("what", ["concern", "referral"])
def test_erasure_is_refused_while_something_must_be_kept(client, dana, what):
    maureen = whole_record(PersonFactory(given_name="Maureen"), by=dana, closed=False)
    if what == "concern":
        Referral.objects.filter(person=maureen).update(status="cancelled")
        expected = "1 safeguarding concern is still open"
    else:
        SafeguardingConcern.objects.filter(person=maureen).delete()
        expected = "1 referral is still open"
    client.force_login(dana)
    warning = client.get(f"/casework/people/{maureen.reference}/erase/").text
    assert "The law does not allow this record to be erased yet" in warning
    assert expected in warning

    response = _erase(client, maureen, basis="17-1-a")

    assert response.status_code == 200
    assert "The request was refused, and the refusal recorded" in response.text
    assert expected in response.text
    assert Person.objects.filter(pk=maureen.pk).exists()
    assert Consent.objects.filter(person=maureen).count() == 2
    refused = ErasureRequest.objects.get()
    assert refused.outcome == "refused" and refused.refused_because[0].startswith(expected)
    event = AuditEvent.objects.get(record_type="erasure")
    assert (event.action, event.person_id) == ("created", maureen.pk)
    assert event.reason == "Refused: No longer needed for the purpose it was collected for"


def test_an_erasure_request_says_what_is_missing(client, dana):
    maureen = PersonFactory()
    client.force_login(dana)
    response = _erase(
        client, maureen, basis="", identity_checked="", received_on_day="", received_on_month=""
    )
    for message in (
        "Select what they ask under",
        "Confirm that you have checked who the request comes from",
        "Date the request was received must include a day and month",
    ):
        assert message in response.text
    # Beside the box too, not only in the summary.
    assert 'id="id_identity_checked-error"' in response.text
    assert Person.objects.filter(pk=maureen.pk).exists()
    assert not ErasureRequest.objects.exists()


def test_only_administrators_erase(client):
    maureen = PersonFactory()
    client.force_login(personas.ola())
    assert _erase(client, maureen).status_code == 403
    assert client.get("/casework/erasures/1/").status_code == 403
    assert Person.objects.filter(pk=maureen.pk).exists()


def test_a_consent_is_deleted_only_by_erasure(dana):
    maureen = PersonFactory()
    kept = Consent.objects.create(person=maureen, kind="record", given_on=RECEIVED)
    with pytest.raises(Exception, match="never deleted"):
        kept.delete()
    rights_actions.request_erasure(person=maureen, basis="17-1-b", received_on=RECEIVED, by=dana)
    assert not Consent.objects.filter(pk=kept.pk).exists()


def test_other_peoples_records_are_untouched(dana):
    maureen = whole_record(PersonFactory(given_name="Maureen"), by=dana)
    ivy = whole_record(PersonFactory(given_name="Ivy", what_matters="Bingo"), by=dana)
    ConcernFactory(person=ivy)  # open, but Ivy's

    rights_actions.request_erasure(person=maureen, basis="17-1-b", received_on=RECEIVED, by=dana)

    assert list(Person.objects.all()) == [ivy]
    assert ivy.consents.count() == 2 and ivy.referrals.count() == 1
    assert SafeguardingConcern.objects.filter(person=ivy).count() == 2


names = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ", min_size=6, max_size=12)


@pytest.mark.slow
@hypothesis_settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    given_name=names,
    family_name=names,
    date_of_birth=st.dates(datetime.date(1920, 1, 1), datetime.date(1999, 12, 31)),
    serial=st.integers(0, 400),
)
def test_after_erasure_no_row_anywhere_holds_their_name_nhs_number_or_birthday(
    dana, given_name, family_name, date_of_birth, serial
):
    person = PersonFactory(
        given_name=f"Q{given_name}",
        family_name=f"Q{family_name}",
        date_of_birth=date_of_birth,
        nhs_number=test_nhs_number(serial),
    )
    whole_record(person, by=dana)
    # Their name and number are written where the record's words are, as people write them.
    Person.objects.filter(pk=person.pk).update(please_do=f"Call me Q{given_name}")

    rights_actions.request_erasure(person=person, basis="17-1-a", received_on=RECEIVED, by=dana)

    assert (
        _rows_holding(f"Q{given_name}", f"Q{family_name}", test_nhs_number(serial), date_of_birth)
        == []
    )
    assert AuditEvent.objects.filter(person_id=person.pk, action="erased").exists()


def someone_else_with_a_referral(dana):
    """Someone else, with a referral of their own."""
    return whole_record(PersonFactory(given_name="Ivy"), by=dana)


def test_a_record_something_else_must_keep_refuses_the_erasure_and_undoes_it_whole(dana):
    # Another person's referral sent under Maureen's consent (as a record another part of the
    # platform keeps might refer to her): the database refuses to lose it.
    maureen = whole_record(PersonFactory(given_name="Maureen"), by=dana)
    other = Referral.objects.filter(person=someone_else_with_a_referral(dana)).get()
    other.share_consent = Consent.objects.filter(person=maureen, kind="share").get()
    other.save()

    decided = rights_actions.request_erasure(
        person=maureen, basis="17-1-a", received_on=RECEIVED, by=dana
    )

    assert decided.outcome == "refused"
    assert decided.refused_because == ["Records that must be kept refer to them: referrals"]
    # Nothing went: not even the records deleted before the refusal.
    assert Person.objects.filter(pk=maureen.pk).exists()
    assert SafeguardingConcern.objects.filter(person=maureen).count() == 1
    assert Referral.objects.filter(person=maureen).count() == 1
