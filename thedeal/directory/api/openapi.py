"""The feed's OpenAPI document: what every endpoint takes and every answer it can give.

Responses are described by the ORUK 3.0 JSON Schemas that ship in
thedeal/directory/schemas/oruk-3.0/ (the ones the ORUK validator checks feeds against), so a
client, or schemathesis, can check each response against the standard. They are added to the
document's components by `add_oruk_schemas` (a drf-spectacular post-processing hook), each
reduced to the JSON Schema keywords OpenAPI 3.0 knows: the files also carry Frictionless
Data Package keywords ("constraints", "core", "datapackage_metadata", ...) and examples, which an
OpenAPI schema object may not hold. Their $refs between files become $refs between components.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from thedeal.directory.api.params import Parameter

ORUK_BASE_URI = "https://openreferraluk.org/specifications/3.0/schema/"
PREFIX = "ORUK_"
# The JSON Schema keywords the ORUK files use that mean the same in OpenAPI 3.0.
_KEYWORDS = {"type", "properties", "items", "required", "enum", "format", "description", "allOf"}
# The response schemas the feed uses, and (through their $refs) every file they need.
_ROOTS = [
    "api_details",
    "service_list",
    "service",
    "service_at_location_list",
    "service_at_location",
    "organization_list",
    "organization",
    "taxonomy_list",
    "taxonomy",
    "taxonomy_term_list",
    "taxonomy_term",
]

NDJSON = "application/x-ndjson"
JSON = "application/json"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def oruk(name: str) -> dict[str, str]:
    return ref(PREFIX + name)


ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string", "description": "What was wrong, in a sentence."},
        "parameter": {
            "type": "string",
            "description": "The query parameter refused (the first, if several).",
        },
        "parameters": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Every query parameter the refusal is about.",
        },
    },
}
RATE_LIMITED = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string"},
        "retry_after_seconds": {
            "type": "integer",
            "nullable": True,
            "description": "How long to wait before asking again.",
        },
    },
}
COMPONENTS = {"Error": ERROR, "RateLimited": RATE_LIMITED}


def _errors(*, detail: bool) -> dict[Any, OpenApiResponse]:
    answers = {
        400: OpenApiResponse(ref("Error"), description="A query parameter refused, named."),
        405: OpenApiResponse(ref("Error"), description="The feed is read-only: GET only."),
        414: OpenApiResponse(ref("Error"), description="A query string too long to read."),
        429: OpenApiResponse(
            ref("RateLimited"), description="Too many requests from this client: wait."
        ),
    }
    if detail:
        answers[404] = OpenApiResponse(ref("Error"), description="No such record.")
    return answers


def list_responses(item: str, page: str) -> dict[Any, OpenApiResponse]:
    """A list's answers: one page in JSON, or NDJSON (one `item` document a line)."""
    return {
        (200, JSON): OpenApiResponse(oruk(page), description="One page of results."),
        (200, NDJSON): OpenApiResponse(
            {
                "type": "array",
                "items": oruk(item),
                "description": "Newline-delimited JSON: each line one of these documents.",
            },
            description="Results one a line (format=ndjson).",
        ),
        **_errors(detail=False),
    }


def detail_responses(item: str) -> dict[Any, OpenApiResponse]:
    return {200: OpenApiResponse(oruk(item), description="The record."), **_errors(detail=True)}


def details_responses() -> dict[Any, OpenApiResponse]:
    return {200: OpenApiResponse(oruk("api_details")), **_errors(detail=False)}


def parameters(declared: tuple[Parameter, ...], *, detail: bool = False) -> list[OpenApiParameter]:
    """The OpenAPI parameters of an endpoint, from the same declaration its requests are read by."""
    found = [
        OpenApiParameter(
            p.name,
            p.schema,
            OpenApiParameter.QUERY,
            required=False,
            description=p.description,
            examples=_example(p),
        )
        for p in declared
    ]
    if detail:
        found.append(
            OpenApiParameter(
                "id",
                {"type": "string", "format": "uuid"},
                OpenApiParameter.PATH,
                description="The record's id, a UUID.",
            )
        )
    return found


def _example(parameter: Parameter) -> list[OpenApiExample]:
    if parameter.example is None:
        return []
    return [OpenApiExample(parameter.name, value=parameter.example)]


def add_oruk_schemas(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: the ORUK schemas and error bodies as components."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(COMPONENTS)
    schemas.update(oruk_components())
    return result


@cache
def oruk_components() -> dict[str, Any]:
    folder = files("thedeal.directory").joinpath("schemas", "oruk-3.0")
    found: dict[str, Any] = {}
    waiting = list(_ROOTS)
    while waiting:
        name = waiting.pop()
        if PREFIX + name in found:
            continue
        document = json.loads(folder.joinpath(f"{name}.json").read_text(encoding="utf-8"))
        needed: list[str] = []
        found[PREFIX + name] = _reduce(document, needed)
        waiting += needed
    return dict(sorted(found.items()))


def _reduce(schema: dict[str, Any], needed: list[str]) -> dict[str, Any]:
    """One ORUK schema as an OpenAPI 3.0 schema object; files it refers to are added to `needed`."""
    if "$ref" in schema:
        target = schema["$ref"]
        if not target.startswith(ORUK_BASE_URI):
            raise ValueError(f"an ORUK schema refers outside the ORUK folder: {target}")
        name = target.removeprefix(ORUK_BASE_URI).removesuffix(".json")
        needed.append(name)
        return oruk(name)
    reduced: dict[str, Any] = {}
    for key, value in schema.items():
        if key not in _KEYWORDS:
            continue
        if key == "properties":
            value = {prop: _reduce(sub, needed) for prop, sub in value.items()}
        elif key == "items":
            value = _reduce(value, needed)
        elif key == "allOf":
            value = [_reduce(sub, needed) for sub in value]
        reduced[key] = value
    return reduced
