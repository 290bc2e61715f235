"""HSDS 3.0 data in its two shapes: tables (the CSV datapackage) and nested JSON documents.

The directory's database holds one table per HSDS object. Everything that moves data in or out
goes through "tables": a dict from the official CSV file name (without ".csv") to a list of
rows keyed by the official column names. Imports turn files into tables; the feed and the
exports turn tables into nested documents with `Nester`. The nesting rules (which objects sit
inside which, and which link fills in from the parent) are written down once, in `NESTING`.
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models as dj

from thedeal.directory import models, publication

SCHEMA_DIR = Path(__file__).parent / "schemas" / "hsds-3.0"

Row = dict[str, Any]
Tables = dict[str, list[Row]]


@dataclass(frozen=True)
class Table:
    """One HSDS table: its object name, CSV file stem, model and official columns."""

    name: str  # the HSDS object, e.g. "service_area"
    stem: str  # the CSV file name without .csv, e.g. "service_areas"
    model: type[dj.Model]
    columns: tuple[str, ...]

    def attname(self, column: str) -> str:
        return _ATTNAME_OVERRIDES.get((self.name, column), column)


# Columns whose model attribute differs from the HSDS name (the FK field holding the taxonomy
# record is `taxonomy_detail`, because `taxonomy` is HSDS's free-text taxonomy name).
_ATTNAME_OVERRIDES = {("taxonomy_term", "taxonomy_id"): "taxonomy_detail_id"}

# Our columns beyond HSDS: written to staff backups and accepted on import.
EXTENSION_COLUMNS = {"location": ("easting", "northing", "confidential")}

_MODELS: dict[str, type[dj.Model]] = {
    "organization": models.Organization,
    "program": models.Program,
    "service": models.Service,
    "attribute": models.Attribute,
    "service_at_location": models.ServiceAtLocation,
    "location": models.Location,
    "phone": models.Phone,
    "contact": models.Contact,
    "address": models.Address,
    "schedule": models.Schedule,
    "funding": models.Funding,
    "service_area": models.ServiceArea,
    "required_document": models.RequiredDocument,
    "language": models.Language,
    "accessibility": models.Accessibility,
    "taxonomy_term": models.TaxonomyTerm,
    "metadata": models.Metadata,
    "meta_table_description": models.MetaTableDescription,
    "cost_option": models.CostOption,
    "organization_identifier": models.OrganizationIdentifier,
    "taxonomy": models.Taxonomy,
}


@cache
def datapackage() -> dict[str, Any]:
    """The official HSDS 3.0 tabular data package descriptor (datapackage.json)."""
    with open(SCHEMA_DIR / "datapackage.json", encoding="utf-8") as f:
        return json.load(f)  # type: ignore[no-any-return]


@cache
def tables() -> tuple[Table, ...]:
    """Every HSDS table, in the order the official datapackage lists them."""
    result = []
    for resource in datapackage()["resources"]:
        name = resource["name"]
        result.append(
            Table(
                name=name,
                stem=resource["path"].removesuffix(".csv"),
                model=_MODELS[name],
                columns=tuple(field["name"] for field in resource["schema"]["fields"]),
            )
        )
    return tuple(result)


def table(name: str) -> Table:
    """A table by its object name ("service") or its file stem ("services")."""
    for t in tables():
        if name in (t.name, t.stem):
            return t
    raise KeyError(name)


# --- Which objects nest inside which --------------------------------------------------------
# For each object: property -> (child object, how many, the link column that ties them).
# "many": the child's link column holds the parent's id (a service's phones have service_id).
# "one": the parent's link column holds the child's id (a service's organization_id).
# Attributes and metadata link to any object through link_id/resource_id.
_COMMON = {
    "attributes": ("attribute", "many", "link_id"),
    "metadata": ("metadata", "many", "resource_id"),
}
NESTING: dict[str, dict[str, tuple[str, str, str]]] = {
    "service": {
        "organization": ("organization", "one", "organization_id"),
        "program": ("program", "one", "program_id"),
        "phones": ("phone", "many", "service_id"),
        "schedules": ("schedule", "many", "service_id"),
        "service_areas": ("service_area", "many", "service_id"),
        "service_at_locations": ("service_at_location", "many", "service_id"),
        "languages": ("language", "many", "service_id"),
        "funding": ("funding", "many", "service_id"),
        "cost_options": ("cost_option", "many", "service_id"),
        "required_documents": ("required_document", "many", "service_id"),
        "contacts": ("contact", "many", "service_id"),
        **_COMMON,
    },
    "organization": {
        "funding": ("funding", "many", "organization_id"),
        "contacts": ("contact", "many", "organization_id"),
        "phones": ("phone", "many", "organization_id"),
        "locations": ("location", "many", "organization_id"),
        "programs": ("program", "many", "organization_id"),
        "organization_identifiers": ("organization_identifier", "many", "organization_id"),
        "services": ("service", "many", "organization_id"),
        **_COMMON,
    },
    "service_at_location": {
        "contacts": ("contact", "many", "service_at_location_id"),
        "phones": ("phone", "many", "service_at_location_id"),
        "schedules": ("schedule", "many", "service_at_location_id"),
        "location": ("location", "one", "location_id"),
        "service": ("service", "one", "service_id"),
        **_COMMON,
    },
    "location": {
        "languages": ("language", "many", "location_id"),
        "addresses": ("address", "many", "location_id"),
        "contacts": ("contact", "many", "location_id"),
        "accessibility": ("accessibility", "many", "location_id"),
        "phones": ("phone", "many", "location_id"),
        "schedules": ("schedule", "many", "location_id"),
        **_COMMON,
    },
    "contact": {"phones": ("phone", "many", "contact_id"), **_COMMON},
    "phone": {"languages": ("language", "many", "phone_id"), **_COMMON},
    "attribute": {
        "taxonomy_term": ("taxonomy_term", "one", "taxonomy_term_id"),
        "metadata": ("metadata", "many", "resource_id"),
    },
    "taxonomy_term": {
        "taxonomy_detail": ("taxonomy", "one", "taxonomy_id"),
        "metadata": ("metadata", "many", "resource_id"),
    },
    "taxonomy": {"metadata": ("metadata", "many", "resource_id")},
    "metadata": {},
}
for _t in _MODELS:
    NESTING.setdefault(_t, dict(_COMMON))

# Which nested properties each published document carries. A service's organisation is brief
# (its own locations and services are published under /organizations), as in ORUK.
SHAPES: dict[str, dict[str, Any]] = {
    "service_full": {
        "organization": {"organization_identifiers": {}, "attributes": "*", "metadata": {}},
        "program": {},
        "phones": "*",
        "schedules": "*",
        "service_areas": "*",
        "service_at_locations": {
            "contacts": "*",
            "phones": "*",
            "schedules": "*",
            "location": "*",
            "attributes": "*",
            "metadata": {},
        },
        "languages": "*",
        "funding": "*",
        "cost_options": "*",
        "required_documents": "*",
        "contacts": "*",
        "attributes": "*",
        "metadata": {},
    },
    "service_list": {"organization": {}, "program": {}},
    "service_minimal": {},
    "organization_full": {
        "funding": "*",
        "contacts": "*",
        "phones": "*",
        "locations": "*",
        "programs": "*",
        "organization_identifiers": "*",
        "attributes": "*",
        "metadata": {},
    },
    "organization_list": {},
    "organization_detail": {},  # organization_full with brief services: filled in below
    "organization_full_service": {},
    "service_at_location_full": {
        "contacts": "*",
        "phones": "*",
        "schedules": "*",
        "location": "*",
        "service": {"organization": {}, "attributes": "*"},
        "attributes": "*",
        "metadata": {},
    },
    "service_at_location_list": {"location": {"addresses": {}}, "service": {}},
    "taxonomy_term": {"taxonomy_detail": {}},
    "taxonomy": {},
}


SHAPES["organization_detail"] = {**SHAPES["organization_full"], "services": {}}
SHAPES["organization_full_service"] = {
    **SHAPES["organization_full"],
    "services": {k: v for k, v in SHAPES["service_full"].items() if k != "organization"},
}

# The columns of a minimal service list (ORUK's `minimal`): enough to see what changed.
MINIMAL_SERVICE_COLUMNS = ("id", "name", "status", "last_modified")


# --- Values ---------------------------------------------------------------------------------
def to_json_value(value: Any) -> Any:
    """A database value as JSON: dates and times as ISO 8601, money and ages as numbers."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime):
        value = value.astimezone(datetime.UTC)
        # As short as the value allows: 10:30:45Z, 10:30:45.123Z, or microseconds when present.
        spec = (
            "seconds"
            if not value.microsecond
            else "milliseconds"
            if not value.microsecond % 1000
            else "microseconds"
        )
        return value.isoformat(timespec=spec).replace("+00:00", "Z")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def to_csv_value(value: Any) -> str:
    """A database value as a CSV cell (empty for nothing)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(to_json_value(value))


def publishable(row: Mapping[str, Any], kind: str | None = None) -> Row:
    """A row as JSON with empty optional fields left out, as ORUK asks.

    Fields the HSDS schema of `kind` requires stay even when empty (a change history row's
    previous_value is "" for a field set for the first time).
    """
    required = required_fields(kind) if kind else frozenset()
    # Text, whole numbers and booleans are JSON as they are; only the rest needs converting.
    # (This runs for every field of every published record, so the common case comes first.)
    return {
        key: value if type(value) in _AS_IS else to_json_value(value)
        for key, value in row.items()
        if (value is not None and value != "") or (key in required and value is not None)
    }


@cache
def required_fields(kind: str) -> frozenset[str]:
    """The fields the HSDS 3.0 schema of this object requires."""
    with open(SCHEMA_DIR / f"{kind}.json", encoding="utf-8") as f:
        return frozenset(json.load(f).get("required", ()))


_AS_IS = (str, int, bool)


# --- Tables from the database ---------------------------------------------------------------
def _columns(t: Table, extended: bool) -> list[str]:
    return list(t.columns) + (list(EXTENSION_COLUMNS.get(t.name, ())) if extended else [])


def rows(
    queryset: Any, t: Table, *, extended: bool = False, columns: Iterable[str] | None = None
) -> list[Row]:
    """The queryset's rows keyed by HSDS column (plus our extension columns if `extended`)."""
    columns = _columns(t, extended) if columns is None else list(columns)
    attnames = [t.attname(c) for c in columns]
    return [dict(zip(columns, values, strict=True)) for values in queryset.values_list(*attnames)]


@cache
def _all_rows(name: str, extended: bool) -> Any:
    """A table's rows as HSDS columns, in id order: a lazy queryset to filter, never evaluated
    itself. Built once, because setting up the columns of a query costs more than running it
    for the handful of rows that nesting a page needs."""
    t = table(name)
    return t.model._default_manager.order_by("pk").values_list(  # type: ignore[attr-defined]
        *[t.attname(c) for c in _columns(t, extended)]
    )


def fetch(t: Table, *, extended: bool = False, **filters: Any) -> list[Row]:
    """Rows of one table matching the filters, in id order."""
    queryset = t.model._default_manager.filter(**filters).order_by("pk")  # type: ignore[attr-defined]
    return rows(queryset, t, extended=extended)


def fetch_all(*, include_confidential: bool = False) -> Tables:
    """The whole directory as tables: public by default, a full staff backup if asked.

    Public tables leave out everything attached to a confidential place (see publication.py).
    """
    result: Tables = {}
    unpublished = publication.Unpublished()
    for t in tables():
        rows = fetch(t, extended=include_confidential)
        result[t.stem] = rows if include_confidential else unpublished.keep(t.name, rows)
    return result


# --- Nesting --------------------------------------------------------------------------------
# Ids per IN (...) list: well inside SQLite's limit on query parameters.
_BATCH = 500


class Nester:
    """Builds nested HSDS documents from rows, fetching children in bulk (no query per row).

    Give it the top-level rows; it loads what each shape needs, one query per table and level,
    and caches rows by id so that a location shared by many services is fetched once.
    """

    def __init__(self, *, public: bool = True, extended: bool = False) -> None:
        self.public = public
        self.extended = extended
        self._rows: dict[str, dict[Any, Row]] = defaultdict(dict)
        self._children: dict[tuple[str, str], dict[Any, list[Row]]] = {}
        # What is attached to confidential places: read once, as the documents need it.
        self._unpublished = publication.Unpublished() if public else None

    def documents(self, kind: str, rows: list[Row], shape: Mapping[str, Any] | str) -> list[Row]:
        if self._unpublished is not None:
            rows = self._unpublished.keep(kind, rows)
        self._load(kind, rows, shape)
        return [self._nest(kind, row, shape) for row in rows]

    # Loading: breadth-first, one query per (child table, link column).
    def _load(self, kind: str, rows: list[Row], shape: Mapping[str, Any] | str) -> None:
        for row in rows:
            self._rows[kind][row["id"]] = row
        if not rows:
            return
        for prop, sub in self._properties(kind, shape):
            child, how, link = NESTING[kind][prop]
            t = table(child)
            if how == "one":
                wanted = {r[link] for r in rows if r.get(link) is not None}
                cached = [self._rows[child][i] for i in wanted if i in self._rows[child]]
                missing = [i for i in wanted if i not in self._rows[child]]
                children = cached + [
                    r
                    for start in range(0, len(missing), _BATCH)
                    for r in self._fetch(t, id__in=missing[start : start + _BATCH])
                ]
            else:
                key = (child, link)
                index = self._children.setdefault(key, {})
                parents = [r["id"] for r in rows if r["id"] not in index]
                children = []
                if parents:
                    attname = t.attname(link)
                    for parent in parents:
                        index[parent] = []
                    for start in range(0, len(parents), _BATCH):
                        for r in self._fetch(
                            t, **{f"{attname}__in": parents[start : start + _BATCH]}
                        ):
                            index[r[link]].append(r)
                            children.append(r)
                fetched_for = set(parents)
                children += [c for r in rows if r["id"] not in fetched_for for c in index[r["id"]]]
            self._load(child, _unique(children), sub)

    def _fetch(self, t: Table, **filters: Any) -> list[Row]:
        queryset = _all_rows(t.name, self.extended).filter(**filters)
        columns = _columns(t, self.extended)
        rows = [dict(zip(columns, values, strict=True)) for values in queryset]
        if self._unpublished is not None:
            rows = self._unpublished.keep(t.name, rows)
        return rows

    def _properties(self, kind: str, shape: Mapping[str, Any] | str) -> Iterator[tuple[str, Any]]:
        """(property, sub-shape) pairs: "*" means every nested property, all the way down."""
        if shape == "*":
            for prop in NESTING[kind]:
                # "*" stops at links back up the tree, which would otherwise nest forever.
                if (kind, prop) in _UPWARD:
                    continue
                yield prop, "*"
        else:
            yield from shape.items()  # type: ignore[union-attr]

    def _nest(self, kind: str, row: Row, shape: Mapping[str, Any] | str) -> Row:
        document = publishable(row, kind)
        for prop, sub in self._properties(kind, shape):
            child, how, link = NESTING[kind][prop]
            if how == "one":
                target = self._rows[child].get(row.get(link))
                if target is not None:
                    document[prop] = self._nest(child, target, sub)
            else:
                children = self._children.get((child, link), {}).get(row["id"], [])
                if children:
                    document[prop] = [self._nest(child, c, sub) for c in children]
        return document


# Links that point back up from a child to a parent: "*" does not follow them.
_UPWARD = {
    ("service_at_location", "service"),
    ("organization", "services"),
    ("organization", "locations"),
}


def _unique(rows: Iterable[Row]) -> list[Row]:
    seen: dict[Any, Row] = {}
    for r in rows:
        seen.setdefault(r["id"], r)
    return list(seen.values())


# --- Flattening (documents to tables) -------------------------------------------------------
@dataclass
class Flattened:
    """Rows taken out of nested documents, each remembering where it came from."""

    rows: dict[str, dict[str, Row]]  # object name -> id -> row
    origins: dict[tuple[str, str], str]  # (object name, id) -> "services.json, record 3: ..."
    unknown: list[str]  # properties that are not HSDS, for a warning


def flatten(kind: str, documents: Iterable[Mapping[str, Any]], *, source: str) -> Flattened:
    """Take nested HSDS documents of one kind apart into rows of each table.

    A nested child gets its link to the parent filled in when the document leaves it out, as
    HSDS documents usually do (a service's phones carry no service_id). The same object nested
    in several places becomes one row; its fields are merged.
    """
    result = Flattened(rows=defaultdict(dict), origins={}, unknown=[])
    for number, document in enumerate(documents, start=1):
        _flatten_one(kind, document, result, f"{source}, record {number}", None)
    return result


def _flatten_one(
    kind: str,
    document: Mapping[str, Any],
    out: Flattened,
    where: str,
    parent: tuple[str, str, str] | None,  # (parent kind, parent id, link column to fill)
) -> str | None:
    if not isinstance(document, Mapping):
        raise HSDSFormatError(f"{where}: expected a {kind} object, found {type(document).__name__}")
    t = table(kind)
    known = set(t.columns) | set(EXTENSION_COLUMNS.get(kind, ()))
    row: Row = {}
    for key, value in document.items():
        if key in known:
            row[key] = value
        elif key not in NESTING.get(kind, {}):
            out.unknown.append(f"{where}: {kind}.{key}")
    object_id = row.get("id")
    if object_id is None:
        raise HSDSFormatError(f"{where}: a {kind} has no id")
    object_id = str(object_id)
    if parent is not None:
        parent_kind, parent_id, link = parent
        row.setdefault(link, parent_id)
        if kind == "attribute":
            row.setdefault("link_entity", parent_kind)
        if kind == "metadata":
            row.setdefault("resource_type", parent_kind)
    existing = out.rows[kind].get(object_id)
    if existing is None:
        out.rows[kind][object_id] = row
        out.origins[(kind, object_id)] = f"{where}: {kind} {object_id}"
    else:
        for key, value in row.items():
            if existing.get(key) in (None, ""):
                existing[key] = value
    for prop, (child, how, link) in NESTING.get(kind, {}).items():
        value = document.get(prop)
        if value is None:
            continue
        if how == "one":
            child_id = _flatten_one(child, value, out, f"{where}, {prop}", None)
            out.rows[kind][object_id].setdefault(link, child_id)
            if out.rows[kind][object_id].get(link) is None:
                out.rows[kind][object_id][link] = child_id
        else:
            if not isinstance(value, list):
                raise HSDSFormatError(f"{where}: {kind}.{prop} must be a list")
            for index, item in enumerate(value):
                _flatten_one(child, item, out, f"{where}, {prop}[{index}]", (kind, object_id, link))
    return object_id


class HSDSFormatError(ValueError):
    """A document or table is not HSDS in a way that stops it being read at all."""
