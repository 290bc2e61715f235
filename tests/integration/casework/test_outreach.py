"""Worklist outreach: who may re-identify a worklist entry and how it is kept, residents who
opted out or asked not to be contacted, and each attempt to reach the person."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories.casework import PersonFactory, ade
from tests.factories.outreach import kim, ola_outreach_lead, worklist
from thedeal.casework import outreach_actions, snomed
from thedeal.casework.models import (
    AuditEvent,
    Conversation,
    Outreach,
    OutreachAttempt,
    OutreachStatus,
    Person,
    Reidentification,
    ResidentIdentity,
)

pytestmark = pytest.mark.django_db

PURPOSE = "To offer befriending: lives alone and feels lonely"


@pytest.fixture
def hindley_green():
    """Ranks 3 and 7, and rank 5, who opted out of their data being used."""
    return worklist((3, False), (5, True), (7, False))


def open_url(entry):
    return f"/casework/outreach/entries/{entry.pk}/open/"


def test_worklist_shows_each_resident_by_rank_never_by_name(client, hindley_green):
    made, entries = hindley_green
    client.force_login(kim())
    page = client.get(f"/casework/outreach/worklists/{made.pk}/").content.decode()
    assert "Hindley Green" in page and "81 years old" in page
    assert "Two emergency admissions in the past year" in page
    identity = ResidentIdentity.objects.get(resident_id=entries[0].score.resident_id)
    assert identity.family_name not in page and identity.nhs_number not in page
    assert "Not yet contacted" in page


def test_opted_out_residents_are_never_on_the_outreach_list(client, hindley_green):
    made, entries = hindley_green
    lead = ola_outreach_lead()
    client.force_login(lead)
    page = client.get(f"/casework/outreach/worklists/{made.pk}/").content.decode()
    assert open_url(entries[0]) in page and open_url(entries[2]) in page
    assert open_url(entries[1]) not in page
    assert "2 residents" in page
    # Nor can they be opened by going to the address, nor by calling the action directly.
    assert client.post(open_url(entries[1]), {"purpose": PURPOSE}).status_code == 404
    with pytest.raises(outreach_actions.Refused, match="opted out"):
        outreach_actions.open_outreach(entry=entries[1], purpose=PURPOSE, by=lead)
    assert not Reidentification.objects.exists() and not Person.objects.exists()


def test_an_opt_out_registered_after_scoring_takes_them_off_the_list(client, hindley_green):
    made, entries = hindley_green
    ResidentIdentity.objects.filter(resident_id=entries[0].score.resident_id).update(opted_out=True)
    client.force_login(ola_outreach_lead())
    page = client.get(f"/casework/outreach/worklists/{made.pk}/").content.decode()
    assert open_url(entries[0]) not in page and "1 resident" in page


@pytest.mark.parametrize("persona", [kim, ade])
def test_only_an_outreach_lead_may_re_identify(client, hindley_green, persona):
    _, entries = hindley_green
    user = persona()
    client.force_login(user)
    assert client.get(open_url(entries[0])).status_code == 403
    assert client.post(open_url(entries[0]), {"purpose": PURPOSE}).status_code == 403
    with pytest.raises(PermissionDenied):
        outreach_actions.open_outreach(entry=entries[0], purpose=PURPOSE, by=user)
    assert not Reidentification.objects.exists() and not Outreach.objects.exists()
    assert not Person.objects.exists()


def test_a_practitioner_who_may_not_re_identify_is_told_who_to_ask(client, hindley_green):
    made, entries = hindley_green
    client.force_login(kim())
    page = client.get(f"/casework/outreach/worklists/{made.pk}/").content.decode()
    assert "You cannot open an outreach" in page
    assert open_url(entries[0]) not in page


def test_anyone_signed_out_is_sent_to_sign_in(client, hindley_green):
    made, entries = hindley_green
    for url in (
        "/casework/outreach/",
        f"/casework/outreach/worklists/{made.pk}/",
        open_url(entries[0]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


@pytest.mark.parametrize("purpose", ["", "   "])
def test_re_identifying_needs_a_purpose(client, hindley_green, purpose):
    _, entries = hindley_green
    lead = ola_outreach_lead()
    client.force_login(lead)
    response = client.post(open_url(entries[0]), {"purpose": purpose})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Enter why you are re-identifying this resident" in page
    with pytest.raises(ValidationError):
        outreach_actions.open_outreach(entry=entries[0], purpose=purpose, by=lead)
    assert not Reidentification.objects.exists() and not Person.objects.exists()


def test_each_re_identification_is_kept_and_audited(client, hindley_green):
    made, entries = hindley_green
    lead = ola_outreach_lead()
    client.force_login(lead)
    response = client.post(open_url(entries[0]), {"purpose": PURPOSE})
    outreach = Outreach.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/casework/outreach/{outreach.pk}/?done=opened"
    kept = Reidentification.objects.get()
    assert (kept.username, kept.user_id, kept.purpose) == ("ola@example.nhs.uk", lead.pk, PURPOSE)
    assert (kept.worklist_id, kept.entry_id) == (made.pk, entries[0].pk)
    assert kept.resident_id == entries[0].score.resident_id
    assert kept.person_id == outreach.person_id
    event = AuditEvent.objects.get(record_type="worklist entry")
    assert event.user_id == lead.pk and event.record_id == entries[0].pk
    assert event.person_id == outreach.person_id and PURPOSE in event.reason
    with pytest.raises(Exception, match="append-only"):
        kept.delete()


def test_re_identifying_a_new_resident_adds_their_record(client, hindley_green):
    _, entries = hindley_green
    client.force_login(ola_outreach_lead())
    client.post(open_url(entries[0]), {"purpose": PURPOSE})
    identity = ResidentIdentity.objects.get(resident_id=entries[0].score.resident_id)
    person = Person.objects.get()
    assert (person.family_name, person.nhs_number) == (identity.family_name, identity.nhs_number)
    assert (person.postcode, person.phone) == ("WN2 4QH", "07700 900321")
    assert AuditEvent.objects.filter(
        record_type="person", action="created", person_id=person.pk
    ).exists()
    outreach = Outreach.objects.get()
    assert outreach.reasons == ["two emergency admissions in the past year",
                                "lives alone and reports feeling lonely"]  # fmt: skip
    assert outreach.suggestions[0]["name"] == "Wednesday friendship club – Hindley Green"
    assert (outreach.rank, outreach.status) == (3, OutreachStatus.NOT_YET)


def test_a_known_nhs_number_links_the_outreach_to_their_existing_record(client, hindley_green):
    _, entries = hindley_green
    identity = ResidentIdentity.objects.get(resident_id=entries[0].score.resident_id)
    known = PersonFactory(nhs_number=identity.nhs_number, given_name="Edie")
    client.force_login(ola_outreach_lead())
    client.post(open_url(entries[0]), {"purpose": PURPOSE})
    assert Person.objects.get() == known
    assert Outreach.objects.get().person == known
    assert Reidentification.objects.get().person_id == known.pk


def test_opening_an_entry_twice_re_identifies_once(client, hindley_green):
    _, entries = hindley_green
    client.force_login(ola_outreach_lead())
    client.post(open_url(entries[0]), {"purpose": PURPOSE})
    outreach = Outreach.objects.get()
    response = client.get(open_url(entries[0]))
    assert response["Location"] == f"/casework/outreach/{outreach.pk}/"
    assert Reidentification.objects.count() == 1


def test_someone_who_asked_not_to_be_contacted_is_never_contacted(client, hindley_green):
    made, entries = hindley_green
    identity = ResidentIdentity.objects.get(resident_id=entries[0].score.resident_id)
    PersonFactory(nhs_number=identity.nhs_number, do_not_contact=True)
    lead = ola_outreach_lead()
    client.force_login(lead)
    client.post(open_url(entries[0]), {"purpose": PURPOSE})
    outreach = Outreach.objects.get()
    assert outreach.status == OutreachStatus.DO_NOT_CONTACT
    page = client.get(f"/casework/outreach/{outreach.pk}/").content.decode()
    assert "They have asked not to be contacted" in page and "Record attempt" not in page
    response = client.post(f"/casework/outreach/{outreach.pk}/", attempt("reached"))
    assert "Outreach must not contact them" in response.content.decode()
    with pytest.raises(outreach_actions.Refused):
        outreach_actions.record_attempt(outreach=outreach, tried_on=datetime.date(2026, 3, 2),
                                        method="phone", outcome="reached", by=lead)  # fmt: skip
    assert not OutreachAttempt.objects.exists() and not Conversation.objects.exists()
    listed = client.get(f"/casework/outreach/worklists/{made.pk}/").content.decode()
    assert "Asked not to be contacted" in listed


def test_asking_not_to_be_contacted_after_opening_stops_outreach(client, hindley_green):
    _, entries = hindley_green
    client.force_login(ola_outreach_lead())
    client.post(open_url(entries[0]), {"purpose": PURPOSE})
    outreach = Outreach.objects.get()
    Person.objects.update(do_not_contact=True)
    response = client.post(f"/casework/outreach/{outreach.pk}/", attempt("no-answer"))
    assert "They have asked not to be contacted" in response.content.decode()
    assert not OutreachAttempt.objects.exists()
    listed = client.get(f"/casework/outreach/worklists/{outreach.worklist_id}/").content.decode()
    assert "Asked not to be contacted" in listed
    assert "Asked not to be contacted: 1" in client.get("/casework/outreach/").content.decode()


def attempt(outcome, day="2"):
    return {"tried_on_day": day, "tried_on_month": "3", "tried_on_year": "2026",
            "method": "phone", "outcome": outcome}  # fmt: skip


@pytest.fixture
def opened(client, hindley_green):
    made, entries = hindley_green
    client.force_login(ola_outreach_lead())
    client.post(open_url(entries[0]), {"purpose": PURPOSE})
    return made, Outreach.objects.get()


def test_attempts_are_kept_with_their_dates_and_the_worklist_shows_each_state(client, opened):
    made, outreach = opened
    client.post(f"/casework/outreach/{outreach.pk}/", attempt("no-answer", day="2"))
    client.post(f"/casework/outreach/{outreach.pk}/", attempt("no-answer", day="4"))
    page = client.get(f"/casework/outreach/{outreach.pk}/").content.decode()
    assert "2 March 2026, phone call: could not reach them" in page
    assert "4 March 2026, phone call: could not reach them" in page
    listed = client.get(f"/casework/outreach/worklists/{made.pk}/").content.decode()
    assert "Could not be contacted" in listed and "Not yet contacted" in listed
    assert "Could not be contacted: 1" in client.get("/casework/outreach/").content.decode()


def test_reaching_them_starts_their_first_conversation(client, opened):
    made, outreach = opened
    response = client.post(f"/casework/outreach/{outreach.pk}/", attempt("reached"))
    assert response.status_code == 302
    outreach.refresh_from_db()
    conversation = Conversation.objects.get()
    assert outreach.status == OutreachStatus.REACHED and outreach.conversation == conversation
    assert conversation.reason_for_contact == "worklist-outreach"
    assert conversation.held_on == datetime.date(2026, 3, 2)
    assert conversation.person == outreach.person
    person_page = client.get(f"/casework/people/{outreach.person.reference}/").content.decode()
    assert "Worklist outreach" in person_page and "Reached" in person_page
    assert "Wednesday friendship club – Hindley Green" in person_page
    assert "lives alone and reports feeling lonely" in person_page
    assert "Reached" in client.get(f"/casework/outreach/worklists/{made.pk}/").content.decode()
    # Reached: no more attempts from the worklist.
    client.post(f"/casework/outreach/{outreach.pk}/", attempt("no-answer"))
    assert OutreachAttempt.objects.count() == 1


def test_declining_records_social_prescribing_declined(client, opened):
    made, outreach = opened
    client.post(f"/casework/outreach/{outreach.pk}/", attempt("declined"))
    outreach.refresh_from_db()
    assert outreach.status == OutreachStatus.DECLINED
    assert outreach.declined_code == snomed.SOCIAL_PRESCRIBING_DECLINED.code == "871711000000103"
    assert not Conversation.objects.exists()
    assert "Declined" in client.get(f"/casework/outreach/worklists/{made.pk}/").content.decode()
    client.post(f"/casework/outreach/{outreach.pk}/", attempt("reached"))
    assert OutreachAttempt.objects.count() == 1


def test_an_attempt_needs_a_date_in_the_past_a_method_and_what_happened(client, opened):
    _, outreach = opened
    page = client.post(f"/casework/outreach/{outreach.pk}/", {}).content.decode()
    for error in ("Enter date of the attempt", "Select how you tried to reach them",
                  "Select what happened"):  # fmt: skip
        assert error in page
    future = attempt("reached")
    future["tried_on_year"] = "2999"
    page = client.post(f"/casework/outreach/{outreach.pk}/", future).content.decode()
    assert "Date of the attempt must be today or in the past" in page
    assert not OutreachAttempt.objects.exists()


def test_each_look_at_a_worklist_and_an_outreach_is_audited(client, opened):
    made, outreach = opened
    client.get(f"/casework/outreach/worklists/{made.pk}/")
    client.get(f"/casework/outreach/{outreach.pk}/")
    assert AuditEvent.objects.filter(record_type="worklist", record_id=made.pk).exists()
    assert AuditEvent.objects.filter(
        record_type="person", action="viewed", person_id=outreach.person_id,
        reason="outreach from a worklist",
    ).exists()  # fmt: skip
    client.post(f"/casework/outreach/{outreach.pk}/", attempt("reached"))
    created = set(
        AuditEvent.objects.filter(action="created", person_id=outreach.person_id).values_list(
            "record_type", flat=True
        )
    )
    assert {"person", "conversation", "outreach attempt"} <= created


def test_administrators_read_each_re_identification_in_the_admin(client, opened):
    from tests.factories.accounts import dana

    client.force_login(dana())
    page = client.get("/admin/casework/reidentification/").content.decode()
    assert PURPOSE in page and "ola@example.nhs.uk" in page
    kept = Reidentification.objects.get()
    assert client.post(f"/admin/casework/reidentification/{kept.pk}/delete/").status_code == 403
    # The re-identification table itself is never in the admin.
    assert client.get("/admin/casework/residentidentity/").status_code == 404


def test_an_attempt_with_errors_is_not_shown_as_a_success(client, opened):
    _, outreach = opened
    page = client.post(f"/casework/outreach/{outreach.pk}/?done=opened", {}).content.decode()
    assert "There is a problem" in page and "Success" not in page


def test_an_outreach_shows_as_many_reasons_as_the_worklists_csv():
    from thedeal.prevention import actions as prevention

    assert outreach_actions.REASONS_SHOWN == prevention.REASONS_SHOWN


def test_the_person_reached_joins_the_openers_team_caseload_and_they_see_them(client):
    from tests.factories.teams import LEIGH, join
    from thedeal.casework import outreach_actions
    from thedeal.casework.models import CaseloadEntry

    lead = join(ola_outreach_lead(), LEIGH)  # in two teams: the first by name takes them on
    _, entries = worklist((1, False))

    outreach = outreach_actions.open_outreach(entry=entries[0], purpose="Offer support", by=lead)

    assert CaseloadEntry.objects.filter(person=outreach.person, team__name=LEIGH).exists()
    client.force_login(lead)
    assert client.get(f"/casework/people/{outreach.person.reference}/").status_code == 200
