"""The feed keeps the promises its OpenAPI document makes: one strict rule for every parameter
of every endpoint, in JSON and NDJSON alike, and a document that says what every answer is."""

import json

import pytest

from tests.factories.directory import ServiceAtLocationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

API = "/api/directory"
LISTS = ["/services", "/service_at_locations", "/organizations", "/taxonomies", "/taxonomy_terms"]
DETAILS = LISTS  # each list has a detail at {path}/{id}


def assert_refused(response, *parameters):
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["parameter"] == parameters[0]
    for name in parameters:
        assert name in body["error"], body["error"]
    return body


def lines(response):
    assert response["Content-Type"] == "application/x-ndjson"
    return [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]


# --- One list of parameters per endpoint -----------------------------------------------------
@pytest.mark.parametrize("path", LISTS)
def test_unknown_parameter_is_400_naming_it_on_every_list(client, path):
    response = client.get(f"{API}{path}", {"colour": "blue"})

    body = assert_refused(response, "colour")
    assert "search" in body["error"]  # and says what the endpoint does take


@pytest.mark.parametrize("path", DETAILS)
def test_unknown_parameter_is_400_on_every_detail(client, path):
    service = ServiceAtLocationFactory()

    response = client.get(f"{API}{path}/{service.id}", {"page": "2"})

    assert_refused(response, "page")


def test_postcode_on_services_is_refused_not_ignored(client):
    ServiceFactory.create_batch(2)

    response = client.get(f"{API}/services", {"postcode": "nonsense", "proximity": "1000"})

    body = assert_refused(response, "postcode", "proximity")
    assert "/service_at_locations" in body["error"]


def test_a_parameter_given_twice_is_refused(client):
    response = client.get(f"{API}/services?page=1&page=2")

    assert_refused(response, "page")


# --- Empty values: the same rule for every type ----------------------------------------------
@pytest.mark.parametrize(
    "path,parameter",
    [
        ("/services", "taxonomy_term_id"),
        ("/services", "organization_id"),
        ("/services", "modified_after"),
        ("/services", "minimum_age"),
        ("/services", "day"),
        ("/services", "start_time"),
        ("/services", "page"),
        ("/services", "format"),
        ("/services", "full"),
        ("/services", "search"),
        ("/service_at_locations", "postcode"),
        ("/taxonomy_terms", "parent_id"),
        ("/taxonomy_terms", "top_only"),
    ],
)
def test_an_empty_value_is_refused_whatever_its_type(client, path, parameter):
    response = client.get(f"{API}{path}", {parameter: ""})

    body = assert_refused(response, parameter)
    assert "empty" in body["error"]


@pytest.mark.parametrize("value", ["1", "yes", "TRUE", " true"])
def test_flags_are_true_or_false_only(client, value):
    assert_refused(client.get(f"{API}/services", {"full": value}), "full")


# --- Paging: refused outside the declared range, JSON and NDJSON alike -----------------------
@pytest.mark.parametrize("per_page", ["0", "201", "100000"])
def test_per_page_outside_1_to_200_is_refused(client, per_page):
    response = client.get(f"{API}/services", {"per_page": per_page})

    body = assert_refused(response, "per_page")
    assert "200" in body["error"]


def test_per_page_at_the_maximum_is_served(client):
    ServiceFactory()

    assert client.get(f"{API}/services", {"per_page": "200"}).json()["size"] == 200


def test_ndjson_pages_like_json(client):
    ServiceFactory.create_batch(12)
    params = {"page": "2", "per_page": "5"}

    page = client.get(f"{API}/services", params).json()["contents"]
    streamed = lines(client.get(f"{API}/services", {**params, "format": "ndjson"}))

    assert [s["id"] for s in streamed] == [s["id"] for s in page]
    assert len(streamed) == 5


def test_ndjson_without_paging_streams_every_result(client):
    ServiceFactory.create_batch(3)

    assert len(lines(client.get(f"{API}/services", {"format": "ndjson"}))) == 3


@pytest.mark.parametrize(
    "params,parameter",
    [
        ({"page": "8.7e-309", "per_page": "-22710596649179"}, "page"),
        ({"per_page": "-22710596649179"}, "per_page"),
        ({"per_page": "100000"}, "per_page"),
        ({"colour": "blue"}, "colour"),
        ({"taxonomy_term_id": ""}, "taxonomy_term_id"),
    ],
)
def test_ndjson_checks_its_parameters_like_json(client, params, parameter):
    response = client.get(f"{API}/organizations", {**params, "format": "ndjson"})

    assert_refused(response, parameter)


# --- Rules between parameters ----------------------------------------------------------------
@pytest.mark.parametrize("path", ["/services", "/service_at_locations"])
def test_start_time_after_end_time_is_refused_naming_both(client, path):
    response = client.get(f"{API}{path}", {"start_time": "18:00", "end_time": "17:00"})

    body = assert_refused(response, "start_time", "end_time")
    assert body["parameters"] == ["start_time", "end_time"]


def test_a_window_of_one_moment_is_allowed(client):
    response = client.get(f"{API}/services", {"start_time": "17:00", "end_time": "17:00"})

    assert response.status_code == 200


def test_an_overlong_query_is_414(client):
    response = client.get(f"{API}/services?search=" + "a" * 5000)

    assert response.status_code == 414
    assert "error" in response.json()


# --- The document says what the feed does ----------------------------------------------------
@pytest.fixture
def document(client):
    return client.get(f"{API}/openapi.json").json()


def resolve(document, schema):
    while "$ref" in schema:
        _, _, pointer = schema["$ref"].partition("#/")
        schema = document
        for key in pointer.split("/"):
            schema = schema[key]
    return schema


def test_every_operation_declares_every_answer_with_a_schema(document):
    for path, operations in document["paths"].items():
        responses = operations["get"]["responses"]
        expected = {"200", "400", "405", "414", "429"} | ({"404"} if "{id}" in path else set())
        assert expected <= set(responses), (path, sorted(responses))
        for code, response in responses.items():
            for media_type, content in response["content"].items():
                schema = resolve(document, content["schema"])
                assert schema.get("properties") or schema.get("items"), (path, code, media_type)


def test_lists_declare_json_and_ndjson(document):
    for path in LISTS:
        content = document["paths"][path]["get"]["responses"]["200"]["content"]
        assert set(content) == {"application/json", "application/x-ndjson"}, path


def test_list_responses_are_the_oruk_list_schemas(document):
    schema = resolve(document, document["paths"]["/services"]["get"]["responses"]["200"]["content"]["application/json"]["schema"])  # fmt: skip

    service = resolve(document, schema["properties"]["contents"]["items"])
    assert {"id", "name", "status"} <= set(service["required"])
    assert "total_items" in json.dumps(schema, default=str) or any(
        "total_items" in json.dumps(resolve(document, part)) for part in schema.get("allOf", [])
    )


def test_ids_are_uuids_and_paging_has_its_range(document):
    for path in DETAILS:
        (parameter,) = [
            p for p in document["paths"][f"{path}/{{id}}"]["get"]["parameters"] if p["in"] == "path"
        ]
        assert parameter["schema"] == {"type": "string", "format": "uuid"}, path
    paging = {
        p["name"]: p["schema"]
        for p in document["paths"]["/services"]["get"]["parameters"]
        if p["name"] in ("page", "per_page")
    }
    assert paging["per_page"]["minimum"] == 1 and paging["per_page"]["maximum"] == 200
    assert paging["page"]["minimum"] == 1 and paging["page"]["maximum"] >= 1000


def test_refusals_openapi_cannot_express_are_in_the_descriptions(document):
    parameters = {
        p["name"]: p for p in document["paths"]["/service_at_locations"]["get"]["parameters"]
    }

    assert "postcode" in parameters["proximity"]["description"]
    assert "end_time" in parameters["start_time"]["description"]
    assert "time zone" in parameters["start_time"]["description"]
    assert "exist" in parameters["postcode"]["description"]


@pytest.mark.parametrize("path", LISTS + ["/services/{id}", "/organizations/{id}", "/"])
def test_the_document_lists_exactly_the_parameters_the_feed_takes(client, document, path):
    operation = document["paths"][path]["get"]
    declared = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    service = ServiceAtLocationFactory()
    url = f"{API}{path}".replace("{id}", str(service.service.organization_id if "organ" in path else service.service_id))  # fmt: skip
    values = {"page": "1", "per_page": "1", "format": "json", "search": "x", "postcode": "WN1 1AA"}

    for name in declared:
        value = values.get(name, "true")
        response = client.get(url, {name: value})
        # Accepted, or refused for its value: never as an unknown parameter.
        assert response.status_code in (200, 400), (name, response.content[:200])
        if response.status_code == 400:
            assert "not a parameter" not in response.json()["error"], name
    assert client.get(url, {"undeclared": "1"}).status_code == 400


@pytest.mark.parametrize(
    "path,params,parameter",
    [
        ("/services", {"minimal": "true", "full": "maybe"}, "full"),
        ("/organizations", {"full_service": "true", "full": "maybe"}, "full"),
    ],
)
def test_every_value_is_checked_even_when_another_flag_wins(client, path, params, parameter):
    assert_refused(client.get(f"{API}{path}", params), parameter)
