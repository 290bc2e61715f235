"""The time periods of Fingertips' data downloads ("2021/22", "2019 - 21", "2023 Q2", ...), read
into the dates they cover and a key that sorts them.

Pure Python, no Django: the import of a Fingertips file uses it, and so can a notebook.

The labels are those Fingertips writes, from its formatter
(ukhsa-collaboration/fingertips-open, `PholioVisualisationWS/Formatting/TimePeriodFormatter.cs`
and its tests, `FormattingTest/TimePeriodFormatterTest.cs`), one form for each of its year types:

    2021                    a calendar year
    2019 - 21               calendar years pooled (2 or more)
    2021/22                 a financial year (April to March), or an academic one
    2021/22 - 23/24         financial years pooled, as ward data often are
    2021 Q2                 a calendar quarter (April to June)
    2022/23 Q1              a quarter of a financial year (April to June)
    2022/23 Q1-Q3           a financial year's quarters to date
    2022/23 Q2 - 2023/24 Q1 a rolling year of quarters (also "2022 Q2 - 2023 Q1")
    Jan 2023                a month
    Aug 2021 - Jul 2022     a run of months (Fingertips' August-to-July, March-to-February and
                            July-to-June years, and its rolling monthly years)

A year written "2021/22" starts in April unless the caller says otherwise (`split_year_starts=9`
for an academic year, September): the label alone cannot tell the two apart. Fingertips'
own "Time period Sortable" column (the start year, quarter and month as YYYYQQMM) sorts the
periods of one indicator, but it cannot give dates (a month's number depends on the year type),
so an import should read the label and may check the order against that column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
FULL_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
FINANCIAL_YEAR_STARTS = 4  # April
ACADEMIC_YEAR_STARTS = 9  # September
MAX_POOLED_YEARS = 20

EXPECTED = (
    'a year ("2021"), years ("2019 - 21"), a financial year ("2021/22"), financial years '
    '("2021/22 - 23/24"), a quarter ("2023 Q2", "2022/23 Q1", "2022/23 Q1-Q3"), '
    'a month ("Jan 2023") or a run of them ("Aug 2021 - Jul 2022")'
)


class PeriodError(ValueError):
    """A time period label that cannot be read. The message names the label and what was
    expected, so that an import can put it after the row and column."""

    def __init__(self, label: str, reason: str = ""):
        self.label = label
        self.reason = reason or f"expected {EXPECTED}"
        super().__init__(f"cannot read the time period {label!r}: {self.reason}")


@dataclass(frozen=True)
class Period:
    """A time period: the label as written and the first and last days it covers."""

    label: str
    start: date
    end: date  # the last day, included

    @property
    def sort_key(self) -> tuple[date, date]:
        """Earlier periods first; of two starting on the same day, the shorter first."""
        return (self.start, self.end)

    @property
    def months(self) -> int:
        """How many whole months the period covers (12 for a year, 36 for "2019 - 21")."""
        after = self.end + timedelta(days=1)
        return (after.year - self.start.year) * 12 + after.month - self.start.month


# The pieces of a label, after runs of spaces are made one and dashes made hyphens.
_YEAR = r"(\d{4})"
_SPLIT = r"(\d{4})/(\d{2})"
_QUARTER = r"Q([1-4])"
_MONTH = r"([A-Za-z]+)"
_FORMS = {
    "year": re.compile(rf"{_YEAR}"),
    "years": re.compile(rf"{_YEAR} ?- ?(\d{{2}}|\d{{4}})"),
    "split year": re.compile(rf"{_SPLIT}"),
    "split years": re.compile(rf"{_SPLIT} ?- ?(\d{{2}})/(\d{{2}})"),
    "quarter": re.compile(rf"{_YEAR} {_QUARTER}"),
    "split quarter": re.compile(rf"{_SPLIT} {_QUARTER}"),
    "quarters to date": re.compile(rf"{_SPLIT} {_QUARTER} ?- ?{_QUARTER}"),
    "quarters": re.compile(rf"{_YEAR} {_QUARTER} ?- ?{_YEAR} {_QUARTER}"),
    "split quarters": re.compile(rf"{_SPLIT} {_QUARTER} ?- ?{_SPLIT} {_QUARTER}"),
    "month": re.compile(rf"{_MONTH} {_YEAR}"),
    "months": re.compile(rf"{_MONTH} {_YEAR} ?- ?{_MONTH} {_YEAR}"),
}


def financial_year(start_year: int) -> Period:
    """The financial year starting in April of `start_year`, labelled as Fingertips and a
    council write it: financial_year(2024) is "2024/25", 1 April 2024 to 31 March 2025."""
    return Period(
        label=f"{start_year}/{(start_year + 1) % 100:02d}",
        start=date(start_year, FINANCIAL_YEAR_STARTS, 1),
        end=date(start_year + 1, FINANCIAL_YEAR_STARTS, 1) - timedelta(days=1),
    )


def parse_period(label: str, *, split_year_starts: int = FINANCIAL_YEAR_STARTS) -> Period:
    """The period a Fingertips label names. Raises PeriodError, naming the label, when it is not
    one of the forms above or names an impossible period ("2021/23", "2023 Q5", "2021 - 19")."""
    if not isinstance(label, str):
        raise PeriodError(str(label), "a time period must be text")
    if split_year_starts not in range(1, 13):
        raise ValueError(f"split_year_starts must be a month, 1 to 12, not {split_year_starts!r}")
    text = re.sub(r"\s+", " ", label.strip().replace("\u2013", "-").replace("\u2014", "-"))
    for form, pattern in _FORMS.items():
        if match := pattern.fullmatch(text):
            start, end = _READERS[form](label, match.groups(), split_year_starts)
            if end < start:
                raise PeriodError(label, "it ends before it starts")
            return Period(label=label, start=start, end=end)
    raise PeriodError(label)


def _year(label, groups, starts):
    (year,) = groups
    return date(int(year), 1, 1), _last_day(int(year), 12)


def _years(label, groups, starts):
    first, last = groups
    start = int(first)
    return date(start, 1, 1), _last_day(_full_year(start, last), 12)


def _split_year(label, groups, starts):
    year = _split(label, *groups)
    return _month_start(year, starts), _month_end(year, starts + 11)


def _split_years(label, groups, starts):
    first = _split(label, groups[0], groups[1])
    last = _split(label, str(_full_year(first, groups[2])), groups[3])
    return _month_start(first, starts), _month_end(last, starts + 11)


def _quarter(label, groups, starts):
    year, quarter = int(groups[0]), int(groups[1])
    return _quarter_span(year, quarter, 1)


def _split_quarter(label, groups, starts):
    year = _split(label, groups[0], groups[1])
    return _quarter_span(year, int(groups[2]), starts)


def _quarters_to_date(label, groups, starts):
    year = _split(label, groups[0], groups[1])
    first, last = int(groups[2]), int(groups[3])
    return _quarter_span(year, first, starts)[0], _quarter_span(year, last, starts)[1]


def _quarters(label, groups, starts):
    start = _quarter_span(int(groups[0]), int(groups[1]), 1)[0]
    end = _quarter_span(int(groups[2]), int(groups[3]), 1)[1]
    return start, end


def _split_quarters(label, groups, starts):
    first = _split(label, groups[0], groups[1])
    last = _split(label, groups[3], groups[4])
    start = _quarter_span(first, int(groups[2]), starts)[0]
    end = _quarter_span(last, int(groups[5]), starts)[1]
    return start, end


def _month(label, groups, starts):
    month, year = _month_number(label, groups[0]), int(groups[1])
    return date(year, month, 1), _last_day(year, month)


def _months(label, groups, starts):
    first, last = _month_number(label, groups[0]), _month_number(label, groups[2])
    return date(int(groups[1]), first, 1), _last_day(int(groups[3]), last)


_READERS = {
    "year": _year,
    "years": _years,
    "split year": _split_year,
    "split years": _split_years,
    "quarter": _quarter,
    "split quarter": _split_quarter,
    "quarters to date": _quarters_to_date,
    "quarters": _quarters,
    "split quarters": _split_quarters,
    "month": _month,
    "months": _months,
}


def _split(label: str, year: str, following: str) -> int:
    """The first calendar year of a year written "2021/22", checking the two go together."""
    first = int(year)
    if int(following) != (first + 1) % 100:
        raise PeriodError(
            label,
            f'"{year}/{following}" is not a year: {year} is followed by {(first + 1) % 100:02d}',
        )
    return first


def _full_year(start: int, written: str) -> int:
    """The year that "21" (or "2021") means at the end of a range starting in `start`."""
    if len(written) == 4:
        return int(written)
    year = start // 100 * 100 + int(written)
    # "1999 - 01" crosses a century; "2021 - 19" is written the wrong way round, and is left
    # ending before it starts (no pooled period is 20 years long).
    if year < start and year + 100 - start <= MAX_POOLED_YEARS:
        year += 100
    return year


def _quarter_span(year: int, quarter: int, starts: int) -> tuple[date, date]:
    first = starts + 3 * (quarter - 1)
    return _month_start(year, first), _month_end(year, first + 2)


def _month_start(year: int, month: int) -> date:
    """The first day of `month` counted from January of `year` (13 is January of the next)."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, 1)


def _month_end(year: int, month: int) -> date:
    start = _month_start(year, month)
    return _last_day(start.year, start.month)


def _last_day(year: int, month: int) -> date:
    return _month_start(year, month + 1) - timedelta(days=1)


def _month_number(label: str, name: str) -> int:
    word = name.lower()
    if word in MONTHS:
        return MONTHS.index(word) + 1
    if word in FULL_MONTHS:
        return FULL_MONTHS.index(word) + 1
    raise PeriodError(label, f"{name!r} is not a month")
