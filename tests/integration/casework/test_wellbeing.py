"""Recording well-being measures (ONS4, SWEMWBS, PAM) and reading them back: scores and ONS's
bands, the change from the first to the latest, and the chart whose table says the same."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import accounts as personas
from tests.factories.casework import ConversationFactory, PersonFactory
from thedeal.casework import wellbeing_actions
from thedeal.casework.measures import ons4, swemwbs
from thedeal.casework.models import AuditEvent, WellbeingMeasure

pytestmark = pytest.mark.django_db


@pytest.fixture
def maureen():
    return PersonFactory(given_name="Maureen", family_name="Hesketh")


def measures_form(**changes):
    today = timezone.localdate()
    form = {
        "taken_on_day": str(today.day),
        "taken_on_month": str(today.month),
        "taken_on_year": str(today.year),
        "occasion": "first-contact",
        "life_satisfaction": "4",
        "worthwhile": "6",
        "happiness": "5",
        "anxiety": "7",
        **{f"swemwbs_{n}": "3" for n in range(1, 8)},
        "pam_score": "",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def measure(person, on, *, ons=(None, None, None, None), scale=None, pam=None, occasion="review"):
    answers = dict(zip(WellbeingMeasure.ONS4_FIELDS, ons, strict=True))
    answers.update(dict(zip(WellbeingMeasure.SWEMWBS_FIELDS, scale or (None,) * 7, strict=True)))
    return wellbeing_actions.record_measures(
        person=person, taken_on=on, occasion=occasion, answers=answers, pam_score=pam,
        by=personas.UserFactory(),
    )  # fmt: skip


def test_the_form_asks_the_questions_in_their_published_wording(client, maureen):
    client.force_login(personas.ola())
    page = client.get(f"/casework/people/{maureen.reference}/wellbeing/new/").text
    for question in ons4.items():
        assert question.question.replace("'", "&#x27;") in page
    for statement in swemwbs.items():
        assert statement.statement.replace("'", "&#x27;") in page
    assert swemwbs.COPYRIGHT in page


def test_measures_are_saved_and_audited_by_question_never_by_answer(client, maureen):
    ola = personas.ola()
    client.force_login(ola)
    response = client.post(
        f"/casework/people/{maureen.reference}/wellbeing/new/", measures_form(pam_score="56.2")
    )
    assert response.status_code == 302
    saved = WellbeingMeasure.objects.get(person=maureen)
    assert (saved.life_satisfaction, saved.anxiety, saved.swemwbs().raw_total) == (4, 7, 21)
    assert saved.pam_score == Decimal("56.2") and saved.recorded_by == ola
    event = AuditEvent.objects.get(action="created", record_type="wellbeing-measure")
    assert event.person_id == maureen.pk and event.record_id == saved.pk
    assert "anxiety" in event.field_names and "swemwbs_7" in event.field_names
    assert "56.2" not in str(event.__dict__)


def test_the_form_links_todays_conversation_by_default_and_each_page_shows_the_link(
    client, maureen
):
    earlier = ConversationFactory(
        person=maureen, held_on=timezone.localdate() - datetime.timedelta(days=30)
    )
    today = ConversationFactory(person=maureen, kind="good-life")
    ConversationFactory()  # someone else's: never offered
    client.force_login(personas.ola())
    url = f"/casework/people/{maureen.reference}/wellbeing/new/"

    form = client.get(url).text
    assert f'<option value="{today.pk}" selected>Build a good life,' in form
    assert f'<option value="{earlier.pk}">Listen and connect,' in form
    assert form.count("<option") == 3  # none, and Maureen's two
    response = client.post(url, measures_form(conversation=str(earlier.pk)))

    assert response.status_code == 302
    saved = WellbeingMeasure.objects.get(person=maureen)
    assert saved.conversation == earlier
    assert "conversation" in AuditEvent.objects.get(record_type="wellbeing-measure").field_names
    measures_page = client.get(f"/casework/people/{maureen.reference}/wellbeing/").text
    assert f"/conversations/{earlier.pk}/" in measures_page
    conversation_page = client.get(
        f"/casework/people/{maureen.reference}/conversations/{earlier.pk}/"
    ).text
    assert f"wellbeing/#measure-{saved.pk}" in conversation_page
    # From a conversation's page, that conversation is chosen.
    from_earlier = client.get(f"{url}?conversation={earlier.pk}").text
    assert f'<option value="{earlier.pk}" selected>' in from_earlier


def test_measures_cannot_be_linked_to_someone_elses_conversation(client, maureen):
    theirs = ConversationFactory()
    client.force_login(personas.ola())

    page = client.post(
        f"/casework/people/{maureen.reference}/wellbeing/new/",
        measures_form(conversation=str(theirs.pk)),
    ).text

    assert "Select one of their conversations, or none" in page
    assert not WellbeingMeasure.objects.exists()


def test_a_partly_answered_swemwbs_is_refused_naming_each_unanswered_statement(client, maureen):
    client.force_login(personas.ola())
    page = client.post(
        f"/casework/people/{maureen.reference}/wellbeing/new/",
        measures_form(swemwbs_2="", swemwbs_6=""),
    ).text
    assert '<a href="#id_swemwbs_2">Select an answer for “I&#x27;ve been feeling useful”' in page
    assert '<a href="#id_swemwbs_6">Select an answer for “I&#x27;ve been feeling close' in page
    assert 'id="id_swemwbs_2-error"' in page
    assert not WellbeingMeasure.objects.exists()


def test_nothing_answered_is_refused(client, maureen):
    client.force_login(personas.ola())
    empty = {k: "" for k in (*WellbeingMeasure.ONS4_FIELDS, *WellbeingMeasure.SWEMWBS_FIELDS)}
    page = client.post(
        f"/casework/people/{maureen.reference}/wellbeing/new/", measures_form(**empty)
    ).text
    assert '<a href="#id_life_satisfaction">Record at least one measure' in page
    assert not WellbeingMeasure.objects.exists()


@pytest.mark.parametrize(
    ("changes", "where", "message"),
    [
        ({"pam_score": "101"}, "id_pam_score", "The PAM score must be a number from 0 to 100"),
        ({"pam_score": "fifty"}, "id_pam_score", "The PAM score must be a number from 0 to 100"),
        ({"pam_score": "50.25"}, "id_pam_score", "no more than one decimal place"),
        ({"life_satisfaction": "11"}, "id_life_satisfaction", "Select a valid choice"),
        ({"occasion": None}, "id_occasion", "Select whether this is a first contact"),
        ({"taken_on_year": str(timezone.localdate().year + 1)}, "id_taken_on_day",
         "Date must be today or in the past"),
    ],
)  # fmt: skip
def test_wrong_answers_are_named_where_they_are(client, maureen, changes, where, message):
    client.force_login(personas.ola())
    page = client.post(
        f"/casework/people/{maureen.reference}/wellbeing/new/", measures_form(**changes)
    ).text
    assert re.search(f'<a href="#{where}">[^<]*{re.escape(message)}', page), message
    assert not WellbeingMeasure.objects.exists()


def test_the_measures_page_shows_bands_metric_scores_and_the_change(client, maureen):
    measure(maureen, datetime.date(2026, 1, 5), ons=(4, 6, 5, 7), scale=(2,) * 7,
            occasion="first-contact")  # fmt: skip
    measure(maureen, datetime.date(2026, 4, 6), ons=(7, 7, 8, 3), scale=(4,) * 7, pam=Decimal(60))
    client.force_login(personas.ola())
    page = client.get(f"/casework/people/{maureen.reference}/wellbeing/").text
    assert "4 out of 10: low" in page and "7 out of 10: high" in page  # life satisfaction
    assert "3 out of 10: low" in page  # anxiety, banded the other way round
    raw_14, raw_28 = swemwbs.metric_score(14), swemwbs.metric_score(28)
    assert f"Metric score {raw_14} (raw total 14 of 35)" in page
    assert f"Metric score {raw_28} (raw total 28 of 35)" in page
    assert "level 3" in page
    assert "Life satisfaction: 4, low to 7, high (3 points better)" in page
    assert "Anxiety: 7, high to 3, low (4 points better)" in page
    assert f"SWEMWBS: {raw_14} to {raw_28} ({raw_28 - raw_14} points better)" in page


def table_rows(page, table_id):
    """A table's body rows, each cell's text split into words."""
    table = page[page.index(f'id="{table_id}"') :]
    table = table[table.index("<tbody") : table.index("</table>")]
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', table, re.S)
    return [
        [re.sub(r"<[^>]+>", " ", cell).split()
         for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]  # fmt: skip


def svg(page, chart_id):
    found = page[page.index(f'id="{chart_id}-title"') :]
    return found[: found.index("</svg>")]


def test_the_person_page_charts_have_tables_that_match_the_data(client, maureen):
    measure(maureen, datetime.date(2026, 1, 5), ons=(4, 6, 5, 7), scale=(2,) * 7,
            occasion="first-contact")  # fmt: skip
    measure(maureen, datetime.date(2026, 2, 9), ons=(5, None, 6, None))
    measure(maureen, datetime.date(2026, 3, 2), pam=Decimal("50.5"))  # on neither chart
    measure(maureen, datetime.date(2026, 4, 6), ons=(7, 7, 8, 3), scale=(4, 4, 4, 4, 4, 4, 3))
    client.force_login(personas.ola())
    page = client.get(f"/casework/people/{maureen.reference}/").text
    assert page.count('<svg class="deal-chart"') == 2
    stored = list(WellbeingMeasure.objects.order_by("taken_on"))
    with_ons4 = [m for m in stored if m.ons4() is not None]
    assert table_rows(page, "ons4-table") == [
        [m.taken_on.strftime("%-d %b %Y").split()]
        + [[str(v)] if v is not None else ["–"]
           for v in (getattr(m, name) for name in WellbeingMeasure.ONS4_FIELDS)]
        for m in with_ons4
    ]  # fmt: skip
    with_swemwbs = [m for m in stored if m.swemwbs() is not None]
    assert table_rows(page, "swemwbs-table") == [
        [m.taken_on.strftime("%-d %b %Y").split(), [str(m.swemwbs().metric_score)],
         [str(m.swemwbs().raw_total)]]
        for m in with_swemwbs
    ]  # fmt: skip
    # A marker on the ONS4 chart for each answer (4 + 2 + 4), and the legend's four; on
    # SWEMWBS's, one for each day it was recorded.
    assert len(re.findall(r"<(?:circle|rect|polygon) ", svg(page, "ons4-chart"))) == 10 + 4
    assert len(re.findall(r"<circle ", svg(page, "swemwbs-chart"))) == 2
    # Dates on the axis: only the days the chart has.
    assert "2 Mar" not in svg(page, "ons4-chart") and "9 Feb" not in svg(page, "swemwbs-chart")


def test_a_person_with_no_measures_has_no_chart(client, maureen):
    client.force_login(personas.ola())
    page = client.get(f"/casework/people/{maureen.reference}/").text
    assert "No well-being measures recorded." in page and "deal-chart" not in page
