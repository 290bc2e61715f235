"""Casework reports' tables as published: a count from 1 to 7 is never shown, on the page or in
the CSV, whatever the counts; nor can one be worked out from the total."""

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from thedeal.casework import reports

counts = st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=12)


def _table(values: list[int], *, fold: bool = False) -> reports.Table:
    if fold:
        counted = {n: value for n, value in enumerate(values)}
        names = {n: f"Service {n}" for n in counted}
        rows = reports._fold_small(counted, names, other="Other services", key="group")
    else:
        rows = [{"group": f"Group {n}", "referrals": value} for n, value in enumerate(values)]
    return reports.Table(
        "test",
        "Test",
        "A test table",
        [reports.Column("group", "Group", "text"), reports.Column("referrals", "Referrals")],
        reports.publish_counts(rows, label="group", counts=["referrals"]),
    )


def _shown(cells: list[list[str]]) -> list[int]:
    return [int(row[1].replace(",", "")) for row in cells if row[1] != reports.SUPPRESSED]


def _csv(table: reports.Table) -> list[list[str]]:
    out = io.StringIO()
    csv.writer(out).writerows(table.csv_rows())
    return list(csv.reader(io.StringIO(out.getvalue())))


@settings(max_examples=200, deadline=None)
@given(counts, st.booleans())
def test_no_count_from_1_to_7_is_ever_shown_on_the_page_or_in_the_csv(values, fold):
    table = _table(values, fold=fold)
    page = table.cells()
    download = _csv(table)[1:]
    for shown in (_shown(page), _shown(download)):
        assert not [n for n in shown if 1 <= n <= reports.THRESHOLD]


@settings(max_examples=200, deadline=None)
@given(counts)
def test_a_suppressed_count_cannot_be_worked_out_from_the_total(values):
    table = _table(values)
    cells = table.cells()
    *groups, total = cells
    hidden = [row for row in groups if row[1] == reports.SUPPRESSED]
    if total[1] != reports.SUPPRESSED and hidden:
        # Two or more cells hidden, together more than 7: the total minus the shown ones is a
        # sum of several, never one small count.
        assert len(hidden) >= 2
        assert int(total[1].replace(",", "")) - sum(_shown(groups)) > reports.THRESHOLD


@settings(max_examples=100, deadline=None)
@given(counts)
def test_the_csv_has_the_pages_cells_and_says_why_a_figure_is_missing(values):
    table = _table(values)
    download = _csv(table)
    assert download[0] == ["Group", "Referrals", "Notes"]
    assert [row[:-1] for row in download[1:]] == table.cells()
    for row in download[1:]:
        assert (row[1] == reports.SUPPRESSED) == row[2].startswith("suppressed")


def test_true_zeros_and_counts_of_8_are_shown():
    cells = _table([0, 8, 20]).cells()
    assert cells == [["Group 0", "0"], ["Group 1", "8"], ["Group 2", "20"], ["Total", "28"]]


def test_a_name_that_starts_like_a_formula_cannot_run_in_a_spreadsheet():
    rows = [{"group": '=HYPERLINK("x")', "referrals": 9}]
    table = reports.Table(
        "t", "T", "t",
        [reports.Column("group", "Group", "text"), reports.Column("referrals", "Referrals")],
        reports.publish_counts(rows, label="group", counts=["referrals"]),
    )  # fmt: skip
    assert _csv(table)[1][0] == '\'=HYPERLINK("x")'


def test_the_median_of_fewer_than_8_is_not_published():
    assert reports._median([(3, 7)]) is None
    assert reports._median([(1, 4), (5, 4)]) == 3
    assert reports._median([(0, 1), (2, 3), (9, 5)]) == 9
