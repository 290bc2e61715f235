"""A person's plan: agree it, add goals in their words and actions towards them, change an
action's status, say how a goal went, close it with a summary; each change audited."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import accounts as personas
from tests.factories import directory as directory_factories
from tests.factories.casework import PersonFactory
from thedeal.casework import plans_actions
from thedeal.casework.models import Action, AuditEvent, Goal, Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def maureen():
    return PersonFactory(given_name="Maureen", family_name="Hesketh")


@pytest.fixture
def ola():
    return personas.ola()


@pytest.fixture
def plan(maureen, ola):
    return plans_actions.agree_plan(
        person=maureen, agreed_on=datetime.date(2026, 1, 5), review_on=datetime.date(2026, 4, 5),
        responsible_for_review=ola, by=ola,
    )  # fmt: skip


@pytest.fixture
def goal(plan, ola):
    return plans_actions.add_goal(
        plan=plan, in_their_words="To get out of the house twice a week", importance=9, by=ola
    )


def base(person):
    return f"/casework/people/{person.reference}/"


def date_parts(name, day):
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month),
            f"{name}_year": str(day.year)}  # fmt: skip


def test_a_plan_is_agreed_with_its_review_and_audited(client, maureen, ola):
    client.force_login(ola)
    today = timezone.localdate()
    response = client.post(
        f"{base(maureen)}plans/new/",
        {**date_parts("agreed_on", today), **date_parts("review_on", today + datetime.timedelta(days=90)),
         "agreed_with": "", "responsible_for_review": str(ola.pk)},
    )  # fmt: skip
    plan = Plan.objects.get(person=maureen)
    assert response["Location"].endswith(f"/plans/{plan.pk}/?done=agreed")
    assert plan.review_on == today + datetime.timedelta(days=90)
    assert plan.responsible_for_review == ola
    event = AuditEvent.objects.get(action="created", record_type="plan")
    assert (event.record_id, event.person_id, event.user_id) == (plan.pk, maureen.pk, ola.pk)
    page = client.get(f"{base(maureen)}").text
    assert "Open the plan" in page and "Agree a plan" not in page


def test_a_review_date_before_the_plan_was_agreed_is_refused_where_it_is(client, maureen, ola):
    client.force_login(ola)
    today = timezone.localdate()
    page = client.post(
        f"{base(maureen)}plans/new/",
        {**date_parts("agreed_on", today), **date_parts("review_on", today - datetime.timedelta(days=1))},
    ).text  # fmt: skip
    assert '<a href="#id_review_on_day">The review date must be on or after' in page
    assert not Plan.objects.exists()


def test_a_second_plan_is_not_agreed_while_one_is_open(client, maureen, plan, ola):
    client.force_login(ola)
    assert client.get(f"{base(maureen)}plans/new/")["Location"].endswith(f"/plans/{plan.pk}/")
    with pytest.raises(plans_actions.PlanAlreadyOpen):
        plans_actions.agree_plan(person=maureen, agreed_on=datetime.date(2026, 2, 1), by=ola)
    assert Plan.objects.count() == 1


def test_a_goal_is_added_in_their_words_with_a_kind_of_help(client, maureen, plan, ola):
    category = directory_factories.TaxonomyTermFactory(name="Gardening")
    client.force_login(ola)
    page = client.get(f"{base(maureen)}plans/{plan.pk}/goals/new/").text
    assert f'<option value="{category.pk}">' in page
    response = client.post(
        f"{base(maureen)}plans/{plan.pk}/goals/new/",
        {"in_their_words": "Grow my own tomatoes", "importance": "8", "category": str(category.pk)},
    )
    goal = Goal.objects.get(plan=plan)
    assert response["Location"].endswith(f"/goals/{goal.pk}/?done=goal")
    assert (goal.in_their_words, goal.importance, goal.category) == (
        "Grow my own tomatoes", 8, category)  # fmt: skip
    assert AuditEvent.objects.filter(action="created", record_type="goal", record_id=goal.pk,
                                     person_id=maureen.pk).exists()  # fmt: skip
    assert "Grow my own tomatoes" in client.get(f"{base(maureen)}plans/{plan.pk}/").text


def test_a_goal_without_words_or_importance_is_refused_naming_each(client, maureen, plan, ola):
    client.force_login(ola)
    page = client.post(f"{base(maureen)}plans/{plan.pk}/goals/new/", {}).text
    assert '<a href="#id_in_their_words">Enter the goal, in their words' in page
    assert '<a href="#id_importance">Select how much the goal matters to them' in page
    assert not Goal.objects.exists()


def test_an_action_is_added_then_its_status_changed(client, maureen, goal, ola):
    client.force_login(ola)
    due = timezone.localdate() + datetime.timedelta(days=14)
    response = client.post(
        f"{base(maureen)}goals/{goal.pk}/actions/new/",
        {"description": "Ring the allotment society", "who": "Me, with my daughter",
         **date_parts("due_on", due), "status": "not-started", "confidence": "7"},
    )  # fmt: skip
    action = Action.objects.get(goal=goal)
    assert response["Location"].endswith(f"/goals/{goal.pk}/?done=action")
    assert (action.due_on, action.confidence, action.status) == (due, 7, "not-started")
    client.post(f"{base(maureen)}actions/{action.pk}/status/", {"status": "done"})
    action.refresh_from_db()
    assert action.status == "done"
    changed = AuditEvent.objects.get(action="changed", record_type="action")
    assert changed.field_names == ["status"] and changed.person_id == maureen.pk
    page = client.get(f"{base(maureen)}goals/{goal.pk}/").text
    assert "Ring the allotment society" in page and "Their confidence: 7 out of 10" in page


def test_an_action_needs_what_and_who(client, maureen, goal, ola):
    client.force_login(ola)
    page = client.post(f"{base(maureen)}goals/{goal.pk}/actions/new/", {"status": "done"}).text
    assert '<a href="#id_description">Enter what will be done' in page
    assert '<a href="#id_who">Enter who will do it' in page
    assert not Action.objects.exists()


def test_a_goal_is_marked_achieved_with_how_it_went(client, maureen, goal, ola):
    client.force_login(ola)
    client.post(f"{base(maureen)}goals/{goal.pk}/outcome/",
                {"status": "partly-achieved", "outcome": "Out once a week so far"})  # fmt: skip
    goal.refresh_from_db()
    assert (goal.status, goal.outcome) == ("partly-achieved", "Out once a week so far")
    event = AuditEvent.objects.get(action="changed", record_type="goal")
    assert event.field_names == ["outcome", "status"]


def test_closing_the_plan_goes_through_close_plan_and_keeps_it_as_it_was(
    client, maureen, plan, goal, ola, monkeypatch
):
    calls = []
    real = plans_actions.close_plan
    monkeypatch.setattr(plans_actions, "close_plan", lambda **kw: calls.append(kw) or real(**kw))
    client.force_login(ola)
    url = f"{base(maureen)}plans/{plan.pk}/close/"
    assert (
        '<a href="#id_closing_summary">Enter a closing summary'
        in client.post(url, date_parts("closed_on", timezone.localdate())).text
    )
    response = client.post(
        url, {**date_parts("closed_on", timezone.localdate()), "closing_summary": "Goes to the garden"}
    )  # fmt: skip
    assert response["Location"].endswith(f"/plans/{plan.pk}/?done=closed")
    assert len(calls) == 1 and calls[0]["summary"] == "Goes to the garden"
    plan.refresh_from_db()
    assert plan.closed_on == timezone.localdate() and not plan.is_open
    assert AuditEvent.objects.filter(action="changed", record_type="plan",
                                     field_names=["closed_on", "closing_summary"]).exists()  # fmt: skip
    # A closed plan is read, never added to.
    assert client.get(f"{base(maureen)}plans/{plan.pk}/goals/new/").status_code == 404
    assert client.get(f"{base(maureen)}goals/{goal.pk}/outcome/").status_code == 404
    assert client.get(url).status_code == 404
    page = client.get(f"{base(maureen)}").text
    assert "Agree a plan" in page and "Closed plans" in page


def test_a_plan_cannot_be_closed_before_it_was_agreed(client, maureen, plan, ola):
    client.force_login(ola)
    page = client.post(
        f"{base(maureen)}plans/{plan.pk}/close/",
        {**date_parts("closed_on", datetime.date(2026, 1, 4)), "closing_summary": "x"},
    ).text
    assert (
        '<a href="#id_closed_on_day">Date closed must be on or after the date the plan was agreed'
        in page
    )
    plan.refresh_from_db()
    assert plan.is_open


def test_the_goal_page_shows_no_suggested_services_when_there_are_none(client, maureen, goal, ola):
    client.force_login(ola)
    page = client.get(f"{base(maureen)}goals/{goal.pk}/").text
    assert "To get out of the house twice a week" in page
    assert "Suggested services" not in page


def test_anothers_plan_goal_or_action_is_not_found_under_this_person(client, maureen, goal, ola):
    other = PersonFactory()
    action = plans_actions.add_action(goal=goal, description="x", who="me", by=ola)
    client.force_login(ola)
    for url in (f"plans/{goal.plan.pk}/", f"goals/{goal.pk}/", f"actions/{action.pk}/status/"):
        assert client.get(f"{base(other)}{url}").status_code == 404, url
