"""Who may open the pages for conversations, well-being measures and plans (the casework roles
only), that they are never cached, and that each look at one leaves one audit event."""

import datetime
from decimal import Decimal

import pytest

from tests.factories import accounts as personas
from tests.factories.casework import PersonFactory, ade
from thedeal.casework import conversations_actions, plans_actions, wellbeing_actions
from thedeal.casework.models import AuditEvent, Conversation, Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls():
    """Every page of these parts, for a person with a conversation, measures and a plan."""
    recorder = personas.UserFactory(username="kim@example.nhs.uk")
    person = PersonFactory()
    conversation = conversations_actions.record_conversation(
        person=person,
        details={"kind": "crisis", "held_on": datetime.date(2026, 1, 5), "contact_method": "phone",
                 "reason_for_contact": "other", "no_known_risks": True},
        by=recorder,
    )  # fmt: skip
    wellbeing_actions.record_measures(
        person=person, taken_on=datetime.date(2026, 1, 5), occasion="first-contact",
        answers={"happiness": 5}, pam_score=Decimal(50), by=recorder,
    )  # fmt: skip
    plan = plans_actions.agree_plan(person=person, agreed_on=datetime.date(2026, 1, 5), by=recorder)
    goal = plans_actions.add_goal(plan=plan, in_their_words="Walk more", importance=5, by=recorder)
    action = plans_actions.add_action(goal=goal, description="x", who="me", by=recorder)
    base = f"/casework/people/{person.reference}/"
    return person, [
        f"{base}conversations/new/",
        f"{base}conversations/{conversation.pk}/",
        f"{base}conversations/{conversation.pk}/risks/new/",
        f"{base}wellbeing/",
        f"{base}wellbeing/new/",
        f"{base}plans/{plan.pk}/",
        f"{base}plans/{plan.pk}/goals/new/",
        f"{base}plans/{plan.pk}/close/",
        f"{base}goals/{goal.pk}/",
        f"{base}goals/{goal.pk}/outcome/",
        f"{base}goals/{goal.pk}/actions/new/",
        f"{base}actions/{action.pk}/status/",
    ]


@pytest.mark.parametrize(
    "persona", [personas.priya, personas.sam, ade], ids=["editor", "resident", "analyst"]
)
def test_the_pages_are_forbidden_to_other_roles_and_nothing_is_written(client, urls, persona):
    person, pages = urls
    client.force_login(persona())
    before = AuditEvent.objects.count()
    for url in pages:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"no_known_risks": "on", "status": "done"}).status_code == 403, url
    assert AuditEvent.objects.count() == before
    assert Conversation.objects.count() == 1 and Plan.objects.get().is_open


def test_the_pages_send_a_signed_out_visitor_to_sign_in(client, urls):
    for url in urls[1]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/sign-in/"), url


@pytest.mark.parametrize(
    "persona", [personas.ola, personas.dana], ids=["practitioner", "administrator"]
)
def test_casework_roles_open_every_page_never_cached_each_look_audited_once(client, urls, persona):
    person, pages = urls
    user = persona()
    client.force_login(user)
    for url in pages:
        before = AuditEvent.objects.filter(action="viewed", person_id=person.pk).count()
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        events = AuditEvent.objects.filter(action="viewed", person_id=person.pk)
        assert events.count() == before + 1, url
        assert events.order_by("-pk").first().user_id == user.pk


def test_the_person_page_is_still_one_audited_look_with_every_section(client, urls):
    person, _ = urls
    client.force_login(personas.ola())
    page = client.get(f"/casework/people/{person.reference}/").text
    assert "Conversations" in page and "Well-being" in page and "Open the plan" in page
    assert AuditEvent.objects.filter(action="viewed", person_id=person.pk).count() == 1
