"""A synthetic, seeded community-assets directory for the demo borough (Wigan, E08000010).

``generate_directory`` returns HSDS 3.0 tabular data: a dict keyed by the official CSV file
stems (``services``, ``locations``, ...), each a list of rows whose keys are exactly the
official CSV columns (plus our ``easting``/``northing``/``confidential`` extension columns on
``locations``). ``thedeal load_demo`` passes the result to the normal HSDS importer, so the
demo exercises the same code path as a council's real feed.

Everything here is invented except the geography: locations sit on real borough postcodes (from
the ONS postcode directory, via ``geography.borough_postcodes()``) and council-run parks and
routes carry real Wigan place names, because a demo map with parks in the wrong places would
look broken. Every organisation and service description says "Synthetic demonstration listing."
and every organisation carries the "Synthetic demonstration data" term, so nobody mistakes the
demo for the council's directory. In particular:

* Organisations are fictional, including the national charities: we do not attach invented
  services to real charities' names.
* Phone numbers come from Ofcom's ranges reserved for TV and radio drama (for example
  0161 496 0xxx and 07700 900xxx), which are never allocated to anyone. Random 01942
  numbers would ring real Wigan households when someone tries the demo.
* Web and email addresses use the reserved ``example.org``/``example.com`` domains (RFC 2606).
* Charity numbers are drawn above the range the Charity Commission has issued so far, and
  company numbers well above Companies House's current sequence, so they match nobody.

The module is plain Python (no Django import) so that it can be tested and benchmarked without
settings or a database. It is the generator; the names and words it draws from are data, in
``demo_data/*.json`` beside it (read once, at import). All randomness comes from one ``random.Random(seed)`` and every id is a
UUID drawn from it, so the same ``seed``, ``services``, ``organizations``, ``as_of`` and postcode
list give exactly the same output. Relative dates (assured dates, schedule validity, cost
periods) are computed from ``as_of``, never from the clock.

Value types, as the importer receives them: ids and text are ``str``; empty values are ``None``
(never ""); ages are ``int``; dates ``datetime.date``; ``opens_at``/``closes_at`` naive
``datetime.time`` in UK local time (``timezone`` is left empty, as the ORUK profile drops it);
``last_modified`` an aware UTC ``datetime.datetime``; money ``decimal.Decimal``; latitude and
longitude ``float``; easting and northing ``int``; ``confidential`` ``bool``.
"""

from __future__ import annotations

import datetime
import json
import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, Protocol

__all__ = [
    "DEMO_TAXONOMY_NAME",
    "HSDS_TABLE_COLUMNS",
    "LOCATION_EXTENSION_COLUMNS",
    "PROVENANCE_TAXONOMY_NAME",
    "SYNTHETIC_NOTE",
    "SYNTHETIC_TERM_NAME",
    "PostcodeLike",
    "generate_directory",
]


class PostcodeLike(Protocol):
    """A postcode centroid, such as ``geography.Postcode``.

    Read-only properties, so that frozen dataclasses and named tuples satisfy the protocol.
    """

    @property
    def postcode(self) -> str: ...
    @property
    def easting(self) -> int: ...
    @property
    def northing(self) -> int: ...
    @property
    def latitude(self) -> float: ...
    @property
    def longitude(self) -> float: ...
    @property
    def ward_code(self) -> str | None: ...
    @property
    def ward_name(self) -> str | None: ...
    @property
    def lsoa_code(self) -> str | None: ...


Row = dict[str, object]
Tables = dict[str, list[Row]]

# --------------------------------------------------------------------------------------------
# The HSDS 3.0 tables, with their columns in the official order
# (openreferral/specification 3.0, examples/csv/*.csv).
# --------------------------------------------------------------------------------------------

HSDS_TABLE_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "organizations": (
        "id", "name", "alternate_name", "description", "email", "website", "tax_status",
        "tax_id", "year_incorporated", "legal_status", "logo", "uri", "parent_organization_id",
    ),
    "services": (
        "id", "organization_id", "program_id", "name", "alternate_name", "description", "url",
        "email", "status", "interpretation_services", "application_process",
        "fees_description", "wait_time", "fees", "accreditations", "eligibility_description",
        "minimum_age", "maximum_age", "assured_date", "assurer_email", "licenses", "alert",
        "last_modified",
    ),
    "locations": (
        "id", "location_type", "url", "organization_id", "name", "alternate_name",
        "description", "transportation", "latitude", "longitude", "external_identifier",
        "external_identifier_type",
    ),
    "service_at_location": ("id", "service_id", "location_id", "description"),
    "addresses": (
        "id", "location_id", "attention", "address_1", "address_2", "city", "region",
        "state_province", "postal_code", "country", "address_type",
    ),
    "phones": (
        "id", "location_id", "service_id", "organization_id", "contact_id",
        "service_at_location_id", "number", "extension", "type", "description",
    ),
    "schedules": (
        "id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to",
        "dtstart", "timezone", "until", "count", "wkst", "freq", "interval", "byday",
        "byweekno", "bymonthday", "byyearday", "description", "opens_at", "closes_at",
        "schedule_link", "attending_type", "notes",
    ),
    "cost_options": (
        "id", "service_id", "valid_from", "valid_to", "option", "currency", "amount",
        "amount_description",
    ),
    "languages": ("id", "service_id", "location_id", "phone_id", "name", "code", "note"),
    "accessibility": ("id", "location_id", "description", "details", "url"),
    "taxonomies": ("id", "name", "description", "uri", "version"),
    "taxonomy_terms": (
        "id", "code", "name", "description", "parent_id", "taxonomy", "language",
        "taxonomy_id", "term_uri",
    ),
    "attributes": ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"),
    "contacts": (
        "id", "organization_id", "service_id", "service_at_location_id", "location_id", "name",
        "title", "department", "email",
    ),
    "service_areas": ("id", "service_id", "name", "description", "extent", "extent_type", "uri"),
    "funding": ("id", "organization_id", "service_id", "source"),
    "programs": ("id", "organization_id", "name", "alternate_name", "description"),
    "required_documents": ("id", "service_id", "document", "uri"),
    "organization_identifiers": (
        "id", "organization_id", "identifier_scheme", "identifier_type", "identifier",
    ),
    "metadata": (
        "id", "resource_id", "resource_type", "last_action_date", "last_action_type",
        "field_name", "previous_value", "replacement_value", "updated_by",
    ),
}  # fmt: skip

#: Our columns beyond HSDS on ``locations`` (``hsds.EXTENSION_COLUMNS`` on the import side).
LOCATION_EXTENSION_COLUMNS: Final = ("easting", "northing", "confidential")

#: Said in every organisation and service description.
SYNTHETIC_NOTE: Final = "Synthetic demonstration listing."
DEMO_TAXONOMY_NAME: Final = "The Deal community assets"
PROVENANCE_TAXONOMY_NAME: Final = "Data provenance"
SYNTHETIC_TERM_NAME: Final = "Synthetic demonstration data"

_LAD_CODE: Final = "E08000010"
_STATGEO: Final = "http://statistics.data.gov.uk/id/statistical-geography/"
_TAXONOMY_BASE: Final = "https://thedeal.example.org/taxonomies/"
_DIRECTORY_EMAIL: Final = "directory@wigan-council.example.org"

# The default ratio of organisations to services (1,500 services from 600 organisations).
_ORGANIZATIONS_PER_SERVICE: Final = 0.4
# Share of physical locations that are refuges or safe houses.
_CONFIDENTIAL_SHARE: Final = 0.05
# Locations sit within this distance of their postcode centroid: near enough that the postcode
# is still right, far enough that services sharing a postcode do not stack on one map pin.
_JITTER_M: Final = 149.0
# ORUK expects re-verification every 3 months; about 30% of listings are made older than that,
# which is typical of a directory that relies on providers to keep it fresh.
_STALE_SHARE: Final = 0.30
_FRESH_DAYS: Final = 90
_OLDEST_DAYS: Final = 183

# --------------------------------------------------------------------------------------------
# The names and words are data (demo_data/*.json, beside this module), read once at import; the
# code below turns them into the tuples and records the generator draws from. JSON lists become
# tuples, so the data cannot be changed by accident while the generator runs.
# --------------------------------------------------------------------------------------------

_DATA_DIR: Final = Path(__file__).resolve().parent / "demo_data"


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return {k: _frozen(v) for k, v in value.items() if k != "_comment"}
    return value


def _load(name: str) -> dict[str, Any]:
    with (_DATA_DIR / f"{name}.json").open(encoding="utf-8") as f:
        return _frozen(json.load(f))  # type: ignore[no-any-return]


_PLACES: Final = _load("places")
_KIND_DATA: Final = _load("kinds")
_ORGANISATIONS: Final = _load("organisations")
_DETAILS: Final = _load("details")

# --------------------------------------------------------------------------------------------
# Geography: the borough's towns. Centres are approximate BNG coordinates; each postcode is
# given to the nearest centre, which is good enough for an address's town and needs no
# boundary data. Street and neighbourhood names are real places in each town.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Town:
    name: str
    easting: int
    northing: int
    hoods: tuple[str, ...]
    streets: tuple[str, ...]
    transport: str


_TOWNS: Final[tuple[_Town, ...]] = tuple(_Town(**town) for town in _PLACES["towns"])

_GENERAL_STREETS: Final = _PLACES["general_streets"]

# Refuges are houses on quiet residential streets, and no public place in the demo is on one of
# these: a synthetic refuge must never share a street (let alone a street line or a postcode and
# street) with a community centre that the public site shows.
_REFUGE_STREETS: Final = _PLACES["refuge_streets"]

_PARKING: Final = _PLACES["parking"]

# Council-run green spaces and routes with real names, placed in their real towns (the exact
# coordinates come from a postcode in that town, not from a survey of the site).
_REAL_PARKS: Final = tuple((p["name"], p["town"], p["features"]) for p in _PLACES["real_parks"])

_REAL_ROUTES: Final = tuple(
    (r["name"], r["town"], r["km"], r["route"]) for r in _PLACES["real_routes"]
)

# --------------------------------------------------------------------------------------------
# The directory's taxonomy: (code, name, parent code, description). Top-level categories follow
# the areas of The Deal ("your part": keep active, stop smoking, volunteer...).
# --------------------------------------------------------------------------------------------

_TERMS: Final[tuple[tuple[str, str, str | None, str], ...]] = tuple(
    (t["code"], t["name"], t["parent"], t["description"]) for t in _load("taxonomy")["terms"]
)

_PROVENANCE_CODE: Final = "synthetic-demonstration-data"

# --------------------------------------------------------------------------------------------
# Service kinds: what a service is, who provides it, where and when it runs, what it costs.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Variant:
    """One flavour of a kind of service: its names, its pitch and who it is for."""

    names: tuple[str, ...]  # templates: {town} {hood} {venue} {park} {day} {org}
    blurb: str
    min_age: int | None
    max_age: int | None
    eligibility: str
    modes: tuple[tuple[str, float], ...] | None = None  # overrides the kind's modes
    schedule: str | None = None  # overrides the kind's schedule pattern
    extra_terms: tuple[str, ...] = ()
    alternate_name: str | None = None
    asset_names: tuple[str, ...] = ()  # for community gardens: the new place's name
    costs: tuple[tuple[str, float], ...] | None = None  # overrides the kind's costs


@dataclass(frozen=True, slots=True)
class _Kind:
    key: str
    term: str  # the primary taxonomy term code
    extra_terms: tuple[str, ...]  # terms a service of this kind sometimes also gets
    activity: str  # for organisation descriptions: "... running {activity}"
    variants: tuple[_Variant, ...]
    # Where it happens: asset | leisure | premises | community | family | health | outdoor |
    # virtual | phone | refuge (see _Generator._locations_for).
    modes: tuple[tuple[str, float], ...]
    schedule: str
    costs: tuple[tuple[str, float], ...]
    application: tuple[str, ...]
    details: tuple[str, ...]
    documents: tuple[str, ...] = ()
    document_share: float = 0.0
    accreditations: tuple[str, ...] = ()
    contact_titles: tuple[str, ...] = ("Coordinator",)
    # Share of venue-based services run at several venues (clinics, advice surgeries).
    multi_site: float = 0.0


_KINDS: Final[tuple[_Kind, ...]] = tuple(
    _Kind(**{**kind, "variants": tuple(_Variant(**v) for v in kind["variants"])})
    for kind in _KIND_DATA["kinds"]
)

_KIND_BY_KEY: Final = {k.key: k for k in _KINDS}
_TOP_BY_TERM: Final = {code: (parent or code) for code, _, parent, _ in _TERMS}

# How often each kind is drawn once every organisation has its own first service. Roughly the
# mix of a real council directory: lots of groups for older people and families, fewer clinics.
_KIND_WEIGHTS: Final[dict[str, float]] = _KIND_DATA["kind_weights"]

# Who provides each kind: "anchor:<key>" is a named organisation (or group of them, such as the
# primary care networks), "type:<type>" any organisation of that type, "brand:<key>" the local
# branches of a national charity.
_PROVIDERS: Final[dict[str, tuple[tuple[str, float], ...]]] = _KIND_DATA["providers"]

# --------------------------------------------------------------------------------------------
# Organisations
# --------------------------------------------------------------------------------------------

# Fictional national charities (key, name, kinds their branches run, founded).
_BRANDS: Final = tuple(
    (b["key"], b["name"], b["kinds"], b["founded"]) for b in _ORGANISATIONS["brands"]
)

# Where a branch is based: (name used in "<brand> <area>", town).
_BRANCH_AREAS: Final = tuple((a["area"], a["town"]) for a in _ORGANISATIONS["branch_areas"])

# Primary care networks, each grouping the GP practices of a few towns.
_PCNS: Final = tuple((pcn["name"], pcn["towns"]) for pcn in _ORGANISATIONS["pcns"])

# Non-anchor organisation types: (type, share, focus kinds with weights).
_ORG_TYPES: Final[tuple[tuple[str, float, tuple[tuple[str, float], ...]], ...]] = tuple(
    (t["type"], t["share"], t["focus"]) for t in _ORGANISATIONS["org_types"]
)

# Organisation names for community groups, by focus kind.
_COMMUNITY_NAMES: Final[dict[str, tuple[str, ...]]] = _ORGANISATIONS["community_names"]

# Faith groups: (organisation name, the hall other groups hire).
_FAITH_NAMES: Final = tuple((f["name"], f["hall"]) for f in _ORGANISATIONS["faith_names"])
_SAINTS: Final = _ORGANISATIONS["saints"]

_SOCIAL_ENTERPRISE_NAMES: Final[dict[str, tuple[str, ...]]] = _ORGANISATIONS[
    "social_enterprise_names"
]

_CHARITY_NAMES: Final[dict[str, tuple[str, ...]]] = _ORGANISATIONS["charity_names"]

_GP_NAMES: Final = _ORGANISATIONS["gp_names"]

_FIRST_NAMES: Final = _DETAILS["first_names"]
_SURNAMES: Final = _DETAILS["surnames"]

# Languages other than English offered by some services: (name, ISO 639 code, weight). Polish,
# Romanian and Urdu are among the most spoken languages in the borough after English; BSL uses
# its ISO 639-3 code.
_LANGUAGES: Final = tuple((x["name"], x["code"], x["weight"]) for x in _DETAILS["languages"])
_LANGUAGE_NOTES: Final = _DETAILS["language_notes"]

_ACCESS_BUILDING: Final = tuple(
    (a["description"], a["details"]) for a in _DETAILS["access_building"]
)
_ACCESS_OUTDOOR: Final = tuple((a["description"], a["details"]) for a in _DETAILS["access_outdoor"])

_FUNDERS: Final[dict[str, tuple[str, ...]]] = _ORGANISATIONS["funders"]

# Ofcom's numbers for TV and radio drama: never allocated, so nobody is rung by mistake.
_PHONE_LANDLINE: Final = ("0161 496 0{:03d}", "01632 960{:03d}")
_PHONE_MOBILE: Final = "07700 900{:03d}"
_PHONE_FREEPHONE: Final = "0808 157 0{:03d}"
_PHONE_NON_GEOGRAPHIC: Final = "0306 999 0{:03d}"

_DAYS: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_NAMES: Final = {
    "MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
    "SA": "Saturday", "SU": "Sunday",
}  # fmt: skip
_ORDINALS: Final = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", -1: "Last"}
_WEEKDAYS: Final = ("MO", "TU", "WE", "TH", "FR")


# RFC 4122 version 4: version nibble 0100, variant bits 10.
_UUID_CLEAR: Final = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_SET: Final = (0x4000 << 64) | (0x8000 << 48)


def _t(hour: int, minute: int = 0) -> datetime.time:
    return datetime.time(hour, minute)


# --------------------------------------------------------------------------------------------
# Internal records
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Place:
    """A postcode given a town."""

    postcode: PostcodeLike
    town: _Town


@dataclass(slots=True)
class _Loc:
    id: str
    name: str
    town: _Town | None
    hood: str | None
    physical: bool
    categories: tuple[str, ...] = ()
    confidential: bool = False
    postcode: PostcodeLike | None = None


@dataclass(slots=True)
class _Org:
    id: str
    name: str
    org_type: str
    town: _Town
    hood: str
    focus: str
    weight: float
    domain: str
    email: str
    website: str | None
    anchor: str | None = None
    brand: str | None = None
    national: bool = False
    premises: list[_Loc] = field(default_factory=list)
    online: _Loc | None = None
    program_id: str | None = None
    program_top: str | None = None
    planned: int = 0


def _slug(text: str) -> str:
    text = text.lower().replace("&", "and").replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:48].strip("-")


def _days_text(days: Sequence[str]) -> str:
    if len(days) == 7:
        return "Every day"
    index = [_DAYS.index(d) for d in days]
    if len(days) >= 3 and index == list(range(index[0], index[0] + len(index))):
        return f"{_DAY_NAMES[days[0]]} to {_DAY_NAMES[days[-1]]}"
    names = [_DAY_NAMES[d] + "s" for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _time_text(value: datetime.time) -> str:
    if (value.hour, value.minute) == (12, 0):
        return "midday"
    if (value.hour, value.minute) == (23, 59):
        return "midnight"
    suffix = "am" if value.hour < 12 else "pm"
    hour = value.hour % 12 or 12
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def _hours_text(opens: datetime.time, closes: datetime.time) -> str:
    return f"{_time_text(opens)} to {_time_text(closes)}"


def _add_minutes(value: datetime.time, minutes: int) -> datetime.time:
    total = min(value.hour * 60 + value.minute + minutes, 23 * 60 + 59)
    return datetime.time(total // 60, total % 60)


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


class _Generator:
    def __init__(self, postcodes: Sequence[PostcodeLike], *, seed: int, as_of: datetime.date):
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.tables: Tables = {stem: [] for stem in HSDS_TABLE_COLUMNS}
        self._templates = {
            stem: dict.fromkeys(columns) for stem, columns in HSDS_TABLE_COLUMNS.items()
        }
        self._templates["locations"].update(dict.fromkeys(LOCATION_EXTENSION_COLUMNS))
        self._places_by_town: dict[str, list[_Place]] = {t.name: [] for t in _TOWNS}
        self._all_places: list[_Place] = []
        self._index_postcodes(postcodes)
        # Towns with postcodes, weighted by how many: postcodes are a fair proxy for population.
        self._towns = [t for t in _TOWNS if self._places_by_town[t.name]]
        self._town_weights = [len(self._places_by_town[t.name]) for t in self._towns]
        self._town_by_name = {t.name: t for t in _TOWNS}
        self.terms: dict[str, str] = {}  # taxonomy term code -> id
        self.orgs: list[_Org] = []
        self._anchors: dict[str, list[_Org]] = {}
        self._by_type: dict[str, list[_Org]] = {}
        self._by_brand: dict[str, list[_Org]] = {}
        self._brand_orgs: dict[str, _Org] = {}
        self._pools: dict[str, tuple[list[_Org], list[float]]] = {}
        self._venues: dict[str, list[_Loc]] = {}
        self._venues_by_town: dict[tuple[str, str], list[_Loc]] = {}
        self._org_names: set[str] = set()
        self._service_names: set[str] = set()
        self._location_names: set[str] = set()
        self._unused_parks = list(_REAL_PARKS)
        self._unused_routes = list(_REAL_ROUTES)
        self._physical_public = 0
        fy_start = datetime.date(as_of.year if as_of.month >= 4 else as_of.year - 1, 4, 1)
        self._financial_year = (fy_start, datetime.date(fy_start.year + 1, 3, 31))

    # --- plumbing ---------------------------------------------------------------------------
    def _id(self) -> str:
        """A random (version 4) UUID from the seeded generator.

        The same as ``str(uuid.UUID(int=bits, version=4))``, set by hand because ids are a
        quarter of all the work and this is twice as fast.
        """
        bits = self.rng.getrandbits(128) & _UUID_CLEAR | _UUID_SET
        h = f"{bits:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def _add(self, stem: str, **values: object) -> Row:
        row = self._templates[stem].copy()
        row.update(values)
        if len(row) != len(self._templates[stem]):
            unknown = sorted(set(row) - set(self._templates[stem]))
            raise KeyError(f"{stem}: not a column: {', '.join(unknown)}")
        if row["id"] is None:
            row["id"] = self._id()
        self.tables[stem].append(row)
        return row

    def _pick(self, options: Sequence[tuple[str, float]]) -> str:
        return self.rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]

    def _chance(self, p: float) -> bool:
        return self.rng.random() < p

    def _date_before(self, low_days: int, high_days: int) -> datetime.date:
        return self.as_of - datetime.timedelta(days=self.rng.randint(low_days, high_days))

    def _person(self) -> tuple[str, str]:
        first = self.rng.choice(_FIRST_NAMES)
        last = self.rng.choice(_SURNAMES)
        return f"{first} {last}", f"{first}.{last}".lower()

    def _phone_number(self, style: str) -> str:
        n = self.rng.randrange(1000)
        if style == "mobile":
            return _PHONE_MOBILE.format(n)
        if style == "freephone":
            return _PHONE_FREEPHONE.format(n)
        if style == "non_geographic":
            return _PHONE_NON_GEOGRAPHIC.format(n)
        return self.rng.choice(_PHONE_LANDLINE).format(n)

    def _unique(self, names: set[str], name: str, qualifiers: Sequence[str]) -> str:
        """Make a name unique by adding a place, then a number, as real directories do."""
        if name not in names:
            names.add(name)
            return name
        for qualifier in qualifiers:
            if qualifier in name:
                continue
            candidate = f"{name} ({qualifier})"
            if candidate not in names:
                names.add(candidate)
                return candidate
        number = 2
        while f"{name} ({number})" in names:
            number += 1
        names.add(f"{name} ({number})")
        return f"{name} ({number})"

    # --- geography --------------------------------------------------------------------------
    def _index_postcodes(self, postcodes: Sequence[PostcodeLike]) -> None:
        for pc in postcodes:
            town = min(
                _TOWNS,
                key=lambda t: (t.easting - pc.easting) ** 2 + (t.northing - pc.northing) ** 2,
            )
            place = _Place(pc, town)
            self._places_by_town[town.name].append(place)
            self._all_places.append(place)

    def _town(self) -> _Town:
        return self.rng.choices(self._towns, weights=self._town_weights)[0]

    def _town_named(self, name: str) -> _Town:
        town = self._town_by_name[name]
        return town if self._places_by_town[town.name] else self._town()

    def _place_in(self, town: _Town | None) -> _Place:
        places = self._places_by_town[town.name] if town else []
        return self.rng.choice(places or self._all_places)

    def _street(self, town: _Town) -> str:
        if self._chance(0.7):
            return self.rng.choice(town.streets)
        return self.rng.choice(_GENERAL_STREETS)

    # --- taxonomy ---------------------------------------------------------------------------
    def _build_taxonomies(self) -> None:
        demo = self._add(
            "taxonomies",
            name=DEMO_TAXONOMY_NAME,
            description="Categories of the community assets directory of The Deal: places, "
            "groups and services that help people live well.",
            uri=f"{_TAXONOMY_BASE}community-assets",
            version="1.0",
        )
        for code, name, parent, description in _TERMS:
            row = self._add(
                "taxonomy_terms",
                code=code,
                name=name,
                description=description,
                parent_id=self.terms[parent] if parent else None,
                taxonomy=DEMO_TAXONOMY_NAME,
                language="en",
                taxonomy_id=demo["id"],
                term_uri=f"{_TAXONOMY_BASE}community-assets/{code}",
            )
            self.terms[code] = str(row["id"])
        provenance = self._add(
            "taxonomies",
            name=PROVENANCE_TAXONOMY_NAME,
            description="Where a record comes from.",
            uri=f"{_TAXONOMY_BASE}provenance",
            version="1.0",
        )
        row = self._add(
            "taxonomy_terms",
            code=_PROVENANCE_CODE,
            name=SYNTHETIC_TERM_NAME,
            description="Invented for demonstrations and tests; not a real organisation, "
            "service or place.",
            taxonomy=PROVENANCE_TAXONOMY_NAME,
            language="en",
            taxonomy_id=provenance["id"],
            term_uri=f"{_TAXONOMY_BASE}provenance/{_PROVENANCE_CODE}",
        )
        self.terms[_PROVENANCE_CODE] = str(row["id"])

    # --- organisations ----------------------------------------------------------------------
    def _new_org(
        self,
        *,
        name: str,
        org_type: str,
        town: _Town,
        focus: str,
        description: str,
        legal_status: str | None,
        year: int | None,
        weight: float,
        domain: str | None = None,
        anchor: str | None = None,
        brand: str | None = None,
        parent: _Org | None = None,
        alternate_name: str | None = None,
        national: bool = False,
        webmail: bool = False,
        hood: str | None = None,
    ) -> _Org:
        name = self._unique(self._org_names, name, (town.name, self.rng.choice(town.hoods)))
        slug = _slug(name)
        domain = domain or f"{slug}.example.org"
        if webmail:
            # Small groups often have no website and use a personal-style email address.
            email = f"{slug.replace('-', '')[:24]}@mail.example.com"
            website = None if self._chance(0.6) else f"https://social.example.com/{slug}"
        else:
            email = f"{self.rng.choice(('info', 'hello', 'enquiries', 'contact'))}@{domain}"
            website = f"https://www.{domain}/"
        org = _Org(
            id=self._id(), name=name, org_type=org_type, town=town,
            hood=hood or self.rng.choice(town.hoods), focus=focus, weight=weight, domain=domain,
            email=email, website=website, anchor=anchor, brand=brand, national=national,
        )  # fmt: skip
        self._add(
            "organizations",
            id=org.id,
            name=name,
            alternate_name=alternate_name,
            description=f"{description} {SYNTHETIC_NOTE}",
            email=email,
            website=website,
            year_incorporated=year,
            legal_status=legal_status,
            parent_organization_id=parent.id if parent else None,
        )
        # Every organisation is tagged as synthetic, so a filter can hide or purge the demo.
        self._add(
            "attributes",
            link_id=org.id,
            taxonomy_term_id=self.terms[_PROVENANCE_CODE],
            link_type="provenance",
            link_entity="organization",
            value="synthetic",
        )
        self.orgs.append(org)
        if anchor:
            self._anchors.setdefault(anchor, []).append(org)
        elif brand and not national:
            self._by_brand.setdefault(brand, []).append(org)
        else:
            self._by_type.setdefault(org_type, []).append(org)
        self._org_extras(org)
        return org

    def _org_extras(self, org: _Org) -> None:
        """Phones, contacts, identifiers and funding of an organisation."""
        rng = self.rng
        if org.org_type in ("council", "council_dept"):
            style = "non_geographic"
        elif org.national:
            style = "freephone"
        elif org.org_type in ("community", "faith") and self._chance(0.5):
            style = "mobile"
        else:
            style = "landline"
        if org.org_type != "council_dept" and self._chance(0.9):
            self._add(
                "phones",
                organization_id=org.id,
                number=self._phone_number(style),
                extension=rng.choice((2, 3, 4)) if style == "non_geographic" else None,
                type="cell" if style == "mobile" else "voice",
                description="Main number." if style != "mobile" else "Group organiser's mobile.",
            )
        if self._chance(0.35):
            person, handle = self._person()
            contact = self._add(
                "contacts",
                organization_id=org.id,
                name=person,
                title=rng.choice(("Chair", "Secretary", "Chief officer", "Manager", "Treasurer")),
                email=f"{handle}@{org.domain}" if org.website else org.email,
            )
            if self._chance(0.3):
                self._add(
                    "phones",
                    contact_id=contact["id"],
                    number=self._phone_number("mobile"),
                    type="cell",
                    description="Weekdays only, please.",
                )
        scheme = self._identifier_scheme(org)
        for identifier_scheme, identifier_type, identifier in scheme:
            self._add(
                "organization_identifiers",
                organization_id=org.id,
                identifier_scheme=identifier_scheme,
                identifier_type=identifier_type,
                identifier=identifier,
            )
        if org.org_type in ("council", "nhs", "leisure") or (
            org.org_type not in ("council_dept", "pcn", "gp") and self._chance(0.3)
        ):
            funders = (
                _FUNDERS["council"] if org.org_type == "council"
                else _FUNDERS["nhs"] if org.org_type == "nhs"
                else _FUNDERS["voluntary"]
            )  # fmt: skip
            self._add("funding", organization_id=org.id, source=rng.choice(funders))

    def _identifier_scheme(self, org: _Org) -> list[tuple[str, str, str]]:
        rng = self.rng
        # Charity numbers above 1,300,000 and company numbers above 18,000,000 have not been
        # issued yet, so these identifiers cannot point at a real body.
        charity = ("GB-CHC", "Charity number", str(rng.randint(1_300_000, 1_399_999)))
        company = ("GB-COH", "Company number", f"{rng.randint(18_000_000, 19_999_999):08d}")
        kind = org.org_type
        if kind == "council":
            return [("GB-LAE", "Local authority code", "WGN")]
        if kind == "leisure":
            return [charity, company]
        if kind == "brand":
            return [charity]
        if kind == "charity":
            return [charity, company] if self._chance(0.3) else [charity]
        if kind == "social_enterprise":
            return [company]
        if (kind == "faith" and self._chance(0.4)) or (kind == "community" and self._chance(0.12)):
            return [charity]
        return []

    def _build_organizations(self, count: int) -> None:
        if count <= 0:
            return
        anchors = self._anchor_specs()
        for spec in anchors[:count]:
            spec()
        for _ in range(count - min(count, len(anchors))):
            self._new_local_org()
        for org in self.orgs:
            self._eager_premises(org)

    def _anchor_specs(self) -> list[Callable[[], None]]:
        """The borough's big providers, in the order they are kept when organisations are few."""
        wigan = self._town_named("Wigan")
        specs: list[Callable[[], None]] = []
        holder: dict[str, _Org] = {}

        def council() -> None:
            holder["council"] = self._new_org(
                name="Wigan Council", org_type="council", town=wigan, focus="volunteering",
                description="The local authority for the Wigan borough, providing parks, "
                "libraries, family hubs, public health and welfare services.",
                legal_status="Local authority", year=1974, weight=10.0,
                domain="wigan-council.example.org", anchor="council",
                alternate_name="Wigan Metropolitan Borough Council",
            )  # fmt: skip

        def dept(anchor: str, name: str, focus: str, description: str) -> Callable[[], None]:
            def make() -> None:
                self._new_org(
                    name=name, org_type="council_dept", town=wigan, focus=focus,
                    description=description, legal_status="Local authority service", year=None,
                    weight=5.0, domain="wigan-council.example.org", anchor=anchor,
                    parent=holder.get("council"),
                )  # fmt: skip

            return make

        def leisure() -> None:
            self._new_org(
                name="Active Borough Leisure Trust", org_type="leisure", town=wigan,
                focus="leisure_centre",
                description="A not-for-profit leisure trust running leisure centres, pools and "
                "sports halls across the borough on behalf of the council.",
                legal_status="Charitable company limited by guarantee",
                year=self.rng.randint(2002, 2012), weight=5.0, anchor="leisure",
            )  # fmt: skip

        def nhs() -> None:
            holder["nhs"] = self._new_org(
                name="Wigan Borough Community Health Services NHS", org_type="nhs", town=wigan,
                focus="stop_smoking",
                description="NHS community health services for the borough, including health "
                "improvement, talking therapies and community clinics.",
                legal_status="NHS body", year=self.rng.randint(2007, 2016), weight=5.0,
                domain="community-health.nhs.example.org", anchor="nhs",
            )  # fmt: skip

        def pcn(area: str, towns: tuple[str, ...]) -> Callable[[], None]:
            def make() -> None:
                self._new_org(
                    name=f"{area} Primary Care Network", org_type="pcn",
                    town=self._town_named(towns[0]), focus="health_check",
                    description=f"The GP practices of {', '.join(towns[:-1])} and {towns[-1]} "
                    "working together to offer extra services such as social prescribing and "
                    "health checks.",
                    legal_status="Primary care network", year=2019, weight=2.0, anchor="pcn",
                    parent=holder.get("nhs"),
                )  # fmt: skip

            return make

        def brand(key: str, name: str, kinds: tuple[str, ...], year: int) -> Callable[[], None]:
            def make() -> None:
                self._brand_orgs[key] = self._new_org(
                    name=name, org_type="brand", town=wigan, focus=f"helpline:{key}",
                    description=f"A national charity offering {_KIND_BY_KEY[kinds[0]].activity} "
                    "across England, through a national helpline and local branches.",
                    legal_status="Registered charity", year=year, weight=1.0, brand=key,
                    national=True,
                )  # fmt: skip

            return make

        specs.append(council)
        specs.append(
            dept(
                "parks",
                "Wigan Council Parks and Green Spaces",
                "park",
                "The council service that looks after the borough's parks, woodlands, "
                "nature reserves, towpaths and cycle routes.",
            )
        )
        specs.append(leisure)
        specs.append(
            dept(
                "livewell",
                "Live Well Wigan Borough",
                "stop_smoking",
                "The council's healthy lifestyles service: stop smoking, health walks, "
                "weight management and exercise.",
            )
        )
        specs.append(nhs)
        specs.append(
            dept(
                "familyhubs",
                "Wigan Family Hubs",
                "early_years",
                "The council's family hubs, offering help for families with children "
                "from pregnancy to 19 (25 with SEND).",
            )
        )
        specs.append(
            dept(
                "welfare",
                "Wigan Council Welfare Support",
                "welfare_advice",
                "The council's welfare rights and hardship support team.",
            )
        )
        specs.append(
            dept(
                "libraries",
                "Wigan Libraries",
                "social",
                "The borough's public libraries: books, computers, activities and "
                "community spaces.",
            )
        )
        for key, name, kinds, year in _BRANDS:
            specs.append(brand(key, name, kinds, year))
        for area, towns in _PCNS:
            specs.append(pcn(area, towns))
        return specs

    def _new_local_org(self) -> None:
        rng = self.rng
        org_type = self._pick([(t, share) for t, share, _ in _ORG_TYPES])
        focus_options = {t: kinds for t, _, kinds in _ORG_TYPES}[org_type]
        town = self._town()
        hood = rng.choice(town.hoods)
        # Sizes follow a long tail: most groups run one or two things, a few run many.
        weight = rng.paretovariate(1.6)
        slots = {"town": town.name, "hood": hood, "street": self._street(town),
                 "saint": rng.choice(_SAINTS)}  # fmt: skip
        if org_type == "branch" and self._brand_orgs:
            key = rng.choice(sorted(self._brand_orgs))
            brand_org = self._brand_orgs[key]
            kinds = next(b[2] for b in _BRANDS if b[0] == key)
            taken = {o.name for o in self._by_brand.get(key, [])}
            areas = [a for a in _BRANCH_AREAS if f"{brand_org.name} {a[0]}" not in taken]
            if areas:
                area, town_name = rng.choice(areas)
                town = self._town_named(town_name)
                focus = rng.choice(kinds)
                self._new_org(
                    name=f"{brand_org.name} {area}", org_type="branch", town=town, focus=focus,
                    description=f"The {area} branch of {brand_org.name}, a national charity. "
                    f"Locally we offer {_KIND_BY_KEY[focus].activity}.",
                    legal_status="Branch of a registered charity",
                    year=rng.randint(1970, 2015), weight=weight * 2, brand=key, parent=brand_org,
                )  # fmt: skip
                return
            org_type = "charity"
            focus_options = {t: kinds for t, _, kinds in _ORG_TYPES}["charity"]
        elif org_type == "branch":
            org_type = "charity"
            focus_options = {t: kinds for t, _, kinds in _ORG_TYPES}["charity"]
        focus = self._pick(focus_options)
        activity = _KIND_BY_KEY[focus].activity
        if org_type == "community":
            name = rng.choice(_COMMUNITY_NAMES[focus]).format_map(slots)
            self._new_org(
                name=name, org_type="community", town=town, focus=focus,
                description=f"A volunteer-led community group in {hood}, {town.name}, running "
                f"{activity}.",
                legal_status=rng.choice(("Unincorporated association", "Community group",
                                         "Charitable incorporated organisation")),
                year=rng.randint(1965, self.as_of.year), weight=weight, webmail=self._chance(0.5),
                hood=hood,
            )  # fmt: skip
        elif org_type == "faith":
            name_t, hall_t = rng.choice(_FAITH_NAMES)
            org = self._new_org(
                name=name_t.format_map(slots), org_type="faith", town=town, focus=focus,
                description=f"A faith community in {town.name} whose members and volunteers run "
                f"{activity} for the whole community, whatever their faith or none.",
                legal_status=rng.choice(("Registered charity", "Excepted charity")),
                year=rng.randint(1840, 1995), weight=weight, webmail=self._chance(0.3),
                hood=hood,
            )  # fmt: skip
            self._faith_hall(org, hall_t.format_map(slots))
        elif org_type == "social_enterprise":
            name = rng.choice(_SOCIAL_ENTERPRISE_NAMES[focus]).format_map(slots)
            self._new_org(
                name=name, org_type="social_enterprise", town=town, focus=focus,
                description=f"A community interest company in {town.name} that reinvests its "
                f"surplus in {activity}.",
                legal_status="Community interest company", year=rng.randint(2008, self.as_of.year),
                weight=weight * 1.5,
            )  # fmt: skip
        elif org_type == "gp":
            pcn = self._pcn_for(town)
            self._new_org(
                name=rng.choice(_GP_NAMES).format_map(slots), org_type="gp", town=town,
                focus=focus,
                description=f"An NHS GP practice in {town.name} offering health checks, clinics "
                "and social prescribing as well as GP appointments.",
                legal_status="GP partnership", year=rng.randint(1948, 2015), weight=weight,
                parent=pcn,
            )  # fmt: skip
        else:
            name = rng.choice(_CHARITY_NAMES[focus]).format_map(slots)
            self._new_org(
                name=name, org_type="charity", town=town, focus=focus,
                description=f"A local registered charity based in {town.name}, providing "
                f"{activity} across the borough.",
                legal_status=rng.choice(("Registered charity",
                                         "Charitable incorporated organisation")),
                year=rng.randint(1975, self.as_of.year), weight=weight * 2,
            )  # fmt: skip

    def _pcn_for(self, town: _Town) -> _Org | None:
        for org in self._anchors.get("pcn", []):
            area = org.name.removesuffix(" Primary Care Network")
            towns = next(t for a, t in _PCNS if a == area)
            if town.name in towns:
                return org
        return None

    # --- locations --------------------------------------------------------------------------
    def _physical(
        self,
        org: _Org,
        name: str,
        town: _Town | None,
        *,
        categories: tuple[str, ...] = (),
        outdoor: bool = False,
        confidential: bool = False,
        description: str | None = None,
        alternate_name: str | None = None,
        phone: bool = False,
        hood: str | None = None,
        place_kind: str = "Community venue",
    ) -> _Loc:
        rng = self.rng
        place = self._place_in(town)
        if place.town is not town:
            hood = None
        town = place.town
        pc = place.postcode
        hood = hood or rng.choice(town.hoods)
        # A uniform point in a disc around the centroid; lat/lon move by the same metres, using
        # the local length of a degree (grid north and true north differ by under half a
        # degree here, about a metre over this distance).
        radius = _JITTER_M * math.sqrt(rng.random())
        angle = rng.random() * 2 * math.pi
        d_east = radius * math.cos(angle)
        d_north = radius * math.sin(angle)
        easting = round(pc.easting + d_east)
        northing = round(pc.northing + d_north)
        phi = math.radians(pc.latitude)
        m_per_deg_lat = 111_132.954 - 559.822 * math.cos(2 * phi) + 1.175 * math.cos(4 * phi)
        m_per_deg_lon = 111_412.84 * math.cos(phi) - 93.5 * math.cos(3 * phi)
        latitude = round(pc.latitude + (northing - pc.northing) / m_per_deg_lat, 6)
        longitude = round(pc.longitude + (easting - pc.easting) / m_per_deg_lon, 6)
        ward = f" ({pc.ward_name} ward)" if pc.ward_name else ""
        if description is None:
            description = f"{place_kind} in {hood}, {town.name}{ward}."
        name = self._unique(self._location_names, name, (hood, town.name))
        row = self._add(
            "locations",
            location_type="physical",
            organization_id=org.id,
            name=name,
            alternate_name=alternate_name,
            description=description,
            transportation=None if confidential else f"{town.transport} {rng.choice(_PARKING)}",
            latitude=latitude,
            longitude=longitude,
            easting=easting,
            northing=northing,
            confidential=confidential,
        )
        loc = _Loc(str(row["id"]), name, town, hood, True, categories, confidential, pc)
        street = self._street(town)
        if confidential:
            # Chosen from the location's (random) id rather than by a further draw, so that the
            # rest of the borough stays exactly as each seed has always made it.
            street = _REFUGE_STREETS[int(loc.id[:8], 16) % len(_REFUGE_STREETS)]
        if outdoor:
            address_1 = f"{rng.choice(('Main entrance', 'Car park entrance', 'Gates'))}, {street}"
        else:
            address_1 = f"{rng.randint(1, 240)} {street}"
        self._add(
            "addresses",
            location_id=loc.id,
            address_1=address_1,
            address_2=rng.choice((None, None, None, "Ground floor", "Rear entrance", hood)),
            city=town.name,
            region="North West",
            state_province="Greater Manchester",
            postal_code=pc.postcode,
            country="GB",
            address_type="physical",
        )
        if confidential:
            self._add(
                "accessibility",
                location_id=loc.id,
                description="Ground-floor rooms available.",
                details="Tell the referral line about any access needs before you arrive.",
            )
            return loc
        self._physical_public += 1
        bank = _ACCESS_OUTDOOR if outdoor else _ACCESS_BUILDING
        for description_text, details in rng.sample(bank, rng.randint(1, 3)):
            self._add(
                "accessibility",
                location_id=loc.id,
                description=description_text,
                details=details,
                url=f"{org.website}accessibility" if org.website and self._chance(0.2) else None,
            )
        if phone:
            self._add(
                "phones",
                location_id=loc.id,
                number=self._phone_number(
                    "non_geographic" if org.org_type == "council_dept" else "landline"
                ),
                type="voice",
                description="Reception.",
            )
        for category in categories:
            self._venues.setdefault(category, []).append(loc)
            self._venues_by_town.setdefault((category, town.name), []).append(loc)
        return loc

    def _virtual(self, org: _Org) -> _Loc:
        if org.online is None:
            base = org.website or f"https://www.{org.domain}/"
            row = self._add(
                "locations",
                location_type="virtual",
                url=f"{base}online",
                organization_id=org.id,
                name=f"{org.name} online",
                description="Online sessions by video call, chat or app.",
                confidential=False,
            )
            org.online = _Loc(str(row["id"]), str(row["name"]), None, None, False)
        return org.online

    def _faith_hall(self, org: _Org, hall: str) -> None:
        org.premises.append(
            self._physical(
                org, hall, org.town, categories=("community", "family"), hood=org.hood,
                place_kind="A place of worship with a hall for community use",
            )
        )  # fmt: skip

    def _eager_premises(self, org: _Org) -> None:
        """Buildings that other groups use as venues exist before any service is placed."""
        rng = self.rng
        if org.anchor == "libraries":
            for town in self._towns:
                org.premises.append(self._physical(
                    org, f"{town.name} Library", town, categories=("community", "family"),
                    phone=True, place_kind="Public library"))  # fmt: skip
        elif org.anchor == "familyhubs":
            for town in self._towns[:: max(1, len(self._towns) // 8)]:
                org.premises.append(self._physical(
                    org, f"{town.name} Family Hub", town, categories=("family", "community"),
                    phone=True, place_kind="Family hub"))  # fmt: skip
        elif org.anchor == "council":
            for name in ("Wigan", "Leigh"):
                town = self._town_named(name)
                org.premises.append(self._physical(
                    org, f"{town.name} Town Hall", town, categories=("community",), phone=True,
                    place_kind="Council offices with public meeting rooms"))  # fmt: skip
        elif org.anchor == "nhs":
            for town in self._towns[:: max(1, len(self._towns) // 6)]:
                org.premises.append(self._physical(
                    org, f"{town.name} Health Centre", town, categories=("health",),
                    phone=True, place_kind="NHS health centre"))  # fmt: skip
        elif org.org_type == "gp":
            org.premises.append(self._physical(
                org, org.name, org.town, categories=("health",), phone=True, hood=org.hood,
                place_kind="GP surgery"))  # fmt: skip
            if self._chance(0.15):
                org.premises.append(self._physical(
                    org, f"{org.name} branch surgery", self._town(), categories=("health",),
                    phone=True, place_kind="GP branch surgery"))  # fmt: skip
        elif org.org_type == "community" and org.focus == "community_centre":
            org.premises.append(self._physical(
                org, f"{org.hood} Community Centre", org.town,
                categories=("community", "family"), phone=self._chance(0.7), hood=org.hood,
                place_kind="Community centre"))  # fmt: skip
        elif org.org_type in ("branch", "charity"):
            for _ in range(1 + (rng.random() < 0.3) + (rng.random() < 0.1)):
                town = org.town if not org.premises else self._town()
                label = "Centre" if org.org_type == "branch" else "office"
                name = f"{org.name} {label}" if not org.premises else f"{org.name}, {town.name}"
                org.premises.append(
                    self._physical(
                        org, name, town, phone=True, place_kind="Offices and drop-in centre"
                    )
                )

    def _premises(self, org: _Org) -> _Loc:
        if not org.premises:
            org.premises.append(self._physical(
                org, org.name, org.town, phone=self._chance(0.5), hood=org.hood,
                place_kind="Premises"))  # fmt: skip
        return self.rng.choice(org.premises)

    def _venue(self, category: str, town: _Town) -> _Loc | None:
        local = self._venues_by_town.get((category, town.name))
        # Most groups meet in their own town; people travel further to a leisure centre.
        if local and self._chance(0.3 if category == "leisure" else 0.8):
            return self.rng.choice(local)
        anywhere = self._venues.get(category)
        return self.rng.choice(anywhere) if anywhere else None

    def _asset(self, kind: _Kind, variant: _Variant, org: _Org) -> tuple[_Loc, dict[str, str]]:
        """A park, route, garden or leisure centre: a new place, named after itself."""
        rng = self.rng
        facts: dict[str, str] = {}
        if kind.key == "park":
            if self._unused_parks:
                name, town_name, features = self._unused_parks.pop(
                    rng.randrange(len(self._unused_parks))
                )
                town = self._town_named(town_name)
            else:
                town = self._town()
                suffix = rng.choice(
                    (
                        "Park",
                        "Recreation Ground",
                        "Playing Fields",
                        "Woods",
                        "Local Nature Reserve",
                        "Memorial Park",
                        "Green",
                    )
                )
                name = self._fresh_place_name(f"{{hood}} {suffix}", town, rng.choice(town.hoods))
                features = tuple(rng.sample(("a children's play area", "sports pitches",
                                             "a skate park", "an outdoor gym", "wildflower "
                                             "meadows", "a multi-use games area", "woodland "
                                             "paths", "a pond"), 2))  # fmt: skip
            facts["features"] = " and ".join(features)
            loc = self._physical(org, name, town, categories=("outdoor",), outdoor=True,
                                 place_kind="Public park")  # fmt: skip
        elif kind.key == "cycle_route":
            if self._unused_routes:
                name, town_name, km, route = self._unused_routes.pop(
                    rng.randrange(len(self._unused_routes))
                )
                town = self._town_named(town_name)
            else:
                town = self._town()
                km = rng.randint(3, 12)
                a, b = (
                    rng.sample(town.hoods, 2) if len(town.hoods) > 1 else (town.name, "the canal")
                )
                name = f"{a} to {b} greenway"
                route = f"between {a} and {b}"
            facts["route"] = f"about {km} km long, running {route}"
            loc = self._physical(
                org,
                name,
                town,
                categories=("outdoor",),
                outdoor=True,
                description=f"Start of the route, {town.name}.",
            )
        elif kind.key == "leisure_centre":
            town = self._town()
            existing = [v for v in self._venues.get("leisure", []) if v.town is town]
            base = rng.choice(("Leisure Centre", "Sports Centre", "Swimming and Fitness Centre"))
            name = f"{town.name} {base}" if not existing else f"{rng.choice(town.hoods)} {base}"
            facts["features"] = " and ".join(
                rng.sample(
                    (
                        "a 25-metre pool",
                        "a learner pool",
                        "a gym",
                        "a sports hall",
                        "a fitness studio",
                        "squash courts",
                        "an outdoor 3G pitch",
                        "a sauna and steam room",
                    ),
                    3,
                )
            )
            loc = self._physical(org, name, town, categories=("leisure",), phone=True,
                                 place_kind="Leisure centre")  # fmt: skip
        else:  # community gardens and allotments
            template = self.rng.choice(variant.asset_names or ("{hood} Community Garden",))
            name = self._fresh_place_name(template, org.town, org.hood)
            loc = self._physical(org, name, org.town, outdoor=True, categories=("outdoor",),
                                 hood=org.hood, place_kind="Community growing space")  # fmt: skip
        return loc, facts

    def _fresh_place_name(self, template: str, town: _Town, hood: str) -> str:
        """A place name not used yet, trying the town's other neighbourhoods first."""
        for candidate in (hood, *town.hoods):
            name = template.format(town=town.name, hood=candidate)
            if name not in self._location_names:
                return name
        return template.format(town=town.name, hood=hood)

    # --- planning ---------------------------------------------------------------------------
    def _pool(self, selector: str) -> tuple[list[_Org], list[float]]:
        if selector not in self._pools:
            prefix, _, key = selector.partition(":")
            if prefix == "focus":
                orgs = [o for o in self.orgs if o.focus == key and not o.anchor]
            else:
                orgs = (self._anchors if prefix == "anchor" else self._by_brand
                        if prefix == "brand" else self._by_type).get(key, [])  # fmt: skip
            cumulative: list[float] = []
            total = 0.0
            for org in orgs:
                total += org.weight
                cumulative.append(total)
            self._pools[selector] = (orgs, cumulative)
        return self._pools[selector]

    def _provider(self, kind_key: str) -> _Org:
        # Groups founded around an activity run more of it (a food bank opens a second site, a
        # walking group adds a Nordic walk), so their focus gets a share of the draws.
        if self._chance(0.35) and self._pool(f"focus:{kind_key}")[0]:
            orgs, cumulative = self._pool(f"focus:{kind_key}")
            return self.rng.choices(orgs, cum_weights=cumulative)[0]
        options = [(s, w) for s, w in _PROVIDERS[kind_key] if self._pool(s)[0]]
        if not options:
            # Too few organisations for the usual provider: anyone local will do.
            return self.rng.choice(self.orgs)
        orgs, cumulative = self._pool(self._pick(options))
        return self.rng.choices(orgs, cum_weights=cumulative)[0]

    def _plan(self, count: int) -> list[tuple[_Org, str]]:
        plan: list[tuple[_Org, str]] = []
        # Every organisation lists at least one service: its focus.
        for org in self.orgs[:count]:
            plan.append((org, org.focus))
        remaining = count - len(plan)
        forced = [k.key for k in _KINDS][: max(0, remaining)]
        keys = list(_KIND_WEIGHTS)
        weights = list(_KIND_WEIGHTS.values())
        drawn = forced + self.rng.choices(keys, weights=weights, k=max(0, remaining - len(forced)))
        if self.orgs:
            for kind_key in drawn:
                plan.append((self._provider(kind_key), kind_key))
        for org, _ in plan:
            org.planned += 1
        # Places first (so groups can meet in parks), refuges last (they are a share of the
        # other physical locations).
        order = {"park": 0, "cycle_route": 0, "leisure_centre": 0, "garden": 1, "refuge": 9}
        plan.sort(key=lambda item: order.get(item[1].split(":")[0], 5))
        return plan

    def _build_programs(self) -> None:
        # HSDS allows one program per organisation (program.organization_id is unique).
        phrases = {
            "physical-activity": ("Active Lives", "Move More"),
            "health-and-well-being": ("Healthy Minds and Bodies", "Live Well"),
            "money-and-advice": ("Cost of Living Support", "Money and Food Support"),
            "family-and-children": ("Best Start in Life", "Growing Up Well"),
            "community-life": ("Connected Communities", "Ageing Well"),
            "volunteering": ("Volunteering Together",),
        }
        for org in self.orgs:
            eligible = org.org_type in ("council", "council_dept", "leisure", "nhs", "pcn",
                                        "branch", "charity", "social_enterprise")  # fmt: skip
            if not eligible or org.planned < 3 or org.focus.startswith("helpline"):
                continue
            top = _TOP_BY_TERM[_KIND_BY_KEY[org.focus].term]
            phrase = self.rng.choice(phrases[top])
            row = self._add(
                "programs",
                organization_id=org.id,
                name=f"{phrase} programme",
                description=f"{org.name}'s {phrase.lower()} programme groups its services for "
                f"{_KIND_BY_KEY[org.focus].activity}. {SYNTHETIC_NOTE}",
            )
            org.program_id = str(row["id"])
            org.program_top = top

    # --- services ---------------------------------------------------------------------------
    def _locations_for(
        self, mode: str, kind: _Kind, variant: _Variant, org: _Org
    ) -> tuple[list[_Loc], dict[str, str]]:
        rng = self.rng
        if org.national and mode not in ("phone", "virtual"):
            mode = "phone"
        if mode == "phone":
            return [], {}
        if mode == "virtual":
            return [self._virtual(org)], {}
        if mode == "asset":
            loc, facts = self._asset(kind, variant, org)
            return [loc], facts
        if mode == "premises":
            chosen = [self._premises(org)]
            if len(org.premises) > 1 and self._chance(0.4):
                chosen = rng.sample(org.premises, rng.randint(2, len(org.premises)))
            return chosen, {}
        if mode == "refuge":
            return [], {}  # _build_service adds the confidential locations
        category = {"leisure": "leisure", "outdoor": "outdoor", "family": "family",
                    "health": "health"}.get(mode, "community")  # fmt: skip
        # Some services run at several venues across the borough (clinics, advice drop-ins).
        sites = rng.randint(2, 4) if self._chance(kind.multi_site) else 1
        locs: list[_Loc] = []
        for _ in range(sites):
            town = org.town if not locs else self._town()
            found = self._venue(category, town) or self._venue("community", town)
            venue = found if found is not None else self._premises(org)
            if all(venue.id != other.id for other in locs):
                locs.append(venue)
        return locs, {}

    def _build_service(self, org: _Org, kind_key: str, refuges_left: list[int]) -> None:
        rng = self.rng
        if kind_key.startswith("helpline:"):
            self._build_helpline(org, kind_key.split(":")[1])
            return
        kind = _KIND_BY_KEY[kind_key]
        variant = rng.choice(kind.variants)
        mode = self._pick(variant.modes or kind.modes)
        locs, facts = self._locations_for(mode, kind, variant, org)
        if kind.key == "refuge":
            wanted = refuges_left.pop(0) if refuges_left else 0
            for n in range(wanted):
                locs.append(self._physical(
                    org, f"Refuge {n + 1} – {org.name}", org.town,
                    confidential=True,
                    description="Confidential address: never publish. Referrals through the "
                    "24-hour phone line only."))  # fmt: skip
        service_id = self._id()
        first = locs[0] if locs else None
        town = first.town if first and first.town else org.town
        hood = (first.hood if first and first.hood else None) or org.hood
        venue_name = first.name if first and first.physical else town.name
        # Walking groups and the like are named after the park they meet in, else the town.
        park = venue_name if first and "outdoor" in first.categories else town.name
        pattern = variant.schedule or kind.schedule
        sites = 1 if kind.key == "refuge" else max(1, len(locs))
        schedules = [self._schedule(pattern) for _ in range(sites)]
        day = next((s["byday"] for s in schedules[0] if s.get("byday")), "MO")
        day_name = _DAY_NAMES.get(str(day).split(",")[0][-2:], "Monday")
        slots = {"town": town.name, "hood": hood, "venue": venue_name, "park": park,
                 "day": day_name, "org": org.name, "asset": venue_name}  # fmt: skip
        if len(locs) > 1 and kind.key != "refuge":
            # A service run at several venues is known by its provider, not by one venue.
            slots["venue"] = org.name
        name = rng.choice(variant.names).format_map(slots)
        if kind.key == "leisure_centre":
            name = f"{name}: gym, pool and classes"
        # Repeated sessions at one venue are told apart by their day, as on a noticeboard.
        provider = org.name.split(" (")[0]
        qualifiers = (
            (*self._when_qualifiers(schedules[0]), town.name, hood, provider)
            if first and first.physical
            else (provider, town.name)
        )
        name = self._unique(self._service_names, name, qualifiers)
        status = self._pick((("active", 0.94), ("temporarily closed", 0.03), ("inactive", 0.03)))
        description = self._description(kind, variant, slots, facts, locs)
        assured = self._assured_date()
        edits = self._metadata(service_id, name, status, assured)
        last_change = max([assured, *edits])
        last_modified = datetime.datetime.combine(
            last_change,
            datetime.time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59),
                          rng.randint(0, 999) * 1000),
            tzinfo=datetime.UTC,
        )  # fmt: skip
        languages = self._extra_languages()
        interpretation = None
        if languages:
            names = [n for n, _ in languages]
            interpretation = (
                "Support available in "
                + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])
                + "."
            )
        fees, costs = self._costs(self._pick(variant.costs or kind.costs))
        program_id = (
            org.program_id
            if org.program_id and _TOP_BY_TERM[kind.term] == org.program_top and self._chance(0.8)
            else None
        )
        self._add(
            "services",
            id=service_id,
            organization_id=org.id,
            program_id=program_id,
            name=name,
            alternate_name=variant.alternate_name,
            description=description,
            url=f"{org.website}{_slug(name)}" if org.website and self._chance(0.6) else None,
            email=self._service_email(org, name),
            status=status,
            interpretation_services=interpretation,
            application_process=rng.choice(kind.application),
            fees_description=fees,
            accreditations=rng.choice(kind.accreditations)
            if kind.accreditations and self._chance(0.4) else None,
            eligibility_description=variant.eligibility,
            minimum_age=variant.min_age,
            maximum_age=variant.max_age,
            assured_date=assured,
            assurer_email=_DIRECTORY_EMAIL if self._chance(0.7) else org.email,
            alert=self._alert(status),
            last_modified=last_modified,
        )  # fmt: skip
        for cost in costs:
            self._add("cost_options", service_id=service_id, **cost)
        self._attributes(service_id, kind, variant)
        self._languages(service_id, languages)
        self._service_area(service_id, org, town, locs, mode)
        if kind.documents and self._chance(kind.document_share):
            self._add("required_documents", service_id=service_id,
                      document=rng.choice(kind.documents),
                      uri=f"{org.website}documents" if org.website and self._chance(0.3)
                      else None)  # fmt: skip
        if self._chance(0.2):
            funders = (
                _FUNDERS["council"]
                if org.org_type == "council_dept"
                else (
                    _FUNDERS["nhs"]
                    if org.org_type in ("nhs", "pcn", "gp")
                    else _FUNDERS["voluntary"]
                )
            )
            self._add("funding", service_id=service_id, source=rng.choice(funders))
        if self._chance(0.55):
            person, handle = self._person()
            contact = self._add(
                "contacts", service_id=service_id, name=person,
                title=rng.choice(kind.contact_titles),
                department=rng.choice(("Community services", "Public health", "Operations"))
                if org.org_type in ("council_dept", "nhs", "leisure") else None,
                email=f"{handle}@{org.domain}" if org.website else org.email,
            )  # fmt: skip
            if self._chance(0.25):
                self._add("phones", contact_id=contact["id"], type="voice",
                          number=self._phone_number("landline"),
                          description="Direct line.")  # fmt: skip
        # Helplines and refuges must always be reachable by phone; most others list a number.
        if mode in ("phone", "refuge") or kind.key == "refuge" or self._chance(0.45):
            style = (
                "freephone"
                if mode in ("phone", "refuge") or kind.key == "refuge"
                else ("non_geographic" if org.org_type == "council_dept" else "landline")
            )
            phone_note = (
                "24-hour referral line." if kind.key == "refuge"
                else "Free from landlines and mobiles." if style == "freephone" else None
            )  # fmt: skip
            phone = self._add("phones", service_id=service_id, number=self._phone_number(style),
                              type="voice", description=phone_note)  # fmt: skip
            if mode == "phone" and self._chance(0.3):
                self._add("phones", service_id=service_id,
                          number="18001 " + str(phone["number"]), type="textphone",
                          description="Relay UK textphone.")  # fmt: skip
            if languages and mode == "phone":
                for lang_name, code in languages:
                    self._add("languages", phone_id=phone["id"], name=lang_name, code=code,
                              note="Telephone interpreting available on request.")  # fmt: skip
        if kind.key == "refuge" or not locs:
            # Refuges' hours belong to the service's phone line, never to the (hidden) address.
            for spec in schedules[0]:
                self._add("schedules", service_id=service_id, **spec)
            if kind.key != "refuge":
                return
        if kind.key == "refuge":
            for loc in locs:
                self._add("service_at_location", service_id=service_id, location_id=loc.id,
                          description=self._sal_description(name, loc, []))  # fmt: skip
            return
        for loc, specs in zip(locs, schedules, strict=True):
            sal = self._add(
                "service_at_location",
                service_id=service_id,
                location_id=loc.id,
                description=self._sal_description(name, loc, specs),
            )
            for spec in specs:
                self._add("schedules", service_at_location_id=sal["id"], **spec)
            if len(locs) > 1 and self._chance(0.3):
                self._add("phones", service_at_location_id=sal["id"],
                          number=self._phone_number("landline"), type="voice",
                          description=f"For the {loc.name} sessions.")  # fmt: skip

    def _build_helpline(self, org: _Org, brand_key: str) -> None:
        """A national charity's helpline: phone-only, with a webchat for some."""
        rng = self.rng
        kinds = next(b[2] for b in _BRANDS if b[0] == brand_key)
        kind = _KIND_BY_KEY[kinds[0]]
        service_id = self._id()
        name = self._unique(self._service_names, f"{org.name} national helpline", ())
        assured = self._assured_date()
        self._add(
            "services",
            id=service_id, organization_id=org.id, name=name,
            description=f"Free, confidential national helpline for {kind.activity}, answered "
            f"by trained advisers and volunteers. {SYNTHETIC_NOTE}",
            url=f"{org.website}helpline", email=org.email, status="active",
            interpretation_services="Telephone interpreting in over 100 languages.",
            application_process="Call the helpline, or use the webchat on our website.",
            fees_description="Free.", eligibility_description="Anyone in England.",
            assured_date=assured, assurer_email=org.email,
            last_modified=datetime.datetime.combine(assured, _t(9, 30), tzinfo=datetime.UTC),
        )  # fmt: skip
        phone = self._add("phones", service_id=service_id, type="voice",
                          number=self._phone_number("freephone"),
                          description="Free from landlines and mobiles.")  # fmt: skip
        self._add(
            "phones",
            service_id=service_id,
            type="textphone",
            number="18001 " + str(phone["number"]),
            description="Relay UK textphone.",
        )
        for spec in self._schedule("helpline"):
            self._add("schedules", service_id=service_id, **spec)
        self._attributes(service_id, kind, kind.variants[0])
        self._languages(service_id, [])
        self._add(
            "service_areas",
            service_id=service_id,
            name="England",
            description="Anyone in England.",
            uri=f"{_STATGEO}E92000001",
        )
        if rng.random() < 0.5:
            loc = self._virtual(org)
            self._add(
                "service_at_location",
                service_id=service_id,
                location_id=loc.id,
                description="Webchat on our website.",
            )

    def _description(
        self,
        kind: _Kind,
        variant: _Variant,
        slots: dict[str, str],
        facts: dict[str, str],
        locs: list[_Loc],
    ) -> str:
        rng = self.rng
        opening = variant.blurb.format_map(slots)
        if "features" in facts:
            opening += f", with {facts['features']}"
        if "route" in facts:
            opening += f", {facts['route']}"
        sentences = [opening + "."]
        sentences.extend(rng.sample(kind.details, min(len(kind.details), rng.randint(1, 2))))
        if len(locs) > 1 and kind.key != "refuge":
            sentences.append(f"Runs at {len(locs)} places across the borough.")
        sentences.append(SYNTHETIC_NOTE)
        return " ".join(sentences)

    def _when_qualifiers(self, specs: list[Row]) -> tuple[str, ...]:
        spec = specs[0] if specs else None
        if spec is None or not spec.get("byday") or spec.get("freq") != "WEEKLY":
            return ()
        days = str(spec["byday"]).split(",")
        opens = spec.get("opens_at")
        if len(days) > 2 or not isinstance(opens, datetime.time):
            return ()
        day = _DAY_NAMES[days[0]]
        part = "morning" if opens.hour < 12 else "afternoon" if opens.hour < 17 else "evening"
        return (f"{day}s", f"{day} {part}s")

    def _sal_description(self, name: str, loc: _Loc, specs: list[Row]) -> str:
        if not loc.physical:
            return f"{name}, online."
        if loc.confidential:
            return "Confidential address; referrals through the 24-hour phone line only."
        when = next((str(s["description"]) for s in specs if s.get("description")), None)
        return f"{loc.name}: {when}" if when else f"At {loc.name}."

    def _service_email(self, org: _Org, name: str) -> str | None:
        roll = self.rng.random()
        if roll < 0.3 and org.website:
            return f"{_slug(name)[:24].strip('-')}@{org.domain}"
        return org.email if roll < 0.85 else None

    def _assured_date(self) -> datetime.date:
        if self._chance(_STALE_SHARE):
            return self._date_before(_FRESH_DAYS + 2, _OLDEST_DAYS)
        return self._date_before(1, _FRESH_DAYS)

    def _alert(self, status: str) -> str | None:
        if status != "temporarily closed":
            return None
        reopen = self.as_of + datetime.timedelta(days=self.rng.randint(14, 90))
        reason = self.rng.choice(
            (
                "for refurbishment",
                "while we recruit new volunteers",
                "because the venue is being repaired",
            )
        )
        return f"Closed {reason}; we expect to reopen by {reopen.day} {reopen:%B %Y}."

    def _metadata(
        self, service_id: str, name: str, status: str, assured: datetime.date
    ) -> list[datetime.date]:
        """A little change history, consistent with the service's current values."""
        rng = self.rng
        dates: list[datetime.date] = []
        officer = f"{rng.choice(_FIRST_NAMES)[0]}. {rng.choice(_SURNAMES)} (directory team)"
        if status != "active":
            when = self._date_before(1, 60)
            self._add("metadata", resource_id=service_id, resource_type="service",
                      last_action_date=when, last_action_type="update", field_name="status",
                      previous_value="active", replacement_value=status,
                      updated_by=officer)  # fmt: skip
            dates.append(when)
        if self._chance(0.25):
            previous = assured - datetime.timedelta(days=rng.randint(90, 200))
            self._add("metadata", resource_id=service_id, resource_type="service",
                      last_action_date=assured, last_action_type="update",
                      field_name="assured_date", previous_value=previous.isoformat(),
                      replacement_value=assured.isoformat(), updated_by=officer)  # fmt: skip
        if " – " in name and self._chance(0.15):
            # A typical edit: a place added to a generic name.
            when = self._date_before(1, 150)
            self._add("metadata", resource_id=service_id, resource_type="service",
                      last_action_date=when, last_action_type="update", field_name="name",
                      previous_value=name.split(" – ")[0], replacement_value=name,
                      updated_by=officer)  # fmt: skip
            dates.append(when)
        return dates

    def _extra_languages(self) -> list[tuple[str, str]]:
        if not self._chance(0.18):
            return []
        names = [n for n, _, _ in _LANGUAGES]
        weights = [w for _, _, w in _LANGUAGES]
        picked: list[tuple[str, str]] = []
        for _ in range(1 if self._chance(0.75) else 2):
            name = self.rng.choices(names, weights=weights)[0]
            code = next(c for n, c, _ in _LANGUAGES if n == name)
            if (name, code) not in picked:
                picked.append((name, code))
        return picked

    def _languages(self, service_id: str, extra: list[tuple[str, str]]) -> None:
        self._add("languages", service_id=service_id, name="English", code="en")
        for name, code in extra:
            note = self.rng.choice(_LANGUAGE_NOTES).format(name=name)
            self._add("languages", service_id=service_id, name=name, code=code, note=note)

    def _attributes(self, service_id: str, kind: _Kind, variant: _Variant) -> None:
        codes = [kind.term]
        extras = list(dict.fromkeys(variant.extra_terms + kind.extra_terms))
        for code in extras:
            if len(codes) < 3 and code not in codes and self._chance(0.5):
                codes.append(code)
        for code in codes:
            self._add("attributes", link_id=service_id, taxonomy_term_id=self.terms[code],
                      link_type="service_category", link_entity="service")  # fmt: skip

    def _service_area(
        self, service_id: str, org: _Org, town: _Town, locs: list[_Loc], mode: str
    ) -> None:
        local = org.org_type in ("community", "faith", "gp") and mode not in ("phone", "virtual")
        roll = self.rng.random()
        if local and roll < 0.6:
            self._add("service_areas", service_id=service_id, name=town.name,
                      description=f"People living in and around {town.name}.")  # fmt: skip
            return
        if local and roll < 0.8 and locs:
            ward = self._ward_of(locs[0])
            if ward:
                code, ward_name = ward
                self._add("service_areas", service_id=service_id, name=f"{ward_name} ward",
                          description=f"Residents of the {ward_name} ward.",
                          uri=f"{_STATGEO}{code}")  # fmt: skip
                return
        self._add("service_areas", service_id=service_id, name="Wigan borough",
                  description=f"Residents of the Wigan borough (local authority {_LAD_CODE}).",
                  uri=f"{_STATGEO}{_LAD_CODE}")  # fmt: skip

    def _ward_of(self, loc: _Loc) -> tuple[str, str] | None:
        pc = loc.postcode
        if pc is None or not pc.ward_code or not pc.ward_name:
            return None
        return pc.ward_code, pc.ward_name

    # --- costs ------------------------------------------------------------------------------
    def _costs(self, pattern: str) -> tuple[str, list[dict[str, object]]]:
        rng = self.rng
        if pattern == "free":
            if self._chance(0.4):
                return "Free.", [{"option": "Free", "currency": "GBP", "amount": Decimal("0.00"),
                                  "amount_description": "No charge."}]  # fmt: skip
            return "Free.", []
        if pattern == "donation":
            return "Free. Donations welcome.", []
        if pattern == "small_fee":
            amount = Decimal(rng.choice(("1.00", "1.50", "2.00", "2.50", "3.00", "3.50", "4.00",
                                         "5.00")))  # fmt: skip
            options: list[dict[str, object]] = [{
                "option": "Per session", "currency": "GBP", "amount": amount,
                "amount_description": "Pay on the day; first session free.",
            }]  # fmt: skip
            text = f"£{amount} per session."
            if self._chance(0.4):
                concession = (amount / 2).quantize(Decimal("0.01"))
                options.append({"option": "Concessions", "currency": "GBP", "amount": concession,
                                "amount_description": "For people on benefits, students and "
                                "over 60s."})  # fmt: skip
                text += f" Concessions £{concession}."
            return text, options
        if pattern == "lunch":
            amount = Decimal(rng.choice(("3.50", "4.00", "4.50", "5.00")))
            return f"£{amount} for a two-course lunch.", [{
                "option": "Two-course lunch", "currency": "GBP", "amount": amount,
                "amount_description": "Includes tea or coffee.",
            }]  # fmt: skip
        if pattern == "pantry":
            amount = Decimal(rng.choice(("3.00", "3.50", "4.00", "5.00")))
            return f"£{amount} a visit for members.", [{
                "option": "Weekly membership visit", "currency": "GBP", "amount": amount,
                "amount_description": "Choose around £15 to £20 worth of food.",
            }]  # fmt: skip
        if pattern == "membership":
            amount = Decimal(rng.choice(("10.00", "15.00", "20.00", "25.00", "30.00")))
            return f"Annual membership £{amount}; your first sessions are free.", [{
                "option": "Annual membership", "currency": "GBP", "amount": amount,
                "amount_description": "Per person per year.",
            }]  # fmt: skip
        if pattern == "room_hire":
            amount = Decimal(rng.choice(("10.00", "12.00", "15.00", "18.00", "20.00", "25.00")))
            return f"Most activities are free. Rooms from £{amount} an hour.", [{
                "option": "Room hire (per hour)", "currency": "GBP", "amount": amount,
                "amount_description": "Reduced rate for local charities and community groups.",
            }]  # fmt: skip
        # Leisure prices hold for the council's financial year.
        start, end = self._financial_year
        swim = Decimal(rng.choice(("4.80", "5.20", "5.60", "5.90")))
        options = [
            {"option": "Adult swim", "amount": swim, "amount_description": "Per swim."},
            {"option": "Junior swim (under 16)",
             "amount": (swim * Decimal("0.6")).quantize(Decimal("0.01")),
             "amount_description": "Per swim."},
            {"option": "Concession swim",
             "amount": (swim * Decimal("0.7")).quantize(Decimal("0.01")),
             "amount_description": "For people on benefits, students and over 60s."},
            {"option": "Monthly membership",
             "amount": Decimal(rng.choice(("24.99", "27.50", "29.99", "32.00"))),
             "amount_description": "Gym, pool and classes at every centre."},
        ]  # fmt: skip
        for option in options:
            option.update(currency="GBP", valid_from=start, valid_to=end)
        return f"Adult swim £{swim}; concessions and memberships available.", options

    # --- schedules --------------------------------------------------------------------------
    def _sched(
        self,
        days: Sequence[str],
        opens: datetime.time | None,
        closes: datetime.time | None,
        *,
        description: str | None = None,
        attending: str | None = "In person",
        interval: int | None = None,
        monthly: str | None = None,
        valid: tuple[datetime.date, datetime.date] | None = None,
        notes: str | None = None,
    ) -> Row:
        if monthly:
            byday = monthly
            ordinal = int(monthly[:-2])
            when = f"{_ORDINALS[ordinal]} {_DAY_NAMES[monthly[-2:]]} of the month"
        else:
            byday = ",".join(days)
            when = _days_text(days)
            if interval == 2:
                when = f"Every other {_DAY_NAMES[days[0]]}"
        if description is None:
            hours = f", {_hours_text(opens, closes)}" if opens and closes else ""
            description = f"{when}{hours}."
        row: Row = {
            "freq": "MONTHLY" if monthly else "WEEKLY",
            "byday": byday,
            "opens_at": opens,
            "closes_at": closes,
            "description": description,
            "attending_type": attending,
            "notes": notes,
        }
        if interval:
            # A fortnightly pattern needs a first date to count from.
            weekday = _DAYS.index(days[0])
            back = (self.as_of.weekday() - weekday) % 7 + 7 * self.rng.randint(0, 1)
            row.update(interval=interval, wkst="MO",
                       dtstart=self.as_of - datetime.timedelta(days=back))  # fmt: skip
        if valid:
            row.update(valid_from=valid[0], valid_to=valid[1])
        elif self._chance(0.25):
            row["valid_from"] = self._date_before(30, 400)
        return row

    def _session_days(self, weekend: float = 0.12) -> list[str]:
        if self._chance(weekend):
            return [self.rng.choice(("SA", "SA", "SU"))]
        days = self.rng.sample(_WEEKDAYS, 2 if self._chance(0.15) else 1)
        return sorted(days, key=_DAYS.index)

    def _schedule(self, pattern: str) -> list[Row]:
        rng = self.rng
        if pattern == "park":
            roll = rng.random()
            if roll < 0.35:
                return [self._sched(_DAYS, _t(0), _t(23, 59), attending=None,
                                    description="Open 24 hours, every day.")]  # fmt: skip
            if roll < 0.8:
                return [
                    self._sched(
                        _DAYS,
                        None,
                        None,
                        attending=None,
                        description="Open every day from dawn until dusk.",
                    )
                ]
            summer = datetime.date(self.as_of.year, 4, 1), datetime.date(self.as_of.year, 9, 30)
            winter_year = self.as_of.year if self.as_of.month >= 4 else self.as_of.year - 1
            winter = (datetime.date(winter_year, 10, 1), datetime.date(winter_year + 1, 3, 31))
            return [
                self._sched(_DAYS, _t(8), _t(20), attending=None, valid=summer,
                            description="April to September: gates open 8am to 8pm."),
                self._sched(_DAYS, _t(8), _t(16, 30), attending=None, valid=winter,
                            description="October to March: gates open 8am to 4:30pm."),
            ]  # fmt: skip
        if pattern == "route":
            return [self._sched(_DAYS, _t(0), _t(23, 59), attending=None,
                                description="Open at all times.")]  # fmt: skip
        if pattern == "leisure":
            weekday_open = rng.choice((_t(6, 30), _t(7)))
            weekday_close = rng.choice((_t(21), _t(21, 30), _t(22)))
            weekend_close = rng.choice((_t(16), _t(17), _t(18)))
            return [
                self._sched(_WEEKDAYS, weekday_open, weekday_close),
                self._sched(("SA", "SU"), _t(8), weekend_close),
            ]
        if pattern in ("office", "appointment"):
            attending = "By appointment" if pattern == "appointment" else "In person or by phone"
            if self._chance(0.7):
                opens = rng.choice((_t(9), _t(9), _t(8, 30), _t(10)))
                closes = rng.choice((_t(17), _t(16, 30), _t(16)))
                rows = [self._sched(_WEEKDAYS, opens, closes, attending=attending)]
                if self._chance(0.15):
                    rows.append(
                        self._sched(
                            ("TH",),
                            _t(17),
                            _t(19),
                            attending=attending,
                            description="Late opening on Thursdays until 7pm.",
                        )
                    )
                return rows
            days = sorted(rng.sample(_WEEKDAYS, 3), key=_DAYS.index)
            return [self._sched(days, _t(10), _t(15), attending=attending)]
        if pattern == "drop_in":
            opens = rng.choice((_t(9, 30), _t(10), _t(13), _t(13, 30)))
            closes = _add_minutes(opens, rng.choice((120, 150, 180)))
            days = sorted(rng.sample(_WEEKDAYS, rng.choice((1, 1, 2, 3))), key=_DAYS.index)
            return [self._sched(days, opens, closes, attending="Drop in, no appointment needed")]
        if pattern == "helpline":
            roll = rng.random()
            if roll < 0.3:
                return [self._sched(_DAYS, _t(0), _t(23, 59), attending="Phone",
                                    description="24 hours a day, 7 days a week.")]  # fmt: skip
            rows = [self._sched(_WEEKDAYS, _t(9), rng.choice((_t(17), _t(20))),
                                attending="Phone")]  # fmt: skip
            if roll > 0.8:
                rows.append(self._sched(("SA",), _t(10), _t(13), attending="Phone"))
            return rows
        if pattern == "refuge":
            return [self._sched(_DAYS, _t(0), _t(23, 59), attending="Phone",
                                description="Referral line open 24 hours a day.")]  # fmt: skip
        if pattern == "centre":
            rows = [self._sched(_WEEKDAYS, _t(9), rng.choice((_t(16), _t(21), _t(22))))]
            if self._chance(0.6):
                rows.append(self._sched(("SA",), _t(9), _t(13)))
            return rows
        if pattern == "holiday":
            start = self.as_of + datetime.timedelta(days=rng.randint(20, 70))
            end = start + datetime.timedelta(days=rng.choice((4, 11, 25)))
            return [self._sched(("MO", "TU", "WE", "TH"), _t(10), _t(14), valid=(start, end),
                                description=f"School holidays, Monday to Thursday, 10am to 2pm "
                                f"({start.day} {start:%B} to {end.day} {end:%B}).")]  # fmt: skip
        if pattern == "monthly":
            day = rng.choice(("MO", "TU", "WE", "TH", "FR", "SA"))
            ordinal = rng.choice((1, 1, 2, 3, -1))
            opens = rng.choice((_t(10), _t(13, 30), _t(18, 30)))
            return [self._sched((), opens, _add_minutes(opens, rng.choice((90, 120))),
                                monthly=f"{ordinal}{day}")]  # fmt: skip
        if pattern == "saturday":
            opens = rng.choice((_t(9), _t(9, 30), _t(10)))
            return [self._sched(("SA",), opens, _add_minutes(opens, rng.choice((60, 90, 120))))]
        if pattern == "walk":
            opens = rng.choice((_t(9, 30), _t(10), _t(10, 30), _t(13, 30), _t(18), _t(18, 30)))
            return [self._sched(self._session_days(0.2), opens,
                                _add_minutes(opens, rng.choice((60, 90, 120))))]  # fmt: skip
        if pattern == "run":
            if self._chance(0.4):
                opens = rng.choice((_t(18), _t(18, 30), _t(19)))
                days = sorted(rng.sample(("MO", "TU", "WE", "TH"), rng.choice((1, 2))),
                              key=_DAYS.index)  # fmt: skip
            else:
                opens = rng.choice((_t(9), _t(9, 30)))
                days = [rng.choice(("SA", "SU"))]
            return [self._sched(days, opens, _add_minutes(opens, rng.choice((45, 60, 75))))]
        if pattern == "lunch":
            opens = rng.choice((_t(11, 30), _t(12)))
            return [self._sched(self._session_days(0.05), opens, _add_minutes(opens, 120))]
        # Weekly group sessions, sometimes fortnightly or monthly.
        if pattern == "morning":
            opens = rng.choice((_t(9), _t(9, 30), _t(10), _t(10, 30)))
        elif pattern == "evening":
            opens = rng.choice((_t(17, 30), _t(18), _t(18, 30), _t(19)))
        else:
            opens = rng.choice((_t(9, 30), _t(10), _t(10, 30), _t(11), _t(13), _t(13, 30),
                                _t(14), _t(18), _t(18, 30), _t(19)))  # fmt: skip
        closes = _add_minutes(opens, rng.choice((60, 90, 90, 120, 120, 150, 180)))
        roll = rng.random()
        if roll < 0.12:
            return [self._sched(self._session_days(), opens, closes, interval=2)]
        if roll < 0.22:
            day = rng.choice(_WEEKDAYS + ("SA",))
            return [self._sched((), opens, closes, monthly=f"{rng.choice((1, 2, 3, -1))}{day}")]
        return [
            self._sched(
                self._session_days(),
                opens,
                closes,
                notes="Term time only." if self._chance(0.15) else None,
            )
        ]

    # --- refuges ----------------------------------------------------------------------------
    def _refuge_quota(self, plan: list[tuple[_Org, str]], public: int) -> list[int]:
        """How many confidential locations each refuge service gets (refuges are planned last)."""
        services = sum(1 for _, k in plan if k == "refuge")
        if not services:
            return []
        # Refuges are this share of all physical locations, including themselves.
        total = round(public * _CONFIDENTIAL_SHARE / (1 - _CONFIDENTIAL_SHARE))
        quota = [total // services] * services
        for n in range(total % services):
            quota[n] += 1
        return quota

    # --- the whole directory ----------------------------------------------------------------
    def run(self, services: int, organizations: int) -> Tables:
        self._build_taxonomies()
        self._build_organizations(organizations)
        plan = self._plan(services)
        self._build_programs()
        quota: list[int] = []
        quota_ready = False
        for org, kind_key in plan:
            if kind_key == "refuge" and not quota_ready:
                quota = self._refuge_quota(plan, self._physical_public)
                quota_ready = True
            self._build_service(org, kind_key, quota)
        return self.tables


def generate_directory(
    postcodes: Sequence[PostcodeLike],
    *,
    seed: int = 0,
    services: int = 1500,
    organizations: int | None = None,
    as_of: datetime.date,
) -> dict[str, list[dict[str, object]]]:
    """Generate a synthetic directory of ``services`` services for the demo borough.

    ``postcodes`` are the borough's postcode centroids (``geography.borough_postcodes()``);
    every physical location sits within 150 m of one of them. ``organizations`` defaults to
    40% of ``services``; every organisation gets at least one service while there are enough.
    About 5% of physical locations are confidential refuges. Dates are relative to ``as_of``.
    """
    if services < 0:
        raise ValueError("services must be zero or more")
    if organizations is None:
        organizations = round(services * _ORGANIZATIONS_PER_SERVICE)
    if organizations < 0:
        raise ValueError("organizations must be zero or more")
    if services and not organizations:
        raise ValueError("services need at least one organisation")
    if not postcodes:
        raise ValueError("at least one postcode is needed to place locations")
    return _Generator(postcodes, seed=seed, as_of=as_of).run(services, organizations)
