"""Recording a conversation with a person: one page in sections, risks or "no known risks"
(exactly one of them), the conversation's own page, and the person page's list."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import accounts as personas
from tests.factories.casework import PersonFactory, RiskFactory
from thedeal.casework import conversations_actions
from thedeal.casework.models import AuditEvent, Conversation, Risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def maureen():
    return PersonFactory(given_name="Maureen", family_name="Hesketh")


def conversation_form(**changes):
    today = timezone.localdate()
    form = {
        "kind": "listen-and-connect",
        "held_on_day": str(today.day),
        "held_on_month": str(today.month),
        "held_on_year": str(today.year),
        "place": "Her kitchen",
        "contact_method": "in-person",
        "reason_for_contact": "gp",
        "source_of_referral": "",
        "what_matters": "Seeing my granddaughter on Saturdays",
        "strengths": "Stubborn, in a good way",
        "worries": "The stairs",
        "risk_1": "",
        "risk_2": "",
        "risk_3": "",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def record(client, person, **changes):
    return client.post(
        f"/casework/people/{person.reference}/conversations/new/", conversation_form(**changes)
    )


def test_a_conversation_is_saved_in_their_words_with_its_risks(client, maureen):
    ola = personas.ola()
    client.force_login(ola)
    response = record(client, maureen, risk_1="Has had two falls", risk_3="Lives alone")
    conversation = Conversation.objects.get(person=maureen)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/conversations/{conversation.pk}/?done=recorded")
    assert conversation.what_matters == "Seeing my granddaughter on Saturdays"
    assert conversation.practitioner == ola and conversation.no_known_risks is False
    assert sorted(r.risk for r in conversation.risks.all()) == ["Has had two falls", "Lives alone"]
    page = client.get(response["Location"]).text
    assert "The conversation has been recorded" in page
    assert "Seeing my granddaughter on Saturdays" in page and "Has had two falls" in page
    # A GP's referral with no other source chosen keeps UK Core's usual code for a GP.
    assert conversation.source_of_referral == "108161000000109"
    assert "Source of referral: Referred by general practitioner" in page


def test_recording_a_conversation_is_audited_without_what_was_said(client, maureen):
    ola = personas.ola()
    client.force_login(ola)
    record(client, maureen, risk_1="Has had two falls")
    created = AuditEvent.objects.filter(action="created", person_id=maureen.pk)
    assert sorted(e.record_type for e in created) == ["conversation", "risk"]
    conversation_event = created.get(record_type="conversation")
    assert conversation_event.user_id == ola.pk
    assert "what_matters" in conversation_event.field_names
    assert "tried_already" not in conversation_event.field_names  # left empty
    assert all("granddaughter" not in str(e.__dict__) and "falls" not in str(e.__dict__)
               for e in created)  # fmt: skip


def test_no_known_risks_is_recorded_when_ticked(client, maureen):
    client.force_login(personas.ola())
    record(client, maureen, no_known_risks="on")
    conversation = Conversation.objects.get(person=maureen)
    assert conversation.no_known_risks and not conversation.risks.exists()
    assert (
        "No known risks."
        in client.get(f"/casework/people/{maureen.reference}/conversations/{conversation.pk}/").text
    )


def test_risks_and_no_known_risks_together_are_refused_beside_the_tick(client, maureen):
    client.force_login(personas.ola())
    response = record(client, maureen, no_known_risks="on", risk_2="Lives alone")
    assert response.status_code == 200
    page = response.text
    assert "There is a problem" in page
    assert '<a href="#id_no_known_risks">Either describe the risks or tick' in page
    assert 'id="id_no_known_risks-error"' in page
    assert not Conversation.objects.exists() and not Risk.objects.exists()
    assert not AuditEvent.objects.filter(action="created").exists()


def test_a_conversation_with_neither_risks_nor_no_known_risks_is_refused(client, maureen):
    client.force_login(personas.ola())
    page = record(client, maureen).text
    assert '<a href="#id_risk_1">Describe a risk, or tick' in page
    assert 'id="id_risk_1-error"' in page
    # What was typed is kept, so nothing has to be written again.
    assert "Seeing my granddaughter on Saturdays" in page
    assert not Conversation.objects.exists()


@pytest.mark.parametrize(
    ("changes", "where", "message"),
    [
        ({"kind": None}, "id_kind", "Select which conversation this was"),
        ({"contact_method": None}, "id_contact_method", "Select how the conversation was held"),
        ({"reason_for_contact": None}, "id_reason_for_contact", "Select why you are talking"),
        ({"held_on_day": "", "held_on_month": "", "held_on_year": ""}, "id_held_on_day",
         "Enter date of the conversation"),
        ({"held_on_year": str(timezone.localdate().year + 1)}, "id_held_on_day",
         "Date of the conversation must be today or in the past"),
    ],
)  # fmt: skip
def test_each_missing_or_wrong_answer_is_named_where_it_is(
    client, maureen, changes, where, message
):
    client.force_login(personas.ola())
    page = record(client, maureen, no_known_risks="on", **changes).text
    assert f'<a href="#{where}">{message}' in page
    assert not Conversation.objects.exists()


def test_a_review_is_recorded_as_one(client, maureen):
    client.force_login(personas.ola())
    record(client, maureen, is_review="on", no_known_risks="on")
    assert Conversation.objects.get().is_review
    record(client, maureen, no_known_risks="on")
    assert Conversation.objects.filter(is_review=False).count() == 1


def test_a_chosen_source_of_referral_is_kept(client, maureen):
    client.force_login(personas.ola())
    record(client, maureen, reason_for_contact="other", source_of_referral="185373006",
           no_known_risks="on")  # fmt: skip
    assert Conversation.objects.get().source_of_referral == "185373006"


def test_the_person_page_lists_conversations_newest_first_with_a_link_to_each(client, maureen):
    ola = personas.ola()
    older = conversations_actions.record_conversation(
        person=maureen,
        details={"kind": "crisis", "held_on": datetime.date(2026, 1, 5), "contact_method": "phone",
                 "reason_for_contact": "self-referral", "no_known_risks": True,
                 "what_matters": "Keeping the flat"},
        by=ola,
    )  # fmt: skip
    newer = conversations_actions.record_conversation(
        person=maureen,
        details={"kind": "good-life", "held_on": datetime.date(2026, 3, 2),
                 "contact_method": "in-person", "reason_for_contact": "gp"},
        risks=["Lives alone"],
        by=ola,
    )  # fmt: skip
    client.force_login(ola)
    page = client.get(f"/casework/people/{maureen.reference}/").text
    assert page.index("Build a good life, 2 March 2026") < page.index(
        "Work intensively in a crisis, 5 January 2026"
    )
    assert f"/conversations/{newer.pk}/" in page and f"/conversations/{older.pk}/" in page
    assert "What matters: Keeping the flat" in page


def test_a_risk_added_later_joins_the_conversation(client, maureen):
    ola = personas.ola()
    conversation = conversations_actions.record_conversation(
        person=maureen,
        details={"kind": "crisis", "held_on": datetime.date(2026, 1, 5), "contact_method": "phone",
                 "reason_for_contact": "other", "no_known_risks": True},
        by=ola,
    )  # fmt: skip
    client.force_login(ola)
    url = f"/casework/people/{maureen.reference}/conversations/{conversation.pk}/risks/new/"
    assert '<a href="#id_risk">Describe the risk' in client.post(url, {"risk": ""}).text
    response = client.post(url, {"risk": "Rent arrears", "started_on_day": "1",
                                 "started_on_month": "12", "started_on_year": "2025"})  # fmt: skip
    assert response.status_code == 302
    risk = Risk.objects.get(conversation=conversation)
    assert (risk.risk, risk.started_on, risk.person) == (
        "Rent arrears", datetime.date(2025, 12, 1), maureen)  # fmt: skip
    assert AuditEvent.objects.filter(action="created", record_type="risk", record_id=risk.pk,
                                     person_id=maureen.pk).exists()  # fmt: skip


def test_another_persons_conversation_is_not_found_under_this_person(client, maureen):
    other = PersonFactory()
    conversation = conversations_actions.record_conversation(
        person=other,
        details={"kind": "crisis", "held_on": datetime.date(2026, 1, 5), "contact_method": "phone",
                 "reason_for_contact": "other", "no_known_risks": True},
        by=personas.ola(),
    )  # fmt: skip
    client.force_login(personas.dana())
    url = f"/casework/people/{maureen.reference}/conversations/{conversation.pk}/"
    assert client.get(url).status_code == 404


def test_record_conversation_refuses_both_risks_and_none_and_neither(maureen):
    details = {"kind": "crisis", "held_on": datetime.date(2026, 1, 5), "contact_method": "phone",
               "reason_for_contact": "other"}  # fmt: skip
    with pytest.raises(ValueError):
        conversations_actions.record_conversation(
            person=maureen, details=details, by=personas.ola()
        )
    with pytest.raises(ValueError):
        conversations_actions.record_conversation(
            person=maureen, details={**details, "no_known_risks": True}, risks=["x"], by=None
        )
    assert not Conversation.objects.exists()


# Changing and ending a risk ---------------------------------------------------------------


def test_a_reworded_risk_keeps_what_it_said_before_readable_and_audited(client, maureen):
    risk = RiskFactory(person=maureen, risk="Falls at home", comment="Lives alone")
    client.force_login(personas.ola())
    url = f"/casework/people/{maureen.reference}/risks/{risk.pk}/"

    assert 'value="Falls at home"' in client.get(f"{url}change/").text
    response = client.post(
        f"{url}change/", {"risk": "Falls on the stairs", "comment": "Lives alone"}
    )

    assert response["Location"] == f"{url}?done=changed"
    risk.refresh_from_db()
    assert risk.risk == "Falls on the stairs"
    page = client.get(response["Location"]).text
    assert "The risk has been changed" in page
    assert "What it said before" in page and "Falls at home" in page
    assert "changed by ola@example.nhs.uk" in page
    event = AuditEvent.objects.get(action="changed", record_type="risk")
    assert event.record_id == risk.pk and event.field_names == ["risk"]
    assert "Falls" not in str(event.__dict__)


def test_saving_a_risk_unchanged_records_no_change(client, maureen):
    risk = RiskFactory(person=maureen, risk="Falls at home", comment="")
    client.force_login(personas.ola())

    client.post(
        f"/casework/people/{maureen.reference}/risks/{risk.pk}/change/",
        {"risk": "Falls at home", "comment": ""},
    )

    assert not risk.edits.exists()
    assert not AuditEvent.objects.filter(action="changed").exists()


def test_an_ended_risk_says_when_by_whom_and_why_and_is_shown_apart(client, maureen):
    ended = RiskFactory(
        person=maureen, risk="Falls on the stairs", started_on=datetime.date(2025, 6, 1)
    )
    RiskFactory(person=maureen, risk="Rent arrears")
    client.force_login(personas.ola())
    today = timezone.localdate()

    response = client.post(
        f"/casework/people/{maureen.reference}/risks/{ended.pk}/end/",
        {"ended_on_day": today.day, "ended_on_month": today.month,
         "ended_on_year": today.year, "end_reason": "Moved to a ground-floor flat"},
    )  # fmt: skip

    assert response.status_code == 302
    ended.refresh_from_db()
    # Ended today: from today it is among the ended risks.
    assert (ended.ended_on, ended.end_reason) == (today, "Moved to a ground-floor flat")
    assert ended.ended_by.username == "ola@example.nhs.uk"
    event = AuditEvent.objects.get(action="changed", record_type="risk")
    assert event.field_names == ["end_reason", "ended_by", "ended_on"]
    page = client.get(f"/casework/people/{maureen.reference}/").text
    current, ended_part = page.split('id="risks"')[1].split(">Ended<")
    assert "Rent arrears" in current and "Falls on the stairs" not in current
    assert "Falls on the stairs" in ended_part and "Moved to a ground-floor flat" in ended_part
    # Ended once: the end page goes to the risk's page, which offers no second end.
    again = client.get(f"/casework/people/{maureen.reference}/risks/{ended.pk}/end/")
    assert again.status_code == 302
    assert "End the risk" not in client.get(again["Location"]).text


@pytest.mark.parametrize(
    ("ended_on", "reason", "error"),
    [
        ((1, 1, 2025), "Moved house", "The end date must be on or after it started, 1 June 2025"),
        (None, "Moved house", "Enter when it ended"),
        ("tomorrow", "Moved house", "When it ended must be today or in the past"),
        ("today", "", "Say why the risk has ended"),
    ],
)
def test_ending_a_risk_wrongly_is_refused_saying_where(client, maureen, ended_on, reason, error):
    risk = RiskFactory(person=maureen, started_on=datetime.date(2025, 6, 1))
    client.force_login(personas.ola())
    today = timezone.localdate()
    day = {"today": today, "tomorrow": today + datetime.timedelta(days=1)}.get(ended_on, ended_on)
    if isinstance(day, tuple):
        day = datetime.date(day[2], day[1], day[0])
    dates = (
        {"ended_on_day": day.day, "ended_on_month": day.month, "ended_on_year": day.year}
        if day
        else {}
    )

    response = client.post(
        f"/casework/people/{maureen.reference}/risks/{risk.pk}/end/",
        {**dates, "end_reason": reason},
    )

    assert response.status_code == 200
    assert "There is a problem" in response.text and error in response.text
    risk.refresh_from_db()
    assert risk.ended_on is None and not AuditEvent.objects.filter(action="changed").exists()


def test_another_persons_risk_is_not_found_under_this_person(client, maureen):
    theirs = RiskFactory()
    client.force_login(personas.ola())
    for page in ("", "change/", "end/"):
        url = f"/casework/people/{maureen.reference}/risks/{theirs.pk}/{page}"
        assert client.get(url).status_code == 404, url
