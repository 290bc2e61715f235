"""The search parameters of ServiceRequest and Task: patient.identifier (the NHS number),
status, _lastUpdated (with FHIR's prefixes), and _count for the page's size.

A date in a search stands for a range, as precise as it is written ("2026-03" is the whole of
March): `ge` matches from its start, `gt` from its end, `le` up to its end, `lt` up to its
start, and no prefix (or `eq`) within it. A time with no zone is the borough's local time.
Anything else in a query is refused, naming the parameter: a search that silently ignored a
misspelt filter would return someone else's referrals as if they matched.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Q

from thedeal.casework import lifecycle
from thedeal.casework.fhir import codes
from thedeal.casework.nhs_number import InvalidNHSNumber, normalise_nhs_number

DEFAULT_COUNT = 50
MAX_COUNT = 100
PREFIXES = ("eq", "ge", "le", "gt", "lt")
FORMATS = frozenset({"json", "application/json", "application/fhir+json"})

_DATE = re.compile(
    r"(?P<year>\d{4})(-(?P<month>\d{2})(-(?P<day>\d{2})"
    r"(T(?P<hour>\d{2}):(?P<minute>\d{2})(:(?P<second>\d{2})(?P<fraction>\.\d{1,6})?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?"
)


class BadSearch(ValueError):
    """A search parameter that cannot be used; the message names it."""

    def __init__(self, parameter: str, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.parameter = parameter
        self.code = code


def date_range(text: str, zone: datetime.tzinfo) -> tuple[datetime.datetime, datetime.datetime]:
    """The instants a FHIR date or dateTime stands for: [start, end)."""
    match = _DATE.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or a dateTime)")
    parts = match.groupdict()
    if parts["zone"]:
        zone = (
            datetime.UTC
            if parts["zone"] == "Z"
            else datetime.timezone(
                (-1 if parts["zone"][0] == "-" else 1)
                * datetime.timedelta(hours=int(parts["zone"][1:3]), minutes=int(parts["zone"][4:6]))
            )
        )
    year = int(parts["year"])
    if parts["month"] is None:
        return (
            datetime.datetime(year, 1, 1, tzinfo=zone),
            datetime.datetime(year + 1, 1, 1, tzinfo=zone),
        )
    month = int(parts["month"])
    if parts["day"] is None:
        start = datetime.datetime(year, month, 1, tzinfo=zone)
        following = (year + 1, 1) if month == 12 else (year, month + 1)
        return start, datetime.datetime(*following, 1, tzinfo=zone)
    day = datetime.date(year, month, int(parts["day"]))
    if parts["hour"] is None:
        start = datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
        end = datetime.datetime.combine(
            day + datetime.timedelta(days=1), datetime.time(), tzinfo=zone
        )
        return start, end
    start = datetime.datetime.combine(
        day,
        datetime.time(
            int(parts["hour"]),
            int(parts["minute"]),
            int(parts["second"] or 0),
            int((parts["fraction"] or ".0")[1:].ljust(6, "0")),
        ),
        tzinfo=zone,
    )
    if parts["fraction"]:
        step = datetime.timedelta(microseconds=10 ** (6 - len(parts["fraction"]) + 1))
    elif parts["second"] is not None:
        step = datetime.timedelta(seconds=1)
    else:
        step = datetime.timedelta(minutes=1)
    return start, start + step


def last_updated(value: str, zone: datetime.tzinfo, field_name: str = "updated_at") -> Q:
    """The filter one _lastUpdated value stands for."""
    prefix, text = (value[:2], value[2:]) if value[:2].isalpha() else ("eq", value)
    if prefix not in PREFIXES:
        raise BadSearch(
            "_lastUpdated",
            f"_lastUpdated takes the prefixes {', '.join(PREFIXES)}, not {prefix!r}.",
            "not-supported",
        )
    try:
        start, end = date_range(text, zone)
    except ValueError as error:
        raise BadSearch("_lastUpdated", f"{error}.") from None
    return {
        "eq": Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end}),
        "ge": Q(**{f"{field_name}__gte": start}),
        "gt": Q(**{f"{field_name}__gte": end}),
        "le": Q(**{f"{field_name}__lt": end}),
        "lt": Q(**{f"{field_name}__lt": start}),
    }[prefix]


@dataclass
class Search:
    """A parsed search: the filter, and the page asked for."""

    filter: Q = field(default_factory=Q)
    count: int = DEFAULT_COUNT
    offset: int = 0


def _one(params: Mapping[str, Sequence[str]], name: str) -> str:
    values = params[name]
    if len(values) != 1:
        raise BadSearch(name, f"Give {name} once (a comma between values means any of them).")
    return values[0]


def _number(params: Mapping[str, Sequence[str]], name: str, low: int, high: int | None) -> int:
    text = _one(params, name)
    if (
        not text.isascii()
        or not text.isdigit()
        or int(text) < low
        or (high is not None and int(text) > high)
    ):
        limit = f"from {low} to {high}" if high is not None else f"{low} or more"
        raise BadSearch(name, f"{name} must be a whole number {limit}, not {text!r}.")
    return int(text)


def parse(params: Mapping[str, Sequence[str]], *, resource_type: str, zone: ZoneInfo) -> Search:
    """The search `params` ask for, on ServiceRequest or Task, or BadSearch naming the problem."""
    search = Search()
    for name in params:
        if name not in (
            "patient.identifier",
            "status",
            "_lastUpdated",
            "_count",
            "_offset",
            "_format",
        ):
            raise BadSearch(
                name,
                f"{resource_type} cannot be searched by {name!r}: use patient.identifier, status "
                "or _lastUpdated.",
                "not-supported",
            )
    if "patient.identifier" in params:
        text = _one(params, "patient.identifier")
        system, _, value = text.rpartition("|")
        if system and system != codes.NHS_NUMBER_SYSTEM:
            raise BadSearch(
                "patient.identifier",
                f"Search by NHS number: patient.identifier={codes.NHS_NUMBER_SYSTEM}|<number>.",
            )
        try:
            search.filter &= Q(person__nhs_number=normalise_nhs_number(value))
        except InvalidNHSNumber as error:
            raise BadSearch("patient.identifier", f"{error}.") from None
    if "status" in params:
        wanted: set[str] = set()
        for code in _one(params, "status").split(","):
            if resource_type == "Task":
                try:
                    wanted.add(lifecycle.parse_status(code).value)
                except lifecycle.UnknownStatus as error:
                    raise BadSearch("status", str(error), "code-invalid") from None
            elif code in codes.REQUEST_STATUS:
                wanted |= {s.value for s in codes.task_statuses_for_request_status(code)}
            else:
                raise BadSearch(
                    "status", f"{code!r} is not a FHIR R4 request status.", "code-invalid"
                )
        search.filter &= Q(status__in=sorted(wanted))
    for value in params.get("_lastUpdated", ()):
        search.filter &= last_updated(value, zone)
    if "_count" in params:
        search.count = _number(params, "_count", 1, MAX_COUNT)
    if "_offset" in params:
        search.offset = _number(params, "_offset", 0, None)
    if "_format" in params and _one(params, "_format") not in FORMATS:
        raise BadSearch("_format", "This server speaks JSON only (_format=json).", "not-supported")
    return search
