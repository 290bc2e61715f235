"""Wards made from LSOAs: each LSOA's best-fit ward, and ward shapes drawn by joining LSOAs.

Plain Python, no Django, no geometry library. The project ships the borough's 200 LSOA
boundaries (2011, ONS "Super Generalised Clipped", thedeal/prevention/data/wigan_lsoas.geojson,
built by scripts/build_wigan_lsoas.py) but no ward boundaries, and the 25 wards (2023
boundaries) only as the ward of each postcode (data/wigan_postcodes.csv). So:

* **Best fit, by postcodes.** Each LSOA goes to the ward that holds most of its postcodes,
  ties to the ward whose name comes first (E01006293 is split 50/50 between Atherton South &
  Lilford and Tyldesley & Mosley Common). Postcodes without a ward are not counted. This is the
  rule the `ward` column of wigan_lsoas.csv was built with; `best_fit()` works it out again
  from the postcodes and the tests check the two agree. ONS assigns small areas to wards by
  population-weighted centroids, which needs ward boundaries we do not have; postcode counts
  stand in for population.
* **Straddling.** 2011 LSOAs and 2023 wards were drawn separately: 66 of the 200 LSOAs have
  postcodes in more than one ward (`straddling()`), so a ward made of whole LSOAs is an
  approximation of the real ward, and every map drawn from these shapes must say so.
* **Ward shapes** are their LSOAs joined: neighbouring LSOAs share identical vertices, so every
  edge inside a ward appears twice, once each way, and cancels; the edges left are the ward's
  outline, chained into rings. Each of the 25 wards comes out as one ring with no holes.

Shapes are in British National Grid metres (easting, northing), converted from the file's
WGS84 with OSTN15 (thedeal.geography.wgs84_to_bng), so areas and distances are in metres.
A shape is a tuple of closed rings (first point repeated last), outer rings anticlockwise and
any holes clockwise, as GeoJSON's right-hand rule.
"""

from __future__ import annotations

import functools
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from . import borough_postcodes, wgs84_to_bng

LSOA_GEOJSON: Final = (
    Path(__file__).resolve().parent.parent / "prevention" / "data" / "wigan_lsoas.geojson"
)

Point = tuple[float, float]
Ring = tuple[Point, ...]
Shape = tuple[Ring, ...]


@dataclass(frozen=True, order=True)
class Ward:
    name: str
    code: str


@dataclass(frozen=True)
class BestFit:
    """An LSOA's best-fit ward, and how well it fits: of the LSOA's `postcodes` (those with a
    ward), `in_ward` are in it; `wards` is how many wards its postcodes fall in."""

    lsoa_code: str
    ward: Ward
    postcodes: int
    in_ward: int
    wards: int

    @property
    def share(self) -> float:
        """The share of the LSOA's postcodes in its best-fit ward (1.0 when it fits wholly)."""
        return self.in_ward / self.postcodes

    @property
    def straddles(self) -> bool:
        return self.wards > 1


@functools.cache
def best_fit() -> dict[str, BestFit]:
    """Every LSOA of the borough with its best-fit ward, by LSOA code."""
    counts: dict[str, Counter[Ward]] = defaultdict(Counter)
    for postcode in borough_postcodes():
        if postcode.lsoa_code and postcode.ward_code and postcode.ward_name:
            counts[postcode.lsoa_code][Ward(postcode.ward_name, postcode.ward_code)] += 1
    fits = {}
    for lsoa, wards in sorted(counts.items()):
        # Most postcodes first, then the ward's name: the rule of scripts/build_wigan_lsoas.py.
        ward = min(wards, key=lambda w: (-wards[w], w.name))
        fits[lsoa] = BestFit(lsoa, ward, sum(wards.values()), wards[ward], len(wards))
    return fits


def lsoa_wards() -> dict[str, Ward]:
    """LSOA code -> its best-fit ward."""
    return {code: fit.ward for code, fit in best_fit().items()}


def wards() -> dict[str, Ward]:
    """The borough's wards that have an LSOA, by ward code, in the order of their names."""
    found = sorted(set(lsoa_wards().values()))
    return {ward.code: ward for ward in found}


def straddling() -> list[BestFit]:
    """The LSOAs whose postcodes fall in more than one ward, the worst fitting first."""
    return sorted(
        (fit for fit in best_fit().values() if fit.straddles),
        key=lambda fit: (fit.share, fit.lsoa_code),
    )


@functools.cache
def _lsoa_rings() -> dict[str, tuple[tuple[Point, ...], ...]]:
    """LSOA code -> its rings as (longitude, latitude), exactly as the file has them."""
    document = json.loads(LSOA_GEOJSON.read_text(encoding="utf-8"))
    rings = {}
    for feature in document["features"]:
        geometry = feature["geometry"]
        if geometry["type"] != "Polygon":
            raise ValueError(
                f"{LSOA_GEOJSON.name}: {feature['properties']['lsoa_code']} is a "
                f"{geometry['type']}, not a Polygon"
            )
        rings[feature["properties"]["lsoa_code"]] = tuple(
            tuple((float(lon), float(lat)) for lon, lat in ring) for ring in geometry["coordinates"]
        )
    return rings


@functools.cache
def _to_grid(lon: float, lat: float) -> Point:
    return wgs84_to_bng(lat, lon)


def _project(rings) -> Shape:
    return tuple(tuple(_to_grid(lon, lat) for lon, lat in ring) for ring in rings)


@functools.cache
def lsoa_shapes() -> dict[str, Shape]:
    """LSOA code -> its shape in British National Grid metres."""
    return {code: _project(rings) for code, rings in _lsoa_rings().items()}


@functools.cache
def ward_shapes() -> dict[str, Shape]:
    """Ward code -> its shape, the union of its best-fit LSOAs, in British National Grid metres."""
    members: dict[str, list[str]] = defaultdict(list)
    for lsoa, ward in lsoa_wards().items():
        members[ward.code].append(lsoa)
    rings = _lsoa_rings()
    missing = sorted(code for codes in members.values() for code in codes if code not in rings)
    if missing:
        raise ValueError(f"{LSOA_GEOJSON.name} has no boundary for {', '.join(missing)}")
    return {
        code: _project(dissolve([ring for lsoa in lsoas for ring in rings[lsoa]]))
        for code, lsoas in sorted(members.items())
    }


def dissolve(rings) -> tuple[Ring, ...]:
    """The outline of polygons that share edges vertex for vertex: each edge that appears both
    ways (inside the union) cancels, and what is left is chained into closed rings."""
    edges: Counter[tuple[Point, Point]] = Counter()
    for ring in rings:
        points = list(ring)
        if points[0] != points[-1]:
            points.append(points[0])
        # Anticlockwise outer rings, so that a shared edge runs opposite ways in the two.
        if signed_area(points) < 0:
            points.reverse()
        for a, b in zip(points, points[1:], strict=False):
            if a != b:
                edges[a, b] += 1
    for a, b in list(edges):
        shared = min(edges[a, b], edges[b, a])
        if shared:
            edges[a, b] -= shared
            edges[b, a] -= shared
    following: dict[Point, list[Point]] = defaultdict(list)
    for (a, b), count in sorted(edges.items()):
        following[a].extend([b] * count)
    outline = []
    for start in sorted(following):
        while following[start]:
            ring = [start]
            point = following[start].pop()
            while point != start:
                ring.append(point)
                if not following[point]:
                    raise ValueError(f"the outline does not close at {point}")
                point = following[point].pop()
            ring.append(start)
            outline.append(tuple(ring))
    # Outer rings (largest first), then holes.
    return tuple(sorted(outline, key=lambda ring: -signed_area(ring)))


def signed_area(ring) -> float:
    """The shoelace area of a closed ring: positive when anticlockwise, negative when not."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        total += x1 * y2 - x2 * y1
    return total / 2


def area(shape: Shape) -> float:
    """A shape's area in square metres (holes, being clockwise, take theirs away)."""
    return sum(signed_area(ring) for ring in shape)


@dataclass(frozen=True)
class SvgMap:
    """Shapes drawn into a box `width` wide and `height` high (SVG units, y down): `paths`
    holds each shape's SVG path data, by the same keys as the shapes given."""

    width: float
    height: float
    paths: dict[str, str]

    @property
    def view_box(self) -> str:
        return f"0 0 {_number(self.width)} {_number(self.height)}"


def svg_paths(shapes: dict[str, Shape], width: float, *, margin: float = 0) -> SvgMap:
    """SVG path data for each shape, scaled together to fit `width` with `margin` on each
    side, north up (the grid's y flipped) and the grid's aspect kept, so the height follows."""
    points = [point for shape in shapes.values() for ring in shape for point in ring]
    if not points:
        raise ValueError("no shapes to draw")
    if width <= 2 * margin:
        raise ValueError(f"a width of {width} leaves no room inside margins of {margin}")
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    left, top = min(xs), max(ys)
    span = max(max(xs) - left, top - min(ys)) or 1.0
    scale = (width - 2 * margin) / (max(xs) - left or span)
    height = (top - min(ys)) * scale + 2 * margin

    def draw(ring: Ring) -> str:
        coordinates = [
            f"{_number(margin + (x - left) * scale)},{_number(margin + (top - y) * scale)}"
            for x, y in ring[:-1]
        ]
        return "M" + " L".join(coordinates) + " Z"

    paths = {key: " ".join(draw(ring) for ring in shape) for key, shape in shapes.items()}
    return SvgMap(width=width, height=round(height, 1), paths=paths)


def _number(x: float) -> str:
    """A coordinate to a tenth of a unit, without a trailing ".0"."""
    text = f"{x:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text
