"""thedeal.directory.schemas against the official fixtures (no Django needed).

Fixture name -> schema name, for the ORUK validator's mock feeds (tests/fixtures/oruk-validator):
the mock file is what the feed returns for one endpoint, named after the schema that checks it,
except that detail responses carry a "_full" suffix:

    api_details.json                 GET /                        -> api_details
    service_full.json                GET /services/{id}           -> service
    service_list.json                GET /services                -> service_list
    organization.json (Default),
    organization_full.json           GET /organizations/{id}      -> organization
    organization_list.json           GET /organizations           -> organization_list
    service_at_location_full.json    GET /service_at_locations/{id} -> service_at_location
    service_at_location_list.json    GET /service_at_locations    -> service_at_location_list
    taxonomy[_list].json, taxonomy_term[_list].json               -> same name
    dashboard_*.json                 not a feed response: the validator's own dashboard data

so the rule is "strip _full"; test_every_fixture_maps_to_a_schema keeps that rule honest.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from thedeal.directory import schemas
from thedeal.directory.schemas import SchemaProblem, is_valid, validate

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
MOCKS = FIXTURES / "oruk-validator"
HSDS_EXAMPLES = FIXTURES / "hsds-3.0-examples"
HSDS_SCHEMAS = Path(schemas.__file__).resolve().parent / "schemas" / "hsds-3.0"


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def mock_files(feed: str) -> list[Path]:
    return sorted((MOCKS / feed).glob("*.json"))


def oruk_schema_for(fixture: Path) -> str:
    return fixture.stem.removesuffix("_full")


def fixture_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def brief(problems: list[SchemaProblem]) -> list[tuple[str, str, str]]:
    """(path, failing keyword, message) -- the keyword is the last step of schema_path."""
    return [(p.path, p.schema_path.rsplit("/", 1)[-1], p.message) for p in problems]


# --- the fixtures are all there ---------------------------------------------------------------

FEED_ENDPOINTS = {
    "api_details",
    "organization_list",
    "service_at_location_full",
    "service_at_location_list",
    "service_full",
    "service_list",
    "taxonomy",
    "taxonomy_list",
    "taxonomy_term",
    "taxonomy_term_list",
}


@pytest.mark.parametrize(
    ("feed", "extra"),
    [
        (
            "V3.0-UK-Default",
            {"organization", "dashboard_services_response", "dashboard_service_details_response"},
        ),
        ("V3.0-UK-Warn", {"organization_full"}),
        ("V3.0-UK-Fail", {"organization_full"}),
    ],
)
def test_mock_feed_is_complete(feed: str, extra: set[str]) -> None:
    # Guards the parametrised tests below: an empty glob would make them pass by running nothing.
    assert {path.stem for path in mock_files(feed)} == FEED_ENDPOINTS | extra


def test_every_fixture_maps_to_a_schema() -> None:
    names = schemas.schema_names("oruk")
    for feed in ("V3.0-UK-Default", "V3.0-UK-Warn", "V3.0-UK-Fail"):
        for path in mock_files(feed):
            if not path.stem.startswith("dashboard_"):
                assert oruk_schema_for(path) in names, fixture_id(path)


# --- ORUK validator mocks ---------------------------------------------------------------------

# The Warn feed is the Default feed with faults in optional (level 2) endpoints only, which the
# official validator reports as warnings. Its GET /taxonomy_terms/{id} response is schema-invalid
# on purpose (it is byte-for-byte the Fail feed's), so it is expected to fail here; every other
# Warn response is valid.
TAXONOMY_TERM_PROBLEMS = [
    ("", "required", "'description' is a required property"),
    ("term_uri", "format", "'example_com' is not a 'uri'"),
]

PASSING = [
    path
    for feed in ("V3.0-UK-Default", "V3.0-UK-Warn")
    for path in mock_files(feed)
    if fixture_id(path) != "V3.0-UK-Warn/taxonomy_term.json"
]


@pytest.mark.parametrize("fixture", PASSING, ids=fixture_id)
def test_default_and_warn_mocks_are_valid(fixture: Path) -> None:
    if fixture.stem.startswith("dashboard_"):
        pytest.skip("the validator's dashboard data, not a feed response: no ORUK schema for it")
    document = load(fixture)
    assert validate(document, oruk_schema_for(fixture)) == []
    assert is_valid(document, oruk_schema_for(fixture))


def test_warn_taxonomy_term_is_the_deliberate_warning() -> None:
    problems = validate(load(MOCKS / "V3.0-UK-Warn" / "taxonomy_term.json"), "taxonomy_term")
    assert brief(problems) == TAXONOMY_TERM_PROBLEMS


def _service_list_item_problems(
    index: int, email: tuple[str, str], url: str | None
) -> list[tuple[str, str, str]]:
    """Each Fail service_list item lacks "name" and has a bad email; most have a bad url."""
    keyword, message = email
    problems = [
        (f"contents/{index}", "required", "'name' is a required property"),
        (f"contents/{index}/email", keyword, message),
    ]
    if url is not None:
        problems.append((f"contents/{index}/url", "format", f"{url!r} is not a 'uri'"))
    return problems


# What is wrong with each Fail response, found by diffing it with Default. The files with no
# schema problem fail the official validator's other checks, which JSON Schema cannot express:
# paging metadata (organization_list and service_at_location_list say total_items 10,
# total_pages 10, last_page false for a one-item first page), ids that do not match between list
# and detail (service_at_location_list/_full, taxonomy_term_list/taxonomy_term), or nothing of
# their own (organization_full, taxonomy, taxonomy_list are identical to Default's): the feed
# fails as a whole because its level 1 endpoints do.
FAIL_EXPECTED: dict[str, list[tuple[str, str, str]]] = {
    "api_details.json": [
        ("", "required", "'profile' is a required property"),
        (
            "openapi_url",
            "format",
            "'docs-openreferraluk-org/en/latest/openapi30.json' is not a 'uri'",
        ),
    ],
    "service_full.json": [
        ("email", "format", "'email-example_com' is not a 'email'"),
        ("url", "format", "'example/counselling' is not a 'uri'"),
    ],
    "service_list.json": [
        *_service_list_item_problems(
            0, ("format", "'email-example_com' is not a 'email'"), "example_counselling"
        ),
        *_service_list_item_problems(
            1, ("format", "'email-example_com' is not a 'email'"), "example_counselling"
        ),
        *_service_list_item_problems(
            2, ("type", "False is not of type 'string'"), "example_counselling"
        ),
        *_service_list_item_problems(3, ("type", "12345 is not of type 'string'"), None),
    ],
    "taxonomy_term.json": TAXONOMY_TERM_PROBLEMS,
    "organization_full.json": [],
    "organization_list.json": [],
    "service_at_location_full.json": [],
    "service_at_location_list.json": [],
    "taxonomy.json": [],
    "taxonomy_list.json": [],
    "taxonomy_term_list.json": [],
}


def test_every_fail_mock_has_an_expectation() -> None:
    assert {path.name for path in mock_files("V3.0-UK-Fail")} == set(FAIL_EXPECTED)


@pytest.mark.parametrize("fixture", mock_files("V3.0-UK-Fail"), ids=fixture_id)
def test_fail_mocks_have_exactly_the_expected_problems(fixture: Path) -> None:
    document = load(fixture)
    expected = FAIL_EXPECTED[fixture.name]
    assert brief(validate(document, oruk_schema_for(fixture))) == expected
    assert is_valid(document, oruk_schema_for(fixture)) is (not expected)


def test_the_required_endpoints_of_the_fail_feed_are_invalid() -> None:
    # The level 1 endpoints (GET /, /services, /services/{id}) are what make the feed fail.
    for name in ("api_details.json", "service_list.json", "service_full.json"):
        assert not is_valid(load(MOCKS / "V3.0-UK-Fail" / name), oruk_schema_for(Path(name))), name


# --- HSDS 3.0 examples ------------------------------------------------------------------------

HSDS_EXAMPLE_SCHEMAS: dict[str, list[str]] = {
    "base.json": ["api_details"],
    "location.json": ["location"],
    # compiled/organization adds the organization's "services", which organization.json lacks.
    "organization_full.json": ["organization", "compiled/organization"],
    "organization_list.json": ["organization_list"],
    # compiled/service_at_location adds the nested "service", which service_at_location.json lacks.
    "service_at_location_full.json": ["service_at_location", "compiled/service_at_location"],
    "service_at_location_list.json": ["service_at_location_list"],
    "service_full.json": ["service"],
    "service_list.json": ["service_list"],
    "taxonomy.json": ["taxonomy"],
    "taxonomy_list.json": ["taxonomy_list"],
    "taxonomy_term.json": ["taxonomy_term"],
    "taxonomy_term_list.json": ["taxonomy_term_list"],
    # The tabular (CSV-shaped) form, not an API response; compiled/tabular.json is not shipped.
    "tabular.json": [],
}


def test_every_hsds_example_has_a_mapping() -> None:
    assert {path.name for path in HSDS_EXAMPLES.glob("*.json")} == set(HSDS_EXAMPLE_SCHEMAS)


@pytest.mark.parametrize(
    ("example", "schema"),
    [(name, schema) for name, names in HSDS_EXAMPLE_SCHEMAS.items() for schema in names],
)
def test_hsds_examples_are_valid(example: str, schema: str) -> None:
    document = load(HSDS_EXAMPLES / example)
    assert validate(document, schema, standard="hsds") == []


def test_hsds_csv_datapackage_is_the_real_file() -> None:
    # Upstream examples/csv/datapackage.json is a git symlink; copied naively it is a 22-byte
    # text file holding "../../datapackage.json". We ship the file it points at.
    package = load(HSDS_EXAMPLES / "csv" / "datapackage.json")
    paths = {resource["path"] for resource in package["resources"]}
    assert paths == {path.name for path in (HSDS_EXAMPLES / "csv").glob("*.csv")}


# --- why two compiled HSDS schemas are shipped ------------------------------------------------


def _inline(node: Any, folder: Path) -> Any:
    """Replace each relative {"$ref": "x.json", ...} with x.json's (inlined) contents."""
    if isinstance(node, dict):
        if "$ref" in node:
            target = _inline(load(folder / node["$ref"]), folder)
            return {**target, **{k: _inline(v, folder) for k, v in node.items() if k != "$ref"}}
        return {k: _inline(v, folder) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, folder) for v in node]
    return node


def test_compiled_organization_is_organization_plus_services() -> None:
    plain = _inline(load(HSDS_SCHEMAS / "organization.json"), HSDS_SCHEMAS)
    compiled = load(HSDS_SCHEMAS / "compiled" / "organization.json")
    services = compiled["properties"].pop("services")
    assert compiled == plain
    assert services == {
        "type": "array",
        "items": _inline(load(HSDS_SCHEMAS / "service.json"), HSDS_SCHEMAS),
    }


def test_compiled_and_plain_organization_disagree_on_nested_services() -> None:
    organization = load(HSDS_EXAMPLES / "organization_full.json")
    organization["services"][0]["status"] = "open"
    assert is_valid(organization, "organization", standard="hsds")  # plain: services unchecked
    assert brief(validate(organization, "compiled/organization", standard="hsds")) == [
        (
            "services/0/status",
            "enum",
            "'open' is not one of ['active', 'inactive', 'defunct', 'temporarily closed']",
        ),
    ]


# --- hand-broken documents: the path names the field ------------------------------------------


@pytest.fixture
def service() -> dict[str, Any]:
    return load(MOCKS / "V3.0-UK-Default" / "service_full.json")


def test_wrong_type_deep_in_a_nested_object(service: dict[str, Any]) -> None:
    service["service_at_locations"][0]["location"]["latitude"] = "52.2 N"
    assert brief(validate(service, "service")) == [
        ("service_at_locations/0/location/latitude", "type", "'52.2 N' is not of type 'number'"),
    ]


def test_bad_enum(service: dict[str, Any]) -> None:
    service["status"] = "open"
    [problem] = validate(service, "service")
    assert problem.path == "status"
    assert problem.schema_path == "properties/status/enum"


def test_missing_required_field_names_it_in_the_message(service: dict[str, Any]) -> None:
    del service["organization"]["name"]
    assert validate(service, "service") == [
        SchemaProblem(
            path="organization",
            message="'name' is a required property",
            schema_path="properties/organization/required",
        ),
    ]


@pytest.mark.parametrize(
    ("field", "value", "expected_format"),
    [
        ("id", "not-a-uuid", "uuid"),
        ("id", "3a19ff884620-4d17-9830-ac1d859eb5d5-", "uuid"),
        ("last_modified", "15/03/2023 10:30", "date-time"),
        ("last_modified", "2023-03-15", "date-time"),
        ("url", "www.example.com/counselling", "uri"),
        ("email", "counselling.example.com", "email"),
    ],
)
def test_formats_are_enforced(
    service: dict[str, Any], field: str, value: str, expected_format: str
) -> None:
    service[field] = value
    assert brief(validate(service, "service")) == [
        (field, "format", f"{value!r} is not a {expected_format!r}")
    ]
    assert not is_valid(service, "service")


@pytest.mark.parametrize(
    ("value", "conforms"),
    [("2024-02-29", True), ("2023-02-29", False), ("2023-3-1", False), ("20230301", False)],
)
def test_date_format_is_enforced(value: str, conforms: bool) -> None:
    # No ORUK or HSDS 3.0 schema uses "format": "date" yet, so check the checker directly.
    assert schemas._format_checker().conforms(value, "date") is conforms


def test_only_the_listed_formats_are_checked() -> None:
    assert set(schemas._format_checker().checkers) == {"date", "date-time", "email", "uri", "uuid"}
    assert schemas.ENFORCED_FORMATS == {"date", "date-time", "email", "uri", "uuid"}


def test_page_of_services_names_the_item_and_field() -> None:
    page = load(MOCKS / "V3.0-UK-Default" / "service_list.json")
    item = page["contents"][0]
    page["contents"] = [copy.deepcopy(item) for _ in range(4)]
    page["contents"][3]["email"] = 12345
    del page["contents"][3]["organization"]["name"]
    assert brief(validate(page, "service_list")) == [
        ("contents/3/email", "type", "12345 is not of type 'string'"),
        ("contents/3/organization", "required", "'name' is a required property"),
    ]


def test_page_of_service_at_locations_deep_field() -> None:
    page = load(MOCKS / "V3.0-UK-Default" / "service_at_location_list.json")
    page["contents"] = [copy.deepcopy(page["contents"][0]) for _ in range(4)]
    page["contents"][3]["location"]["latitude"] = "north"
    assert [p.path for p in validate(page, "service_at_location_list")] == [
        "contents/3/location/latitude"
    ]


def test_problems_are_in_document_order() -> None:
    page = load(MOCKS / "V3.0-UK-Default" / "service_list.json")
    page["contents"] = [copy.deepcopy(page["contents"][0]) for _ in range(12)]
    for index in (11, 2, 10):
        page["contents"][index]["status"] = "open"
    assert [p.path for p in validate(page, "service_list")] == [
        "contents/2/status",
        "contents/10/status",
        "contents/11/status",
    ]


def test_hsds_deep_nested_problem() -> None:
    service = load(HSDS_EXAMPLES / "service_full.json")
    service["service_at_locations"][0]["location"]["location_type"] = "moon"
    assert [
        (p.path, p.schema_path.rsplit("/", 1)[-1])
        for p in validate(service, "service", standard="hsds")
    ] == [
        ("service_at_locations/0/location/location_type", "enum"),
    ]


def test_empty_list_response() -> None:
    empty = {
        "total_items": 0,
        "total_pages": 0,
        "page_number": 1,
        "size": 0,
        "first_page": True,
        "last_page": True,
        "empty": True,
        "contents": [],
    }
    assert validate(empty, "empy_list_response") == []
    assert [p.path for p in validate({**empty, "empty": "yes"}, "empy_list_response")] == ["empty"]


def test_validators_are_built_once() -> None:
    assert schemas._validator("oruk", "service") is schemas._validator("oruk", "service")
    assert schemas._registry("hsds") is schemas._registry("hsds")


def test_unknown_schema_is_an_error() -> None:
    with pytest.raises(schemas.UnknownSchemaError, match="service_list"):
        validate({}, "services")
    with pytest.raises(schemas.UnknownSchemaError):
        validate({}, "open_api")  # an OpenAPI document, registered but not a schema


def test_hsds_only_names_are_not_oruk_names() -> None:
    assert "compiled/organization" in schemas.schema_names("hsds")
    assert "program" in schemas.schema_names("hsds")
    assert "program" not in schemas.schema_names("oruk")
