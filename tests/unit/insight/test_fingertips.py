"""Reading a Fingertips download: the real header (and fingertipsR's), every problem named by
row and column, periods read into dates, and each area's kind from its code."""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thedeal.insight import fingertips

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "fingertips"
GOOD = FIXTURES / "wigan_wards.csv"


def _rows(path: Path = GOOD) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _write(path: Path, rows: list[dict[str, str]], header=fingertips.HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(header), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _problem(path: Path) -> fingertips.FingertipsError:
    with pytest.raises(fingertips.FingertipsError) as caught:
        fingertips.parse(path)
    return caught.value


def test_the_fixture_has_fingertips_own_header_and_reads_whole():
    with GOOD.open(newline="") as f:
        assert tuple(next(csv.reader(f))) == fingertips.HEADER
    rows = fingertips.parse(GOOD)
    assert len(rows) == 135
    ward = next(r for r in rows if r.area_code == "E05014989" and r.indicator_id == 93227)
    assert ward.area_name == "Abram"
    assert ward.parent_code == "E08000010"
    assert ward.area_kind == fingertips.WARD
    assert ward.period.start == dt.date(2016, 4, 1)
    assert ward.period.end == dt.date(2021, 3, 31)
    assert ward.value == pytest.approx(98.684791)
    assert ward.lower95 < ward.value < ward.upper95
    assert ward.count == 10855 and ward.denominator == 11000


def test_fingertipsr_column_names_without_spaces_read_the_same():
    rows = fingertips.parse(FIXTURES / "wigan_wards_fingertipsr.csv")
    same = fingertips.parse(GOOD)[:12]
    assert [r.key for r in rows] == [r.key for r in same]
    assert [r.upper998 for r in rows] == [r.upper998 for r in same]


def test_an_empty_value_with_a_note_is_read_as_suppressed():
    (row,) = [r for r in fingertips.parse(GOOD) if r.value is None]
    assert row.suppressed
    assert row.value_note == "Value suppressed for disclosure control due to small count"
    assert row.count is None and row.lower95 is None


def test_every_problem_is_named_by_file_row_and_column():
    error = _problem(FIXTURES / "bad_values.csv")
    lines = str(error).splitlines()
    assert lines[0] == "bad_values.csv: 4 problems, so nothing was imported:"
    assert lines[1] == (
        'bad_values.csv, row 4 (header = row 1), column "Value": not a number ("x")'
    )
    assert lines[2].startswith('bad_values.csv, row 6 (header = row 1), column "Time period":')
    assert '("2016/18 - 20/21")' in lines[2]
    assert lines[3] == (
        'bad_values.csv, row 7 (header = row 1), column "Sex": must be Persons, Male or '
        'Female ("Both")'
    )
    assert lines[4].startswith("bad_values.csv, row 8 (header = row 1): the same indicator")
    assert "as row 3" in lines[4]


def test_a_missing_required_column_is_named():
    error = _problem(FIXTURES / "missing_denominator.csv")
    assert 'row 1 (header = row 1): no column "Denominator"' in str(error)


def test_the_list_of_problems_stops_at_twenty_and_counts_the_rest(tmp_path):
    rows = _rows()[:30]
    for row in rows:
        row["Count"] = "-1"
    error = _problem(_write(tmp_path / "negative.csv", rows))
    lines = str(error).splitlines()
    assert lines[0] == "negative.csv: 30 problems, so nothing was imported:"
    assert len(lines) == 1 + fingertips.MAX_PROBLEMS + 1
    assert lines[1] == (
        'negative.csv, row 2 (header = row 1), column "Count": must be 0 or more ("-1")'
    )
    assert lines[-1] == "and 10 more"


def test_one_indicator_with_two_names_is_refused(tmp_path):
    rows = _rows()[:3]
    rows[2]["Indicator Name"] = "Something else"
    error = _problem(_write(tmp_path / "renamed.csv", rows))
    assert 'row 4 (header = row 1), column "Indicator Name": indicator 93227 is called' in str(
        error
    )


def test_limits_the_wrong_way_round_are_refused(tmp_path):
    rows = _rows()[:1]
    rows[0]["Lower CI 95.0 limit"], rows[0]["Upper CI 95.0 limit"] = "110", "90"
    error = _problem(_write(tmp_path / "limits.csv", rows))
    assert 'column "Lower CI 95.0 limit": the lower limit is above the upper limit' in str(error)


def test_a_file_that_is_not_utf8_or_is_empty_is_refused(tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes(",".join(fingertips.HEADER).encode() + b"\n93227,Caf\xe9\n")
    assert "not UTF-8" in str(_problem(latin))
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert "the file is empty" in str(_problem(empty))
    header_only = _write(tmp_path / "header.csv", [])
    assert "a header but no rows" in str(_problem(header_only))


def test_columns_in_another_order_and_extra_columns_are_fine(tmp_path):
    header = ["Notes", *reversed(fingertips.HEADER)]
    rows = fingertips.parse(_write(tmp_path / "reordered.csv", _rows()[:5], header=header))
    assert [r.key for r in rows] == [r.key for r in fingertips.parse(GOOD)[:5]]


@pytest.mark.parametrize(
    "label, start, end",
    [
        ("2021", dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
        ("2021/22", dt.date(2021, 4, 1), dt.date(2022, 3, 31)),
        ("2019 - 21", dt.date(2019, 1, 1), dt.date(2021, 12, 31)),
        ("2021/22 - 23/24", dt.date(2021, 4, 1), dt.date(2024, 3, 31)),
        ("2022/23 Q1", dt.date(2022, 4, 1), dt.date(2022, 6, 30)),
        ("Jan 2023", dt.date(2023, 1, 1), dt.date(2023, 1, 31)),
    ],
)
def test_time_periods_are_read_into_the_dates_they_cover(tmp_path, label, start, end):
    rows = _rows()[:1]
    rows[0]["Time period"] = label
    (row,) = fingertips.parse(_write(tmp_path / "period.csv", rows))
    assert (row.period.label, row.period_start, row.period_end) == (label, start, end)


@pytest.mark.parametrize(
    "code, kind",
    [
        ("E92000001", fingertips.ENGLAND),
        ("E12000002", fingertips.REGION),
        ("E08000010", fingertips.BOROUGH),
        ("E06000008", fingertips.BOROUGH),
        ("E07000117", fingertips.BOROUGH),
        ("E09000001", fingertips.BOROUGH),
        ("E10000017", fingertips.BOROUGH),
        ("E05014989", fingertips.WARD),
        ("E02001120", fingertips.MSOA),
        ("E01006220", fingertips.LSOA),
        ("P92001", fingertips.GP_PRACTICE),
        ("p92001", fingertips.GP_PRACTICE),
        ("E38000205", fingertips.OTHER),
        ("W06000015", fingertips.OTHER),
    ],
)
def test_an_areas_kind_comes_from_its_code(code, kind):
    assert fingertips.area_kind(code) == kind


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12))
def test_any_value_cell_is_read_as_its_number_or_named_as_wrong(tmp_path, cell):
    """Whatever is typed in Value: a finite number is read as that number, a blank as no
    value, and anything else is an error naming row 2, column "Value" and what was there."""
    rows = _rows()[:1]
    rows[0]["Value"] = cell
    path = _write(tmp_path / "value.csv", rows)
    text = cell.strip()
    try:
        expected = float(text) if text else None
    except ValueError:
        expected = "error"
    if isinstance(expected, float) and not math.isfinite(expected):
        expected = "error"
    if expected == "error":
        error = _problem(path)
        assert 'value.csv, row 2 (header = row 1), column "Value":' in str(error)
    else:
        (row,) = fingertips.parse(path)
        assert row.value == expected
