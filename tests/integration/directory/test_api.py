"""The Open Referral UK feed, as a harvester or the ORUK validator would use it."""

import datetime
import json

import pytest
from django.utils import timezone

from tests.factories.directory import (
    AddressFactory,
    AttributeFactory,
    LocationFactory,
    OrganizationFactory,
    PhoneFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)
from tests.factories.directory import (
    refuge as make_refuge,
)
from thedeal.directory import schemas

pytestmark = pytest.mark.django_db

API = "/api/directory"


def get(client, path, **params):
    response = client.get(f"{API}{path}", params)
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


def valid(document, schema):
    problems = schemas.validate(document, schema)
    assert problems == [], problems
    return document


# --- GET / -----------------------------------------------------------------------------------
def test_api_details_name_version_profile_and_own_openapi(client):
    response = get(client, "/")

    body = valid(response.json(), "api_details")
    assert body["version"] == "HSDS-UK-3.0"
    assert body["openapi_url"] == "http://testserver/api/directory/openapi.json"


def test_openapi_document_is_served_and_valid(client):
    from drf_spectacular.validation import validate_schema

    response = client.get(f"{API}/openapi.json")

    assert response.status_code == 200
    document = json.loads(response.content)
    validate_schema(document)
    assert "/services" in document["paths"]
    names = {p["name"] for p in document["paths"]["/service_at_locations"]["get"]["parameters"]}
    assert {"postcode", "proximity", "search", "day", "start_time", "minimum_age"} <= names


# --- Lists and envelopes ---------------------------------------------------------------------
def test_services_page_envelope_and_defaults(client):
    ServiceFactory.create_batch(3)

    body = valid(get(client, "/services").json(), "service_list")

    assert body["total_items"] == 3
    assert body["total_pages"] == 1
    assert body["page_number"] == 1
    assert body["size"] == 50
    assert body["first_page"] is True and body["last_page"] is True and body["empty"] is False
    assert [s["name"] for s in body["contents"]] == sorted(s["name"] for s in body["contents"])
    assert "organization" in body["contents"][0]


def test_services_paging_middle_and_beyond_the_last_page(client):
    ServiceFactory.create_batch(5)

    middle = get(client, "/services", per_page=2, page=2).json()
    beyond = get(client, "/services", per_page=2, page=9).json()

    assert middle["total_pages"] == 3 and len(middle["contents"]) == 2
    assert middle["first_page"] is False and middle["last_page"] is False
    assert beyond["empty"] is True and beyond["contents"] == [] and beyond["last_page"] is True


def test_empty_optional_fields_are_left_out(client):
    ServiceFactory(alternate_name="", url="")

    service = get(client, "/services").json()["contents"][0]

    assert "alternate_name" not in service and "url" not in service
    assert None not in service.values()


def test_service_detail_is_fully_nested_and_valid(client):
    sal = ServiceAtLocationFactory()
    AddressFactory(location=sal.location)
    ScheduleFactory(service=sal.service)
    PhoneFactory(service=sal.service)
    AttributeFactory(link_id=sal.service.id)

    body = valid(get(client, f"/services/{sal.service.id}").json(), "service")

    assert body["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "WN1 1NN"
    assert body["schedules"][0]["byday"] == "MO"
    assert body["phones"][0]["number"] == "01942 000000"
    assert body["attributes"][0]["taxonomy_term"]["name"].startswith("Category")
    assert body["organization"]["name"] == sal.service.organization.name


def test_unknown_id_is_404_and_malformed_id_is_400(client):
    missing = get(client, "/services/8d1e3f5a-0000-4000-8000-000000000000")
    malformed = get(client, "/services/not-a-uuid")

    assert missing.status_code == 404 and "error" in missing.json()
    assert malformed.status_code == 400 and malformed.json()["parameter"] == "id"


@pytest.mark.parametrize(
    "path,schema",
    [
        ("/organizations", "organization_list"),
        ("/taxonomies", "taxonomy_list"),
        ("/taxonomy_terms", "taxonomy_term_list"),
        ("/service_at_locations", "service_at_location_list"),
    ],
)
def test_optional_lists_validate(client, path, schema):
    sal = ServiceAtLocationFactory()
    AttributeFactory(link_id=sal.service.id)

    body = valid(get(client, path).json(), schema)

    assert body["total_items"] >= 1


def test_optional_details_validate(client):
    sal = ServiceAtLocationFactory()
    attribute = AttributeFactory(link_id=sal.service.id)
    term = attribute.taxonomy_term

    organization = valid(
        get(client, f"/organizations/{sal.service.organization_id}").json(), "organization"
    )
    valid(get(client, f"/taxonomies/{term.taxonomy_detail_id}").json(), "taxonomy")
    valid(get(client, f"/taxonomy_terms/{term.id}").json(), "taxonomy_term")
    valid(get(client, f"/service_at_locations/{sal.id}").json(), "service_at_location")

    assert organization["services"][0]["id"] == str(sal.service.id)


def test_minimal_lists_only_what_changed(client):
    ServiceFactory()

    service = get(client, "/services", minimal="true").json()["contents"][0]

    assert set(service) == {"id", "name", "status", "last_modified"}


def test_ndjson_streams_every_result_without_pages(client):
    ServiceFactory.create_batch(3)

    response = get(client, "/services", format="ndjson")

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert response["Content-Type"] == "application/x-ndjson"
    assert len(lines) == 3
    for line in lines:
        valid(json.loads(line), "service")


# --- Filters ---------------------------------------------------------------------------------
def names(response):
    return [item.get("name") or item["service"]["name"] for item in response.json()["contents"]]


def test_search_ignores_case_and_word_forms_and_ranks_names_first(client):
    ServiceFactory(name="Leigh Walking Group", description="Gentle walks every week.")
    ServiceFactory(name="Coffee morning", description="Includes a short walk around the park.")
    ServiceFactory(name="Debt advice", description="Help with money.")

    body = get(client, "/services", search="WALKS").json()

    assert [s["name"] for s in body["contents"]] == ["Leigh Walking Group", "Coffee morning"]


def test_search_matches_categories_and_organisation_names(client):
    quitters = OrganizationFactory(name="Breathe Easy Wigan")
    service = ServiceFactory(name="Tuesday drop-in", organization=quitters)
    AttributeFactory(link_id=service.id, taxonomy_term=TaxonomyTermFactory(name="Stop smoking"))
    ServiceFactory(name="Knitting circle")

    assert names(get(client, "/services", search="smoking")) == ["Tuesday drop-in"]
    assert names(get(client, "/services", search="breathe")) == ["Tuesday drop-in"]


def test_search_with_only_punctuation_finds_nothing_rather_than_failing(client):
    ServiceFactory()

    response = get(client, "/services", search='"*) OR (')

    assert response.status_code == 200 and response.json()["total_items"] == 0


def test_taxonomy_and_organization_filters_combine_with_and(client):
    term = TaxonomyTermFactory()
    org = OrganizationFactory()
    wanted = ServiceFactory(organization=org, name="Wanted")
    AttributeFactory(link_id=wanted.id, taxonomy_term=term)
    other_org = ServiceFactory(name="Other organisation")
    AttributeFactory(link_id=other_org.id, taxonomy_term=term)
    ServiceFactory(organization=org, name="Other category")

    both = get(client, "/services", taxonomy_term_id=term.id, organization_id=org.id)
    by_taxonomy = get(client, "/services", taxonomy_id=term.taxonomy_detail_id)

    assert names(both) == ["Wanted"]
    assert sorted(names(by_taxonomy)) == ["Other organisation", "Wanted"]


def test_modified_after(client):
    old = ServiceFactory(name="Old")
    old.last_modified = timezone.now() - datetime.timedelta(days=30)
    old.save()
    ServiceFactory(name="New")
    since = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()

    assert names(get(client, "/services", modified_after=since)) == ["New"]


def test_ages_mean_what_the_uk_profile_says(client):
    ServiceFactory(name="Toddlers", minimum_age=0, maximum_age=5)
    ServiceFactory(name="Teenagers", minimum_age=13, maximum_age=19)
    ServiceFactory(name="Over 60s", minimum_age=60, maximum_age=None)

    assert names(get(client, "/services", minimum_age=13)) == ["Over 60s", "Teenagers"]
    assert names(get(client, "/services", maximum_age=19)) == ["Teenagers", "Toddlers"]
    assert names(get(client, "/services", minimum_age=10, maximum_age=20)) == ["Teenagers"]


def test_day_and_times_match_one_schedule(client):
    ScheduleFactory(
        service=ServiceFactory(name="Monday morning"),
        byday="MO",
        opens_at="09:00",
        closes_at="12:00",
    )
    ScheduleFactory(
        service=ServiceFactory(name="Weekend"), byday="SA,SU", opens_at="10:00", closes_at="16:00"
    )

    assert names(get(client, "/services", day="monday")) == ["Monday morning"]
    assert names(get(client, "/services", day="SU")) == ["Weekend"]
    assert names(get(client, "/services", start_time="09:30")) == ["Weekend"]
    assert names(get(client, "/services", end_time="12:00")) == ["Monday morning"]
    assert names(get(client, "/services", day="MO", start_time="09:30")) == []


# --- Proximity -------------------------------------------------------------------------------
def _place(name, easting, northing, **kwargs):
    location = LocationFactory(name=name, easting=easting, northing=northing, **kwargs)
    return ServiceAtLocationFactory(service=ServiceFactory(name=name), location=location)


def test_proximity_nearest_first_within_the_distance(client):
    from thedeal import geography

    origin = geography.borough_postcodes()[0]
    _place("Far", origin.easting + 4000, origin.northing)
    _place("Near", origin.easting + 100, origin.northing)
    _place("Middle", origin.easting, origin.northing - 1500)

    within = get(client, "/service_at_locations", postcode=origin.postcode, proximity=2000)
    everything = get(
        client, "/service_at_locations", postcode=origin.postcode.replace(" ", "").lower()
    )

    assert names(within) == ["Near", "Middle"]
    assert names(everything) == ["Near", "Middle", "Far"]


def test_confidential_location_is_never_published(client):
    refuge = make_refuge()

    sal_list = json.dumps(get(client, "/service_at_locations").json())
    sal_detail = get(client, f"/service_at_locations/{refuge.id}")
    service = get(client, f"/services/{refuge.service.id}").json()

    assert "Secret Street" not in sal_list and str(refuge.location.id) not in sal_list
    assert sal_detail.status_code == 404
    assert "service_at_locations" not in service
    # The refuge's own line is linked to the service too, but belongs to the house: not published.
    assert {p["number"] for p in service["phones"]} == {"0800 000 111"}
    assert "Secret Street" not in json.dumps(service)
    assert str(refuge.location.id) not in json.dumps(service)


# --- Bad input -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "params,parameter",
    [
        ({"page": "two"}, "page"),
        ({"page": "0"}, "page"),
        ({"per_page": "-1"}, "per_page"),
        ({"modified_after": "last tuesday"}, "modified_after"),
        ({"taxonomy_term_id": "abc"}, "taxonomy_term_id"),
        ({"organization_id": "1"}, "organization_id"),
        ({"minimum_age": "old"}, "minimum_age"),
        ({"maximum_age": "-3"}, "maximum_age"),
        ({"day": "Funday"}, "day"),
        ({"start_time": "25:00"}, "start_time"),
        ({"format": "xml"}, "format"),
        ({"full": "maybe"}, "full"),
    ],
)
def test_bad_parameter_is_400_naming_it(client, params, parameter):
    response = get(client, "/services", **params)

    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert parameter in response.json()["error"]


@pytest.mark.parametrize(
    "params,parameter",
    [
        ({"postcode": "NOT A POSTCODE"}, "postcode"),
        ({"postcode": "ZZ99 9ZZ"}, "postcode"),
        ({"postcode": "WN1 1AA", "proximity": "near"}, "proximity"),
        ({"proximity": "1000"}, "proximity"),
    ],
)
def test_bad_location_parameter_is_400_naming_it(client, params, parameter):
    response = get(client, "/service_at_locations", **params)

    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_rate_limit_is_a_clear_429(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"directory": "3/min"},
    }

    statuses = [get(client, "/services").status_code for _ in range(4)]
    limited = get(client, "/services", format="ndjson")
    other_client = client.get(f"{API}/services", REMOTE_ADDR="192.0.2.44")

    assert statuses == [200, 200, 200, 429]
    assert limited.status_code == 429
    assert "Too many requests" in limited.json()["error"]
    # A sliding window: the next request fits once a third of this minute's three has slid out.
    assert 0 < int(limited["Retry-After"]) <= 60 + 60 // 3
    assert other_client.status_code == 200


@pytest.mark.parametrize("path", ["/services", "/service_at_locations"])
@pytest.mark.parametrize("text", ["😍", "!!!", "-"])
def test_search_with_nothing_searchable_finds_nothing(client, path, text):
    ServiceAtLocationFactory()

    response = get(client, path, search=text)

    assert response.status_code == 200 and response.json()["total_items"] == 0


@pytest.mark.parametrize(
    "params,parameter",
    [
        ({"start_time": "10:00Z"}, "start_time"),
        ({"end_time": "10:00+05:00"}, "end_time"),
        ({"modified_after": "9999-12-31T23:59:59-23:59"}, "modified_after"),
        ({"search": " ".join(f"word{n}" for n in range(25))}, "search"),
        ({"page": "1_000"}, "page"),
        ({"per_page": "１"}, "per_page"),
    ],
)
def test_odd_values_that_once_broke_the_feed_are_400(client, params, parameter):
    response = get(client, "/services", **params)

    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_long_search_on_organizations_is_refused_quickly(client):
    response = get(client, "/organizations", search=" ".join(["a"] * 1000))

    assert response.status_code == 400 and response.json()["parameter"] == "search"


def test_errors_and_the_openapi_document_are_open_to_other_sites(client):
    for path in ["/openapi.json", "/no-such-thing", "/services/"]:
        assert client.get(f"{API}{path}")["Access-Control-Allow-Origin"] == "*", path


def test_unknown_feed_path_is_a_json_404_and_a_trailing_slash_redirects(client):
    missing = client.get(f"{API}/servicez")
    slashed = client.get(f"{API}/services/?page=2")

    assert missing.status_code == 404 and "error" in missing.json()
    assert slashed.status_code == 301 and slashed["Location"] == f"{API}/services?page=2"


def test_the_feed_is_read_only(client):
    response = client.post(f"{API}/services", {})

    assert response.status_code == 405
    assert "read-only" in response.json()["error"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight_is_answered(client):
    response = client.options(f"{API}/services", HTTP_ORIGIN="https://example.org")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_day_filter_on_services_at_locations_looks_at_that_place(client):
    service = ServiceFactory(name="Two-site group")
    monday_place = ServiceAtLocationFactory(
        service=service, location=LocationFactory(name="Monday hall")
    )
    ServiceAtLocationFactory(service=service, location=LocationFactory(name="Friday hall"))
    ScheduleFactory(service=None, service_at_location=monday_place, byday="MO")

    body = get(client, "/service_at_locations", day="MO").json()

    assert [item["location"]["name"] for item in body["contents"]] == ["Monday hall"]
    assert names(get(client, "/services", day="MO")) == ["Two-site group"]


def test_absurdly_long_numbers_are_400_not_500(client):
    response = get(client, "/services", per_page="9" * 3000)

    assert response.status_code == 400 and response.json()["parameter"] == "per_page"
