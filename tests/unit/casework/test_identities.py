"""The demo's re-identification table, drawn from a synthetic borough's residents: every
resident keeps their NHS number, date of birth and opt-out, and lives at a real postcode in
their own LSOA; the same borough gives the same names."""

import datetime
import json
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thedeal import geography
from thedeal.casework import identities

LSOAS = sorted({p.lsoa_code for p in geography.borough_postcodes() if p.lsoa_code})
NUMBERS = ["9990000018", "9990000026", "9990000034", "9990000042", "9990000050"]


def write_borough(folder: Path, rows: list[dict], *, synthetic: bool = True) -> Path:
    """A borough folder as `thedeal synthpop` writes one, with only what the table needs."""
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.table({
        "resident_id": pa.array([r["resident_id"] for r in rows], pa.int64()),
        "nhs_number": pa.array([r.get("nhs_number") for r in rows], pa.string()),
        "date_of_birth": pa.array([r.get("date_of_birth", datetime.date(1940, 1, 1)) for r in rows]),
        "sex": pa.array([r.get("sex", "female") for r in rows]),
        "lsoa_code": pa.array([r.get("lsoa_code", LSOAS[0]) for r in rows]),
        "opted_out": pa.array([r.get("opted_out", False) for r in rows]),
    })  # fmt: skip
    pq.write_table(table, folder / "residents.parquet")
    manifest = {"generator_version": "1"} if synthetic else {}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


write_borough.__test__ = False  # type: ignore[attr-defined]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(LSOAS),
            st.booleans(),
            st.sampled_from([None, *NUMBERS]),
            st.sampled_from(["female", "male"]),
        ),  # fmt: skip
        min_size=1,
        max_size=12,
    )
)
def test_every_resident_keeps_their_details_and_lives_in_their_own_lsoa(residents):
    rows = [
        {"resident_id": 10**11 + i, "lsoa_code": lsoa, "opted_out": opted_out,
         "nhs_number": number, "sex": sex}
        for i, (lsoa, opted_out, number, sex) in enumerate(residents)
    ]  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        drawn = list(identities.draw(write_borough(Path(folder), rows)))
    assert [d.resident_id for d in drawn] == [r["resident_id"] for r in rows]
    for identity, row in zip(drawn, rows, strict=True):
        assert geography.lookup_postcode(identity.postcode).lsoa_code == row["lsoa_code"]
        assert identity.nhs_number == row["nhs_number"]
        assert identity.opted_out == row["opted_out"]
        assert identity.given_name and identity.family_name
        assert identity.phone.startswith("07700 900")  # Ofcom's range for drama


def test_the_same_borough_gives_the_same_names(tmp_path):
    rows = [{"resident_id": 10**11 + i} for i in range(20)]
    folder = write_borough(tmp_path / "borough", rows)
    first = [(d.given_name, d.family_name, d.postcode) for d in identities.draw(folder)]
    assert first == [(d.given_name, d.family_name, d.postcode) for d in identities.draw(folder)]
    assert len(set(first)) > 10


def test_an_nhs_number_with_a_wrong_check_digit_is_refused_naming_the_resident(tmp_path):
    folder = write_borough(tmp_path / "borough", [{"resident_id": 123, "nhs_number": "9990000019"}])
    with pytest.raises(identities.IdentitiesError, match="resident_id 123"):
        list(identities.draw(folder))


def test_a_folder_without_residents_says_how_to_make_one(tmp_path):
    with pytest.raises(identities.IdentitiesError, match="thedeal synthpop"):
        identities.read_residents(tmp_path)


def test_a_residents_table_without_a_column_names_it(tmp_path):
    pq.write_table(
        pa.table({"resident_id": pa.array([1], pa.int64())}), tmp_path / "residents.parquet"
    )
    with pytest.raises(identities.IdentitiesError, match="no column nhs_number"):
        identities.read_residents(tmp_path)
