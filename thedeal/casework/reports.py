"""Casework's reports: counts and changes for practitioners, commissioners and analysts, never a
person. Every table is counted in the database (so that a report over 200,000 referrals takes a
moment, not a minute) and published only through thedeal.indicators' disclosure rules: counts
of 1 to 7 are suppressed, with whatever is worked out from them and whatever cell would give
them back through a total. The page and the CSV download show the same published table.

Each report is a `Table`: its rows as published (a pandas frame from `disclosure.publishable`),
the columns to show with their headings, and a note of what was counted.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import math
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd
from django.db import connection
from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from thedeal.casework import lifecycle
from thedeal.casework.lifecycle import Party, Status
from thedeal.casework.measures import ons4, swemwbs
from thedeal.casework.models import Direction, Occasion, Plan, Referral
from thedeal.casework.models import WellbeingMeasure as Measure
from thedeal.casework.report_periods import DEFAULT_PERIOD, PERIODS, Period, period  # noqa: F401 (the reports read by period)
from thedeal.casework.working_days import working_days_between
from thedeal.directory.models import Organization, Service
from thedeal.indicators.methods import disclosure
from thedeal.indicators.methods.paired import paired_change, publishable_paired_change

THRESHOLD = disclosure.SMALL_COUNT_THRESHOLD
TOTAL = "Total"
# Rows too small to show on their own are counted together in one row, so that a table of a
# borough's 600 organisations is not 580 rows saying "suppressed".
OTHERS = {"service": "Other services", "organisation": "Other organisations"}
# Time to answer and to first contact, in working days, in the bands a commissioner asks about.
BANDS: tuple[tuple[str, int, int], ...] = (
    ("The same working day", 0, 0),
    ("1 or 2 working days", 1, 2),
    ("3 to 5 working days", 3, 5),
    ("6 to 10 working days", 6, 10),
    ("More than 10 working days", 11, 10**6),
)
# An attendance outcome is known once the organisation has said whether the person came.
ATTENDED = (Status.IN_PROGRESS, Status.ON_HOLD, Status.COMPLETED)
DID_NOT_ATTEND = Status.FAILED


def _between(name: str, p: Period) -> Q:
    """`name` (a date and time) within the period."""
    end = timezone.make_aware(
        datetime.datetime.combine(p.end + datetime.timedelta(days=1), datetime.time())
    )
    query = Q(**{f"{name}__lt": end})
    if p.start is not None:
        start = timezone.make_aware(datetime.datetime.combine(p.start, datetime.time()))
        query &= Q(**{f"{name}__gte": start})
    return query


class LocalDate(TruncDate):
    """A date and time's day in the borough's time zone, as TruncDate gives it, worked out by
    SQLite itself. Django's SQLite TruncDate calls back into Python for every row (parse, change
    zone, format): 14 seconds of the time-to-answer report's 320,000 dates. Here the zone's
    changes of offset (summer time) are a CASE over the stored UTC text, so SQLite adds the
    offset in C; anything outside the years covered, or not in Django's own format, still goes
    through Django's function, so every day is the same as TruncDate's. PostgreSQL's TruncDate
    (AT TIME ZONE) is already native."""

    def as_sqlite(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        column, params = compiler.compile(self.lhs)
        tzname = self.get_tzname()
        if params or tzname is None or connection.timezone_name != "UTC":
            return super().as_sql(compiler, connection, **extra_context)
        changes = _offset_changes(tzname, timezone.localdate().year + 2)
        first, last = changes[0][0], _utc_text_after(timezone.localdate().year + 2)
        when = [
            f"WHEN {column} IS NULL THEN NULL",
            # Django writes 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC: anything else, or outside
            # the years whose changes are listed, is left to Django's own function.
            f"WHEN substr({column}, 11, 1) <> ' ' OR {column} < '{first}' "
            f"OR {column} >= '{last}' THEN django_datetime_cast_date({column}, %s, 'UTC')",
        ]
        # Latest first: most rows are recent, so the first comparison or two decide them.
        for since, seconds in reversed(changes):
            when.append(f"WHEN {column} >= '{since}' THEN date({column}, '{seconds:+d} seconds')")
        return f"(CASE {' '.join(when)} END)", [tzname]


def _utc_text_after(year: int) -> str:
    """The first moment after `year`, as Django writes it on SQLite (UTC)."""
    return f"{year + 1:04d}-01-01 00:00:00"


@functools.cache
def _offset_changes(tzname: str, until_year: int) -> tuple[tuple[str, int], ...]:
    """(from when, as Django's UTC text; the zone's offset from then, in seconds), from 1970 to
    the end of `until_year`: each change found by the day, then to the second."""
    zone = zoneinfo.ZoneInfo(tzname)
    utc = datetime.UTC

    def offset(moment: datetime.datetime) -> int:
        return int(moment.astimezone(zone).utcoffset().total_seconds())  # type: ignore[union-attr]

    day = datetime.datetime(1970, 1, 1, tzinfo=utc)
    end = datetime.datetime(until_year + 1, 1, 1, tzinfo=utc)
    changes = [(day, offset(day))]
    while day < end:
        following = day + datetime.timedelta(days=1)
        if offset(following) != changes[-1][1]:
            seconds = range(1, 86_401)
            # The first second of the day with the new offset.
            n = bisect.bisect_left(
                seconds,
                True,
                key=lambda s: offset(day + datetime.timedelta(seconds=s)) != changes[-1][1],
            )
            at = day + datetime.timedelta(seconds=seconds[n])
            changes.append((at, offset(at)))
        day = following
    return tuple((at.strftime("%Y-%m-%d %H:%M:%S"), seconds) for at, seconds in changes)


def _days_between(name: str, p: Period) -> Q:
    query = Q(**{f"{name}__lte": p.end})
    if p.start is not None:
        query &= Q(**{f"{name}__gte": p.start})
    return query


@dataclass(frozen=True)
class Column:
    name: str
    heading: str
    # "count", "text", "number" (a mean, one decimal place), "change" (signed), "percent".
    kind: str = "count"
    places: int = 1


@dataclass
class Table:
    """One report's table as it may be published: the same on the page and in the CSV."""

    key: str
    title: str
    caption: str
    columns: list[Column]
    frame: pd.DataFrame
    counted: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def cells(self) -> list[list[str]]:
        """Each row's cells as text: a suppressed figure is "[c]" (GSS's shorthand), which
        the page's footnote and the CSV's notes explain."""
        rows = []
        notes = [c for c in self.frame.columns if c.endswith(disclosure.NOTE_SUFFIX)]
        for record in self.frame.to_dict("records"):
            hidden = any(not _missing(record[note]) for note in notes)
            cells = [_cell(record.get(column.name), column) for column in self.columns]
            if not hidden:
                # Missing without a reason to hide it: there was nothing to work it out from
                # (a mean of nobody), which GSS marks [x], not available.
                cells = [NOT_AVAILABLE if cell == SUPPRESSED else cell for cell in cells]
            rows.append(cells)
        return rows

    def notes(self) -> list[str]:
        """The reasons figures are suppressed, once each, in the order they first appear."""
        found: list[str] = []
        if any(NOT_AVAILABLE in row for row in self.cells()):
            found.append(f"{NOT_AVAILABLE}: not available, as there was no one to count")
        for column in self.frame.columns:
            if column.endswith(disclosure.NOTE_SUFFIX):
                for note in self.frame[column].dropna():
                    text = (
                        f"{SUPPRESSED} {note}" if str(note).startswith("suppressed") else str(note)
                    )
                    if text not in found:
                        found.append(text)
        return found

    @property
    def is_total(self) -> list[bool]:
        if "is_total" not in self.frame.columns:
            return [False] * len(self.frame)
        return [bool(v) for v in self.frame["is_total"]]

    def csv_rows(self) -> Iterable[list[str]]:
        yield [column.heading for column in self.columns] + ["Notes"]
        note_columns = [c for c in self.frame.columns if c.endswith(disclosure.NOTE_SUFFIX)]
        for cells, record in zip(self.cells(), self.frame.to_dict("records"), strict=True):
            notes = "; ".join(
                dict.fromkeys(str(record[c]) for c in note_columns if not _missing(record[c]))
            )
            # An organisation's name is typed by its editors: a spreadsheet must not run one
            # that starts like a formula.
            safe = [
                f"'{cell}" if column.kind == "text" and cell.startswith(FORMULA) else cell
                for cell, column in zip(cells, self.columns, strict=True)
            ]
            yield [*safe, notes]


SUPPRESSED = "[c]"
NOT_AVAILABLE = "[x]"
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _cell(value: object, column: Column) -> str:
    if column.kind == "text":
        return "" if _missing(value) else str(value)
    if _missing(value):
        return SUPPRESSED
    number = float(value)  # type: ignore[arg-type]
    if column.kind == "count":
        return f"{int(number):,}"
    if column.kind == "percent":
        return f"{number:.{column.places}f}%"
    if column.kind == "change":
        text = f"{number:+.{column.places}f}"
        # A change that rounds to nothing is shown without a sign, never as "-0.00".
        return text[1:] if float(text) == 0 else text
    return f"{number:.{column.places}f}"


def _with_total(
    rows: list[dict[str, object]], label_column: str, counts: list[str]
) -> pd.DataFrame:
    total = {label_column: TOTAL, "is_total": True}
    for count in counts:
        total[count] = sum(int(row[count]) for row in rows)  # type: ignore[call-overload]
    frame = pd.DataFrame([{**row, "is_total": False} for row in rows] + [total])
    for count in counts:
        frame[count] = frame[count].astype("int64")
    return frame


def publish_counts(
    rows: list[dict[str, object]], *, label: str, counts: list[str],
    derived: Mapping[str, list[str]] | None = None,
    denominators: Mapping[str, str] | None = None,
) -> pd.DataFrame:  # fmt: skip
    """Rows of true counts (one per group, adding up to the total row added here), as they may
    be published: small counts suppressed, and more where the total would give one back."""
    frame = _with_total(rows, label, counts)
    for column in (derived or {}).values():
        for name in column:
            if name not in frame.columns:
                frame[name] = float("nan")
    return disclosure.publishable(
        frame,
        counts,
        derived=dict(derived or {}),
        denominators=denominators,
        total_rows="is_total",
    )


def _fold_small(
    counted: Mapping[object, int], names: Mapping[object, str], *, other: str, key: str
) -> list[dict[str, object]]:
    """One row for each group counted 8 or more times (largest first), and the rest together in
    one row, so that a table of hundreds of groups is not hundreds of suppressed rows."""
    big = sorted(
        (k for k, n in counted.items() if n > THRESHOLD), key=lambda k: (-counted[k], names[k])
    )
    rows: list[dict[str, object]] = [{key: names[k], "referrals": counted[k]} for k in big]
    rest = sum(n for k, n in counted.items() if n <= THRESHOLD)
    if rest:
        rows.append({key: other, "referrals": rest})
    return rows


# --- The reports ------------------------------------------------------------------------------


def caseload(p: Period) -> Table:
    """People with an open plan at the end of the period, by the ward they live in."""
    open_then = Plan.objects.filter(agreed_on__lte=p.end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=p.end)
    )
    counted = open_then.values("person__ward_name").annotate(n=Count("person", distinct=True))
    rows = sorted(
        (
            {
                "ward": row["person__ward_name"] or "Outside the borough or not known",
                "people": row["n"],
            }
            for row in counted
        ),
        key=lambda row: str(row["ward"]),
    )
    return Table(
        "caseload",
        "Caseload by ward",
        f"People with an open plan on {p.end:%-d %B %Y}, by the ward they live in",
        [Column("ward", "Ward", "text"), Column("people", "People")],
        publish_counts(rows, label="ward", counts=["people"]),
        counted="People with an open plan, by the ward of their home address.",
    )


def _outbound(p: Period):  # type: ignore[no-untyped-def]
    return Referral.objects.filter(_between("requested_at", p), direction=Direction.OUTBOUND)


@dataclass(frozen=True)
class OutboundCounts:
    """The referrals made in a period, counted by service, organisation and status together:
    the tables by service, by organisation, by outcome and of attendance are each sums of
    these few thousand rows, so the page reads the period's referrals once, not four times.
    Ids are kept as the database holds them until a table names them."""

    rows: tuple[tuple[object, object, str, int], ...]

    @classmethod
    def of(cls, p: Period) -> OutboundCounts:
        grouped = (
            _outbound(p)
            .values_list("service_id", "performer_organization_id", "status")
            .annotate(n=Count("id"))
            .order_by()
        )
        sql, params = grouped.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cls(tuple(cursor.fetchall()))

    def by(self, column: int, statuses: Iterable[str] | None = None) -> dict[object, int]:
        """How many for each value of `column` (0 service, 1 organisation, 2 status), of the
        referrals at one of `statuses` (all of them when None), with the ids as Django's."""
        wanted = None if statuses is None else {getattr(s, "value", s) for s in statuses}
        counted: Counter[object] = Counter()
        for row in self.rows:
            if wanted is None or row[2] in wanted:
                counted[row[column]] += row[3]
        to_python = _ID_OF[column]
        return {to_python(k) if k is not None else None: n for k, n in counted.items()}


_ID_OF: dict[int, Callable[[object], object]] = {
    0: Service._meta.pk.to_python,
    1: Organization._meta.pk.to_python,
    2: str,
}


def referrals_by_service(p: Period, counts: OutboundCounts | None = None) -> Table:
    counted = (counts if counts is not None else OutboundCounts.of(p)).by(0)
    big = [k for k, n in counted.items() if n > THRESHOLD and k is not None]
    names = {
        # The organisation too, unless the service's name already says it.
        pk: f"{name} ({organisation})"
        if organisation is not None and organisation not in name
        else name
        for pk, name, organisation in Service.objects.filter(pk__in=big).values_list(
            "pk", "name", "organization__name"
        )
    }
    counted = {k: n for k, n in counted.items() if k in names or n <= THRESHOLD}
    rows = _fold_small(counted, names, other=OTHERS["service"], key="service")
    return Table(
        "by-service",
        "Referrals by service",
        f"Referrals made to each service, {p.description}",
        [Column("service", "Service", "text"), Column("referrals", "Referrals")],
        publish_counts(rows, label="service", counts=["referrals"]),
        counted=f"Services with {THRESHOLD} referrals or fewer are counted together.",
    )


def referrals_by_organisation(p: Period, counts: OutboundCounts | None = None) -> Table:
    counted = (counts if counts is not None else OutboundCounts.of(p)).by(1)
    big = [k for k, n in counted.items() if n > THRESHOLD]
    names = dict(Organization.objects.filter(pk__in=big).values_list("pk", "name"))
    rows = _fold_small(counted, names, other=OTHERS["organisation"], key="organisation")
    return Table(
        "by-organisation",
        "Referrals by organisation",
        f"Referrals made to each organisation, {p.description}",
        [Column("organisation", "Organisation", "text"), Column("referrals", "Referrals")],
        publish_counts(rows, label="organisation", counts=["referrals"]),
        counted=f"Organisations with {THRESHOLD} referrals or fewer are counted together.",
    )


def referrals_by_outcome(p: Period, counts: OutboundCounts | None = None) -> Table:
    counted = (counts if counts is not None else OutboundCounts.of(p)).by(2)
    rows = [
        {
            "outcome": lifecycle.STATUSES[status].label(Party.REQUESTER),
            "referrals": counted.get(status.value, 0),
        }
        for status in Status
        if status is not Status.DRAFT
    ]
    return Table(
        "by-outcome",
        "Referrals by outcome",
        f"Where the referrals made {p.description} are now",
        [Column("outcome", "Outcome", "text"), Column("referrals", "Referrals")],
        publish_counts(rows, label="outcome", counts=["referrals"]),
        counted="Each referral counted once, at its status today.",
    )


def did_not_attend(p: Period, counts: OutboundCounts | None = None) -> Table:
    """Of the referrals whose organisation has said whether the person came, how many did not."""
    counts = counts if counts is not None else OutboundCounts.of(p)
    outcomes = counts.by(1, [*ATTENDED, DID_NOT_ATTEND])
    dna = counts.by(1, [DID_NOT_ATTEND])
    by_org = {k: {"outcomes": n, "dna": dna.get(k, 0)} for k, n in outcomes.items()}
    big = [k for k, row in by_org.items() if row["outcomes"] > THRESHOLD]
    names = dict(Organization.objects.filter(pk__in=big).values_list("pk", "name"))
    rows: list[dict[str, object]] = [
        {
            "organisation": names[k],
            "outcomes": by_org[k]["outcomes"],
            "did_not_attend": by_org[k]["dna"],
        }
        for k in sorted(big, key=lambda k: (-by_org[k]["outcomes"], names[k]))
    ]
    small = [row for k, row in by_org.items() if k not in names]
    if small:
        rows.append(
            {
                "organisation": OTHERS["organisation"],
                "outcomes": sum(r["outcomes"] for r in small),
                "did_not_attend": sum(r["dna"] for r in small),
            }
        )
    frame = publish_counts(
        rows,
        label="organisation",
        counts=["outcomes", "did_not_attend"],
        derived={"did_not_attend": ["rate"]},
        denominators={"did_not_attend": "outcomes"},
    )
    return Table(
        "did-not-attend",
        "Did not attend",
        f"Referrals made {p.description} whose organisation has said whether the person came",
        [
            Column("organisation", "Organisation", "text"),
            Column("outcomes", "Attendance known"),
            Column("did_not_attend", "Did not attend"),
            Column("rate", "Did-not-attend rate", "percent"),
        ],
        _with_rates(frame),
        counted="Attendance is known once a referral is in progress, on hold, completed or "
        "did not attend.",
    )


def _with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """The did-not-attend rate, worked out from the published counts (none where either is
    suppressed, or the denominator is small)."""
    out = frame.copy()
    rates = []
    for record in out.to_dict("records"):
        dna, outcomes = record["did_not_attend"], record["outcomes"]
        hidden = not _missing(record.get("did_not_attend_note"))
        if hidden or _missing(dna) or _missing(outcomes) or not outcomes:
            rates.append(float("nan"))
        else:
            rates.append(100 * int(dna) / int(outcomes))
    out["rate"] = rates
    return out


def _banded(
    pairs: Iterable[tuple[datetime.date, datetime.date | None, int]],
) -> tuple[list[dict[str, object]], list[tuple[int, int]]]:
    """Counts of (start day, end day or None, how many) in BANDS of working days, and each
    known length (for the median)."""
    bands: Counter[str] = Counter()
    lengths: list[tuple[int, int]] = []
    waiting = 0
    pairs = list(pairs)
    # Working days between two days are the working days from the earliest of them all to the
    # later less those to the earlier: counted once for each of a year's days, not once for
    # each of 17,000 pairs.
    earliest = min((min(start, end) for start, end, _ in pairs if end is not None), default=None)

    @functools.cache
    def since_earliest(day: datetime.date) -> int:
        return working_days_between(earliest, day)  # type: ignore[arg-type]

    for start, end, n in pairs:
        if end is None:
            waiting += n
            continue
        days = max(0, since_earliest(end) - since_earliest(start))
        lengths.append((days, n))
        for label, low, high in BANDS:
            if low <= days <= high:
                bands[label] += n
                break
    rows: list[dict[str, object]] = [
        {"band": label, "referrals": bands[label]} for label, _, _ in BANDS
    ]
    rows.append({"band": "Not yet", "referrals": waiting})
    return rows, lengths


def _counted(each: QuerySet, *names: str) -> list[tuple[object, ...]]:
    """How many of `each` (a queryset of values) there are of each of its `names`' values,
    counted in the database: for values that are themselves aggregates, which Django cannot
    group by. Dates come back as dates on both engines."""
    sql, params = each.query.sql_with_params()
    quoted = ", ".join(connection.ops.quote_name(name) for name in names)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quoted}, COUNT(*) FROM ({sql}) counted GROUP BY {quoted}", params)
        rows = cursor.fetchall()
    return [(*(_as_date(value) for value in row[:-1]), row[-1]) for row in rows]


def _as_date(value: object) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value  # type: ignore[return-value]
    return datetime.date.fromisoformat(str(value))


def _median(lengths: list[tuple[int, int]]) -> float | None:
    """The median of (length, how many) pairs; None for 1 to 7 of them, because a median of so
    few is one of them."""
    total = sum(n for _, n in lengths)
    if total <= THRESHOLD:
        return None
    ordered = sorted(lengths)

    def nth(k: int) -> int:
        seen = 0
        for days, n in ordered:
            seen += n
            if seen > k:
                return days
        raise IndexError(k)  # pragma: no cover  (k is always below the total)

    return (nth((total - 1) // 2) + nth(total // 2)) / 2


def time_to_answer(p: Period) -> Table:
    """From a referral being sent to the organisation's first answer, in working days."""
    pairs = (
        _outbound(p)
        .exclude(status=Status.ENTERED_IN_ERROR)
        .annotate(sent=LocalDate("requested_at"), answered=LocalDate("answered_at"))
        .values_list("sent", "answered")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows, lengths = _banded(pairs)
    rows[-1]["band"] = "Not answered"
    return Table(
        "time-to-answer",
        "Time to answer",
        f"Working days from sending a referral to the organisation's first answer, referrals "
        f"made {p.description}",
        [Column("band", "Answered in", "text"), Column("referrals", "Referrals")],
        publish_counts(rows, label="band", counts=["referrals"]),
        counted="Working days in England: weekends and bank holidays are not counted.",
        extra={"median": _median(lengths)},
    )


def time_to_first_contact(p: Period) -> Table:
    """From a GP's (or another service's) referral to us, to the first conversation with the
    person on or after it, in working days."""
    # Each referral with the first conversation on or after its day (a join, least of each
    # referral's), then counted by the two days. A subquery for each referral, grouped on,
    # ran twice for each of 40,000 referrals.
    each = (
        Referral.objects.filter(_between("requested_at", p), direction=Direction.INBOUND)
        .exclude(status=Status.ENTERED_IN_ERROR)
        .annotate(sent=LocalDate("requested_at"))
        .values("pk", "sent")
        .annotate(
            first=Min(
                "person__conversations__held_on",
                filter=Q(person__conversations__held_on__gte=F("sent")),
            )
        )
        .order_by()
    )
    pairs = _counted(each, "sent", "first")
    rows, lengths = _banded(pairs)
    rows[-1]["band"] = "Not contacted yet"
    return Table(
        "time-to-first-contact",
        "Time to first contact",
        f"Working days from a referral to us to the first conversation with the person, "
        f"referrals received {p.description}",
        [Column("band", "First conversation", "text"), Column("referrals", "Referrals")],
        publish_counts(rows, label="band", counts=["referrals"]),
        counted="Referrals from GPs and other services. Working days in England.",
        extra={"median": _median(lengths)},
    )


def _ons4_labels() -> dict[str, str]:
    labels = {
        "life_satisfaction": "Life satisfaction",
        "worthwhile": "Feeling that what you do is worthwhile",
        "happiness": "Happiness yesterday",
        "anxiety": "Anxiety yesterday (lower is better)",
    }
    return {item.key: labels.get(item.key, item.key) for item in ons4.items()}


def wellbeing_pairs(p: Period) -> pd.DataFrame:
    """One row per person reviewed in the period, in the order of their records: their answers
    at their first contact (the first one recorded) and at their last review in the period
    (before_<measure>, after_<...>; swemwbs the metric score, missing unless all seven answers
    were given).

    Each person's one measure of each kind is chosen in the database (ROW_NUMBER, on both
    engines), with the SWEMWBS answers added up there, and the two are paired as columns at
    once: a Python loop over every measure's answers took most of a second for 30,000 people."""
    table = connection.ops.quote_name(Measure._meta.db_table)
    names = (*Measure.ONS4_FIELDS, "swemwbs")
    total = " + ".join(Measure.SWEMWBS_FIELDS)  # NULL when any answer is missing
    reviewed = "occasion = %s AND taken_on <= %s" + (
        " AND taken_on >= %s" if p.start is not None else ""
    )
    in_period = [Occasion.REVIEW.value, p.end, *([p.start] if p.start is not None else [])]

    def one_each(where: str, order: str, params: list[object]) -> pd.DataFrame:
        sql = (
            f"SELECT person_id, {', '.join(Measure.ONS4_FIELDS)}, swemwbs FROM ("
            f"SELECT person_id, {', '.join(Measure.ONS4_FIELDS)}, {total} AS swemwbs, "
            f"ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY {order}) AS nth "
            f"FROM {table} WHERE {where}) chosen WHERE nth = 1 ORDER BY person_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return pd.DataFrame.from_records(cursor.fetchall(), columns=["person_id", *names])

    after = one_each(reviewed, "taken_on DESC, id DESC", in_period)
    before = one_each(
        f"occasion = %s AND person_id IN (SELECT person_id FROM {table} WHERE {reviewed})",
        "taken_on, id",
        [Occasion.FIRST_CONTACT.value, *in_period],
    )
    # In the order of the people's records, as the reviews are.
    pairs = after.merge(before, on="person_id", how="inner", suffixes=("_after", "_before"))
    metric = {raw: float(score) for raw, score in swemwbs.conversion_table().items()}
    frame = pd.DataFrame(index=pairs.index)
    for name in names:
        for when in ("before", "after"):
            column = pairs[f"{name}_{when}"]
            if name == "swemwbs":
                column = column.map(metric, na_action="ignore")
            frame[f"{when}_{name}"] = column.astype(float)
    return frame.reset_index(drop=True)


def wellbeing_change(p: Period) -> Table:
    pairs = wellbeing_pairs(p)
    labels = {**_ons4_labels(), "swemwbs": "SWEMWBS (metric score)"}
    results = []
    for name in (*Measure.ONS4_FIELDS, "swemwbs"):
        result = paired_change(pairs, f"before_{name}", f"after_{name}")
        result.insert(0, "measure", labels[name])
        results.append(result)
    changes = pd.concat(results, ignore_index=True)
    # The measures are of the same people, not parts of a whole: no total to protect.
    frame = publishable_paired_change(changes, protect_totals=False)
    return Table(
        "wellbeing",
        "Change in well-being",
        f"Change from first contact to review, people reviewed {p.description}",
        [
            Column("measure", "Measure", "text"),
            Column("value_count", "People"),
            Column("before_mean", "At first contact (mean)", "number", 1),
            Column("after_mean", "At review (mean)", "number", 1),
            Column("value", "Change (mean)", "change", 2),
            Column("lowercl", "95% CI lower", "change", 2),
            Column("uppercl", "95% CI upper", "change", 2),
        ],
        frame,
        counted="Each person's first measure at first contact and their last review in the "
        "period; people without both are not counted. ONS4 questions are scored 0 to 10; "
        "SWEMWBS metric scores run from 7 to 35. Confidence intervals: paired Student's t.",
    )


# The reports that are sums of the period's OutboundCounts.
FROM_OUTBOUND_COUNTS = ("by-service", "by-organisation", "by-outcome", "did-not-attend")


def tables(p: Period) -> dict[str, Table]:
    """Every report for the period, as the reports page shows them: the referrals made in it
    counted once for the four tables that are sums of those counts."""
    counts = OutboundCounts.of(p)
    return {
        key: make(p, counts) if key in FROM_OUTBOUND_COUNTS else make(p)  # type: ignore[call-arg]
        for key, make in REPORTS.items()
    }


REPORTS: dict[str, Callable[[Period], Table]] = {
    "caseload": caseload,
    "by-service": referrals_by_service,
    "by-organisation": referrals_by_organisation,
    "by-outcome": referrals_by_outcome,
    "time-to-answer": time_to_answer,
    "time-to-first-contact": time_to_first_contact,
    "did-not-attend": did_not_attend,
    "wellbeing": wellbeing_change,
}
