"""The demo borough's live feed, checked the way the ORUK validator checks a feed.

Level 1 (required endpoints) and level 2 (optional ones): every list at its first, a middle and
its last page, every detail for ids taken from the lists, each against the ORUK 3.0 schemas.
"""

import json
import random

import pytest

from thedeal import geography
from thedeal.directory import schemas
from thedeal.directory.models import Location, ServiceAtLocation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_borough")]

API = "/api/directory"
LISTS = [
    ("services", "service_list", "services", "service"),
    ("organizations", "organization_list", "organizations", "organization"),
    ("taxonomies", "taxonomy_list", "taxonomies", "taxonomy"),
    ("taxonomy_terms", "taxonomy_term_list", "taxonomy_terms", "taxonomy_term"),
    (
        "service_at_locations",
        "service_at_location_list",
        "service_at_locations",
        "service_at_location",
    ),
]


def fetch(client, path, **params):
    response = client.get(f"{API}/{path}", params)
    assert response.status_code == 200, (path, params, response.content[:500])
    return response.json()


def assert_valid(document, schema, where):
    problems = schemas.validate(document, schema)
    assert problems == [], f"{where}: {problems[:5]}"


@pytest.mark.parametrize("path,list_schema,detail_path,detail_schema", LISTS)
def test_every_page_and_detail_validates(client, path, list_schema, detail_path, detail_schema):
    first = fetch(client, path, per_page=20)
    assert first["total_items"] > 0, f"{path} is empty: the validator warns about that"
    pages = sorted({1, (first["total_pages"] + 1) // 2, first["total_pages"]})
    ids = []
    for page in pages:
        body = fetch(client, path, per_page=20, page=page)
        assert_valid(body, list_schema, f"{path} page {page}")
        assert body["page_number"] == page and body["last_page"] == (page == first["total_pages"])
        ids += [item["id"] for item in body["contents"]]
    for object_id in random.Random(1).sample(ids, min(len(ids), 15)):
        assert_valid(
            fetch(client, f"{detail_path}/{object_id}"), detail_schema, f"{detail_path}/{object_id}"
        )


def test_full_lists_validate(client):
    assert_valid(
        fetch(client, "services", full="true", per_page=30), "service_list", "services?full"
    )
    assert_valid(
        fetch(client, "service_at_locations", full="true", per_page=30),
        "service_at_location_list",
        "sal?full",
    )
    assert_valid(
        fetch(client, "organizations", full_service="true", per_page=5), "organization_list", "orgs"
    )


def test_services_are_fully_nested_like_the_standard(client):
    body = fetch(client, "services", full="true", per_page=200)
    nested = {key for service in body["contents"] for key in service}

    assert {
        "organization",
        "service_at_locations",
        "schedules",
        "phones",
        "cost_options",
        "languages",
        "attributes",
        "service_areas",
        "contacts",
    } <= nested


def test_a_refuge_cannot_be_located_from_any_postcode(client):
    """An attacker queries distances from many postcodes to triangulate a refuge: nothing leaks."""
    refuges = Location.objects.filter(confidential=True)
    assert refuges.exists(), "the demo borough should have confidential locations"
    hidden_sal = {
        str(i)
        for i in ServiceAtLocation.objects.filter(location__in=refuges).values_list("id", flat=True)
    }
    hidden_locations = {str(i) for i in refuges.values_list("id", flat=True)}
    refuge = refuges.first()
    postcodes = sorted(
        geography.borough_postcodes(),
        key=lambda p: geography.distance_m(p.easting, p.northing, refuge.easting, refuge.northing),
    )[:6]

    for postcode in postcodes:
        for proximity in (100, 500, 2000, None):
            params = {"postcode": postcode.postcode, "per_page": 200}
            if proximity:
                params["proximity"] = proximity
            text = json.dumps(fetch(client, "service_at_locations", **params))
            assert not any(i in text for i in hidden_sal | hidden_locations)
            assert (
                json.dumps(refuge.latitude) not in text and json.dumps(refuge.longitude) not in text
            )

    for service_id in ServiceAtLocation.objects.filter(location__in=refuges).values_list(
        "service_id", flat=True
    )[:5]:
        text = json.dumps(fetch(client, f"services/{service_id}"))
        assert not any(i in text for i in hidden_locations)
        for address in refuge.addresses.all():
            assert address.address_1 not in text and address.postal_code not in text


def test_ndjson_streams_the_whole_directory(client):
    response = client.get(f"{API}/services", {"format": "ndjson"})
    lines = b"".join(response.streaming_content).splitlines()
    total = fetch(client, "services")["total_items"]

    assert len(lines) == total
    assert len({json.loads(line)["id"] for line in lines}) == total


@pytest.mark.parametrize(
    "query",
    [
        "walking",
        "stop smoking",
        "food bank",
        "debt advice",
        "carers",
        "park",
        "Mental Health",
        "volunteer",
    ],
)
def test_everyday_searches_find_something_relevant(client, query):
    body = fetch(client, "services", search=query, per_page=5)

    assert body["total_items"] > 0, query
    top = json.dumps(body["contents"][0]).lower()
    assert any(word.rstrip("s")[:5] in top for word in query.lower().split())


def test_nothing_answers_500(client):
    """A crude fuzz: odd values for every parameter of every list, none may be a server error."""
    values = [
        "",
        "0",
        "-1",
        "1e309",
        "NaN",
        "null",
        "[]",
        "%00",
        "'; DROP TABLE x;--",
        "9" * 40,
        "2024-13-45",
        "ZZ1",
        "WN1 1AA",
        "true",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "a" * 3000,
    ]
    parameters = [
        "search",
        "page",
        "per_page",
        "format",
        "taxonomy_term_id",
        "taxonomy_id",
        "organization_id",
        "modified_after",
        "minimal",
        "full",
        "full_service",
        "top_only",
        "parent_id",
        "postcode",
        "proximity",
        "minimum_age",
        "maximum_age",
        "day",
        "start_time",
        "end_time",
    ]
    rng = random.Random(3)
    for path, *_ in LISTS:
        for parameter in parameters:
            for value in rng.sample(values, 8):
                response = client.get(f"{API}/{path}", {parameter: value})
                assert response.status_code in (200, 400), (
                    path,
                    parameter,
                    value,
                    response.status_code,
                )
        for object_id in ["x", "0", "00000000-0000-0000-0000-000000000000", "%20"]:
            assert client.get(f"{API}/{path}/{object_id}").status_code in (400, 404)


@pytest.mark.parametrize("word", ["walking", "carers", "food", "advice", "park", "group"])
def test_search_shortcut_gives_the_same_services_in_the_same_order(word):
    from thedeal.directory import queries

    filters = queries.Filters(search=word)
    fast, general = queries.services(filters), queries.services(filters, shortcut=False)

    assert fast.count() == general.count() > 0
    assert fast[0:40].values_list("id") == [
        (i,) for i in general[0:40].values_list("id", flat=True)
    ]
    assert fast[5:12].values_list("id") == [
        (i,) for i in general[5:12].values_list("id", flat=True)
    ]


@pytest.mark.parametrize("proximity", [300, 1500, None])
def test_nearby_shortcut_gives_the_same_places_in_the_same_order(proximity):
    from thedeal.directory import queries

    origin = Location.objects.filter(confidential=False, service_count__gt=2).order_by("id").first()
    filters = queries.Filters(near=queries.Near(origin.easting, origin.northing, proximity))
    fast, general = (
        queries.services_at_locations(filters),
        queries.services_at_locations(filters, shortcut=False),
    )

    assert fast.count() == general.count() > 0
    for page in (slice(0, 10), slice(3, 17), slice(20, 70)):
        assert fast[page].values_list("id") == [
            (i,) for i in general[page].values_list("id", flat=True)
        ]


def test_services_counted_at_each_place_follow_edits():
    from thedeal.directory.models import Location, ServiceAtLocation

    sal = (
        ServiceAtLocation.objects.filter(location__confidential=False)
        .select_related("location")
        .first()
    )
    place, before = sal.location, sal.location.service_count
    other = Location.objects.exclude(pk=place.pk).filter(confidential=False).first()
    other_before = other.service_count

    sal.location = other
    sal.save()

    assert Location.objects.get(pk=place.pk).service_count == before - 1
    assert Location.objects.get(pk=other.pk).service_count == other_before + 1
    sal.delete()
    assert Location.objects.get(pk=other.pk).service_count == other_before
