"""Reading the feed's query parameters strictly: a bad value is a 400 that names the parameter.

Each endpoint declares its parameters once, as a tuple of `Parameter`s (see the end of this
module). The same tuple gives the OpenAPI document its parameters (`Parameter.schema`) and tells
`Query` what a request may carry, so the document and the feed cannot drift apart. One rule for
every endpoint and every format (JSON and NDJSON alike):

- a parameter the endpoint does not take is refused, naming it;
- a parameter given twice is refused (which of the two was meant?);
- an empty value (`taxonomy_term_id=`) is refused whatever its type: leave a parameter out to
  leave it unset;
- a value outside the declared type, pattern, minimum or maximum is refused.

The few rules that join two parameters (`proximity` needs `postcode`; `start_time` not after
`end_time`) and the one that needs the postcode directory (a postcode must exist) cannot be said
in OpenAPI: their parameters' descriptions say them instead.
"""

from __future__ import annotations

import datetime
import math
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from thedeal import geography
from thedeal.directory.queries import Filters, Near

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
# Far beyond any directory's last page, and small enough that the offset fits the database.
MAX_PAGE = 1_000_000
# Further than any borough is wide: beyond this a "proximity" search is a mistake.
MAX_PROXIMITY_M = 200_000
# Searches are a few words; a cap keeps one request from costing the server seconds.
MAX_SEARCH_WORDS = 20
MAX_SEARCH_LENGTH = 200
MAX_AGE = 150
# Longer than any real request (a 200-character search percent-encodes to at most 2,400, and the
# other parameters are short); a longer query string is answered 414 before any of it is read.
# gunicorn refuses request lines over 4,094 bytes itself, so this is the feed's own limit too.
MAX_QUERY_STRING = 4_000

# A word is what the search index sees as one (thedeal.directory.search): letters and digits.
# The pattern below says "at most MAX_SEARCH_WORDS of them", in a form OpenAPI can carry.
_WORD = re.compile(r"[^\W_]+")
SEARCH_PATTERN = rf"^[\W_]*(?:[^\W_]+(?:[\W_]+|$)){{0,{MAX_SEARCH_WORDS}}}$"

_DAYS = {
    "MO": "MO", "MON": "MO", "MONDAY": "MO",
    "TU": "TU", "TUE": "TU", "TUESDAY": "TU",
    "WE": "WE", "WED": "WE", "WEDNESDAY": "WE",
    "TH": "TH", "THU": "TH", "THURSDAY": "TH",
    "FR": "FR", "FRI": "FR", "FRIDAY": "FR",
    "SA": "SA", "SAT": "SA", "SATURDAY": "SA",
    "SU": "SU", "SUN": "SU", "SUNDAY": "SU",
}  # fmt: skip
# Every spelling accepted, in upper, lower and title case, Monday first: what the document lists.
DAY_SPELLINGS = list(
    dict.fromkeys(form for name in _DAYS for form in (name, name.title(), name.lower()))
)

_HOUR_MINUTE = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]"
# A local time as Python's time.fromisoformat reads it (09:30, 09:30:15, 09:30:15.5), and nothing
# else: no time zone, since schedules hold the borough's local times.
TIME_PATTERN = rf"^{_HOUR_MINUTE}(?::[0-5][0-9](?:\.[0-9]{{1,6}})?)?$"


def _either_case(pattern: str) -> str:
    """A regular expression's letters in both cases, for schema validators without a flag for it."""
    return re.sub(
        r"\[([^\]]*)\]|([A-Z])",
        lambda m: "[" + _both(m[1]) + "]" if m[1] is not None else f"[{m[2]}{m[2].lower()}]",
        pattern,
    )


def _both(members: str) -> str:
    # "A-PR-UWYZ" -> "A-PR-UWYZa-pr-uwyz": a character class with its lower-case letters added.
    return members + members.lower() if any(c.isalpha() for c in members) else members


# A well-formed UK postcode (geography's rules), in any case and with any spacing.
POSTCODE_PATTERN = (
    r"^\s*(?:(?:"
    + _either_case(geography._OUTWARD)
    + r")\s*"
    + _either_case(geography._INWARD)
    + r"|[Gg]\s*[Ii]\s*[Rr]\s*0\s*[Aa]\s*[Aa])\s*$"
)


class ParameterError(ValueError):
    """A query parameter the feed refuses: a 400 naming it (or, for a rule between two, both)."""

    def __init__(self, parameter: str | Sequence[str], message: str) -> None:
        self.parameters = [parameter] if isinstance(parameter, str) else list(parameter)
        self.parameter = self.parameters[0]
        self.message = message
        super().__init__(f"{' and '.join(self.parameters)}: {message}")


@dataclass(frozen=True)
class Parameter:
    """One query parameter of the feed: its name, its OpenAPI schema and what it means."""

    name: str
    schema: dict[str, Any]
    description: str
    example: str | None = None


@dataclass(frozen=True)
class Paging:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def envelope(self, total: int, contents: list[dict]) -> dict:  # type: ignore[type-arg]
        """The ORUK page envelope around one page of results."""
        total_pages = max(1, math.ceil(total / self.per_page))
        return {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": self.page,
            "size": self.per_page,
            "first_page": self.page == 1,
            "last_page": self.page >= total_pages,
            "empty": not contents,
            "contents": contents,
        }


class Query:
    """The query string of one request, checked against the endpoint's parameters at once and
    each value read (and checked) on demand."""

    def __init__(self, data: QueryDict, parameters: Sequence[Parameter], *, endpoint: str) -> None:
        self.data = data
        allowed = {p.name for p in parameters}
        unknown = [name for name in data if name not in allowed]
        if unknown:
            takes = ", ".join(p.name for p in parameters) or "no parameters"
            hint = ""
            if {"postcode", "proximity"} & set(unknown) and endpoint == "/services":
                # Distance is a property of a place, so it is searched where places are.
                hint = " To search near a postcode, use /service_at_locations."
            raise ParameterError(
                unknown,
                f"not a parameter of {endpoint}, which takes {takes}.{hint}",
            )
        for name in data:
            if len(data.getlist(name)) > 1:
                raise ParameterError(name, "given more than once: give it once")
            if data[name] == "":
                raise ParameterError(name, "is empty: give a value, or leave the parameter out")

    def _raw(self, name: str) -> str | None:
        return self.data.get(name)

    def search(self) -> str | None:
        value = self._raw("search")
        if value is not None and (
            len(value) > MAX_SEARCH_LENGTH or len(_WORD.findall(value)) > MAX_SEARCH_WORDS
        ):
            raise ParameterError(
                "search",
                f"must be at most {MAX_SEARCH_WORDS} words and {MAX_SEARCH_LENGTH} characters",
            )
        return value

    def flag(self, name: str) -> bool:
        value = self._raw(name)
        if value is None or value == "false":
            return False
        if value == "true":
            return True
        raise ParameterError(name, f"must be true or false, not {value[:40]!r}")

    def integer(self, name: str, default: int, *, minimum: int, maximum: int) -> int:
        value = self._raw(name)
        if value is None:
            return default
        digits = value.removeprefix("-")
        # ASCII digits only (int() also takes "1_000", "+1", " 1" and other scripts' digits), and
        # few enough that converting them is instant (Python refuses strings over 4,300 digits).
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 12:
            raise ParameterError(name, f"must be a whole number, not {value[:40]!r}")
        number = int(value)
        if not minimum <= number <= maximum:
            raise ParameterError(name, f"must be from {minimum:,} to {maximum:,}, not {number:,}")
        return number

    def number(self, name: str, *, minimum: float, maximum: float) -> float | None:
        value = self._raw(name)
        if value is None:
            return None
        # Decimal notation only, as JSON writes numbers: float() would also take " 1", "1_0",
        # "inf" and other scripts' digits.
        if not _NUMBER.fullmatch(value):
            raise ParameterError(name, f"must be a number, not {value[:40]!r}")
        number = float(value)
        if not (math.isfinite(number) and minimum <= number <= maximum):
            raise ParameterError(name, f"must be a number from {minimum:g} to {maximum:g}")
        return number

    def uuid(self, name: str) -> uuid.UUID | None:
        value = self._raw(name)
        if value is None:
            return None
        if not _UUID.fullmatch(value):
            raise ParameterError(name, f"must be a UUID, not {value[:40]!r}")
        return uuid.UUID(value)

    def moment(self, name: str) -> datetime.datetime | None:
        value = self._raw(name)
        if value is None:
            return None
        moment = None
        try:
            if _DATE_TIME.fullmatch(value):
                moment = parse_datetime(value.upper())
            elif _DATE.fullmatch(value) and (day := parse_date(value)) is not None:
                moment = datetime.datetime.combine(day, datetime.time())
        except ValueError:
            moment = None
        if moment is None:
            raise ParameterError(
                name,
                f"must be a date (2024-05-31) or an RFC 3339 date-time (2024-05-31T09:00:00Z), "
                f"not {value[:40]!r}",
            )
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.UTC)
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise ParameterError(name, f"{value!r} is outside the range of dates") from None

    def time(self, name: str) -> datetime.time | None:
        value = self._raw(name)
        if value is None:
            return None
        if not re.fullmatch(TIME_PATTERN, value):
            # Opening times are local to the borough, as schedules hold them: no time zone.
            raise ParameterError(
                name, f"must be a local time such as 09:30, without a time zone, not {value[:40]!r}"
            )
        return datetime.time.fromisoformat(value)

    def day(self, name: str) -> str | None:
        value = self._raw(name)
        if value is None:
            return None
        if value not in DAY_SPELLINGS:
            raise ParameterError(name, f"must be a day such as MO or Monday, not {value[:40]!r}")
        return _DAYS[value.upper()]

    def paging(self) -> Paging:
        return Paging(
            page=self.integer("page", 1, minimum=1, maximum=MAX_PAGE),
            per_page=self.integer("per_page", DEFAULT_PER_PAGE, minimum=1, maximum=MAX_PER_PAGE),
        )

    def paged(self) -> bool:
        """Whether the request asks for a page (NDJSON without one streams every result)."""
        return "page" in self.data or "per_page" in self.data

    def output_format(self) -> str:
        value = self._raw("format") or "json"
        if value not in ("json", "ndjson"):
            raise ParameterError("format", f"must be json or ndjson, not {value[:40]!r}")
        return value

    def filters(self, *, proximity: bool = False) -> Filters:
        near = self.near() if proximity else None
        start_time = self.time("start_time")
        end_time = self.time("end_time")
        if start_time is not None and end_time is not None and start_time > end_time:
            raise ParameterError(
                ("start_time", "end_time"),
                f"start_time {start_time:%H:%M} is after end_time {end_time:%H:%M}: "
                "no schedule opens after it closes",
            )
        return Filters(
            search=self.search(),
            taxonomy_term_id=self.uuid("taxonomy_term_id"),
            taxonomy_id=self.uuid("taxonomy_id"),
            organization_id=self.uuid("organization_id"),
            modified_after=self.moment("modified_after"),
            minimum_age=self.number("minimum_age", minimum=0, maximum=MAX_AGE),
            maximum_age=self.number("maximum_age", minimum=0, maximum=MAX_AGE),
            day=self.day("day"),
            start_time=start_time,
            end_time=end_time,
            near=near,
        )

    def near(self) -> Near | None:
        postcode = self._raw("postcode")
        within = self.number("proximity", minimum=0, maximum=MAX_PROXIMITY_M)
        if postcode is None:
            if within is not None:
                raise ParameterError("proximity", "needs a postcode to measure from")
            return None
        try:
            found = geography.lookup_postcode(postcode)
        except geography.InvalidPostcode:
            raise ParameterError("postcode", f"{postcode[:40]!r} is not a UK postcode") from None
        if found is None:
            raise ParameterError("postcode", f"{postcode!r} is not a postcode we know")
        return Near(easting=found.easting, northing=found.northing, within_m=within)


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# Decimal notation only, as JSON writes numbers: float() would also take " 1", "1_0", "inf" and
# other scripts' digits.
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]{0,20})(?:\.[0-9]{1,20})?(?:[eE][-+]?[0-9]{1,3})?")
# RFC 3339's date-time (the OpenAPI "date-time" format: its time zone is required), and a plain
# date beside it, read as midnight UTC.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,12})?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})"
)


# --- The parameters, declared once --------------------------------------------------------------
def _uuid(name: str, description: str) -> Parameter:
    return Parameter(name, {"type": "string", "format": "uuid"}, description)


def _flag(name: str, description: str) -> Parameter:
    return Parameter(name, {"type": "boolean"}, f"{description} true or false.")


SEARCH = Parameter(
    "search",
    {"type": "string", "minLength": 1, "maxLength": MAX_SEARCH_LENGTH, "pattern": SEARCH_PATTERN},
    f"Words to find, ranked by relevance; case and word forms do not matter, and the "
    f"directory's synonyms count (loneliness also finds befriending), as on its site. At most "
    f"{MAX_SEARCH_WORDS} words (letters and digits) and {MAX_SEARCH_LENGTH} characters.",
    example="walking group",
)
PAGE = Parameter(
    "page",
    {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
    f"Page number, from 1 to {MAX_PAGE:,}. With format=ndjson too: that page, one result a line.",
)
PER_PAGE = Parameter(
    "per_page",
    {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
    f"Results per page, from 1 to {MAX_PER_PAGE} ({DEFAULT_PER_PAGE} unless given); larger "
    "values are refused, not cut down. With format=ndjson too.",
)
FORMAT = Parameter(
    "format",
    {"type": "string", "enum": ["json", "ndjson"], "default": "json"},
    "json (the default), or ndjson: one result a line. NDJSON without page or per_page streams "
    "every result, as ORUK asks; with either, it is that page, as in JSON.",
)
TAXONOMY_TERM_ID = _uuid("taxonomy_term_id", "Services classified with this taxonomy term.")
TAXONOMY_ID = _uuid("taxonomy_id", "Services with any term from this taxonomy.")
ORGANIZATION_ID = _uuid("organization_id", "Services this organization provides.")
MODIFIED_AFTER = Parameter(
    "modified_after",
    {"type": "string", "anyOf": [{"format": "date-time"}, {"format": "date"}]},
    "Services changed on or after this date (2024-05-31) or RFC 3339 date-time "
    "(2024-05-31T09:00:00Z, with its time zone; a date is from midnight UTC).",
)
MINIMUM_AGE = Parameter(
    "minimum_age",
    {"type": "number", "minimum": 0, "maximum": MAX_AGE},
    "Services whose minimum age is at least this (UK profile).",
)
MAXIMUM_AGE = Parameter(
    "maximum_age",
    {"type": "number", "minimum": 0, "maximum": MAX_AGE},
    "Services whose maximum age is at most this (UK profile).",
)
DAY = Parameter(
    "day",
    {"type": "string", "enum": DAY_SPELLINGS},
    "Services with a schedule on this day: MO, TU, ... or Mon, ... or Monday, ... (UK profile).",
)
START_TIME = Parameter(
    "start_time",
    {"type": "string", "pattern": TIME_PATTERN},
    "Services with a schedule opening at or after this local time, such as 09:30 (UK profile). "
    "A time zone is refused: schedules hold the borough's local times. Refused if after "
    "end_time: no schedule opens after it closes.",
    example="09:00",
)
END_TIME = Parameter(
    "end_time",
    {"type": "string", "pattern": TIME_PATTERN},
    "Services with a schedule closing at or before this local time, such as 17:00 (UK profile). "
    "A time zone is refused. Refused if before start_time.",
    example="17:00",
)
FULL = _flag("full", "Fully nested documents in the list:")
MINIMAL = _flag("minimal", "Only each service's id, name, status and last_modified:")
POSTCODE = Parameter(
    "postcode",
    {"type": "string", "maxLength": 32, "pattern": POSTCODE_PATTERN},
    "A UK postcode (any case and spacing): results nearest its centroid first. Refused if it "
    "is not a postcode we know (well-formed is not enough: it must exist).",
    example="WN1 1AA",
)
PROXIMITY = Parameter(
    "proximity",
    {"type": "number", "minimum": 0, "maximum": MAX_PROXIMITY_M},
    f"Only results within this many metres of the postcode (at most {MAX_PROXIMITY_M:,}). "
    "Needs postcode: refused without one.",
    example="2000",
)
FULL_SERVICE = _flag("full_service", "Each organization's services, fully nested:")
TOP_ONLY = _flag("top_only", "Only terms with no parent:")
PARENT_ID = _uuid("parent_id", "Only the terms directly under this one.")
TERMS_TAXONOMY_ID = _uuid("taxonomy_id", "Terms of this taxonomy.")

_PAGING = (PAGE, PER_PAGE, FORMAT)
_SERVICE_FILTERS = (
    TAXONOMY_TERM_ID,
    TAXONOMY_ID,
    ORGANIZATION_ID,
    MODIFIED_AFTER,
    MINIMUM_AGE,
    MAXIMUM_AGE,
    DAY,
    START_TIME,
    END_TIME,
)

# What each endpoint takes: exactly these, and exactly what the OpenAPI document lists.
API_DETAILS: tuple[Parameter, ...] = ()
SERVICES = (SEARCH, *_PAGING, *_SERVICE_FILTERS, FULL, MINIMAL)
SERVICE_AT_LOCATIONS = (SEARCH, *_PAGING, *_SERVICE_FILTERS, FULL, POSTCODE, PROXIMITY)
ORGANIZATIONS = (SEARCH, *_PAGING, FULL, FULL_SERVICE)
TAXONOMIES = (SEARCH, *_PAGING)
TAXONOMY_TERMS = (SEARCH, *_PAGING, TERMS_TAXONOMY_ID, TOP_ONLY, PARENT_ID)
ORGANIZATION = (FULL_SERVICE,)
DETAIL: tuple[Parameter, ...] = ()
