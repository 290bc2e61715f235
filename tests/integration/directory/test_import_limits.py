"""Values an HSDS file can carry that a database cannot store: refused, naming file, record (or
row) and field, with nothing written. Most of these are stored by SQLite without complaint and
break only on PostgreSQL, so CI's PostgreSQL run is the one that matters."""

import csv
import json
import shutil
import string
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thedeal.directory import hsds, imports
from thedeal.directory.models import Location, Service

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).parents[2] / "fixtures" / "hsds-3.0-examples"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"


def counts():
    return {t.stem: t.model._default_manager.count() for t in hsds.tables()}


def write_services(tmp_path, **fields):
    path = tmp_path / "services.json"
    path.write_text(
        json.dumps([{"id": SERVICE_ID, "name": "Lunch club", "status": "active", **fields}])
    )
    return path


def edit_csv(path, column, value):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0][column] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"name": "Lunch\x00club"}, "field name: contains a NUL character"),
        ({"description": "Caf\ud800"}, "field description: contains an unpaired surrogate"),
        # Stored by PostgreSQL as a date-time in year 10000 (UTC); every later read then fails.
        ({"last_modified": "9999-12-31T23:00:00-14:00"}, "field last_modified: 9999-12-31T23:00"),
        ({"last_modified": "0001-01-01T00:00:00+14:00"}, "field last_modified: 0001-01-01T00:00"),
    ],
    ids=["NUL", "surrogate", "after year 9999 in UTC", "before year 1 in UTC"],
)
def test_a_json_value_the_database_cannot_store_is_refused(tmp_path, fields, message):
    path = write_services(tmp_path, **fields)

    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_path(path)

    assert f"services.json, record 1: service {SERVICE_ID}, {message}" in str(failure.value)
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    "file,column,value,message",
    [
        ("services.csv", "name", "Community\x00Counselling", "field name: contains a NUL"),
        ("schedules.csv", "count", "3000000000", "field count: "),
        ("locations.csv", "easting", "-3000000000", "field easting: "),
    ],
    ids=["NUL", "count beyond integer", "easting beyond integer"],
)
def test_a_csv_value_the_database_cannot_store_is_refused(tmp_path, file, column, value, message):
    folder = tmp_path / "csv"
    shutil.copytree(EXAMPLES / "csv", folder)
    edit_csv(folder / file, column, value)
    if column == "easting":
        edit_csv(folder / file, "northing", "400000")
    before = counts()

    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_path(folder)

    assert f"{file}, row 2, {message}" in str(failure.value)
    if value.lstrip("-").isdigit():  # the limit is named, on SQLite as on PostgreSQL
        assert "2147483647" in str(failure.value) or "-2147483648" in str(failure.value)
    assert counts() == before


@pytest.mark.parametrize(
    "text,message",
    [
        ('[{"id": "x", "count": ' + "1" * 5000 + "}]", "services.json: not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, "services.json: not valid JSON (nested too deeply)"),
    ],
    ids=["a 5,000-digit number", "lists nested 100,000 deep"],
)
def test_json_that_python_cannot_read_is_refused_naming_the_file(tmp_path, text, message):
    path = tmp_path / "services.json"
    path.write_text(text)

    with pytest.raises(CommandError, match="Nothing was imported") as failure:
        call_command("import_hsds", str(path))

    assert message in str(failure.value)


# --- The property: whatever a file holds, the import saves it or says why --------------------
# Text with the characters that break databases (NUL, surrogates, control characters) mixed in
# with ordinary ones; numbers from every integer column's edge, floats of every kind; dates and
# date-times at the ends of the calendar.
hostile_text = st.text(
    alphabet=st.sampled_from(list(string.printable) + ["\x00", "\ud800", "\udfff", "é", "\u2028"]),
    max_size=12,
)
hostile_number = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([2**31 - 1, 2**31, -(2**31) - 1, 2**63, 32768, -1]),
    st.floats(allow_nan=False, allow_infinity=False),
)
hostile_datetime = st.sampled_from(
    ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59Z",
     "0001-01-01T00:00:00Z", "2024-02-30T10:00:00Z", "2024-06-01T10:00:00+01:00"]
)  # fmt: skip
hostile_date = st.sampled_from(
    ["0001-01-01", "9999-12-31", "0000-01-01", "10000-01-01", "2024-13-01"]
)
hostile_value = st.one_of(hostile_text, hostile_number, hostile_datetime, hostile_date, st.none())

SERVICE_FIELDS = ["name", "description", "email", "url", "status", "minimum_age", "maximum_age",
                  "assured_date", "last_modified", "alert", "fees_description"]  # fmt: skip
LOCATION_FIELDS = ["name", "location_type", "latitude", "longitude", "external_identifier"]
SCHEDULE_FIELDS = [
    "count",
    "interval",
    "timezone",
    "valid_from",
    "until",
    "byday",
    "opens_at",
    "freq",
]


def _row(fields, values, object_id):
    return {"id": object_id, **dict(zip(fields, values, strict=True))}


@pytest.mark.slow
@settings(
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    service=st.lists(hostile_value, min_size=len(SERVICE_FIELDS), max_size=len(SERVICE_FIELDS)),
    location=st.lists(hostile_value, min_size=len(LOCATION_FIELDS), max_size=len(LOCATION_FIELDS)),
    schedule=st.lists(hostile_value, min_size=len(SCHEDULE_FIELDS), max_size=len(SCHEDULE_FIELDS)),
)
def test_any_value_in_a_file_is_imported_or_refused_by_name_never_a_database_error(
    service, location, schedule
):
    data = {
        "services": [_row(SERVICE_FIELDS, service, SERVICE_ID)],
        "locations": [_row(LOCATION_FIELDS, location, "3a19ff88-4620-4d17-9830-ac1d859eb5d5")],
        "schedules": [_row(SCHEDULE_FIELDS, schedule, "48102e86-bb50-41c4-8f1e-e269368c41d1")],
    }
    before = counts()

    try:
        imports.import_tables(data, source="hostile.json")
    except imports.ImportFailed as failure:
        # Every problem says where: the source, the table's row and the field.
        assert all(
            p.startswith("hostile.json, ") and (", field " in p or ", record:" in p)
            for p in failure.problems
        ), failure.problems
        assert counts() == before
    else:
        # What was saved can be read back, as the feed and the site will.
        assert Service.objects.filter(pk=SERVICE_ID).values().get()
        list(Location.objects.values())


def test_a_description_too_long_to_index_whole_is_imported_and_its_name_still_found(tmp_path):
    from thedeal.directory import search

    # 2 MB of distinct words: more than PostgreSQL's search index takes for one document (1 MB).
    description = " ".join(f"w{i}x" for i in range(400_000))
    path = write_services(tmp_path, name="Zyxwvut lunch club", description=description)

    imports.import_path(path)

    assert search.ranked_ids("zyxwvut", offset=0, limit=10) == [Service.objects.get().pk]


def test_a_file_that_is_not_utf8_text_says_so(tmp_path):
    path = tmp_path / "services.json"
    path.write_bytes('[{"name": "Caf\u00e9"}]'.encode("latin-1"))

    with pytest.raises(imports.ImportFailed, match="services.json: not UTF-8 text"):
        imports.import_path(path)
