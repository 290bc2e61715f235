"""Safeguarding concerns: anyone who may see a person raises one from their record, a
conversation or a referral; the safeguarding lead hears at once, acknowledges it (who, when,
what was done) and closes it; concerns not acknowledged in time are flagged on the person's
page, on the lead's list and by a daily email."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import accounts as personas
from tests.factories.casework import PersonFactory
from tests.factories.safeguarding import ConcernFactory, overdue_concern
from thedeal.casework import safeguarding_actions
from thedeal.casework.models import (
    AuditEvent,
    Conversation,
    Direction,
    Referral,
    SafeguardingConcern,
    safeguarding_leads_for,
)
from thedeal.casework.safeguarding_tasks import remind_leads_of_overdue_concerns

pytestmark = pytest.mark.django_db


@pytest.fixture
def maureen():
    return PersonFactory(given_name="Maureen", family_name="Hesketh")


@pytest.fixture
def lead():
    """Grace, the safeguarding lead of Wigan Central (whose caseload Maureen is in)."""
    from tests.factories.teams import grace

    return grace()


@pytest.fixture
def ola():
    return personas.ola()


def _raise(client, person, query="", **data):
    form = {"category": "financial", "urgency": "today", "details": "Son takes her pension."}
    form.update(data)
    return client.post(f"/casework/people/{person.reference}/safeguarding/new/{query}", form)


def test_a_practitioner_raises_a_concern_and_the_lead_hears_at_once_without_the_name(
    client, maureen, lead, ola, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(ola)
    with django_capture_on_commit_callbacks(execute=True):
        response = _raise(client, maureen)

    concern = SafeguardingConcern.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/safeguarding/{concern.pk}/?done=raised")
    assert (concern.person, concern.raised_by, concern.raised_from) == (maureen, ola, "person")
    assert concern.category == "financial" and concern.details == "Son takes her pension."
    assert [m.to for m in mailoutbox] == [[lead.email]]
    email = mailoutbox[0].body
    assert maureen.reference in email and "Financial or material abuse" in email
    assert "Maureen" not in email and "Hesketh" not in email and "pension" not in email
    page = client.get(response["Location"]).text
    assert "The concern has been raised" in page and "Waiting for the lead" in page
    assert AuditEvent.objects.filter(
        action="created", record_type="safeguarding-concern", person_id=maureen.pk
    ).exists()


def test_a_concern_raised_from_a_conversation_or_referral_says_which(client, maureen, ola):
    conversation = Conversation.objects.create(
        person=maureen,
        held_on=datetime.date(2026, 3, 2),
        contact_method="phone",
        reason_for_contact="gp",
    )
    referral = Referral.objects.create(person=maureen, direction=Direction.INBOUND)
    client.force_login(ola)
    form = client.get(
        f"/casework/people/{maureen.reference}/safeguarding/new/?from=conversation-{conversation.pk}"
    )
    assert "Raised from the conversation on 2 March 2026" in form.text

    _raise(client, maureen, f"?from=conversation-{conversation.pk}")
    _raise(client, maureen, f"?from=referral-{referral.pk}")

    by_conversation, by_referral = SafeguardingConcern.objects.order_by("pk")
    assert (by_conversation.raised_from, by_conversation.conversation) == (
        "conversation",
        conversation,
    )
    assert (by_referral.raised_from, by_referral.referral) == ("referral", referral)
    page = client.get(f"/casework/people/{maureen.reference}/safeguarding/{by_conversation.pk}/")
    assert "The conversation on 2 March 2026" in page.text


def test_a_concern_cannot_be_raised_from_someone_elses_conversation(client, maureen, ola):
    elsewhere = Conversation.objects.create(
        person=PersonFactory(),
        held_on=datetime.date(2026, 3, 2),
        contact_method="phone",
        reason_for_contact="gp",
    )
    client.force_login(ola)
    response = _raise(client, maureen, f"?from=conversation-{elsewhere.pk}")
    assert response.status_code == 404
    assert not SafeguardingConcern.objects.exists()


def test_a_concern_with_nothing_filled_in_says_what_is_missing(client, maureen, ola):
    client.force_login(ola)
    response = _raise(client, maureen, category="", urgency="", details="")
    assert response.status_code == 200
    for message in (
        "Select what kind of concern it is",
        "Select how soon the safeguarding lead must act",
        "Enter what happened",
    ):
        assert message in response.text
    assert "There is a problem" in response.text
    assert not SafeguardingConcern.objects.exists()


def test_only_the_lead_acknowledges_then_closes_a_concern(client, maureen, lead, ola):
    concern = ConcernFactory(person=maureen)
    base = f"/casework/people/{maureen.reference}/safeguarding/{concern.pk}"
    client.force_login(ola)
    assert client.get(f"{base}/acknowledge/").status_code == 403
    assert client.post(f"{base}/acknowledge/", {"action_taken": "x"}).status_code == 403
    assert "Acknowledge the concern" not in client.get(f"{base}/").text

    client.force_login(lead)
    missing = client.post(f"{base}/acknowledge/", {"action_taken": "  "})
    assert "Enter what was done" in missing.text
    assert client.get(f"{base}/close/").status_code == 200  # the form opens ...
    early = client.post(f"{base}/close/", {"outcome": "Fine"})
    assert "Acknowledge the concern before closing it" in early.text  # ... but says why not
    client.post(f"{base}/acknowledge/", {"action_taken": "Referred to adult social care"})
    concern.refresh_from_db()
    assert (concern.acknowledged_by, concern.action_taken) == (
        lead,
        "Referred to adult social care",
    )
    assert concern.acknowledged_at is not None and concern.is_open
    again = client.post(f"{base}/acknowledge/", {"action_taken": "Again"})
    assert "already been acknowledged" in again.text

    client.post(f"{base}/close/", {"outcome": "Section 42 enquiry: no abuse found"})
    concern.refresh_from_db()
    assert not concern.is_open and concern.closed_by == lead
    page = client.get(f"{base}/").text
    assert "Closed" in page and "Section 42 enquiry: no abuse found" in page
    assert "Referred to adult social care" in page
    changed = AuditEvent.objects.filter(action="changed", record_type="safeguarding-concern")
    assert [sorted(e.field_names) for e in changed.order_by("pk")] == [
        ["acknowledged_at", "action_taken"],
        ["closed_at", "outcome"],
    ]


def test_an_overdue_concern_is_flagged_on_the_person_page_and_the_leads_list(client, maureen, lead):
    overdue_concern(person=maureen)
    ConcernFactory(person=PersonFactory(given_name="Ivy"))  # in time
    client.force_login(lead)

    person_page = client.get(f"/casework/people/{maureen.reference}/").text
    assert "1 safeguarding concern not acknowledged in time" in person_page
    listing = client.get("/casework/safeguarding/")
    assert listing.status_code == 200 and "no-store" in listing["Cache-Control"]
    assert "1 concern has not been acknowledged in time" in listing.text
    # The overdue first.
    assert listing.text.index("Maureen") < listing.text.index("Ivy")
    assert listing.text.count("Overdue") == 1
    assert AuditEvent.objects.filter(
        person_id=maureen.pk, reason="in the list of safeguarding concerns"
    ).exists()


def test_closed_concerns_leave_the_list_and_the_person_page(client, maureen, lead):
    concern = ConcernFactory(person=maureen)
    concern.acknowledge(action_taken="Visited", by=lead)
    concern.close(outcome="Resolved", by=lead)
    concern.save()
    client.force_login(lead)
    assert (
        "No open safeguarding concerns" in client.get(f"/casework/people/{maureen.reference}/").text
    )
    assert "There are no open safeguarding concerns" in client.get("/casework/safeguarding/").text


def test_the_leads_list_is_only_for_leads(client, ola):
    client.force_login(ola)
    assert client.get("/casework/safeguarding/").status_code == 403


@pytest.mark.parametrize("persona", [personas.priya, personas.sam], ids=["editor", "resident"])
def test_people_without_casework_cannot_raise_a_concern(client, maureen, persona):
    client.force_login(persona())
    assert _raise(client, maureen).status_code == 403
    assert not SafeguardingConcern.objects.exists()


def test_overdue_concerns_are_chased_by_email_once_a_day(
    maureen, lead, mailoutbox, django_capture_on_commit_callbacks
):
    overdue = overdue_concern(person=maureen)
    ConcernFactory()  # not yet due
    acknowledged = overdue_concern()
    acknowledged.acknowledge(action_taken="Visited", by=lead)
    acknowledged.save()

    for _ in range(2):  # the morning's run, and the afternoon's
        with django_capture_on_commit_callbacks(execute=True):
            remind_leads_of_overdue_concerns.call()

    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject.startswith("Overdue")
    assert f"/safeguarding/{overdue.pk}/" in mailoutbox[0].body
    assert "Maureen" not in mailoutbox[0].body


def test_the_lead_is_the_teams_and_administrators_answer_for_people_in_no_caseload(lead, ola):
    dana = personas.dana()
    gone = personas.UserFactory(username="former@example.gov.uk", is_active=False)
    gone.groups.add(*dana.groups.all())
    assert list(safeguarding_leads_for(PersonFactory())) == [lead]
    assert list(safeguarding_leads_for(PersonFactory(caseload=False))) == [dana]


def test_a_concern_is_kept_when_someone_tries_to_delete_the_person(maureen):
    ConcernFactory(person=maureen)
    with pytest.raises(Exception, match="protected"):
        maureen.delete()


def test_raising_computes_the_deadline_from_the_urgency(maureen, ola):
    before = timezone.now()
    concern = safeguarding_actions.raise_concern(
        person=maureen, category="physical", urgency="immediately", details="Bruises", by=ola
    )
    assert datetime.timedelta(minutes=59) < concern.acknowledge_by - before
    assert concern.acknowledge_by - before <= datetime.timedelta(hours=1, seconds=5)


def test_the_demo_has_concerns_in_every_state_with_two_overdue():
    from thedeal.casework import demo_safeguarding

    people = PersonFactory.create_batch(8)
    assert demo_safeguarding.load(people, seed=1) == 6
    assert demo_safeguarding.load(people, seed=1) == 0  # once
    concerns = list(SafeguardingConcern.objects.all())
    assert sorted(c.status_label for c in concerns) == [
        "Acknowledged",
        "Closed",
        "Overdue",
        "Overdue",
        "Waiting for the lead",
        "Waiting for the lead",
    ]
    assert all("synthetic" in c.details for c in concerns)


def test_overdue_concerns_are_chased_morning_and_afternoon():
    from thedeal.worker import schedule

    times = sorted(
        job.at
        for job in schedule.jobs()
        if job.task_path == "thedeal.casework.safeguarding_tasks.remind_leads_of_overdue_concerns"
    )
    assert times == [datetime.time(8, 0), datetime.time(13, 0)]
