"""A date in a FHIR search stands for a range as precise as it is written, and each prefix
compares against that range: checked for every instant and every precision."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thedeal.casework.fhir.search import BadSearch, date_range, parse

LONDON = ZoneInfo("Europe/London")
FORMATS = {
    "year": lambda t: f"{t:%Y}",
    "month": lambda t: f"{t:%Y-%m}",
    "day": lambda t: f"{t:%Y-%m-%d}",
    "minute": lambda t: f"{t:%Y-%m-%dT%H:%M}Z",
    "second": lambda t: f"{t:%Y-%m-%dT%H:%M:%S}Z",
    "millisecond": lambda t: f"{t:%Y-%m-%dT%H:%M:%S}.{t.microsecond // 1000:03d}Z",
}
instants = st.datetimes(
    min_value=datetime.datetime(2000, 1, 1),
    max_value=datetime.datetime(2099, 12, 30),
    timezones=st.just(datetime.UTC),
)


def matches(prefix: str, start, end, moment) -> bool:
    """What each prefix means, from FHIR's table of date comparisons."""
    return {
        "eq": start <= moment < end,
        "ge": moment >= start,
        "gt": moment >= end,
        "le": moment < end,
        "lt": moment < start,
    }[prefix]


@given(instants, st.sampled_from(sorted(FORMATS)))
def test_an_instant_lies_in_the_range_of_itself_written_at_any_precision(moment, precision):
    # Year, month and day are in UTC here: the range is read in UTC's terms to match.
    text = FORMATS[precision](moment)
    start, end = date_range(text, datetime.UTC)

    assert start <= moment < end
    assert matches("eq", start, end, moment) and matches("ge", start, end, moment)
    assert matches("le", start, end, moment)
    assert not matches("gt", start, end, moment) and not matches("lt", start, end, moment)


@given(instants, instants, st.sampled_from(sorted(FORMATS)))
def test_ranges_of_different_times_at_one_precision_never_overlap(a, b, precision):
    first, second = (
        date_range(FORMATS[precision](a), datetime.UTC),
        date_range(FORMATS[precision](b), datetime.UTC),
    )

    assert first == second or first[1] <= second[0] or second[1] <= first[0]


def test_a_time_without_a_zone_is_the_boroughs_local_time():
    start, end = date_range("2026-07-01T09:30", LONDON)

    assert start == datetime.datetime(2026, 7, 1, 8, 30, tzinfo=datetime.UTC)
    assert end - start == datetime.timedelta(minutes=1)


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-02-30", "26-01-01", "2026-01-01T25:00Z", "yesterday", ""]
)
def test_a_date_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError):
        date_range(text, LONDON)


def test_a_repeated_parameter_is_refused_by_name():
    with pytest.raises(BadSearch) as refused:
        parse({"status": ["accepted", "rejected"]}, resource_type="Task", zone=LONDON)
    assert refused.value.parameter == "status"
