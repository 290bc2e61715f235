"""Closing the loop: when a person's episode closes, each open referral a GP (or another
service) sent us about them gets the summary of what was done, is completed, and the summary is
emailed to the referring organisation."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import accounts as personas
from tests.factories import directory as directory_factories
from tests.factories.casework import PersonFactory
from tests.factories.inbox import sent_referral
from thedeal.casework import inbox_actions
from thedeal.casework.lifecycle import Party
from thedeal.casework.models import (
    Action,
    AuditEvent,
    Conversation,
    Direction,
    Goal,
    Plan,
    Referral,
)

pytestmark = pytest.mark.django_db

AGREED = datetime.date(2026, 3, 3)


@pytest.fixture
def ola():
    return personas.ola()


@pytest.fixture
def surgery():
    return directory_factories.OrganizationFactory(
        name="Pemberton Surgery (synthetic)", email="referrals@pemberton-surgery.example.nhs.uk"
    )


@pytest.fixture
def maureen():
    return PersonFactory(given_name="Maureen", family_name="Hesketh")


def inbound(person, surgery, *, at=None):
    referral = Referral.objects.create(
        person=person,
        direction=Direction.INBOUND,
        reason="Low mood, isolated",
        requester_organization=surgery,
        requester_name="Dr Patel",
        requested_at=at or timezone.make_aware(datetime.datetime(2026, 2, 20, 10)),
    )
    referral.record_start(by=Party.REQUESTER, system="Pemberton Surgery's EMIS")
    return referral


@pytest.fixture
def episode(maureen, surgery, ola):
    plan = Plan.objects.create(person=maureen, agreed_on=AGREED, created_by=ola)
    goal = Goal.objects.create(
        plan=plan, in_their_words="To get out of the house", importance=8, status="achieved"
    )
    Action.objects.create(goal=goal, description="Try the gardening group", who="me", status="done")
    Conversation.objects.create(
        person=maureen,
        held_on=datetime.date(2026, 2, 25),
        practitioner=ola,
        contact_method="phone",
        reason_for_contact="gp",
        what_matters="Her allotment",
    )
    garden = directory_factories.OrganizationFactory(name="Hindley Community Garden")
    made = sent_referral(to=garden, by=ola, person=maureen, at=timezone.now())
    made.change_status("accepted", by=Party.TARGET)
    made.change_status("completed", by=Party.TARGET)
    plan.closed_on = timezone.localdate()
    plan.save()
    return plan


def test_closing_an_episode_completes_the_gps_referral_with_a_summary(
    episode, surgery, ola, mailoutbox, django_capture_on_commit_callbacks
):
    from_gp = inbound(episode.person, surgery)

    with django_capture_on_commit_callbacks(execute=True):
        closed = inbox_actions.send_closing_summary(plan=episode, by=ola)

    assert closed == [from_gp]
    from_gp.refresh_from_db()
    assert from_gp.status == "completed"
    assert list(from_gp.changes.values_list("to_status", flat=True)) == [
        "requested",
        "accepted",
        "completed",
    ]
    assert "From 20 February 2026" in from_gp.summary
    assert "- 25 February 2026: Listen and connect" in from_gp.summary
    assert '- "To get out of the house": Achieved.' in from_gp.summary
    assert "- Try the gardening group (me): Done." in from_gp.summary
    assert "- Hindley Community Garden, Grow Together sessions: Completed." in from_gp.summary
    assert "Her allotment" not in from_gp.summary  # what happened, never what they said
    (email,) = mailoutbox
    assert email.to == ["referrals@pemberton-surgery.example.nhs.uk"]
    assert "Maureen" not in email.subject and "Hesketh" not in email.subject
    assert from_gp.summary in email.body
    assert AuditEvent.objects.filter(
        record_type="referral", record_id=from_gp.pk, reason="episode closed", user_id=ola.pk
    ).exists()


def test_an_episode_with_nothing_done_tells_the_gp_there_were_no_actions(
    maureen, surgery, ola, mailoutbox, django_capture_on_commit_callbacks
):
    plan = Plan.objects.create(person=maureen, agreed_on=AGREED, closed_on=AGREED)
    from_gp = inbound(maureen, surgery)

    with django_capture_on_commit_callbacks(execute=True):
        inbox_actions.send_closing_summary(plan=plan, by=ola)

    from_gp.refresh_from_db()
    assert "No actions." in from_gp.summary
    assert "No actions were taken for the person in this episode." in mailoutbox[0].body


def test_only_the_persons_open_inbound_referrals_are_closed(
    episode, surgery, ola, django_capture_on_commit_callbacks
):
    open_one = inbound(episode.person, surgery)
    open_one.change_status("accepted", by=Party.TARGET, user=ola)
    declined = inbound(episode.person, surgery)
    declined.change_status("rejected", by=Party.TARGET, user=ola, reason="Not eligible")
    someone_else = inbound(PersonFactory(), surgery)

    inbox_actions.send_closing_summary(plan=episode, by=ola)

    statuses = {r.pk: r.status for r in Referral.objects.filter(direction=Direction.INBOUND)}
    assert statuses == {
        open_one.pk: "completed",
        declined.pk: "rejected",
        someone_else.pk: "requested",
    }
    assert Referral.objects.get(pk=declined.pk).summary == ""


def test_a_referrer_without_an_email_address_still_gets_the_summary_on_the_task(
    episode, ola, mailoutbox, django_capture_on_commit_callbacks
):
    no_email = directory_factories.OrganizationFactory(name="Out-of-hours service", email="")
    from_them = inbound(episode.person, no_email)

    with django_capture_on_commit_callbacks(execute=True):
        inbox_actions.send_closing_summary(plan=episode, by=ola)

    from_them.refresh_from_db()
    assert from_them.status == "completed" and from_them.summary
    assert mailoutbox == []


def test_closing_the_plan_sends_the_summary_to_the_gp(
    maureen, surgery, ola, mailoutbox, django_capture_on_commit_callbacks
):
    from thedeal.casework import plans_actions

    plan = Plan.objects.create(person=maureen, agreed_on=AGREED, created_by=ola)
    from_gp = inbound(maureen, surgery)

    with django_capture_on_commit_callbacks(execute=True):
        plans_actions.close_plan(
            plan=plan, closed_on=timezone.localdate(), summary="Feeling more settled", by=ola
        )

    from_gp.refresh_from_db()
    assert from_gp.status == "completed"
    assert "No actions" in from_gp.summary
    assert [m.to for m in mailoutbox] == [["referrals@pemberton-surgery.example.nhs.uk"]]
