"""Finding what helps, as a resident reads the results, a service's page and a place's page."""

import datetime
import re

import pytest

from tests.factories import directory as factories
from thedeal.directory import models

pytestmark = pytest.mark.django_db

WIGAN_PIER = (357900, 405300)  # WN3 4EU's neighbourhood, on the National Grid


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def titles(response) -> list[str]:
    return re.findall(r'<h2 class="govuk-heading-m"><a class="govuk-link" href="[^"]+">([^<]+)',
                      response.content.decode())  # fmt: skip


def youth_club_on_tuesday_evenings():
    """A club whose hours the feed holds on its service at a place, as many imports do."""
    sal = factories.ServiceAtLocationFactory(
        service=factories.ServiceFactory(name="Youth club"),
        location=factories.LocationFactory(name="Pier hall", easting=WIGAN_PIER[0],
                                           northing=WIGAN_PIER[1]),
    )  # fmt: skip
    factories.ScheduleFactory(
        service=None, service_at_location=sal, byday="TU",
        opens_at=datetime.time(18, 30), closes_at=datetime.time(20, 0),
    )  # fmt: skip
    models.Location.objects.refresh_service_counts()
    return sal


def test_opening_times_held_at_a_place_are_shown_on_every_page(client):
    sal = youth_club_on_tuesday_evenings()

    found = client.get("/services/", {"q": "youth", "day": "TU", "time": "evening"})
    page = client.get(f"/services/{sal.service.pk}/")
    place = client.get(f"/services/places/{sal.location.pk}/")

    assert titles(found) == ["Youth club"]
    for response in (found, page, place):
        assert "Tuesdays, 6:30pm to 8pm." in text(response)
    assert "Contact the organisation to find out" not in text(page)


def test_opening_times_at_a_refuge_are_never_shown(client):
    sal = factories.refuge()
    factories.ScheduleFactory(
        service=None, service_at_location=sal, byday="SU",
        opens_at=datetime.time(9, 0), closes_at=datetime.time(17, 0),
    )  # fmt: skip

    page = client.get(f"/services/{sal.service.pk}/")
    found = client.get("/services/", {"q": "safe house"})

    assert titles(found) == ["Safe house support"]
    for response in (page, found):
        assert "Sundays" not in text(response)


def test_each_schedule_reads_as_one_clean_sentence(client):
    service = factories.ServiceFactory(name="Park run")
    factories.ScheduleFactory(service=service, description="saturdays, 10am to 1pm.;")
    factories.ScheduleFactory(
        service=service, byday="MO,TU,WE,TH,FR",
        opens_at=datetime.time(9, 0), closes_at=datetime.time(17, 0),
    )  # fmt: skip

    page = text(client.get(f"/services/{service.pk}/"))
    found = text(client.get("/services/", {"q": "park run"}))

    for shown in (page, found):
        assert "Saturdays, 10am to 1pm." in shown
        assert "Monday to Friday, 9am to 5pm." in shown
        assert ".;" not in shown and "1pm.;" not in shown and ". ;" not in shown


def test_ages_are_said_once(client):
    said = factories.ServiceFactory(
        name="Swimming lessons", minimum_age=4, maximum_age=16,
        eligibility_description="Children aged 4 to 16.",
    )  # fmt: skip
    unsaid = factories.ServiceFactory(
        name="Junior parkrun", minimum_age=4, maximum_age=14,
        eligibility_description="Children and their families.",
    )  # fmt: skip

    page = text(client.get(f"/services/{said.pk}/"))
    other = text(client.get(f"/services/{unsaid.pk}/"))

    assert page.count("4 to 16") == 1
    assert "Children and their families." in other and "Ages 4 to 14" in other
