"""Tests for thedeal.directory.demo, the synthetic demo directory: plain pytest, no Django.

The generator is checked against the HSDS 3.0 tabular format (columns, enums, links between
tables) and against what the demo has to look like (counts, ~5% confidential refuges, fresh and
stale listings, the taxonomy's categories).
"""

from __future__ import annotations

import collections
import csv
import datetime
import math
import random
import re
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from thedeal.directory import demo
from thedeal.directory.demo import generate_directory
from thedeal.geography import Postcode

Tables = dict[str, list[dict[str, object]]]

AS_OF = datetime.date(2025, 6, 1)
REPO = Path(__file__).resolve().parents[3]
OFFICIAL_CSV = REPO / "tests" / "fixtures" / "hsds-3.0-examples" / "csv"
BOROUGH_CSV = REPO / "thedeal" / "geography" / "data" / "wigan_postcodes.csv"

# The header line of each official HSDS 3.0 CSV file, copied from openreferral/specification
# (branch 3.0) examples/csv/*.csv, which tests/fixtures/hsds-3.0-examples/csv/ holds a copy of.
OFFICIAL_HEADERS = {
    "accessibility": "id,location_id,description,details,url",
    "addresses": "id,location_id,attention,address_1,address_2,city,region,state_province,"
    "postal_code,country,address_type",
    "attributes": "id,link_id,taxonomy_term_id,link_type,link_entity,value",
    "contacts": "id,organization_id,service_id,service_at_location_id,location_id,name,title,"
    "department,email",
    "cost_options": "id,service_id,valid_from,valid_to,option,currency,amount,amount_description",
    "funding": "id,organization_id,service_id,source",
    "languages": "id,service_id,location_id,phone_id,name,code,note",
    "locations": "id,location_type,url,organization_id,name,alternate_name,description,"
    "transportation,latitude,longitude,external_identifier,external_identifier_type",
    "metadata": "id,resource_id,resource_type,last_action_date,last_action_type,field_name,"
    "previous_value,replacement_value,updated_by",
    "organization_identifiers": "id,organization_id,identifier_scheme,identifier_type,identifier",
    "organizations": "id,name,alternate_name,description,email,website,tax_status,tax_id,"
    "year_incorporated,legal_status,logo,uri,parent_organization_id",
    "phones": "id,location_id,service_id,organization_id,contact_id,service_at_location_id,"
    "number,extension,type,description",
    "programs": "id,organization_id,name,alternate_name,description",
    "required_documents": "id,service_id,document,uri",
    "schedules": "id,service_id,location_id,service_at_location_id,valid_from,valid_to,dtstart,"
    "timezone,until,count,wkst,freq,interval,byday,byweekno,bymonthday,byyearday,description,"
    "opens_at,closes_at,schedule_link,attending_type,notes",
    "service_areas": "id,service_id,name,description,extent,extent_type,uri",
    "service_at_location": "id,service_id,location_id,description",
    "services": "id,organization_id,program_id,name,alternate_name,description,url,email,status,"
    "interpretation_services,application_process,fees_description,wait_time,fees,"
    "accreditations,eligibility_description,minimum_age,maximum_age,assured_date,"
    "assurer_email,licenses,alert,last_modified",
    "taxonomies": "id,name,description,uri,version",
    "taxonomy_terms": "id,code,name,description,parent_id,taxonomy,language,taxonomy_id,term_uri",
}
# Ours, on locations only (thedeal.directory.hsds.EXTENSION_COLUMNS).
EXTENSION_COLUMNS = {"locations": ("easting", "northing", "confidential")}

# Every link column and the table it points at. attributes.link_id and metadata.resource_id
# point at the table their link_entity / resource_type names.
FOREIGN_KEYS = {
    "organizations": {"parent_organization_id": "organizations"},
    "services": {"organization_id": "organizations", "program_id": "programs"},
    "locations": {"organization_id": "organizations"},
    "service_at_location": {"service_id": "services", "location_id": "locations"},
    "addresses": {"location_id": "locations"},
    "phones": {
        "location_id": "locations",
        "service_id": "services",
        "organization_id": "organizations",
        "contact_id": "contacts",
        "service_at_location_id": "service_at_location",
    },
    "schedules": {
        "service_id": "services",
        "location_id": "locations",
        "service_at_location_id": "service_at_location",
    },
    "cost_options": {"service_id": "services"},
    "languages": {"service_id": "services", "location_id": "locations", "phone_id": "phones"},
    "accessibility": {"location_id": "locations"},
    "taxonomy_terms": {"parent_id": "taxonomy_terms", "taxonomy_id": "taxonomies"},
    "attributes": {"taxonomy_term_id": "taxonomy_terms"},
    "contacts": {
        "organization_id": "organizations",
        "service_id": "services",
        "service_at_location_id": "service_at_location",
        "location_id": "locations",
    },
    "service_areas": {"service_id": "services"},
    "funding": {"organization_id": "organizations", "service_id": "services"},
    "programs": {"organization_id": "organizations"},
    "required_documents": {"service_id": "services"},
    "organization_identifiers": {"organization_id": "organizations"},
    "metadata": {},
}
ENTITY_TABLES = {
    "service": "services",
    "organization": "organizations",
    "location": "locations",
    "service_at_location": "service_at_location",
}

# The categories the demo must show (the brief's list), as the taxonomy names them.
REQUIRED_CATEGORIES = (
    "Parks and green spaces",
    "Cycle routes",
    "Leisure centres",
    "Walking and running groups",
    "Stop smoking",
    "Drug and alcohol support",
    "Mental well-being",
    "Carers",
    "Older people",
    "Family and children",
    "Volunteering",
    "Food banks and food support",
    "Debt and welfare advice",
    "Community centres",
)

# Ofcom's drama numbers, plus the Relay UK prefix for textphones.
PHONE_RE = re.compile(
    r"(18001 )?(0161 496 0\d{3}|01632 960\d{3}|07700 900\d{3}|0808 157 0\d{3}|0306 999 0\d{3})"
)
BYDAY_WEEKLY_RE = re.compile(r"(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*")
BYDAY_MONTHLY_RE = re.compile(r"-?[1-5](MO|TU|WE|TH|FR|SA|SU)(,-?[1-5](MO|TU|WE|TH|FR|SA|SU))*")


@pytest.fixture(autouse=True)
def _isolated_cache() -> Iterator[None]:
    """Replaces tests/conftest.py's Django cache fixture: nothing here touches Django."""
    yield


def fake_postcodes(count: int = 200, seed: int = 7) -> list[Postcode]:
    """Points in Wigan's bounding box, with roughly matching latitude/longitude."""
    rng = random.Random(seed)
    wards = [(f"E0501{n:04d}", name) for n, name in enumerate(("Abram", "Leigh West", "Orrell"))]
    result: dict[str, Postcode] = {}
    while len(result) < count:
        easting = rng.randint(350_000, 375_000)
        northing = rng.randint(395_000, 415_000)
        code = f"WN{rng.randint(1, 7)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}"
        ward = rng.choice(wards) if rng.random() < 0.9 else (None, None)
        result[code] = Postcode(
            postcode=code,
            easting=easting,
            northing=northing,
            latitude=round(53.4612 + (northing - 400_000) / 111_250, 6),
            longitude=round(-2.6324 + (easting - 356_000) / 66_300, 6),
            lsoa_code=f"E0100{rng.randint(6000, 6999)}",
            ward_code=ward[0],
            ward_name=ward[1],
        )
    return list(result.values())


POSTCODES = fake_postcodes()


@pytest.fixture(scope="module")
def directory() -> Tables:
    return generate_directory(POSTCODES, seed=0, as_of=AS_OF)


def ids(data: Tables, stem: str) -> set[object]:
    return {row["id"] for row in data[stem]}


# --------------------------------------------------------------------------
# Determinism and size
# --------------------------------------------------------------------------


def test_generate_directory_same_seed_gives_identical_output(directory: Tables) -> None:
    again = generate_directory(POSTCODES, seed=0, as_of=AS_OF)

    assert again == directory


def test_generate_directory_different_seed_gives_different_output(directory: Tables) -> None:
    other = generate_directory(POSTCODES, seed=1, as_of=AS_OF)

    assert ids(other, "services").isdisjoint(ids(directory, "services"))
    assert [s["name"] for s in other["services"]] != [s["name"] for s in directory["services"]]


def test_generate_directory_dates_follow_as_of() -> None:
    later = AS_OF + datetime.timedelta(days=10)

    a = generate_directory(POSTCODES, seed=3, services=100, as_of=AS_OF)
    b = generate_directory(POSTCODES, seed=3, services=100, as_of=later)

    assert [s["assured_date"] for s in b["services"]] == [
        s["assured_date"] + datetime.timedelta(days=10)  # type: ignore[operator]
        for s in a["services"]
    ]


def test_generate_directory_default_counts(directory: Tables) -> None:
    assert len(directory["services"]) == 1500
    assert len(directory["organizations"]) == 600
    providers = {s["organization_id"] for s in directory["services"]}
    assert providers == ids(directory, "organizations")  # every organisation lists something


def test_generate_directory_organizations_argument() -> None:
    data = generate_directory(POSTCODES, services=300, organizations=50, as_of=AS_OF)

    assert len(data["services"]) == 300
    assert len(data["organizations"]) == 50


@pytest.mark.parametrize(("services", "organizations"), [(0, None), (1, 1), (12, 3), (5, 40)])
def test_generate_directory_small_sizes_stay_consistent(
    services: int, organizations: int | None
) -> None:
    data = generate_directory(
        POSTCODES[:5], services=services, organizations=organizations, as_of=AS_OF
    )

    assert len(data["services"]) == services
    assert_referential_integrity(data)


@pytest.mark.parametrize(
    "kwargs",
    [{"services": -1}, {"services": 5, "organizations": 0}, {"organizations": -2}],
)
def test_generate_directory_rejects_impossible_sizes(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        generate_directory(POSTCODES, as_of=AS_OF, **kwargs)


def test_generate_directory_needs_postcodes() -> None:
    with pytest.raises(ValueError, match="postcode"):
        generate_directory([], as_of=AS_OF)


def test_generate_directory_1500_services_is_fast() -> None:
    start = time.perf_counter()
    generate_directory(POSTCODES, seed=5, as_of=AS_OF)

    # Typically about 0.2 s; the bound only catches an accidental quadratic loop.
    assert time.perf_counter() - start < 2.0


@pytest.mark.slow
def test_generate_directory_benchmark_size_works() -> None:
    start = time.perf_counter()
    data = generate_directory(POSTCODES, seed=5, services=50_000, as_of=AS_OF)

    assert len(data["services"]) == 50_000
    assert len(data["organizations"]) == 20_000
    assert time.perf_counter() - start < 60  # typically about 5 s


# --------------------------------------------------------------------------
# The HSDS tabular format
# --------------------------------------------------------------------------


def test_tables_are_the_official_csv_files(directory: Tables) -> None:
    assert set(directory) == set(OFFICIAL_HEADERS)


def test_every_row_has_exactly_the_official_columns(directory: Tables) -> None:
    for stem, rows in directory.items():
        expected = tuple(OFFICIAL_HEADERS[stem].split(",")) + EXTENSION_COLUMNS.get(stem, ())
        for row in rows:
            assert tuple(row) == expected, stem


def test_official_headers_constant_matches_the_fixture_files() -> None:
    if not OFFICIAL_CSV.exists():
        pytest.skip("no copy of the official CSV examples")
    for stem, header in OFFICIAL_HEADERS.items():
        with open(OFFICIAL_CSV / f"{stem}.csv", encoding="utf-8-sig", newline="") as f:
            assert ",".join(next(csv.reader(f))) == header, stem


def test_generator_columns_match_the_official_headers() -> None:
    assert {stem: ",".join(cols) for stem, cols in demo.HSDS_TABLE_COLUMNS.items()} == (
        OFFICIAL_HEADERS
    )
    assert demo.LOCATION_EXTENSION_COLUMNS == EXTENSION_COLUMNS["locations"]


def test_values_are_python_values_and_never_empty_strings(directory: Tables) -> None:
    allowed = (str, int, float, bool, datetime.date, datetime.time, Decimal)
    for stem, rows in directory.items():
        for row in rows:
            for column, value in row.items():
                assert value != "", (stem, column)
                assert value is None or isinstance(value, allowed), (stem, column, value)


def test_ids_are_unique_version_4_uuids(directory: Tables) -> None:
    seen: set[object] = set()
    for rows in directory.values():
        for row in rows:
            parsed = uuid.UUID(str(row["id"]))
            assert str(parsed) == row["id"]
            assert parsed.version == 4
            assert parsed.variant == uuid.RFC_4122
            assert row["id"] not in seen
            seen.add(row["id"])


def assert_referential_integrity(data: Tables) -> None:
    present = {stem: ids(data, stem) for stem in data}
    for stem, links in FOREIGN_KEYS.items():
        for column, target in links.items():
            dangling = [
                r[column]
                for r in data[stem]
                if r[column] is not None and r[column] not in present[target]
            ]
            assert not dangling, f"{stem}.{column} -> {target}: {dangling[:3]}"
    for row in data["attributes"]:
        assert row["link_id"] in present[ENTITY_TABLES[str(row["link_entity"])]]
    for row in data["metadata"]:
        assert row["resource_id"] in present[ENTITY_TABLES[str(row["resource_type"])]]


def test_every_link_points_at_an_existing_row(directory: Tables) -> None:
    assert_referential_integrity(directory)


def test_phones_contacts_and_schedules_have_one_owner(directory: Tables) -> None:
    owners = {
        "phones": (
            "location_id",
            "service_id",
            "organization_id",
            "contact_id",
            "service_at_location_id",
        ),
        "contacts": ("organization_id", "service_id", "service_at_location_id", "location_id"),
        "schedules": ("service_id", "location_id", "service_at_location_id"),
        "languages": ("service_id", "location_id", "phone_id"),
        "funding": ("organization_id", "service_id"),
    }
    for stem, columns in owners.items():
        for row in directory[stem]:
            assert sum(row[c] is not None for c in columns) == 1, (stem, row)


def test_service_at_location_pairs_are_unique(directory: Tables) -> None:
    pairs = [(r["service_id"], r["location_id"]) for r in directory["service_at_location"]]

    assert len(pairs) == len(set(pairs))


def test_required_hsds_fields_are_filled(directory: Tables) -> None:
    required = {
        "organizations": ("name", "description"),
        "services": ("name", "status", "organization_id"),
        "locations": ("location_type",),
        "addresses": (
            "address_1",
            "city",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ),
        "phones": ("number",),
        "programs": ("name", "description"),
        "taxonomies": ("name", "description"),
        "taxonomy_terms": ("name", "description", "code"),
        "organization_identifiers": ("identifier_type", "identifier"),
        "metadata": ("last_action_date", "last_action_type", "field_name", "updated_by"),
    }
    for stem, columns in required.items():
        for row in directory[stem]:
            for column in columns:
                assert row[column] is not None, (stem, column)


def test_one_program_per_organization(directory: Tables) -> None:
    owners = [p["organization_id"] for p in directory["programs"]]

    assert owners and len(owners) == len(set(owners))


def test_enumerated_fields_use_schema_values(directory: Tables) -> None:
    assert {s["status"] for s in directory["services"]} <= {
        "active",
        "inactive",
        "defunct",
        "temporarily closed",
    }
    assert {loc["location_type"] for loc in directory["locations"]} <= {
        "physical",
        "postal",
        "virtual",
    }
    assert {a["address_type"] for a in directory["addresses"]} == {"physical"}
    assert {a["country"] for a in directory["addresses"]} == {"GB"}
    assert {p["type"] for p in directory["phones"]} <= {
        "text",
        "voice",
        "fax",
        "cell",
        "video",
        "pager",
        "textphone",
    }
    assert {c["currency"] for c in directory["cost_options"]} == {"GBP"}
    for row in directory["schedules"]:
        assert row["freq"] in ("WEEKLY", "MONTHLY")
        assert row["wkst"] in (None, "MO", "TU", "WE", "TH", "FR", "SA", "SU")
        pattern = BYDAY_WEEKLY_RE if row["freq"] == "WEEKLY" else BYDAY_MONTHLY_RE
        assert pattern.fullmatch(str(row["byday"])), row["byday"]


def test_ages_are_coherent(directory: Tables) -> None:
    for service in directory["services"]:
        low, high = service["minimum_age"], service["maximum_age"]
        for age in (low, high):
            assert age is None or (isinstance(age, int) and 0 <= age <= 120)
        if low is not None and high is not None:
            assert low <= high  # type: ignore[operator]
    ages = {(s["minimum_age"], s["maximum_age"]) for s in directory["services"]}
    assert (0, 4) in ages  # under-fives
    assert any(low == 60 and high is None for low, high in ages)  # older people
    assert (18, None) in ages  # adults


def test_schedule_times_are_coherent(directory: Tables) -> None:
    for row in directory["schedules"]:
        opens, closes = row["opens_at"], row["closes_at"]
        assert (opens is None) == (closes is None)
        if opens is not None:
            assert isinstance(opens, datetime.time) and isinstance(closes, datetime.time)
            assert opens < closes
        if row["interval"] is not None:
            # iCal needs a first date to count an interval from.
            assert isinstance(row["dtstart"], datetime.date)
        if row["valid_from"] is not None and row["valid_to"] is not None:
            assert row["valid_from"] <= row["valid_to"]  # type: ignore[operator]
        assert row["description"]
    frequencies = collections.Counter((r["freq"], r["interval"]) for r in directory["schedules"])
    assert frequencies[("WEEKLY", None)] > frequencies[("MONTHLY", None)] > 0
    assert frequencies[("WEEKLY", 2)] > 0  # fortnightly


def test_costs_are_mostly_free_and_in_pounds(directory: Tables) -> None:
    charged = {c["service_id"] for c in directory["cost_options"] if c["amount"]}
    for cost in directory["cost_options"]:
        assert isinstance(cost["amount"], Decimal)
        assert cost["amount"] >= 0
    assert 0.15 < len(charged) / len(directory["services"]) < 0.45
    assert all(s["fees_description"] for s in directory["services"])


def test_every_service_has_english_and_some_have_other_languages(directory: Tables) -> None:
    english = {r["service_id"] for r in directory["languages"] if r["code"] == "en"}
    codes = {r["code"] for r in directory["languages"]}

    assert english == ids(directory, "services")
    assert {"pl", "ro", "ur", "bfi"} <= codes


def test_phone_numbers_are_unallocated_drama_numbers(directory: Tables) -> None:
    for phone in directory["phones"]:
        assert PHONE_RE.fullmatch(str(phone["number"])), phone["number"]


def test_emails_and_websites_use_reserved_domains(directory: Tables) -> None:
    for stem, columns in (
        ("organizations", ("email", "website")),
        ("services", ("email", "url", "assurer_email")),
        ("contacts", ("email",)),
        ("locations", ("url",)),
    ):
        for row in directory[stem]:
            for column in columns:
                value = row[column]
                if value is not None:
                    host = str(value).split("@")[-1].split("//")[-1].split("/")[0]
                    assert host.endswith((".example.org", ".example.com")), (stem, value)


def test_organization_identifiers_use_org_id_schemes(directory: Tables) -> None:
    by_scheme = collections.defaultdict(list)
    for row in directory["organization_identifiers"]:
        by_scheme[row["identifier_scheme"]].append(str(row["identifier"]))

    assert by_scheme["GB-LAE"] == ["WGN"]
    assert by_scheme["GB-CHC"] and all(re.fullmatch(r"1[34]\d{5}", n) for n in by_scheme["GB-CHC"])
    assert by_scheme["GB-COH"] and all(re.fullmatch(r"\d{8}", n) for n in by_scheme["GB-COH"])


# --------------------------------------------------------------------------
# Taxonomy and provenance
# --------------------------------------------------------------------------


def test_taxonomy_is_a_two_level_hierarchy(directory: Tables) -> None:
    (community,) = [t for t in directory["taxonomies"] if t["name"] == demo.DEMO_TAXONOMY_NAME]
    terms = [t for t in directory["taxonomy_terms"] if t["taxonomy_id"] == community["id"]]
    by_id = {t["id"]: t for t in terms}
    top = {t["name"] for t in terms if t["parent_id"] is None}

    assert top == {
        "Physical activity",
        "Health and well-being",
        "Money and advice",
        "Family and children",
        "Community life",
        "Volunteering",
    }
    for term in terms:
        if term["parent_id"] is not None:
            assert by_id[term["parent_id"]]["parent_id"] is None
    codes = [t["code"] for t in directory["taxonomy_terms"]]
    assert len(codes) == len(set(codes))


def test_every_service_has_one_to_three_categories(directory: Tables) -> None:
    categories = collections.Counter(
        a["link_id"] for a in directory["attributes"] if a["link_type"] == "service_category"
    )
    assert set(categories) == ids(directory, "services")
    assert set(categories.values()) <= {1, 2, 3}
    assert all(
        a["link_entity"] == "service"
        for a in directory["attributes"]
        if a["link_type"] == "service_category"
    )


def test_all_required_categories_are_used(directory: Tables) -> None:
    terms = {t["id"]: t for t in directory["taxonomy_terms"]}
    used: set[object] = set()
    for attribute in directory["attributes"]:
        if attribute["link_type"] == "service_category":
            term = terms[attribute["taxonomy_term_id"]]
            used.add(term["name"])
            if term["parent_id"]:
                used.add(terms[term["parent_id"]]["name"])

    assert set(REQUIRED_CATEGORIES) <= used


def test_every_organization_and_service_is_marked_synthetic(directory: Tables) -> None:
    (term,) = [t for t in directory["taxonomy_terms"] if t["name"] == demo.SYNTHETIC_TERM_NAME]
    tagged = {
        a["link_id"]
        for a in directory["attributes"]
        if a["taxonomy_term_id"] == term["id"] and a["link_entity"] == "organization"
    }

    assert tagged == ids(directory, "organizations")
    for stem in ("organizations", "services"):
        assert all(demo.SYNTHETIC_NOTE in str(r["description"]) for r in directory[stem])


# --------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------


def test_physical_locations_sit_near_a_given_postcode(directory: Tables) -> None:
    by_postcode = {p.postcode: p for p in POSTCODES}
    addresses = {a["location_id"]: a for a in directory["addresses"]}
    for loc in directory["locations"]:
        if loc["location_type"] != "physical":
            assert loc["latitude"] is loc["easting"] is None
            assert loc["url"]
            continue
        pc = by_postcode[str(addresses[loc["id"]]["postal_code"])]
        d_east = int(loc["easting"]) - pc.easting  # type: ignore[call-overload]
        d_north = int(loc["northing"]) - pc.northing  # type: ignore[call-overload]
        assert math.hypot(d_east, d_north) <= 150
        # Latitude and longitude moved by the same metres as the grid reference (within a few
        # metres: grid north is not quite true north).
        d_lat_m = (float(loc["latitude"]) - pc.latitude) * 111_250  # type: ignore[arg-type]
        lon_scale = 111_320 * math.cos(math.radians(pc.latitude))
        d_lon_m = (float(loc["longitude"]) - pc.longitude) * lon_scale  # type: ignore[arg-type]
        assert abs(d_lat_m - d_north) < 5
        assert abs(d_lon_m - d_east) < 5


def test_addresses_belong_to_physical_locations_in_borough_towns(directory: Tables) -> None:
    physical = {r["id"] for r in directory["locations"] if r["location_type"] == "physical"}
    towns = {t.name for t in demo._TOWNS}

    assert {a["location_id"] for a in directory["addresses"]} == physical
    assert {a["city"] for a in directory["addresses"]} <= towns
    assert len({a["city"] for a in directory["addresses"]}) >= 8
    assert all(re.match(r"\d+ |\w", str(a["address_1"])) for a in directory["addresses"])


def test_about_five_percent_of_physical_locations_are_confidential(directory: Tables) -> None:
    physical = [r for r in directory["locations"] if r["location_type"] == "physical"]
    confidential = [r for r in physical if r["confidential"]]

    assert all(isinstance(r["confidential"], bool) for r in directory["locations"])
    assert 0.035 <= len(confidential) / len(physical) <= 0.065


def test_confidential_locations_reveal_nothing_but_keep_their_service_reachable(
    directory: Tables,
) -> None:
    hidden = {r["id"] for r in directory["locations"] if r["confidential"]}
    hidden_sal = {r["id"] for r in directory["service_at_location"] if r["location_id"] in hidden}
    refuge_services = {
        r["service_id"] for r in directory["service_at_location"] if r["location_id"] in hidden
    }
    service_phones = {p["service_id"] for p in directory["phones"] if p["service_id"]}

    assert refuge_services and refuge_services <= service_phones
    # Nothing that the public feed would keep hangs off the hidden address.
    for stem in ("phones", "schedules", "contacts", "languages"):
        for row in directory[stem]:
            assert row.get("location_id") not in hidden
            assert row.get("service_at_location_id") not in hidden_sal
    # And the service itself still says when it can be reached.
    scheduled = {s["service_id"] for s in directory["schedules"] if s["service_id"]}
    assert refuge_services <= scheduled


def street_of(address_1: object) -> str:
    """ "12 Market Street" and "Gates, Market Street" are both on Market Street."""
    return re.sub(r"^(\d+ |[^,]+, )", "", str(address_1))


def refuges_at_public_addresses(data: Tables) -> list[str]:
    """Refuge addresses whose street line, or postcode and street, a public place also has."""
    hidden = {r["id"] for r in data["locations"] if r["confidential"]}
    public = [a for a in data["addresses"] if a["location_id"] not in hidden]
    lines = {a["address_1"] for a in public}
    streets = {(a["postal_code"], street_of(a["address_1"])) for a in public}
    return [
        f"{a['address_1']}, {a['postal_code']}"
        for a in data["addresses"]
        if a["location_id"] in hidden
        and (a["address_1"] in lines or (a["postal_code"], street_of(a["address_1"])) in streets)
    ]


def test_no_refuge_sits_at_a_public_places_address(directory: Tables) -> None:
    assert refuges_at_public_addresses(directory) == []


def test_refuges_streets_are_on_no_public_places_list() -> None:
    public = set(demo._GENERAL_STREETS).union(*(town.streets for town in demo._TOWNS))
    assert public.isdisjoint(demo._REFUGE_STREETS)


def test_directory_has_the_shapes_of_a_real_one(directory: Tables) -> None:
    services_per_org = collections.Counter(s["organization_id"] for s in directory["services"])
    locations_per_org = collections.Counter(
        r["organization_id"] for r in directory["locations"] if r["location_type"] == "physical"
    )
    sites = collections.Counter(r["service_id"] for r in directory["service_at_location"])
    located = set(sites)
    virtual = {r["id"] for r in directory["locations"] if r["location_type"] == "virtual"}

    assert sum(1 for n in services_per_org.values() if n >= 3) >= 30
    assert sum(1 for n in locations_per_org.values() if n >= 2) >= 10
    assert sum(1 for n in sites.values() if n >= 2) >= 30  # services at several places
    assert virtual
    assert any(r["location_id"] in virtual for r in directory["service_at_location"])
    phone_only = ids(directory, "services") - located
    assert phone_only  # helplines
    service_phones = {p["service_id"] for p in directory["phones"]}
    assert phone_only <= service_phones
    parents = [o for o in directory["organizations"] if o["parent_organization_id"]]
    assert parents  # council services, charity branches, GP practices in a network
    names = collections.Counter(s["name"] for s in directory["services"])
    assert names.most_common(1)[0][1] == 1


def test_real_wigan_places_are_listed(directory: Tables) -> None:
    names = {str(s["name"]) for s in directory["services"]}

    for place in ("Mesnes Park", "Haigh Woodland Park", "Pennington Flash Country Park"):
        assert place in names
    assert any("Leeds and Liverpool Canal" in n for n in names)


# --------------------------------------------------------------------------
# Freshness and status
# --------------------------------------------------------------------------


def test_assured_dates_spread_over_six_months_with_some_stale(directory: Tables) -> None:
    ages = []
    for service in directory["services"]:
        assured = service["assured_date"]
        assert isinstance(assured, datetime.date)
        assert service["assurer_email"]
        ages.append((AS_OF - assured).days)
        modified = service["last_modified"]
        assert isinstance(modified, datetime.datetime) and modified.tzinfo is not None
        assert assured <= modified.date() < AS_OF
    stale = sum(age > 91 for age in ages) / len(ages)

    assert min(ages) >= 1 and max(ages) <= 190
    assert 0.25 <= stale <= 0.35


def test_most_services_are_active(directory: Tables) -> None:
    statuses = collections.Counter(s["status"] for s in directory["services"])

    assert statuses["active"] / len(directory["services"]) >= 0.9
    assert statuses["inactive"] and statuses["temporarily closed"]
    for service in directory["services"]:
        if service["status"] == "temporarily closed":
            assert service["alert"]


def test_metadata_records_changes_that_match_the_services(directory: Tables) -> None:
    services = {s["id"]: s for s in directory["services"]}
    for row in directory["metadata"]:
        assert isinstance(row["last_action_date"], datetime.date)
        assert row["last_action_date"] < AS_OF
        service = services[row["resource_id"]]
        if row["field_name"] == "status":
            assert row["replacement_value"] == service["status"]
        if row["field_name"] == "name":
            assert row["replacement_value"] == service["name"]


# --------------------------------------------------------------------------
# The real borough
# --------------------------------------------------------------------------


def test_generate_directory_on_the_shipped_borough_postcodes() -> None:
    if not BOROUGH_CSV.exists():
        pytest.skip("the borough postcode file is not built yet")
    with open(BOROUGH_CSV, encoding="utf-8", newline="") as f:
        postcodes = [
            Postcode(
                postcode=r["postcode"],
                easting=int(r["easting"]),
                northing=int(r["northing"]),
                latitude=float(r["latitude"]),
                longitude=float(r["longitude"]),
                lsoa_code=r["lsoa_code"] or None,
                ward_code=r["ward_code"] or None,
                ward_name=r["ward_name"] or None,
            )
            for r in csv.DictReader(f)
        ]

    data = generate_directory(postcodes, seed=0, services=400, as_of=AS_OF)

    assert_referential_integrity(data)
    for seed in (0, 1, 2):
        # The demo borough as load_demo makes it: no refuge at a public place's address.
        borough = generate_directory(postcodes, seed=seed, as_of=AS_OF)
        assert refuges_at_public_addresses(borough) == [], seed
    assert len({a["city"] for a in data["addresses"]}) >= 12
    wards = [a for a in data["service_areas"] if str(a["name"]).endswith(" ward")]
    assert wards and all(str(a["uri"]).endswith(tuple("0123456789")) for a in wards)
