"""HSDS import and export: the official examples, round trips, bad files, confidential places."""

import csv
import datetime
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories.directory import (
    AddressFactory,
    AttributeFactory,
    ServiceAtLocationFactory,
    refuge,
)
from thedeal.directory import exports, hsds, imports, schemas
from thedeal.directory.models import Location, Service

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).parents[2] / "fixtures" / "hsds-3.0-examples"


def empty_directory():
    for t in hsds.tables():
        t.model._default_manager.all().delete()


def read_csv_package(folder):
    result = {}
    for path in sorted(Path(folder).glob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as f:
            result[path.stem] = list(csv.DictReader(f))
    return result


def same_value(a, b):
    """Equal as HSDS values: 35 and 35.0 are one number, 10:30:45.123Z and .123000Z one time."""
    if a == b:
        return True
    for parse in (float, lambda v: datetime.datetime.fromisoformat(v.replace("Z", "+00:00"))):
        try:
            return parse(a) == parse(b)
        except (TypeError, ValueError):
            continue
    return False


def assert_contains(original, exported, where="document"):
    """Every field of the original is in the export with the same value (nested by id)."""
    if isinstance(original, dict):
        for key, value in original.items():
            assert key in exported, f"{where}.{key} was lost"
            assert_contains(value, exported[key], f"{where}.{key}")
    elif isinstance(original, list):
        by_id = {item.get("id"): item for item in exported if isinstance(item, dict)}
        for index, item in enumerate(original):
            match = by_id.get(item.get("id")) if isinstance(item, dict) else exported[index]
            assert match is not None, f"{where}[{index}] was lost"
            assert_contains(item, match, f"{where}[{index}]")
    else:
        assert same_value(original, exported), f"{where}: {original!r} became {exported!r}"


# --- The official examples ------------------------------------------------------------------
def test_official_csv_example_round_trips_without_loss(tmp_path):
    imports.import_path(EXAMPLES / "csv")
    exports.export_csv(tmp_path / "once")
    empty_directory()
    imports.import_path(tmp_path / "once")
    exports.export_csv(tmp_path / "twice")

    original = read_csv_package(EXAMPLES / "csv")
    once = read_csv_package(tmp_path / "once")
    assert read_csv_package(tmp_path / "twice") == once
    assert once.keys() == original.keys()
    for stem, rows in original.items():
        assert list(once[stem][0].keys()) == list(rows[0].keys()), f"{stem}.csv columns differ"
        for row, exported in zip(rows, once[stem], strict=True):
            for column, value in row.items():
                assert same_value(value, exported[column]), (
                    f"{stem}.csv {column}: {value!r} -> {exported[column]!r}"
                )


def test_csv_export_has_the_official_datapackage(tmp_path):
    imports.import_path(EXAMPLES / "csv")

    exports.export_csv(tmp_path)

    written = json.loads((tmp_path / "datapackage.json").read_text())
    official = json.loads((EXAMPLES / "csv" / "datapackage.json").read_text())
    assert written == official


@pytest.mark.parametrize(
    "example,kind,exported_file",
    [
        ("service_full.json", "service", "services.json"),
        ("organization_full.json", "organization", "organizations.json"),
        ("taxonomy_term.json", "taxonomy_term", "taxonomy_terms.json"),
        ("taxonomy.json", "taxonomy", "taxonomies.json"),
    ],
)
def test_official_json_examples_round_trip_without_loss(tmp_path, example, kind, exported_file):
    original = json.loads((EXAMPLES / example).read_text())
    imports.import_path(EXAMPLES / example)

    exports.export_json(tmp_path)

    exported = json.loads((tmp_path / exported_file).read_text())
    match = next(d for d in exported if d["id"] == original["id"])
    if kind == "organization":
        original = {k: v for k, v in original.items() if k != "services"}  # in services.json
    if kind == "service":
        # A service's organisation is nested briefly; the whole organisation, with its locations,
        # programs and funding, is in organizations.json.
        organization = original.pop("organization")
        organizations = json.loads((tmp_path / "organizations.json").read_text())
        assert_contains(
            organization, next(o for o in organizations if o["id"] == organization["id"])
        )
        original["organization"] = {
            k: v for k, v in organization.items() if not isinstance(v, list)
        }
    assert_contains(original, match)


def test_json_export_validates_against_the_hsds_schemas(tmp_path):
    imports.import_path(EXAMPLES)
    sal = ServiceAtLocationFactory()
    AddressFactory(location=sal.location)

    exports.export_json(tmp_path)

    services = json.loads((tmp_path / "services.json").read_text())
    organizations = json.loads((tmp_path / "organizations.json").read_text())
    assert len(services) == 2 and len(organizations) == 2
    for document in services:
        assert schemas.validate(document, "service", standard="hsds") == []
    for document in organizations:
        assert schemas.validate(document, "organization", standard="hsds") == []


def test_json_folder_of_examples_imports(tmp_path):
    report = imports.import_path(EXAMPLES)

    assert report.counts["services"] == 1
    assert any("base.json" in w and "skipped" in w for w in report.warnings)
    assert Service.objects.get().name == "Community Counselling"


# --- Bad files: a clear message, and nothing written ----------------------------------------
def copy_examples(tmp_path):
    folder = tmp_path / "csv"
    shutil.copytree(EXAMPLES / "csv", folder)
    return folder


def edit_csv(path, row, column, value):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[row][column] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    "file,column,value,message",
    [
        ("services.csv", "assured_date", "31/02/2024", "services.csv, row 2, field assured_date"),
        ("services.csv", "status", "open", "services.csv, row 2, field status: must be one of"),
        ("services.csv", "minimum_age", "twelve", "services.csv, row 2, field minimum_age"),
        ("services.csv", "name", "", "services.csv, row 2, field name"),
        ("schedules.csv", "opens_at", "half ten", "schedules.csv, row 2, field opens_at"),
        ("locations.csv", "location_type", "building", "locations.csv, row 2, field location_type"),
        ("phones.csv", "service_id", "not-a-uuid", "phones.csv, row 2, field service_id"),
    ],
)
def test_bad_csv_cell_names_file_row_and_field_and_writes_nothing(
    tmp_path, file, column, value, message
):
    ServiceAtLocationFactory()
    before = {t.stem: t.model._default_manager.count() for t in hsds.tables()}
    folder = copy_examples(tmp_path)
    edit_csv(folder / file, 0, column, value)

    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_path(folder)

    assert message in str(failure.value)
    assert {t.stem: t.model._default_manager.count() for t in hsds.tables()} == before


def test_age_range_the_wrong_way_round_is_refused(tmp_path):
    folder = copy_examples(tmp_path)
    edit_csv(folder / "services.csv", 0, "minimum_age", "50")
    edit_csv(folder / "services.csv", 0, "maximum_age", "10")

    with pytest.raises(
        imports.ImportFailed, match="services.csv, row 2, record: The minimum age cannot be above"
    ):
        imports.import_path(folder)
    assert not Service.objects.exists()


def test_malformed_json_names_the_line(tmp_path):
    path = tmp_path / "services.json"
    path.write_text('[{"id": "ac148810-d857-441c-9679-408f346de14b", "name": "A",\n  "status": }]')

    with pytest.raises(
        imports.ImportFailed, match=r"services.json, line 2, column 13: not valid JSON"
    ):
        imports.import_path(path)


def test_invalid_json_record_names_record_and_field(tmp_path):
    documents = [json.loads((EXAMPLES / "service_full.json").read_text()) for _ in range(2)]
    documents[1]["id"] = "b4e5c3a2-1111-4222-8333-444455556666"
    documents[1]["status"] = "open"
    del documents[0]["service_at_locations"][0]["location"]["location_type"]
    path = tmp_path / "services.json"
    path.write_text(json.dumps(documents))

    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_path(path)

    problems = failure.value.problems
    assert any(p.startswith("services.json, record 2, field status:") for p in problems)
    assert any(
        "record 1, field service_at_locations/0/location" in p and "location_type" in p
        for p in problems
    )
    assert not Service.objects.exists()


def test_one_bad_file_in_a_folder_stops_the_whole_folder(tmp_path):
    shutil.copy(EXAMPLES / "service_full.json", tmp_path / "services.json")
    (tmp_path / "taxonomy_terms.json").write_text('{"id": "x"}')

    with pytest.raises(imports.ImportFailed, match="taxonomy_terms.json"):
        imports.import_path(tmp_path)
    assert not Service.objects.exists()


def test_import_command_exits_non_zero_with_the_problem(tmp_path):
    (tmp_path / "services.json").write_text("{")

    with pytest.raises(CommandError, match="(?s)Nothing was imported.*services.json, line 1"):
        call_command("import_hsds", str(tmp_path / "services.json"))


def test_importing_again_updates_rather_than_duplicates(tmp_path):
    folder = copy_examples(tmp_path)
    imports.import_path(folder)
    edit_csv(folder / "services.csv", 0, "name", "Community Counselling (renamed)")

    imports.import_path(folder)

    assert Service.objects.get().name == "Community Counselling (renamed)"


# --- Confidential locations -----------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_public_export_leaves_confidential_locations_out(tmp_path, fmt):
    sal = refuge()

    call_command("export_hsds", str(tmp_path), format=fmt)

    everything = "".join(p.read_text() for p in tmp_path.iterdir())
    assert "Secret Street" not in everything
    assert str(sal.location.id) not in everything
    assert str(sal.service.id) in everything and "0800 000 111" in everything
    assert "01942 222 333" not in everything  # the refuge's line, though linked to the service
    assert "Refuge manager" not in everything and "07700 900123" not in everything
    assert str(sal.location.addresses.get().id) not in everything


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_staff_backup_keeps_confidential_locations_and_imports_back(tmp_path, fmt):
    sal = refuge()

    call_command("export_hsds", str(tmp_path), format=fmt, include_confidential=True)
    empty_directory()
    call_command("import_hsds", str(tmp_path))

    location = Location.objects.get(pk=sal.location.id)
    assert location.confidential is True
    assert location.addresses.get().address_1 == "12 Secret Street"


def test_not_a_number_coordinates_are_refused_naming_the_field(tmp_path):
    path = tmp_path / "locations.json"
    path.write_text(
        '[{"id": "3a19ff88-4620-4d17-9830-ac1d859eb5d5", "location_type": "physical", "latitude": NaN, "longitude": -2.6}]'
    )

    with pytest.raises(
        imports.ImportFailed,
        match="locations.json, record 1.*field latitude: must be a finite number",
    ):
        imports.import_path(path)


def test_renaming_an_organisation_by_import_updates_search(tmp_path):
    from tests.factories.directory import OrganizationFactory, ServiceFactory
    from thedeal.directory import search

    organisation = OrganizationFactory(name="Old Name Trust")
    ServiceFactory(organization=organisation, name="Lunch club")
    path = tmp_path / "organizations.json"
    path.write_text(
        json.dumps(
            [{"id": str(organisation.id), "name": "Zyxwvut Trust", "description": "Renamed."}]
        )
    )

    imports.import_path(path)

    assert search.count("Zyxwvut") == 1 and search.count("Old Name") == 0


def test_moving_a_category_updates_search_for_both_services():
    from tests.factories.directory import ServiceFactory, TaxonomyTermFactory
    from thedeal.directory import search

    first, second = ServiceFactory(name="First"), ServiceFactory(name="Second")
    attribute = AttributeFactory(
        link_id=first.id, taxonomy_term=TaxonomyTermFactory(name="Bereavement")
    )
    attribute.link_id = second.id
    attribute.save()

    assert search.ranked_ids("bereavement", offset=0, limit=10) == [second.id]
