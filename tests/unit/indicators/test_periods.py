"""Fingertips' time period labels read into dates. The labels are written here as Fingertips'
formatter writes them (TimePeriodFormatter.cs in fingertips-open, whose tests give the cases)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thedeal.indicators.periods import (
    ACADEMIC_YEAR_STARTS,
    PeriodError,
    financial_year,
    parse_period,
)


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2006", date(2006, 1, 1), date(2006, 12, 31)),
        ("2006 - 08", date(2006, 1, 1), date(2008, 12, 31)),
        ("2019 - 21", date(2019, 1, 1), date(2021, 12, 31)),
        ("1999 - 01", date(1999, 1, 1), date(2001, 12, 31)),
        ("2006/07", date(2006, 4, 1), date(2007, 3, 31)),
        ("2006/07 - 07/08", date(2006, 4, 1), date(2008, 3, 31)),
        # Trafford's ward data from Fingertips: self-harm admissions, five financial years.
        ("2015/16 - 19/20", date(2015, 4, 1), date(2020, 3, 31)),
        ("2006 Q1", date(2006, 1, 1), date(2006, 3, 31)),
        ("2023 Q2", date(2023, 4, 1), date(2023, 6, 30)),
        ("2006/07 Q1", date(2006, 4, 1), date(2006, 6, 30)),
        ("2006/07 Q4", date(2007, 1, 1), date(2007, 3, 31)),
        ("2006/07 Q1-Q3", date(2006, 4, 1), date(2006, 12, 31)),
        ("2006/07 Q2 - 2007/08 Q1", date(2006, 7, 1), date(2007, 6, 30)),
        ("2006 Q4 - 2007 Q3", date(2006, 10, 1), date(2007, 9, 30)),
        ("Jan 2009", date(2009, 1, 1), date(2009, 1, 31)),
        ("Feb 2024", date(2024, 2, 1), date(2024, 2, 29)),
        ("Aug 2006 - Jul 2007", date(2006, 8, 1), date(2007, 7, 31)),
        ("Mar 2006 - Feb 2009", date(2006, 3, 1), date(2009, 2, 28)),
        ("Dec 2009 - Nov 2010", date(2009, 12, 1), date(2010, 11, 30)),
    ],
)
def test_each_of_fingertips_labels_gives_the_days_it_covers(label, start, end):
    period = parse_period(label)

    assert (period.start, period.end) == (start, end)
    assert period.label == label


def test_spacing_and_an_en_dash_from_a_spreadsheet_are_read_the_same():
    assert parse_period(" 2019 \u2013 21 ").sort_key == parse_period("2019 - 21").sort_key
    assert parse_period("2021/22-23/24").sort_key == parse_period("2021/22 - 23/24").sort_key


def test_an_academic_year_starts_in_september_when_the_caller_says_so():
    period = parse_period("2021/22", split_year_starts=ACADEMIC_YEAR_STARTS)

    assert (period.start, period.end) == (date(2021, 9, 1), date(2022, 8, 31))


@pytest.mark.parametrize(
    ("label", "reason"),
    [
        ("2021/23", '"2021/23" is not a year: 2021 is followed by 22'),
        ("2021/22 - 23/25", '"2023/25" is not a year'),
        ("2023 Q5", 'expected a year ("2021")'),
        ("2021 - 19", "it ends before it starts"),
        ("2021/22 Q3-Q1", "it ends before it starts"),
        ("Sept 2021", "'Sept' is not a month"),
        ("Q1 2021", "expected a year"),
        ("", "expected a year"),
        ("2021/22 provisional", "expected a year"),
    ],
)
def test_a_label_that_cannot_be_read_is_named_with_the_reason(label, reason):
    with pytest.raises(PeriodError, match="cannot read the time period") as refused:
        parse_period(label)

    assert f"{label!r}" in str(refused.value)
    assert reason in str(refused.value)


def fingertips_label(year: int, year_range: int, financial: bool) -> str:
    """Fingertips' label for a yearly period (TimePeriodFormatter.FormatYearly)."""
    if not financial:
        return str(year) if year_range == 1 else f"{year} - {str(year + year_range - 1)[2:]}"
    label = f"{year}/{str(year + 1)[2:]}"
    if year_range > 1:
        label += f" - {str(year + year_range - 1)[2:]}/{str(year + year_range)[2:]}"
    return label


@given(st.integers(1990, 2090), st.integers(1, 10), st.booleans())
def test_every_yearly_label_fingertips_writes_reads_back(year, year_range, financial):
    period = parse_period(fingertips_label(year, year_range, financial))

    assert period.start == date(year, 4 if financial else 1, 1)
    assert period.months == 12 * year_range


@given(
    st.lists(
        st.tuples(st.integers(2000, 2030), st.integers(1, 4)), min_size=2, max_size=12, unique=True
    )
)
def test_quarters_sort_as_fingertips_sortable_column_does(quarters):
    # Time period Sortable is YYYYQQMM (TimePeriod.ToSortableNumber).
    labels = [f"{year}/{str(year + 1)[2:]} Q{quarter}" for year, quarter in quarters]
    sortable = {
        label: year * 10_000 + q * 100 for label, (year, q) in zip(labels, quarters, strict=True)
    }

    by_dates = sorted(labels, key=lambda label: parse_period(label).sort_key)

    assert by_dates == sorted(labels, key=sortable.__getitem__)


def test_of_two_periods_starting_together_the_shorter_sorts_first():
    labels = ["2019 - 21", "2020", "2019", "2019 - 20"]

    assert sorted(labels, key=lambda x: parse_period(x).sort_key) == [
        "2019",
        "2019 - 20",
        "2019 - 21",
        "2020",
    ]


@given(st.integers(min_value=1900, max_value=2200))
def test_a_financial_year_is_the_period_its_label_names(year):
    made = financial_year(year)
    assert made == parse_period(made.label)
    assert (made.start, made.end) == (date(year, 4, 1), date(year + 1, 3, 31))


def test_a_financial_year_is_written_as_a_council_writes_it():
    assert financial_year(2024).label == "2024/25"
    assert financial_year(1999).label == "1999/00"
