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


def test_a_place_page_shows_the_buildings_own_opening_hours(client):
    """A library's hours belong to the building (an HSDS schedule of the location alone), and a
    resident deciding when to go needs them beside what happens there."""
    sal = youth_club_on_tuesday_evenings()
    factories.ScheduleFactory(
        service=None, location=sal.location, byday="MO,TU,WE,TH,FR",
        opens_at=datetime.time(9, 0), closes_at=datetime.time(17, 0),
    )  # fmt: skip

    place = text(client.get(f"/services/places/{sal.location.pk}/"))

    assert "Opening times Monday to Friday, 9am to 5pm." in place
    # The club's own hours stay with the club, not the building.
    assert "Opening times Tuesdays" not in place
    assert "Tuesdays, 6:30pm to 8pm." in place


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


def service_at(name, easting, northing, term=None, **service):
    sal = factories.ServiceAtLocationFactory(
        service=factories.ServiceFactory(name=name, **service),
        location=factories.LocationFactory(easting=easting, northing=northing),
    )
    if term is not None:
        factories.AttributeFactory(link_id=sal.service.pk, taxonomy_term=term)
    models.Location.objects.refresh_service_counts()
    return sal


def helpline(name, term=None, **service):
    """A national helpline: offered across England, with no place to go to."""
    found = factories.ServiceFactory(name=name, **service)
    factories.ServiceAreaFactory(service=found)
    if term is not None:
        factories.AttributeFactory(link_id=found.pk, taxonomy_term=term)
    return found


def test_on_a_phone_the_results_come_before_the_filters(client):
    service_at("Walking group", *WIGAN_PIER)

    html = client.get("/services/", {"q": "walking", "day": "MO"}).content.decode()

    # The six filters wait behind one tap ("Filter results", open without JavaScript too)...
    filters = re.search(r"<details[^>]*>\s*<summary[^>]*>.*?</summary>(.*?)</details>", html, re.S)
    assert filters is not None and "Filter results" in html
    for name in ("category", "postcode", "distance", "age", "day", "time"):
        assert f'name="{name}"' in filters.group(1)
    assert " open" not in re.search(r"<details[^>]*>", html).group(0)
    # ...and saying how many are chosen, so a resident knows the results are narrowed.
    assert "1 filter chosen" in re.sub(r"\s+", " ", filters.group(0))


def test_the_filters_are_open_before_a_search_and_beside_a_mistake(client):
    first = client.get("/services/").content.decode()
    mistake = client.get("/services/", {"postcode": "not a postcode"}).content.decode()

    for html in (first, mistake):
        assert " open" in re.search(r"<details[^>]*>", html).group(0)


@pytest.mark.parametrize(
    ("query", "suggested", "not_suggested"),
    [
        ({"q": "zumba underwater"}, "fewer words", "a longer distance"),
        ({"q": "zumba", "postcode": "WN3 4EU", "distance": "1"}, "a longer distance", "xx"),
        ({"q": "zumba", "day": "SU"}, "another day or time", "a longer distance"),
    ],
)
def test_an_empty_search_suggests_only_what_would_help(client, query, suggested, not_suggested):
    service_at("Walking group", 366000, 400000)

    shown = text(client.get("/services/", query))

    assert "Nothing matches your search" in shown
    assert suggested in shown and not_suggested not in shown


def test_a_category_page_is_titled_with_the_category(client):
    term = factories.TaxonomyTermFactory(name="Stop smoking")
    service_at("Quit clinic", *WIGAN_PIER, term=term)

    html = client.get("/services/", {"category": term.pk}).content.decode()

    assert re.search(r"<title>\s*Stop smoking", html)
    assert re.search(r"<h1[^>]*>\s*Stop smoking\s*</h1>", html)


def test_a_category_page_lists_local_help_before_national_helplines(client):
    term = factories.TaxonomyTermFactory(name="Physical activity")
    helpline("Active England national helpline", term)
    service_at("Walking group", *WIGAN_PIER, term=term)
    service_at("Zumba at the pier", *WIGAN_PIER, term=term)

    found = client.get("/services/", {"category": term.pk})

    assert titles(found) == [
        "Walking group",
        "Zumba at the pier",
        "Active England national helpline",
    ]


def test_a_category_page_near_a_postcode_lists_the_nearest_first(client):
    term = factories.TaxonomyTermFactory(name="Physical activity")
    service_at("Aerobics in Leigh", 366000, 400000, term=term)
    service_at("Zumba at the pier", *WIGAN_PIER, term=term)

    found = client.get("/services/", {"category": term.pk, "postcode": "WN3 4EU"})

    assert titles(found) == ["Zumba at the pier", "Aerobics in Leigh"]


@pytest.mark.parametrize("also", [{}, {"day": ""}, {"age": "40"}])
def test_local_walks_come_before_a_national_helpline_that_matches_as_well(client, also):
    # The charity's name says "walk" too, which alone would put its helpline first.
    helpline(
        "Walk Together national helpline",
        organization=factories.OrganizationFactory(name="Walk Together"),
        description="Free national helpline for walking.",
    )
    service_at(
        "Nordic walking at Standish",
        *WIGAN_PIER,
        organization=factories.OrganizationFactory(name="Standish Striders"),
        description="Walking with poles.",
    )

    found = client.get("/services/", {"q": "walking", **also})

    assert titles(found) == ["Nordic walking at Standish", "Walk Together national helpline"]


def test_a_national_helpline_still_comes_first_when_it_matches_far_better(client):
    helpline("Walking helpline", description="Walking advice: walking routes, walking groups.")
    service_at("Book club", *WIGAN_PIER, description="We sometimes go walking.")

    found = client.get("/services/", {"q": "walking"})

    assert titles(found) == ["Walking helpline", "Book club"]
