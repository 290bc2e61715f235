"""Working days in England, held to GOV.UK's published lists of bank holidays.

The lists below are GOV.UK's "UK bank holidays" for England and Wales
(https://www.gov.uk/bank-holidays, and the same data as https://www.gov.uk/bank-holidays.json),
written out by hand as external truth: 2024 to 2027 as published, and the years whose days a
royal proclamation moved or added (2012, 2020, 2022, 2023), from GOV.UK's lists of those years.
"""

from datetime import date, datetime, timedelta

import pytest
from dateutil.easter import easter
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from thedeal.casework.working_days import (
    FIRST_YEAR,
    WorkingDays,
    add_working_days,
    bank_holidays,
    easter_sunday,
    is_working_day,
    working_days_between,
)

GOV_UK = {
    2012: [
        (date(2012, 1, 2), "New Year’s Day", True),
        (date(2012, 4, 6), "Good Friday", False),
        (date(2012, 4, 9), "Easter Monday", False),
        (date(2012, 5, 7), "Early May bank holiday", False),
        (date(2012, 6, 4), "Spring bank holiday", False),
        (date(2012, 6, 5), "Queen’s Diamond Jubilee", False),
        (date(2012, 8, 27), "Summer bank holiday", False),
        (date(2012, 12, 25), "Christmas Day", False),
        (date(2012, 12, 26), "Boxing Day", False),
    ],
    2020: [
        (date(2020, 1, 1), "New Year’s Day", False),
        (date(2020, 4, 10), "Good Friday", False),
        (date(2020, 4, 13), "Easter Monday", False),
        (date(2020, 5, 8), "Early May bank holiday (VE day)", False),
        (date(2020, 5, 25), "Spring bank holiday", False),
        (date(2020, 8, 31), "Summer bank holiday", False),
        (date(2020, 12, 25), "Christmas Day", False),
        (date(2020, 12, 28), "Boxing Day", True),
    ],
    2022: [
        (date(2022, 1, 3), "New Year’s Day", True),
        (date(2022, 4, 15), "Good Friday", False),
        (date(2022, 4, 18), "Easter Monday", False),
        (date(2022, 5, 2), "Early May bank holiday", False),
        (date(2022, 6, 2), "Spring bank holiday", False),
        (date(2022, 6, 3), "Platinum Jubilee bank holiday", False),
        (date(2022, 8, 29), "Summer bank holiday", False),
        (date(2022, 9, 19), "Bank Holiday for the State Funeral of Queen Elizabeth II", False),
        (date(2022, 12, 26), "Boxing Day", False),
        (date(2022, 12, 27), "Christmas Day", True),
    ],
    2023: [
        (date(2023, 1, 2), "New Year’s Day", True),
        (date(2023, 4, 7), "Good Friday", False),
        (date(2023, 4, 10), "Easter Monday", False),
        (date(2023, 5, 1), "Early May bank holiday", False),
        (date(2023, 5, 8), "Bank holiday for the coronation of King Charles III", False),
        (date(2023, 5, 29), "Spring bank holiday", False),
        (date(2023, 8, 28), "Summer bank holiday", False),
        (date(2023, 12, 25), "Christmas Day", False),
        (date(2023, 12, 26), "Boxing Day", False),
    ],
    2024: [
        (date(2024, 1, 1), "New Year’s Day", False),
        (date(2024, 3, 29), "Good Friday", False),
        (date(2024, 4, 1), "Easter Monday", False),
        (date(2024, 5, 6), "Early May bank holiday", False),
        (date(2024, 5, 27), "Spring bank holiday", False),
        (date(2024, 8, 26), "Summer bank holiday", False),
        (date(2024, 12, 25), "Christmas Day", False),
        (date(2024, 12, 26), "Boxing Day", False),
    ],
    2025: [
        (date(2025, 1, 1), "New Year’s Day", False),
        (date(2025, 4, 18), "Good Friday", False),
        (date(2025, 4, 21), "Easter Monday", False),
        (date(2025, 5, 5), "Early May bank holiday", False),
        (date(2025, 5, 26), "Spring bank holiday", False),
        (date(2025, 8, 25), "Summer bank holiday", False),
        (date(2025, 12, 25), "Christmas Day", False),
        (date(2025, 12, 26), "Boxing Day", False),
    ],
    2026: [
        (date(2026, 1, 1), "New Year’s Day", False),
        (date(2026, 4, 3), "Good Friday", False),
        (date(2026, 4, 6), "Easter Monday", False),
        (date(2026, 5, 4), "Early May bank holiday", False),
        (date(2026, 5, 25), "Spring bank holiday", False),
        (date(2026, 8, 31), "Summer bank holiday", False),
        (date(2026, 12, 25), "Christmas Day", False),
        (date(2026, 12, 28), "Boxing Day", True),
    ],
    2027: [
        (date(2027, 1, 1), "New Year’s Day", False),
        (date(2027, 3, 26), "Good Friday", False),
        (date(2027, 3, 29), "Easter Monday", False),
        (date(2027, 5, 3), "Early May bank holiday", False),
        (date(2027, 5, 31), "Spring bank holiday", False),
        (date(2027, 8, 30), "Summer bank holiday", False),
        (date(2027, 12, 27), "Christmas Day", True),
        (date(2027, 12, 28), "Boxing Day", True),
    ],
}


@pytest.mark.parametrize("year", sorted(GOV_UK))
def test_bank_holidays_are_those_gov_uk_publishes(year):
    assert [(h.day, h.name, h.substitute) for h in bank_holidays(year)] == GOV_UK[year]


def test_a_proclaimed_day_carries_its_source_and_a_rule_day_the_act():
    funeral = next(h for h in bank_holidays(2022) if h.day == date(2022, 9, 19))

    assert "royal proclamation" in funeral.source
    assert "Banking and Financial Dealings Act 1971, Schedule 1" in bank_holidays(2024)[0].source
    assert bank_holidays(2026)[-1].label == "Boxing Day (substitute day)"


def test_easter_is_the_same_date_as_dateutils_western_easter():
    # dateutil is an independent implementation (and a dependency of pandas, so installed).
    assert [easter_sunday(y) for y in range(1583, 4100)] == [easter(y) for y in range(1583, 4100)]


def test_a_referral_sent_before_christmas_is_chased_after_the_holidays():
    # Sent Thursday 24 December 2026: Friday is Christmas, Monday 28th Boxing Day's substitute.
    sent = date(2026, 12, 24)

    assert add_working_days(sent, 1) == date(2026, 12, 29)
    # 29, 30 and 31 December, then (New Year's Day is a Friday) Monday 4 and Tuesday 5 January.
    assert add_working_days(sent, 5) == date(2027, 1, 5)
    assert working_days_between(sent, date(2027, 1, 4)) == 4


def test_a_council_closure_day_is_not_a_working_day():
    # The council closes between Christmas and New Year.
    closures = [date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)]

    assert add_working_days(date(2026, 12, 24), 1, closures=closures) == date(2027, 1, 4)
    assert not is_working_day(date(2026, 12, 30), closures=closures)
    assert is_working_day(date(2026, 12, 30))


def test_counting_starts_the_day_after():
    friday, monday = date(2026, 3, 6), date(2026, 3, 9)

    assert working_days_between(friday, monday) == 1
    assert working_days_between(friday, friday) == 0
    assert working_days_between(monday, friday) == -1
    assert add_working_days(friday, 0) == friday
    # From a weekend, the first working day is Monday.
    assert add_working_days(date(2026, 3, 7), 1) == monday


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: add_working_days(date(2026, 1, 5), -1), ValueError, "0 or more, not -1"),
        (lambda: add_working_days(date(2011, 4, 28), 1), ValueError, "known from 2012"),
        (lambda: working_days_between(date(2011, 1, 1), date(2026, 1, 1)), ValueError, "2011"),
        (
            lambda: add_working_days(datetime(2026, 1, 5, 17, 30), 1),
            TypeError,
            "must be a date .*not datetime",
        ),
        (lambda: WorkingDays(["2026-12-29"]), TypeError, "A closure day must be a date"),
    ],
)
def test_what_cannot_be_counted_is_refused_saying_why(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- Properties ----------------------------------------------------------------------------

DAYS = st.dates(min_value=date(FIRST_YEAR, 1, 1), max_value=date(2060, 12, 31))
CLOSURES = st.lists(st.dates(date(FIRST_YEAR, 1, 1), date(2061, 12, 31)), max_size=30)


def _counted_one_by_one(calendar, start, end):
    """Working days in (start, end], a day at a time: the slow, obvious way."""
    return sum(
        calendar.is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1)
    )


@settings(derandomize=True, max_examples=300, deadline=None)
@given(day=DAYS, n=st.integers(0, 400), closures=CLOSURES)
def test_adding_n_working_days_then_counting_gives_n(day, n, closures):
    calendar = WorkingDays(closures)

    later = calendar.add(day, n)

    assert calendar.between(day, later) == n
    if n:
        # It is the first such day: the day before it is one working day short.
        assert calendar.between(day, later - timedelta(days=1)) == n - 1


@settings(derandomize=True, max_examples=300, deadline=None)
@given(day=DAYS, n=st.integers(1, 400), closures=CLOSURES)
def test_no_result_falls_on_a_weekend_a_bank_holiday_or_a_closure(day, n, closures):
    later = add_working_days(day, n, closures=closures)

    assert later.weekday() < 5
    assert later not in {h.day for h in bank_holidays(later.year)}
    assert later not in closures


@settings(derandomize=True, max_examples=200, deadline=None)
@given(start=DAYS, length=st.integers(-800, 800), closures=CLOSURES)
def test_counting_agrees_with_counting_one_day_at_a_time(start, length, closures):
    calendar = WorkingDays(closures)
    end = start + timedelta(days=length)
    assume(end.year >= FIRST_YEAR)

    if end >= start:
        assert calendar.between(start, end) == _counted_one_by_one(calendar, start, end)
    else:
        assert calendar.between(start, end) == -_counted_one_by_one(calendar, end, start)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(year=st.integers(FIRST_YEAR, 2200))
def test_every_years_bank_holidays_fall_on_distinct_weekdays_in_their_places(year):
    holidays = bank_holidays(year)
    by_name = {h.name: h.day for h in holidays if not h.substitute}

    assert all(h.day.weekday() < 5 and h.day.year == year for h in holidays)
    assert len({h.day for h in holidays}) == len(holidays)
    # Eight a year, more only in a year a proclamation added one.
    assert len(holidays) == 8 or year in (2012, 2022, 2023)
    assert date(year, 3, 22) <= easter_sunday(year) <= date(year, 4, 25)
    assert easter_sunday(year).weekday() == 6
    assert by_name["Good Friday"].weekday() == 4
    if year not in (2012, 2020, 2022):  # the years a rule day was moved
        for name in ("Easter Monday", "Early May bank holiday", "Spring bank holiday"):
            assert by_name[name].weekday() == 0
    # A substitute follows its weekend day within two days (Monday, or Tuesday at Christmas).
    for h in holidays:
        if h.substitute:
            fixed = {"New Year’s Day": 1, "Christmas Day": 25, "Boxing Day": 26}[h.name]
            month = 1 if h.name == "New Year’s Day" else 12
            assert 1 <= (h.day - date(year, month, fixed)).days <= 2
