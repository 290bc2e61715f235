"""The map's classes: fifths of the published values, every area shown in one, every class in
the legend, and no suppressed area in any."""

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from thedeal.insight import queries


def figures(values):
    return [
        queries.Figure(
            SimpleNamespace(code=f"E05{n:06d}", name=f"Ward {n}"),
            "2025/26",
            None,
            None,
            "Persons",
            value,
            None,
            None,
            None,
            None,
            None,
            None,
            value is None,
            "",
            1,
        )  # fmt: skip
        for n, value in enumerate(values)
    ]


@given(st.lists(st.one_of(st.none(), st.integers(0, 40).map(float)), min_size=1, max_size=60))
def test_every_published_area_has_a_class_in_the_legend_and_no_suppressed_one_has(values):
    found = figures(values)
    classes, assigned = queries.quantile_classes(found, 1)
    shown = [f for f in found if f.shown]
    assert set(assigned) == {f.area.code for f in shown}
    assert sorted(set(assigned.values())) == list(range(len(classes)))  # no class unkeyed
    assert len(classes) <= 5
    # Higher values never sit in a lower class.
    by_class = {}
    for f in shown:
        by_class.setdefault(assigned[f.area.code], []).append(f.value)
    for n in range(len(classes) - 1):
        assert max(by_class[n]) < min(by_class[n + 1])
    assert len({c.colour for c in classes}) == len(classes)


def test_twenty_five_wards_make_five_fifths_of_five():
    classes, assigned = queries.quantile_classes(figures([float(v) for v in range(25)]), 0)
    assert [c.label for c in classes] == [
        "Lowest fifth: 0 to 4",
        "Second fifth: 5 to 9",
        "Middle fifth: 10 to 14",
        "Fourth fifth: 15 to 19",
        "Highest fifth: 20 to 24",
    ]
