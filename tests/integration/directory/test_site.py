"""The directory's public pages, as a resident uses them without JavaScript."""

import re

import pytest
from django.core import mail

from tests.factories import directory as factories
from thedeal.directory import models

pytestmark = pytest.mark.django_db

WIGAN_PIER = (357900, 405300)  # WN3 4EU's neighbourhood, on the National Grid


def titles(response) -> list[str]:
    return re.findall(r'<h2 class="govuk-heading-m"><a class="govuk-link" href="[^"]+">([^<]+)',
                      response.content.decode())  # fmt: skip


def stop_smoking_term():
    return factories.TaxonomyTermFactory(name="Stop smoking", code="stop-smoking")


def service_at(name, easting, northing, **service):
    sal = factories.ServiceAtLocationFactory(
        service=factories.ServiceFactory(name=name, **service),
        location=factories.LocationFactory(easting=easting, northing=northing),
    )
    models.Location.objects.refresh_service_counts()
    return sal


def test_a_resident_finds_stop_smoking_help_nearest_first(client):
    term = stop_smoking_term()
    far = service_at("Quit clinic in Leigh", 366000, 400000)
    near = service_at("Quit clinic at the pier", *WIGAN_PIER)
    service_at("Swimming lessons", *WIGAN_PIER)
    for sal in (far, near):
        factories.AttributeFactory(link_id=sal.service.pk, taxonomy_term=term)

    response = client.get("/services/", {"category": term.pk, "postcode": "WN3 4EU"})

    assert response.status_code == 200
    assert titles(response) == ["Quit clinic at the pier", "Quit clinic in Leigh"]
    assert "2 results" in response.content.decode()
    assert re.search(r"\(([0-9.]+ miles|less than 0.1 miles) away\)", response.content.decode())


def test_words_search_and_distance_limit(client):
    service_at("Quit clinic at the pier", *WIGAN_PIER)
    service_at("Quit clinic in Leigh", 366000, 400000)
    response = client.get("/services/", {"q": "quit", "postcode": "WN3 4EU", "distance": "2"})
    assert titles(response) == ["Quit clinic at the pier"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"postcode": "not a postcode"}, "postcode", "Enter a real postcode, like WN1 1AA"),
        ({"postcode": "wn9 9zz"}, "postcode", "We cannot find the postcode WN9 9ZZ"),
        ({"distance": "5"}, "postcode", "Enter a postcode to search within a distance of it"),
        ({"age": "old"}, "age", "Enter an age in years, like 42"),
    ],
)
def test_a_mistake_in_the_search_form_is_explained_beside_the_field(client, query, field, message):
    response = client.get("/services/", query)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert f'<a href="#id_{field}">{message}</a>' in html  # the error summary links to it
    assert f'id="id_{field}-error"' in html and message in html
    assert "<title>Error:" in html


def test_age_day_and_time_narrow_the_results(client):
    toddlers = service_at("Stay and play", *WIGAN_PIER, minimum_age=0, maximum_age=4)
    evening = service_at("Evening walk", *WIGAN_PIER)
    factories.ScheduleFactory(service=evening.service, byday="TU", opens_at="18:00",
                              closes_at="19:30")  # fmt: skip
    factories.ScheduleFactory(service=toddlers.service, byday="TU", opens_at="10:00",
                              closes_at="11:30")  # fmt: skip
    assert titles(client.get("/services/", {"age": "40"})) == ["Evening walk"]
    assert titles(client.get("/services/", {"day": "TU", "time": "evening"})) == ["Evening walk"]
    assert titles(client.get("/services/", {"day": "WE"})) == []


def test_results_are_paged(client):
    from thedeal.directory.views import RESULTS_PER_PAGE

    for n in range(RESULTS_PER_PAGE + 5):
        service_at(f"Group {n:02d}", *WIGAN_PIER)
    first = client.get("/services/", {"q": "group"})
    assert len(titles(first)) == RESULTS_PER_PAGE and "page 1 of 2" in first.content.decode()
    second = client.get("/services/", {"q": "group", "page": "2"})
    assert len(titles(second)) == 5
    assert 'rel="prev"' in second.content.decode()


def test_a_service_page_has_what_a_resident_needs_to_go(client):
    sal = service_at("Health walk", *WIGAN_PIER)
    factories.AddressFactory(location=sal.location, address_1="1 Pier Road")
    factories.ScheduleFactory(service=sal.service, byday="MO,WE", opens_at="10:00",
                              closes_at="12:00", description="")  # fmt: skip
    models.CostOption.objects.create(service=sal.service, amount=0, option="")
    factories.PhoneFactory(service=sal.service, number="01942 111 222")

    html = client.get(f"/services/{sal.service.pk}/").content.decode()

    for text in ("Health walk", "1 Pier Road", "Mondays and Wednesdays, 10am to midday",
                 "Free.", "01942 111 222", "Is this information wrong?"):  # fmt: skip
        assert text in html


def test_a_refuge_is_never_shown(client):
    sal = factories.refuge(easting=WIGAN_PIER[0], northing=WIGAN_PIER[1])
    models.Location.objects.refresh_service_counts()

    page = client.get(f"/services/{sal.service.pk}/").content.decode()
    assert "Safe house support" in page and "0800 000 111" in page
    for secret in ("12 Secret Street", "07700 900123", "Refuge"):
        assert secret not in page
    assert client.get(f"/services/places/{sal.location.pk}/").status_code == 404
    nearby = client.get("/services/", {"postcode": "WN3 4EU"})
    assert "Safe house support" not in nearby.content.decode()


def test_a_place_page_lists_what_happens_there(client):
    sal = service_at("Craft club", *WIGAN_PIER)
    html = client.get(f"/services/places/{sal.location.pk}/").content.decode()
    assert sal.location.name in html and "Craft club" in html


def test_a_resident_reports_wrong_information(client, django_capture_on_commit_callbacks, settings):
    settings.COUNCIL = {**settings.COUNCIL, "directory_team_email": "team@example.org.uk"}
    sal = service_at("Craft club", *WIGAN_PIER)
    sal.service.organization.email = "craft@example.org.uk"
    sal.service.organization.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/services/{sal.service.pk}/report/",
                               {"problem": "It moved to Thursdays", "email": ""})  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == f"/services/{sal.service.pk}/report/sent/"
    report = models.Report.objects.get()
    assert report.problem == "It moved to Thursdays" and report.email == ""
    # One email each, so neither sees the other's address.
    assert sorted(m.to for m in mail.outbox) == [["craft@example.org.uk"], ["team@example.org.uk"]]
    assert all("It moved to Thursdays" in m.body for m in mail.outbox)


def test_a_report_needs_to_say_what_is_wrong(client):
    sal = service_at("Craft club", *WIGAN_PIER)
    response = client.post(f"/services/{sal.service.pk}/report/", {"problem": "", "email": "x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tell us what is wrong with this information" in html
    assert "Enter an email address in the correct format" in html
    assert not models.Report.objects.exists()


def test_reports_from_one_address_are_limited(client):
    sal = service_at("Craft club", *WIGAN_PIER)
    url = f"/services/{sal.service.pk}/report/"
    for _ in range(10):
        assert client.post(url, {"problem": "Wrong"}).status_code == 302
    response = client.post(url, {"problem": "Wrong"})
    assert response.status_code == 429
    assert "Too many reports" in response.content.decode()
    assert models.Report.objects.count() == 10


def test_pages_carry_a_content_security_policy_and_no_inline_script(client):
    response = client.get("/services/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    scripts = re.findall(r"<script([^>]*)>", response.content.decode())
    assert scripts and all("src=" in attrs or "application/json" in attrs for attrs in scripts)


def test_the_header_takes_the_council_colour(client, settings):
    settings.COUNCIL = {**settings.COUNCIL, "brand_colour": "#00703c"}
    css = client.get("/council.css").content.decode()
    assert ".govuk-header{background-color:#00703c" in css


def test_a_map_of_results_appears_only_with_a_tile_server(client, settings):
    service_at("Quit clinic at the pier", *WIGAN_PIER)
    without = client.get("/services/", {"postcode": "WN3 4EU"}).content.decode()
    assert "results-map" not in without and "leaflet" not in without

    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    with_tiles = client.get("/services/", {"postcode": "WN3 4EU"}).content.decode()
    assert 'id="results-map"' in with_tiles and 'id="map-points"' in with_tiles
    assert "Quit clinic at the pier" in with_tiles.split('id="map-points"')[1]


def test_pages_are_compressed(client):
    response = client.get("/services/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
