"""Validate documents against the ORUK 3.0 and HSDS 3.0 JSON Schemas that ship with this package.

The schema files live beside this module, in ``schemas/oruk-3.0/`` and ``schemas/hsds-3.0/``
(their LICENCE.md files say where each came from). This module is plain Python on purpose: the
feed's contract tests, the HSDS importer and management commands all use it, and none of them
should need Django settings just to check a document against a schema.

Usage::

    problems = validate(response_json, "service_list")            # ORUK 3.0, the default
    problems = validate(document, "service", standard="hsds")     # HSDS 3.0
    ok = is_valid(response_json, "api_details")

``schema`` is the schema file's stem (``"service"``, ``"service_list"``, ``"api_details"``,
``"empy_list_response"`` -- sic, that is the upstream file name). :func:`schema_names` lists them.

Formats: JSON Schema 2020-12 makes ``format`` an annotation unless a validator opts in. We opt in
for exactly these, because the ORUK validator's "Fail" mock feed is built around bad e-mails and
URIs, and a feed that only passes with format checking off would fail the official validator:

* ``uuid``      -- 8-4-4-4-12 hexadecimal digits (what every HSDS ``id`` is meant to be);
* ``date-time`` -- RFC 3339, via ``rfc3339-validator``;
* ``uri``       -- an absolute RFC 3986 URI (a scheme is required), via ``rfc3986-validator``;
* ``email``     -- only "contains an @", which is what jsonschema itself checks: the RFC 5321
  grammar rejects addresses real people use, and the official fixtures only need the @ test;
* ``date``      -- ``YYYY-MM-DD`` that is a real calendar date. No ORUK or HSDS 3.0 schema uses
  it today (``assured_date`` and ``schedule.valid_from`` carry no ``format``), so it never fires
  on these schemas; it is here so that a schema that starts using it is checked at once.

Every other format is left unchecked, as the spec allows. All of the official ORUK "Default"
mock responses pass with these checks on, and so does every "Warn" response except
taxonomy_term.json, which the Warn feed breaks on purpose (it lacks the required "description"
whether or not formats are checked). So no format had to be switched off for an official
passing fixture.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any, Final, Literal

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

# Imported directly, not through jsonschema's optional "format" extras: jsonschema silently
# skips a format whose library is missing (and prefers the GPL ``rfc3987`` for "uri" when it
# happens to be installed), so relying on it would make the verdict depend on what else is in
# the environment. A missing library here is an ImportError, not a quietly weaker check.
from rfc3339_validator import validate_rfc3339
from rfc3986_validator import validate_rfc3986

__all__ = [
    "ENFORCED_FORMATS",
    "HSDS_BASE_URI",
    "ORUK_BASE_URI",
    "SchemaProblem",
    "Standard",
    "UnknownSchemaError",
    "is_valid",
    "schema_names",
    "schema_uri",
    "validate",
]

Standard = Literal["oruk", "hsds"]

# Each folder is registered under the URL its files are published at, so that the $refs inside
# them resolve to our local copies and nothing is ever fetched over the network.
#  - ORUK files $ref each other by these absolute URLs already.
#  - HSDS files $ref each other by relative file name ("contact.json"), and HSDS's openapi.json
#    points at "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/...";
#    using that as the base makes both kinds of reference resolve.
ORUK_BASE_URI: Final = "https://openreferraluk.org/specifications/3.0/schema/"
HSDS_BASE_URI: Final = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"

_FOLDERS: Final[Mapping[Standard, tuple[str, str]]] = {
    "oruk": ("oruk-3.0", ORUK_BASE_URI),
    "hsds": ("hsds-3.0", HSDS_BASE_URI),
}

# HSDS 3.0 has no schema file for its list responses or for GET /: its openapi.json spells them
# out inline (a Page envelope whose items $ref a schema file). We expose those response schemas
# under the names the ORUK folder uses for the same responses, so callers ask for
# "service_list" whichever standard they check against.
_HSDS_OPENAPI_RESPONSES: Final[Mapping[str, str]] = {
    "api_details": "/",
    "service_list": "/services",
    "organization_list": "/organizations",
    "service_at_location_list": "/service_at_locations",
    "taxonomy_list": "/taxonomies",
    "taxonomy_term_list": "/taxonomy_terms",
}

ENFORCED_FORMATS: Final = frozenset({"date", "date-time", "email", "uri", "uuid"})


@dataclass(frozen=True)
class SchemaProblem:
    """One way in which a document breaks a schema.

    ``path`` is where in the document the problem is, as "/"-joined keys and list indexes
    (``"contents/3/service_at_locations/0/location/latitude"``); ``""`` is the document itself.
    For a missing required property it names the object that lacks it, and ``message`` names
    the property -- the path always points at something that exists in the document.
    ``schema_path`` is the chain of keywords that led from the named schema to the failing one
    (``"properties/organization/required"``). jsonschema leaves ``$ref`` out of it, so where the
    chain crosses into another file (organization.json, here) it is not a JSON pointer into the
    named file: read it as a breadcrumb, not as an address.
    """

    path: str
    message: str
    schema_path: str


class UnknownSchemaError(LookupError):
    """Raised when asked for a schema name that the standard does not have."""


def validate(document: object, schema: str, *, standard: Standard = "oruk") -> list[SchemaProblem]:
    """Return every problem with ``document`` against ``schema``; an empty list means valid.

    Problems are sorted by their place in the document (list indexes in numeric order), so the
    output is stable and a report reads from top to bottom.
    """
    validator = _validator(standard, schema)
    errors = sorted(validator.iter_errors(document), key=_error_sort_key)
    return [_to_problem(error) for error in errors]


def is_valid(document: object, schema: str, *, standard: Standard = "oruk") -> bool:
    """Whether ``document`` is valid against ``schema``; stops at the first problem found."""
    return _validator(standard, schema).is_valid(document)


def schema_names(standard: Standard = "oruk") -> frozenset[str]:
    """The names :func:`validate` accepts for ``standard``."""
    return frozenset(_schema_uris(standard))


def schema_uri(schema: str, *, standard: Standard = "oruk") -> str:
    """The URI (possibly with a JSON-pointer fragment) the named schema is registered under."""
    uris = _schema_uris(standard)
    try:
        return uris[schema]
    except KeyError:
        known = ", ".join(sorted(uris))
        raise UnknownSchemaError(
            f"no {standard} schema called {schema!r}; known: {known}"
        ) from None


# --- building (all cached: loading the HSDS folder parses ~6 MB of JSON) ---------------------


@cache
def _validator(standard: Standard, schema: str) -> Draft202012Validator:
    # Built once per (standard, schema) and reused: a jsonschema validator is immutable and safe
    # to share between threads, and building one means crawling the whole registry.
    uri = schema_uri(schema, standard=standard)
    # The files have no "$schema"; the README and HSDS's openapi.json (jsonSchemaDialect) both
    # say 2020-12. A one-line root that $refs the registered file keeps each file byte-for-byte
    # as published (no $id needs adding) and lets a name point inside openapi.json.
    return Draft202012Validator(
        {"$ref": uri},
        registry=_registry(standard),
        format_checker=_format_checker(),
    )


@cache
def _registry(standard: Standard) -> Registry[Any]:
    _, base_uri = _FOLDERS[standard]
    registry: Registry[Any] = Registry()
    for relative_name, contents in _documents(standard).items():
        # default_specification, not a forced one: if a future file declares its own "$schema"
        # that declaration wins, as the spec requires.
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        registry = registry.with_resource(base_uri + relative_name, resource)
    # crawl() indexes every subresource and anchor up front, so no lookup is done lazily later.
    return registry.crawl()


@cache
def _schema_uris(standard: Standard) -> Mapping[str, str]:
    _, base_uri = _FOLDERS[standard]
    uris: dict[str, str] = {}
    documents = _documents(standard)
    for relative_name, contents in documents.items():
        # OpenAPI documents are registered (other files may point into them) but are not
        # schemas themselves, so they get no name.
        if isinstance(contents, Mapping) and "openapi" in contents:
            continue
        uris[relative_name.removesuffix(".json")] = base_uri + relative_name
    if standard == "hsds":
        openapi = documents["openapi.json"]
        for name, api_path in _HSDS_OPENAPI_RESPONSES.items():
            pointer = _response_schema_pointer(api_path)
            _resolve_pointer(openapi, pointer)  # fail at build time, not on first use
            uris[name] = f"{base_uri}openapi.json#{pointer}"
    return uris


@cache
def _documents(standard: Standard) -> Mapping[str, Any]:
    folder_name, _ = _FOLDERS[standard]
    # importlib.resources rather than __file__, so the schemas are found inside a wheel or zip.
    root = files("thedeal.directory").joinpath("schemas", folder_name)
    documents = {
        name: json.loads(item.read_text(encoding="utf-8")) for name, item in _walk_json(root)
    }
    if not documents:
        raise FileNotFoundError(f"no JSON schemas found in {root}; is the package data installed?")
    return documents


def _walk_json(folder: Traversable, prefix: str = "") -> Iterable[tuple[str, Traversable]]:
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if item.is_dir():
            yield from _walk_json(item, f"{prefix}{item.name}/")
        elif item.name.endswith(".json"):
            yield prefix + item.name, item


def _response_schema_pointer(api_path: str) -> str:
    escaped = api_path.replace("~", "~0").replace("/", "~1")
    return f"/paths/{escaped}/get/responses/200/content/application~1json/schema"


def _resolve_pointer(document: Any, pointer: str) -> Any:
    node = document
    for part in pointer.lstrip("/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


# --- formats ---------------------------------------------------------------------------------

# re.ASCII so that non-ASCII digits (which date.fromisoformat would accept) do not pass.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# The canonical textual form only: uuid.UUID() would also take braces, "urn:uuid:" and no hyphens.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


@cache
def _format_checker() -> FormatChecker:
    # Our own instance with only our checks: FormatChecker() would take every check jsonschema
    # registered globally, which depends on which optional libraries are installed.
    checker = FormatChecker(formats=())

    # Non-strings pass every format check: "type" reports them, and reporting twice is noise.
    @checker.checks("date", raises=ValueError)
    def is_date(instance: object) -> bool:
        if not isinstance(instance, str):
            return True
        return _DATE.fullmatch(instance) is not None and bool(date.fromisoformat(instance))

    @checker.checks("date-time")
    def is_date_time(instance: object) -> bool:
        if not isinstance(instance, str):
            return True
        # RFC 3339 allows a lower-case "t" and "z"; rfc3339-validator only accepts upper case.
        return bool(validate_rfc3339(instance.upper()))

    @checker.checks("uri")
    def is_uri(instance: object) -> bool:
        if not isinstance(instance, str):
            return True
        return bool(validate_rfc3986(instance, rule="URI"))

    @checker.checks("email")
    def is_email(instance: object) -> bool:
        if not isinstance(instance, str):
            return True
        return "@" in instance

    @checker.checks("uuid")
    def is_uuid(instance: object) -> bool:
        if not isinstance(instance, str):
            return True
        return _UUID.fullmatch(instance) is not None

    assert set(checker.checkers) == ENFORCED_FORMATS  # the docstring and the constant stay true
    return checker


# --- reporting -------------------------------------------------------------------------------


def _to_problem(error: ValidationError) -> SchemaProblem:
    # jsonschema never puts "$ref" in schema_path, so the one-line root of _validator leaves no
    # trace and the path starts at the named schema's own keywords.
    return SchemaProblem(
        path="/".join(str(part) for part in error.absolute_path),
        message=error.message,
        schema_path="/".join(str(part) for part in error.schema_path),
    )


def _error_sort_key(error: ValidationError) -> tuple[tuple[tuple[int, int, str], ...], str]:
    # Ints sort as numbers (contents/2 before contents/10) and before strings at the same depth,
    # so a mixed path never compares an int with a str.
    path = tuple(
        (0, part, "") if isinstance(part, int) else (1, 0, str(part))
        for part in error.absolute_path
    )
    return path, "/".join(str(part) for part in error.schema_path)
