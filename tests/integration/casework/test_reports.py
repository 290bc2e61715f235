"""Casework's reports: who may read them (practitioners and analysts; an analyst never a
person), the figures against cases worked by hand, and the CSV downloads matching the page."""

import csv
import datetime
import io
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from tests.factories import accounts as personas
from tests.factories import directory as directory_factories
from tests.factories.casework import PersonFactory, ade
from thedeal.casework import reports
from thedeal.casework.lifecycle import Party, Status
from thedeal.casework.models import (
    Conversation,
    Direction,
    Occasion,
    Plan,
    Referral,
    WellbeingMeasure,
)

pytestmark = pytest.mark.django_db

URL = "/casework/reports/"


class _Tables(HTMLParser):
    """Each table's cells on a page, by the id of the heading before it."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.heading = ""
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "h2" and attributes.get("id"):
            self.heading = attributes["id"]
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables.setdefault(self.heading, []).append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def download(client, key: str, query: str = "") -> list[list[str]]:
    response = client.get(f"{URL}{key}.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def _referral(person, service, status: Status, *, days_ago: int = 20) -> Referral:
    at = timezone.now() - datetime.timedelta(days=days_ago)
    referral = Referral.objects.create(
        person=person,
        direction=Direction.OUTBOUND,
        performer_organization=service.organization,
        service=service,
        requested_at=at,
    )
    referral.record_start(by=Party.REQUESTER)
    path = {
        Status.REQUESTED: [],
        Status.ACCEPTED: [Status.ACCEPTED],
        Status.COMPLETED: [Status.ACCEPTED, Status.COMPLETED],
        Status.FAILED: [Status.ACCEPTED, Status.FAILED],
    }[status]
    for step in path:
        referral.change_status(
            step, by=Party.TARGET, reason="Missed sessions" if step is Status.FAILED else "",
            at=at + datetime.timedelta(days=2),
        )  # fmt: skip
    return referral


def _measures(person, *, before: int, after: int, swemwbs_before: int, swemwbs_after: int):
    today = timezone.localdate()
    for occasion, score, answer, days_ago in (
        (Occasion.FIRST_CONTACT, before, swemwbs_before, 90),
        (Occasion.REVIEW, after, swemwbs_after, 10),
    ):
        WellbeingMeasure.objects.create(
            person=person,
            taken_on=today - datetime.timedelta(days=days_ago),
            occasion=occasion,
            life_satisfaction=score,
            **{name: answer for name in WellbeingMeasure.SWEMWBS_FIELDS},
        )


# --- Who may read them ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (personas.ola, 200),
        (personas.dana, 200),
        (ade, 200),
        (personas.priya, 403),
        (personas.sam, 403),
    ],
)
def test_reports_are_for_practitioners_administrators_and_analysts(client, persona, expected):
    client.force_login(persona())
    assert client.get(URL).status_code == expected
    assert client.get(f"{URL}caseload.csv").status_code == expected


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]


def test_an_analyst_sees_counts_but_never_a_person(client):
    person = PersonFactory(given_name="Maureen", family_name="Hesketh")
    service = directory_factories.ServiceFactory()
    for _ in range(9):
        _referral(PersonFactory(), service, Status.COMPLETED)
    _referral(person, service, Status.ACCEPTED)
    client.force_login(ade())
    page = client.get(URL)
    html = page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    assert "Referrals by outcome" in html
    assert "/casework/people/" not in html and "Hesketh" not in html
    assert client.get(f"/casework/people/{person.reference}/").status_code == 403
    assert client.get("/casework/").status_code == 403


def test_an_unknown_table_is_not_found(client):
    client.force_login(ade())
    assert client.get(f"{URL}people.csv").status_code == 404


def test_a_period_that_is_not_in_the_list_is_an_error_that_says_so(client):
    client.force_login(ade())
    response = client.get(URL, {"period": "forever"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "Choose a period from the list" in html
    assert 'href="#id_period"' in html
    # The reports shown are the last 12 months', and the list says so.
    assert '<option value="12-months" selected>' in html


# --- The figures ------------------------------------------------------------------------------


def test_the_change_in_wellbeing_matches_a_case_worked_by_hand(client):
    # Eight people's life satisfaction, before and after: changes 1, 2, 0, 1, 3, 1, 2, -2.
    # Mean 1.0; deviations' squares add up to 16, so SD = sqrt(16 / 7) = 1.5119; the standard
    # error is 1.5119 / sqrt(8) = 0.5345, and t(0.975, 7 df) = 2.3646, so the 95% interval is
    # 1.0 ± 1.2640: -0.26 to +2.26. SWEMWBS: everyone from all 3s (raw 21, metric 19.25 in the
    # conversion table) to all 4s (raw 28, metric 25.03), a change of +5.78 with no spread.
    changes = [1, 2, 0, 1, 3, 1, 2, -2]
    for n, change in enumerate(changes):
        _measures(
            PersonFactory(), before=4 + n % 3, after=4 + n % 3 + change,
            swemwbs_before=3, swemwbs_after=4,
        )  # fmt: skip
    table = reports.wellbeing_change(reports.period())
    rows = {row[0]: row for row in table.cells()}
    assert rows["Life satisfaction"][1] == "8"
    assert rows["Life satisfaction"][4:] == ["+1.00", "-0.26", "+2.26"]
    assert rows["SWEMWBS (metric score)"][1:5] == ["8", "19.2", "25.0", "+5.78"]
    # The measures nobody answered have no pairs: a true 0, shown.
    assert rows["Happiness yesterday"][1:] == ["0"] + [reports.NOT_AVAILABLE] * 5

    client.force_login(ade())
    shown = page_tables(client.get(URL).content.decode())["wellbeing"]
    assert ["Life satisfaction", "8", "4.9", "5.9", "+1.00", "-0.26", "+2.26"] in shown


def test_the_change_of_seven_people_is_not_shown(client):
    for change in (1, 2, 0, 1, 3, 1, 2):
        _measures(PersonFactory(), before=5, after=5 + change, swemwbs_before=3, swemwbs_after=4)
    rows = {row[0]: row for row in reports.wellbeing_change(reports.period()).cells()}
    assert rows["Life satisfaction"][1:] == [reports.SUPPRESSED] * 6


def test_small_numbers_are_suppressed_on_the_page_and_in_every_csv(client):
    small = directory_factories.ServiceFactory(name="Knit and Natter")
    big = directory_factories.ServiceFactory(name="Walking Football")
    for _ in range(3):
        _referral(PersonFactory(), small, Status.FAILED)
    for n in range(12):
        _referral(PersonFactory(), big, Status.COMPLETED if n % 4 else Status.FAILED)
    medium = directory_factories.ServiceFactory(name="Chair Yoga")
    for _ in range(9):
        _referral(PersonFactory(), medium, Status.COMPLETED)
    client.force_login(personas.ola())
    tables = page_tables(client.get(URL).content.decode())
    by_service = tables["by-service"]
    assert ["Walking Football (" + big.organization.name + ")", "12"] in by_service
    # Knit and Natter's 3 referrals are among the "other services": one row, itself too small;
    # and the next smallest is hidden too, or the total less the rest would give the 3 back.
    assert ["Other services", reports.SUPPRESSED] in by_service
    assert ["Chair Yoga (" + medium.organization.name + ")", reports.SUPPRESSED] in by_service
    assert ["Total", "24"] in by_service
    assert not any("Knit and Natter" in cell for row in by_service for cell in row)
    for key in reports.REPORTS:
        for row in download(client, key)[1:]:
            for cell in row[1:-1]:
                if cell.replace(",", "").isdigit():
                    assert not 1 <= int(cell.replace(",", "")) <= 7, (key, row)


def test_each_csv_has_the_same_figures_as_its_table_on_the_page(client):
    services = directory_factories.ServiceFactory.create_batch(2)
    for n in range(40):
        status = (Status.COMPLETED, Status.FAILED, Status.ACCEPTED, Status.REQUESTED)[n % 4]
        person = PersonFactory()
        _referral(person, services[n % 2], status, days_ago=10 + n)
        Plan.objects.create(person=person, agreed_on=timezone.localdate())
        _measures(person, before=4, after=4 + n % 3, swemwbs_before=2, swemwbs_after=3)
    client.force_login(ade())
    tables = page_tables(client.get(URL, {"period": "3-months"}).content.decode())
    for key in reports.REPORTS:
        csv_rows = download(client, key, "?period=3-months")
        assert [row[:-1] for row in csv_rows] == tables[key], key


def test_time_to_answer_counts_working_days_and_leaves_out_weekends(client):
    # Sent on a Friday, answered on the Monday: one working day.
    service = directory_factories.ServiceFactory()
    today = timezone.localdate()
    friday = today - datetime.timedelta(days=(today.weekday() - 4) % 7 + 14)
    sent = timezone.make_aware(datetime.datetime.combine(friday, datetime.time(10)))
    for _ in range(8):
        referral = Referral.objects.create(
            person=PersonFactory(), direction=Direction.OUTBOUND,
            performer_organization=service.organization, service=service, requested_at=sent,
        )  # fmt: skip
        referral.record_start(by=Party.REQUESTER)
        referral.change_status(
            Status.ACCEPTED, by=Party.TARGET, at=sent + datetime.timedelta(days=3)
        )
    table = reports.time_to_answer(reports.period())
    assert ["1 or 2 working days", "8"] in table.cells()
    assert table.extra["median"] == 1


def test_time_to_first_contact_runs_from_the_referral_to_the_first_conversation_after_it():
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday() + 21)
    practice = directory_factories.OrganizationFactory(name="Ince Surgery")
    for _ in range(8):
        person = PersonFactory()
        Referral.objects.create(
            person=person, direction=Direction.INBOUND, requester_organization=practice,
            requested_at=timezone.make_aware(datetime.datetime.combine(monday, datetime.time(9))),
        )  # fmt: skip
        # An old conversation before the referral does not count; the next Thursday's does.
        for held_on in (monday - datetime.timedelta(days=30), monday + datetime.timedelta(days=3)):
            Conversation.objects.create(
                person=person, held_on=held_on, contact_method="phone", reason_for_contact="gp"
            )
    table = reports.time_to_first_contact(reports.period())
    assert ["3 to 5 working days", "8"] in table.cells()
    assert ["Not contacted yet", "0"] in table.cells()
