"""Wards from LSOAs (thedeal.geography.wards): the best fit by postcodes, the LSOAs that
straddle a ward boundary, and ward shapes joined from their LSOAs. Plain pytest, no Django."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thedeal.geography import wards as geo
from thedeal.geography.wards import area, dissolve, signed_area, svg_paths

LSOA_CSV = Path(geo.__file__).resolve().parent.parent / "prevention" / "data" / "wigan_lsoas.csv"


def test_each_lsoa_has_the_ward_the_shipped_lsoa_file_gives_it():
    # The `ward` column was built by scripts/build_wigan_lsoas.py with the same rule: the
    # module and the file must not drift apart.
    with LSOA_CSV.open(newline="", encoding="utf-8") as f:
        shipped = {row["lsoa_code"]: row["ward"] for row in csv.DictReader(f)}

    found = {code: ward.name for code, ward in geo.lsoa_wards().items()}

    assert found == shipped
    assert len(found) == 200


def test_the_borough_has_25_wards_each_with_7_to_10_lsoas():
    members = defaultdict(int)
    for ward in geo.lsoa_wards().values():
        members[ward.code] += 1

    assert len(geo.wards()) == 25
    assert set(members) == set(geo.wards())
    assert all(code.startswith("E05") for code in geo.wards())
    assert min(members.values()) == 7
    assert max(members.values()) == 10


def test_66_lsoas_straddle_a_ward_boundary_as_the_module_says():
    straddling = geo.straddling()

    assert len(straddling) == 66
    assert re.search(r"\b66 of the 200 LSOAs\b", geo.__doc__)
    assert sum(fit.share < 0.8 for fit in straddling) == 23
    # The worst fit is the one tie, settled by the ward's name.
    worst = straddling[0]
    assert (worst.lsoa_code, worst.in_ward, worst.postcodes) == ("E01006293", 26, 52)
    assert worst.ward.name == "Atherton South & Lilford"
    assert all(fit.straddles for fit in straddling)


def test_an_lsoa_wholly_in_one_ward_fits_it_wholly():
    whole = [fit for fit in geo.best_fit().values() if not fit.straddles]

    assert len(whole) == 200 - 66
    assert all(fit.share == 1.0 and fit.wards == 1 for fit in whole)


def test_each_ward_is_one_closed_ring():
    shapes = geo.ward_shapes()

    assert set(shapes) == set(geo.wards())
    for code, shape in shapes.items():
        assert len(shape) == 1, f"{code} has {len(shape)} rings"
        (ring,) = shape
        assert ring[0] == ring[-1]
        # No vertex visited twice: the outline never touches itself.
        assert len(set(ring[:-1])) == len(ring) - 1, code
        assert signed_area(ring) > 0


def test_a_wards_area_is_the_sum_of_its_lsoas_areas():
    lsoas = geo.lsoa_shapes()
    expected = defaultdict(float)
    for lsoa, ward in geo.lsoa_wards().items():
        expected[ward.code] += area(lsoas[lsoa])

    for code, shape in geo.ward_shapes().items():
        assert area(shape) == pytest.approx(expected[code], rel=1e-9), code


def test_shapes_are_in_british_national_grid_metres():
    lsoas = geo.lsoa_shapes()
    total = sum(area(shape) for shape in lsoas.values())

    # Wigan is about 188 km² and lies around 360,000 E, 405,000 N.
    assert 170e6 < total < 200e6
    points = [point for shape in lsoas.values() for ring in shape for point in ring]
    assert all(340_000 < x < 380_000 and 390_000 < y < 420_000 for x, y in points)


def square(x, y, size=1.0, *, clockwise=False):
    ring = [(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]
    return tuple(reversed(ring)) if clockwise else tuple(ring)


def test_dissolving_cancels_the_shared_edges_whichever_way_each_ring_winds():
    # Two squares side by side (one wound clockwise) become one rectangle.
    (ring,) = dissolve([square(0, 0), square(1, 0, clockwise=True)])

    assert signed_area(ring) == 2
    assert set(ring) == {(0, 0), (1, 0), (2, 0), (2, 1), (1, 1), (0, 1)}


def test_dissolving_a_ring_of_squares_leaves_the_hole():
    # Eight squares around a missing centre: an outline and a hole wound the other way.
    squares = [square(x, y) for x in range(3) for y in range(3) if (x, y) != (1, 1)]

    outline = dissolve(squares)

    assert [signed_area(ring) for ring in outline] == [9, -1]
    assert area(outline) == 8


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, unique=True))
def test_dissolved_cells_keep_their_total_area(cells):
    outline = dissolve([square(x, y) for x, y in cells])

    assert area(outline) == len(cells)
    assert all(ring[0] == ring[-1] for ring in outline)


def test_svg_paths_fit_the_width_keep_the_aspect_and_put_north_up():
    shapes = {"tall": (square(0, 0, 100),), "east": (square(100, 50, 50),)}

    drawn = svg_paths(shapes, 300, margin=10)

    # 150 m wide into 280 units: 1 m is 1.8667 units; 100 m tall -> 186.7 units + margins.
    assert drawn.width == 300
    assert drawn.height == pytest.approx(206.7, abs=0.05)
    assert drawn.view_box == "0 0 300 206.7"
    # The tall square's south-west corner (0, 0) is at the bottom left; y grows downwards.
    assert drawn.paths["tall"].startswith("M10,196.7 L")
    assert drawn.paths["east"] == "M196.7,103.3 L290,103.3 L290,10 L196.7,10 Z"


def test_the_ward_map_is_as_wide_as_asked_and_nothing_falls_outside():
    drawn = svg_paths(geo.ward_shapes(), 640)
    numbers = [float(n) for path in drawn.paths.values() for n in re.findall(r"-?[\d.]+", path)]

    assert len(drawn.paths) == 25
    assert min(numbers) >= 0
    assert max(numbers) <= max(drawn.width, drawn.height)
    assert 400 < drawn.height < 640  # Wigan is wider than it is tall


def test_svg_paths_refuses_nothing_to_draw_or_no_room():
    with pytest.raises(ValueError, match="no shapes to draw"):
        svg_paths({}, 100)
    with pytest.raises(ValueError, match="no room inside margins"):
        svg_paths({"a": (square(0, 0),)}, 20, margin=10)
