"""Working days in England: for chasing a referral nobody has answered after so many working
days, and for counting how long an organisation took to answer.

A working day is Monday to Friday, except England and Wales bank holidays and the closure days
a council adds (the days between Christmas and New Year, say). The bank holidays are worked out
by their rules (the Banking and Financial Dealings Act 1971, Schedule 1, as GOV.UK lists them):

- New Year's Day, 1 January;
- Good Friday and Easter Monday, from Easter Sunday (the Western, Gregorian date);
- the early May bank holiday, the first Monday in May;
- the spring bank holiday, the last Monday in May;
- the summer bank holiday, the last Monday in August;
- Christmas Day and Boxing Day, 25 and 26 December;

and when one of the fixed days falls at a weekend, a substitute day: the next weekday that is
not already a bank holiday (so Christmas on a Saturday gives Monday 27th, and Boxing Day on the
Sunday Tuesday 28th). Days moved or added by royal proclamation (jubilees, a state funeral, a
coronation) cannot be worked out: they are data, with their source, in
data/bank-holiday-changes-england-and-wales.csv, which must be added to when one is proclaimed.
Those are recorded from FIRST_YEAR, and dates before it are refused rather than guessed.

Pure Python, no Django, and no configuration of its own: whoever chases referrals passes in how
many working days to wait and the council's closure days (from settings).
"""

from __future__ import annotations

import bisect
import csv
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

CHANGES_CSV = (
    Path(__file__).resolve().parent / "data" / "bank-holiday-changes-england-and-wales.csv"
)

# The changes file is complete from this year: the one-off days of earlier years (1995, 1999,
# 2002, 2011) are not recorded, so earlier dates are refused.
FIRST_YEAR = 2012

RULES = "Banking and Financial Dealings Act 1971, Schedule 1 (https://www.gov.uk/bank-holidays)"


@dataclass(frozen=True, slots=True, order=True)
class Holiday:
    """A bank holiday in England and Wales, named as GOV.UK names it."""

    day: date
    name: str
    substitute: bool = False
    source: str = RULES

    @property
    def label(self) -> str:
        return f"{self.name} (substitute day)" if self.substitute else self.name


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous algorithm, as Meeus gives it in
    Astronomical Algorithms), from which Good Friday and Easter Monday follow."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_monday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


@dataclass(frozen=True, slots=True)
class _Change:
    day: date
    name: str
    replaces: date | None
    source: str


@functools.cache
def _changes() -> dict[int, tuple[_Change, ...]]:
    by_year: dict[int, list[_Change]] = {}
    with CHANGES_CSV.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            change = _Change(
                date.fromisoformat(row["date"]),
                row["title"],
                date.fromisoformat(row["replaces"]) if row["replaces"] else None,
                row["source"],
            )
            by_year.setdefault(change.day.year, []).append(change)
    return {year: tuple(changes) for year, changes in by_year.items()}


def _check_year(year: int) -> None:
    if year < FIRST_YEAR:
        raise ValueError(
            f"Working days are known from {FIRST_YEAR}: the bank holidays moved or added before "
            f"then are not recorded, so {year} cannot be counted."
        )


@functools.cache
def bank_holidays(year: int) -> tuple[Holiday, ...]:
    """England and Wales bank holidays in `year`, in date order."""
    _check_year(year)
    easter = easter_sunday(year)
    on_weekdays = [
        Holiday(easter - timedelta(days=2), "Good Friday"),
        Holiday(easter + timedelta(days=1), "Easter Monday"),
        Holiday(_first_monday(year, 5), "Early May bank holiday"),
        Holiday(_last_monday(year, 5), "Spring bank holiday"),
        Holiday(_last_monday(year, 8), "Summer bank holiday"),
    ]
    fixed = [
        Holiday(date(year, 1, 1), "New Year’s Day"),
        Holiday(date(year, 12, 25), "Christmas Day"),
        Holiday(date(year, 12, 26), "Boxing Day"),
    ]
    # A proclamation moves a day (replaces) or adds one.
    for change in _changes().get(year, ()):
        on_weekdays = [h for h in on_weekdays if h.day != change.replaces]
        on_weekdays.append(Holiday(change.day, change.name, source=change.source))
    holidays = on_weekdays + [h for h in fixed if h.day.weekday() < 5]
    taken = {h.day for h in holidays}
    # In date order, so that Christmas takes the first free weekday before Boxing Day does.
    for weekend in sorted(h for h in fixed if h.day.weekday() >= 5):
        day = weekend.day + timedelta(days=1)
        while day.weekday() >= 5 or day in taken:
            day += timedelta(days=1)
        taken.add(day)
        holidays.append(Holiday(day, weekend.name, substitute=True))
    return tuple(sorted(holidays))


def _as_day(value: object, name: str) -> date:
    # A datetime is a date to Python, but which day it is depends on the time zone: the caller
    # decides (timezone.localdate), not this module.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a date (the day in England), not {type(value).__name__}")
    return value


def _weekdays_to(day: date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday) to `day`, inclusive."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


class WorkingDays:
    """England's working days, less a council's own closure days."""

    def __init__(self, closures: Iterable[date] = ()) -> None:
        self.closures = frozenset(_as_day(d, "A closure day") for d in closures)
        self._off: dict[int, tuple[date, ...]] = {}

    def days_off(self, year: int) -> tuple[date, ...]:
        """The weekdays in `year` that are not working days (bank holidays and closures), in
        order."""
        if year not in self._off:
            off = {h.day for h in bank_holidays(year)}
            off |= {d for d in self.closures if d.year == year and d.weekday() < 5}
            self._off[year] = tuple(sorted(off))
        return self._off[year]

    def is_working_day(self, day: date) -> bool:
        return self._is_working(_as_day(day, "The day"))

    def _is_working(self, day: date) -> bool:
        if day.weekday() >= 5:
            return False
        off = self._off.get(day.year) or self.days_off(day.year)
        return day not in off

    def between(self, start: date, end: date) -> int:
        """Working days after `start`, up to and including `end` (so a referral sent on a
        Friday and answered on the Monday took one working day); negative if `end` is before
        `start`."""
        start, end = _as_day(start, "The start"), _as_day(end, "The end")
        if end < start:
            return -self.between(end, start)
        _check_year(start.year)
        count = _weekdays_to(end) - _weekdays_to(start)
        for year in range(start.year, end.year + 1):
            off = self.days_off(year)
            count -= bisect.bisect_right(off, end) - bisect.bisect_right(off, start)
        return count

    def add(self, day: date, n: int) -> date:
        """The `n`th working day after `day`: when a referral sent on `day` is `n` working days
        old. It is `day` itself when n is 0, and always a working day otherwise."""
        day = _as_day(day, "The day")
        if n < 0:
            raise ValueError(f"The number of working days to add must be 0 or more, not {n}.")
        _check_year(day.year)
        result, left = day, n
        # Whole weeks first, each at most five working days, never reaching the last one (so
        # the result is found a day at a time, and is the first day that is n working days on).
        while left > 5:
            later = result + timedelta(weeks=(left - 1) // 5)
            left -= self.between(result, later)
            result = later
        one_day = timedelta(days=1)
        while left > 0:
            result += one_day
            if self._is_working(result):
                left -= 1
        return result


ENGLAND = WorkingDays()


def is_working_day(day: date, *, closures: Iterable[date] = ()) -> bool:
    """Whether `day` is a working day in England (and not one of the council's `closures`)."""
    return (WorkingDays(closures) if closures else ENGLAND).is_working_day(day)


def add_working_days(day: date, n: int, *, closures: Iterable[date] = ()) -> date:
    """The `n`th working day after `day` (see WorkingDays.add)."""
    return (WorkingDays(closures) if closures else ENGLAND).add(day, n)


def working_days_between(start: date, end: date, *, closures: Iterable[date] = ()) -> int:
    """Working days after `start` up to and including `end` (see WorkingDays.between)."""
    return (WorkingDays(closures) if closures else ENGLAND).between(start, end)
