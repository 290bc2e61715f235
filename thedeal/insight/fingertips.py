"""Fingertips data downloads read and checked: the rows of a CSV in the layout OHID's Fingertips
(fingertips.phe.org.uk) gives for "Download data", ready for `insight.actions` to store.

Pure Python, no Django. `parse(path)` reads the whole file and checks every row before anything
is stored; if anything is wrong it raises one `FingertipsError` listing every problem by file, row
and column, so a council fixes a file in one go, and nothing of it is loaded.

**The header.** Fingertips' own download (PHE PholioVisualisation, the test of its CSV download,
`DataControllerTest.HeaderText`) writes these columns, in this order:

    Indicator ID, Indicator Name, Parent Code, Parent Name, Area Code, Area Name, Area Type, Sex,
    Age, Category Type, Category, Time period, Value, Lower CI 95.0 limit, Upper CI 95.0 limit,
    Lower CI 99.8 limit, Upper CI 99.8 limit, Count, Denominator, Value note, Recent Trend,
    Compared to England value or percentiles, Compared to Region value or percentiles,
    Time period Sortable, New data, Compared to goal

fingertipsR (the R client) writes the same names without spaces ("IndicatorID",
"LowerCI95.0limit"); both are read, in any order and any case. REQUIRED columns must be there;
OPTIONAL ones are read when they are; the rest (trends and comparisons Fingertips worked out
against England) are ignored: the platform compares against its own benchmark.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from thedeal.indicators.periods import Period, PeriodError, parse_period

HEADER = (
    "Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name",
    "Area Type", "Sex", "Age", "Category Type", "Category", "Time period", "Value",
    "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Lower CI 99.8 limit", "Upper CI 99.8 limit",
    "Count", "Denominator", "Value note", "Recent Trend",
    "Compared to England value or percentiles", "Compared to Region value or percentiles",
    "Time period Sortable", "New data", "Compared to goal",
)  # fmt: skip
REQUIRED = (
    "Indicator ID", "Indicator Name", "Area Code", "Area Name", "Area Type", "Sex", "Age",
    "Time period", "Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count", "Denominator",
)  # fmt: skip
OPTIONAL = (
    "Parent Code", "Parent Name", "Lower CI 99.8 limit", "Upper CI 99.8 limit", "Category Type",
    "Category", "Value note", "Time period Sortable",
)  # fmt: skip

SEXES = ("Persons", "Male", "Female")
MAX_PROBLEMS = 20  # listed in full; the rest are counted

# Lengths the store keeps (insight.models); longer text is an error, not cut short.
MAX_LENGTH = {
    "Indicator Name": 300, "Area Code": 12, "Area Name": 200, "Parent Code": 12,
    "Parent Name": 200, "Age": 40, "Time period": 40, "Category Type": 100, "Category": 100,
    "Value note": 300,
}  # fmt: skip

# Area kinds, as insight.models.AreaKind names them, by the start of the area's code (ONS GSS
# codes; GP practices have ODS codes, a letter and five digits).
ENGLAND, REGION, BOROUGH, WARD, MSOA, LSOA, GP_PRACTICE, OTHER = (
    "england", "region", "borough", "ward", "msoa", "lsoa", "gp_practice", "other",
)  # fmt: skip
_PREFIX_KINDS = {
    "E92": ENGLAND, "E12": REGION, "E06": BOROUGH, "E07": BOROUGH, "E08": BOROUGH,
    "E09": BOROUGH, "E10": BOROUGH, "E05": WARD, "E02": MSOA, "E01": LSOA,
}  # fmt: skip
_GP_PRACTICE = re.compile(r"[A-Z]\d{5}")


def area_kind(code: str) -> str:
    """The kind of area a code names: "E08000010" a borough (local authority: E06 to E10),
    "E05014989" a ward, "E01006220" an LSOA, "P92001" a GP practice; otherwise "other"."""
    code = code.strip().upper()
    if _GP_PRACTICE.fullmatch(code):
        return GP_PRACTICE
    return _PREFIX_KINDS.get(code[:3], OTHER)


def _key(name: str) -> str:
    """A column name as both spellings agree on it: no spaces, lower case."""
    return re.sub(r"\s+", "", name).lower()


_KNOWN = {_key(name): name for name in HEADER}


@dataclass(frozen=True)
class Row:
    """One value of the file, checked. `line` is its row in the file (the header is row 1)."""

    line: int
    indicator_id: int
    indicator_name: str
    parent_code: str
    parent_name: str
    area_code: str
    area_name: str
    area_type: str
    sex: str
    age: str
    category_type: str
    category: str
    period: Period
    value: float | None
    lower95: float | None
    upper95: float | None
    lower998: float | None
    upper998: float | None
    count: float | None
    denominator: float | None
    value_note: str

    @property
    def area_kind(self) -> str:
        return area_kind(self.area_code)

    @property
    def key(self) -> tuple:
        """What makes a value one of a kind: indicator, area, period, sex, age and category."""
        return (
            self.indicator_id,
            self.area_code,
            self.period.label,
            self.sex,
            self.age,
            self.category_type,
            self.category,
        )

    @property
    def suppressed(self) -> bool:
        """No value given (Fingertips leaves it blank and says why in the note)."""
        return self.value is None

    @property
    def period_start(self) -> date:
        return self.period.start

    @property
    def period_end(self) -> date:
        return self.period.end


@dataclass(frozen=True)
class Problem:
    row: int | None  # 1 is the header; None for the file as a whole
    column: str | None
    message: str

    def describe(self, file_name: str) -> str:
        if self.row is None:
            return f"{file_name}: {self.message}"
        where = f"{file_name}, row {self.row} (header = row 1)"
        if self.column:
            where += f', column "{self.column}"'
        return f"{where}: {self.message}"


class FingertipsError(ValueError):
    """A file that cannot be loaded, with every problem found (the first MAX_PROBLEMS listed)."""

    def __init__(self, file_name: str, problems: list[Problem]):
        self.file_name = file_name
        self.problems = problems
        lines = [problem.describe(file_name) for problem in problems[:MAX_PROBLEMS]]
        if len(problems) > MAX_PROBLEMS:
            lines.append(f"and {len(problems) - MAX_PROBLEMS:,} more")
        found = "1 problem" if len(problems) == 1 else f"{len(problems):,} problems"
        super().__init__(f"{file_name}: {found}, so nothing was imported:\n" + "\n".join(lines))


def parse(path: Path | str) -> list[Row]:
    """Every row of a Fingertips download, checked; FingertipsError lists what is wrong."""
    path = Path(path)
    name = path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise FingertipsError(name, [Problem(None, None, f"no such file ({path})")]) from None
    except UnicodeDecodeError as error:
        raise FingertipsError(
            name,
            [Problem(None, None, f"not UTF-8 text (byte {error.start}): save it as CSV UTF-8")],
        ) from None
    except OSError as error:
        raise FingertipsError(name, [Problem(None, None, f"cannot be read ({error})")]) from None
    # newline="": a quoted cell may hold a line break, which must not end its row.
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise FingertipsError(name, [Problem(1, None, "the file is empty (no header row)")])
    columns = _columns(header)
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        listed = ", ".join(f'"{column}"' for column in missing)
        raise FingertipsError(
            name,
            [
                Problem(
                    1,
                    None,
                    f"no column {listed}: a Fingertips download has {', '.join(REQUIRED)} "
                    "(or the same names without spaces)",
                )
            ],
        )
    rows: list[Row] = []
    problems: list[Problem] = []
    seen: dict[tuple, int] = {}
    names: dict[int, tuple[str, int]] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line (Excel leaves them at the end)
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
            problems.append(
                Problem(line, None, f"{len(cells)} cells, but the header has {len(header)}")
            )
            continue
        reading = _RowReader(line, cells, columns)
        row = reading.row()
        problems += reading.problems
        if row is None:
            continue
        if (earlier := seen.get(row.key)) is not None:
            problems.append(
                Problem(
                    line,
                    None,
                    f"the same indicator, area, period, sex, age and category as row {earlier} "
                    f"({row.indicator_id}, {row.area_code}, {row.period.label}, {row.sex}, "
                    f"{row.age})",
                )
            )
            continue
        seen[row.key] = line
        first_name = names.setdefault(row.indicator_id, (row.indicator_name, line))
        if first_name[0] != row.indicator_name:
            problems.append(
                Problem(
                    line,
                    "Indicator Name",
                    f"indicator {row.indicator_id} is called {first_name[0]!r} in row "
                    f"{first_name[1]} ({row.indicator_name!r})",
                )
            )
            continue
        rows.append(row)
    if problems:
        raise FingertipsError(name, problems)
    if not rows:
        raise FingertipsError(name, [Problem(2, None, "the file has a header but no rows")])
    return rows


# A file repeats a handful of period labels over thousands of rows: each is read once.
_period = functools.lru_cache(maxsize=4096)(parse_period)


def _columns(header: list[str]) -> dict[str, int]:
    """Each known column's position, by its Fingertips name."""
    found = {}
    for position, cell in enumerate(header):
        known = _KNOWN.get(_key(cell))
        if known and known not in found:
            found[known] = position
    return found


class _RowReader:
    """One row's cells read into a Row, collecting every problem rather than stopping."""

    def __init__(self, line: int, cells: list[str], columns: dict[str, int]):
        self.line = line
        self.cells = cells
        self.columns = columns
        self.problems: list[Problem] = []

    def text(self, column: str, *, required: bool = True) -> str:
        position = self.columns.get(column)
        value = self.cells[position].strip() if position is not None and position < len(
            self.cells
        ) else ""  # fmt: skip
        if required and not value:
            self.fail(column, "empty (it must be given)", value)
        elif len(value) > MAX_LENGTH.get(column, 10_000):
            self.fail(column, f"longer than {MAX_LENGTH[column]} characters", value[:40] + "…")
        return value

    def number(self, column: str, *, at_least: float | None = None) -> float | None:
        value = self.text(column, required=False)
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            self.fail(column, "not a number", value)
            return None
        if not math.isfinite(number):
            self.fail(column, "not a finite number", value)
            return None
        if at_least is not None and number < at_least:
            self.fail(column, f"must be {at_least:g} or more", value)
            return None
        return number

    def fail(self, column: str, message: str, value: str) -> None:
        self.problems.append(Problem(self.line, column, f'{message} ("{value}")'))

    def row(self) -> Row | None:
        identifier = self.text("Indicator ID")
        indicator_id = None
        if identifier:
            if re.fullmatch(r"\d+", identifier) and int(identifier) > 0:
                indicator_id = int(identifier)
            else:
                self.fail("Indicator ID", "not a whole number above 0", identifier)
        sex = self.text("Sex")
        if sex and sex not in SEXES:
            self.fail("Sex", "must be Persons, Male or Female", sex)
        label = self.text("Time period")
        period = None
        if label:
            try:
                period = _period(label)
            except PeriodError as error:
                self.fail("Time period", error.reason, label)
        sortable = self.text("Time period Sortable", required=False)
        if sortable and not re.fullmatch(r"\d{4,8}", sortable):
            self.fail("Time period Sortable", "not a number like 20210000", sortable)
        values = {
            "value": self.number("Value"),
            "lower95": self.number("Lower CI 95.0 limit"),
            "upper95": self.number("Upper CI 95.0 limit"),
            "lower998": self.number("Lower CI 99.8 limit"),
            "upper998": self.number("Upper CI 99.8 limit"),
            "count": self.number("Count", at_least=0),
            "denominator": self.number("Denominator", at_least=0),
        }
        for lower, upper, column in (
            ("lower95", "upper95", "Lower CI 95.0 limit"),
            ("lower998", "upper998", "Lower CI 99.8 limit"),
        ):
            if None not in (values[lower], values[upper]) and values[lower] > values[upper]:
                self.fail(
                    column,
                    "the lower limit is above the upper limit",
                    f"{values[lower]:g} > {values[upper]:g}",
                )
        texts = {
            "indicator_name": self.text("Indicator Name"),
            "parent_code": self.text("Parent Code", required=False).upper(),
            "parent_name": self.text("Parent Name", required=False),
            "area_code": self.text("Area Code").upper(),
            "area_name": self.text("Area Name"),
            "area_type": self.text("Area Type"),
            "age": self.text("Age"),
            "category_type": self.text("Category Type", required=False),
            "category": self.text("Category", required=False),
            "value_note": self.text("Value note", required=False),
        }
        if self.problems or indicator_id is None or period is None:
            return None
        return Row(
            line=self.line, indicator_id=indicator_id, sex=sex, period=period, **texts, **values
        )
