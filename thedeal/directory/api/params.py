"""Reading the feed's query parameters strictly: a bad value is a 400 that names the parameter."""

from __future__ import annotations

import datetime
import math
import uuid
from dataclasses import dataclass

from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from thedeal.directory import geography
from thedeal.directory.queries import Filters, Near
from thedeal.directory.search import words

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
# Far beyond any directory's last page, and small enough that the offset fits the database.
MAX_PAGE = 1_000_000
# Further than any borough is wide: beyond this a "proximity" search is a mistake.
MAX_PROXIMITY_M = 200_000
# Searches are a few words; a cap keeps one request from costing the server seconds.
MAX_SEARCH_WORDS = 20
MAX_SEARCH_LENGTH = 200

_DAYS = {
    "MO": "MO", "MON": "MO", "MONDAY": "MO",
    "TU": "TU", "TUE": "TU", "TUESDAY": "TU",
    "WE": "WE", "WED": "WE", "WEDNESDAY": "WE",
    "TH": "TH", "THU": "TH", "THURSDAY": "TH",
    "FR": "FR", "FRI": "FR", "FRIDAY": "FR",
    "SA": "SA", "SAT": "SA", "SATURDAY": "SA",
    "SU": "SU", "SUN": "SU", "SUNDAY": "SU",
}  # fmt: skip


class ParameterError(ValueError):
    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        self.message = message
        super().__init__(f"{parameter}: {message}")


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
    """The query string of one request, read on demand, each value checked."""

    def __init__(self, data: QueryDict) -> None:
        self.data = data

    def _raw(self, name: str) -> str | None:
        value = self.data.get(name)
        if value is None:
            return None
        value = value.strip()
        return value if value != "" else None

    def text(self, name: str) -> str | None:
        return self._raw(name)

    def search(self) -> str | None:
        value = self._raw("search")
        if value is not None and (
            len(value) > MAX_SEARCH_LENGTH or len(words(value)) > MAX_SEARCH_WORDS
        ):
            raise ParameterError(
                "search",
                f"must be at most {MAX_SEARCH_WORDS} words and {MAX_SEARCH_LENGTH} characters",
            )
        return value

    def flag(self, name: str) -> bool:
        if name not in self.data:
            return False
        value = (self.data.get(name) or "").strip().lower()
        if value in ("", "true", "1", "yes"):
            return True
        if value in ("false", "0", "no"):
            return False
        raise ParameterError(name, f"must be true or false, not {value!r}")

    def integer(self, name: str, default: int, *, minimum: int, maximum: int | None = None) -> int:
        value = self._raw(name)
        if value is None:
            return default
        digits = value.removeprefix("-")
        # ASCII digits only (int() also takes "1_000", "+1" and other scripts' digits), and few
        # enough that converting them is instant (Python refuses strings over 4,300 digits).
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 12:
            raise ParameterError(name, f"must be a whole number, not {value[:40]!r}")
        number = int(value)
        if number < minimum:
            raise ParameterError(name, f"must be at least {minimum}")
        if maximum is not None and number > maximum:
            raise ParameterError(name, f"must be at most {maximum:,}")
        return number

    def number(
        self, name: str, *, minimum: float = 0, maximum: float | None = None
    ) -> float | None:
        value = self._raw(name)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            raise ParameterError(name, f"must be a number, not {value!r}") from None
        if not math.isfinite(number) or number < minimum:
            raise ParameterError(name, f"must be a number of at least {minimum:g}")
        if maximum is not None and number > maximum:
            raise ParameterError(name, f"must be at most {maximum:g}")
        return number

    def uuid(self, name: str) -> uuid.UUID | None:
        value = self._raw(name)
        if value is None:
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            raise ParameterError(name, f"must be a UUID, not {value!r}") from None

    def moment(self, name: str) -> datetime.datetime | None:
        value = self._raw(name)
        if value is None:
            return None
        try:
            moment = parse_datetime(value)
            if moment is None and (day := parse_date(value)) is not None:
                moment = datetime.datetime.combine(day, datetime.time())
        except ValueError:
            moment = None
        if moment is None:
            raise ParameterError(
                name,
                f"must be a date or date-time in ISO 8601 form (2024-05-31T09:00:00Z), not {value!r}",
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
        try:
            moment = datetime.time.fromisoformat(value)
        except ValueError:
            raise ParameterError(name, f"must be a time such as 09:30, not {value!r}") from None
        if moment.tzinfo is not None:
            # Opening times are local to the borough, as schedules hold them.
            raise ParameterError(
                name, f"must be a local time such as 09:30, without a time zone, not {value!r}"
            )
        return moment

    def day(self, name: str) -> str | None:
        value = self._raw(name)
        if value is None:
            return None
        code = _DAYS.get(value.upper())
        if code is None:
            raise ParameterError(name, f"must be a day such as MO or Monday, not {value!r}")
        return code

    def paging(self) -> Paging:
        per_page = self.integer("per_page", DEFAULT_PER_PAGE, minimum=1)
        # Larger pages are served at the maximum rather than refused, so a harvester that asks
        # for everything still gets a well-formed answer and can follow the pages.
        page = self.integer("page", 1, minimum=1, maximum=MAX_PAGE)
        return Paging(page=page, per_page=min(per_page, MAX_PER_PAGE))

    def output_format(self) -> str:
        value = (self._raw("format") or "json").lower()
        if value not in ("json", "ndjson"):
            raise ParameterError("format", f"must be json or ndjson, not {value!r}")
        return value

    def filters(self, *, proximity: bool = False) -> Filters:
        near = None
        if proximity:
            near = self.near()
        start_time = self.time("start_time")
        end_time = self.time("end_time")
        minimum_age = self.number("minimum_age", maximum=150)
        maximum_age = self.number("maximum_age", maximum=150)
        return Filters(
            search=self.search(),
            taxonomy_term_id=self.uuid("taxonomy_term_id"),
            taxonomy_id=self.uuid("taxonomy_id"),
            organization_id=self.uuid("organization_id"),
            modified_after=self.moment("modified_after"),
            minimum_age=minimum_age,
            maximum_age=maximum_age,
            day=self.day("day"),
            start_time=start_time,
            end_time=end_time,
            near=near,
        )

    def near(self) -> Near | None:
        postcode = self._raw("postcode")
        within = self.number("proximity", maximum=MAX_PROXIMITY_M)
        if postcode is None:
            if within is not None:
                raise ParameterError("proximity", "needs a postcode to measure from")
            return None
        try:
            found = geography.lookup_postcode(postcode)
        except geography.InvalidPostcode:
            raise ParameterError("postcode", f"{postcode!r} is not a UK postcode") from None
        if found is None:
            raise ParameterError("postcode", f"{postcode!r} is not a postcode we know")
        return Near(easting=found.easting, northing=found.northing, within_m=within)
