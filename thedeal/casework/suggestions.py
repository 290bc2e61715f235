"""Which services suit a person and a goal, and why: the ranking, with no Django in it.

A practitioner sees, for each suggestion, what fits ("1.2 km from home", "Free", "Tuesday
mornings", "For ages 50 and over: they are 67") and what does not, in those words, and can
weigh them against what the person said. The queries that read the directory into candidates
are in `suggest_queries`; everything here works on plain values, so it is tested for every
input (tests/unit/casework/test_suggestions.py).

The order: a service the person is too young or too old for comes after every service they
may use, however well it fits otherwise (they cannot go); then by score, the sum of the parts
below; then by name.

Also here: each organisation's response time and acceptance rate over its past referrals, with
figures from fewer than MIN_REFERRALS referrals withheld.
"""

from __future__ import annotations

import datetime
import functools
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from thedeal.casework.working_days import working_days_between

# Points for each part of the fit. A goal's category matters most: a walking group suits a
# goal of getting out more whatever else fits; then distance, the words of the goal, the days
# and times, and the person's access needs. A need that is not met costs more than one met
# gains: a step nobody can climb rules a place out more than a lift recommends it.
IN_CATEGORY = 40
WORDS_MATCH = 25
NEAR_AT_MOST = 30
NEAR_WITHIN_KM = 10.0  # distance points fall to nothing at this distance
NO_PLACE_TO_GO = 15  # online or by phone: no journey, but no place to meet people either
TIMES_SUIT = 15
TIMES_DO_NOT_SUIT = -10
FREE = 5
FREE_WANTED = 25
PAID_BUT_FREE_WANTED = -15
NEED_MET = 10
NEED_NOT_MET = -15
# Within this distance a place counts as near: said as a fit, not just a fact.
NEAR_KM = 5.0


class Slot(StrEnum):
    """When it suits the person to go: the choices on the suggestions page."""

    WEEKDAY_MORNINGS = "weekday-mornings"
    WEEKDAY_AFTERNOONS = "weekday-afternoons"
    WEEKDAY_EVENINGS = "weekday-evenings"
    WEEKENDS = "weekends"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()


class Need(StrEnum):
    """Access needs a place's accessibility records can answer."""

    STEP_FREE = "step-free"
    HEARING_LOOP = "hearing-loop"
    ACCESSIBLE_TOILET = "accessible-toilet"
    QUIET_ROOM = "quiet-room"

    @property
    def label(self) -> str:
        return NEED_LABELS[self]


NEED_LABELS = {
    Need.STEP_FREE: "Step-free or wheelchair access",
    Need.HEARING_LOOP: "Hearing loop",
    Need.ACCESSIBLE_TOILET: "Accessible toilet",
    Need.QUIET_ROOM: "Quiet room",
}

# Words in a place's accessibility record that say it meets a need (lower case).
NEED_WORDS: dict[Need, tuple[str, ...]] = {
    Need.STEP_FREE: ("step-free", "step free", "wheelchair", "lift to all floors", "level access"),
    Need.HEARING_LOOP: ("hearing loop", "induction loop"),
    Need.ACCESSIBLE_TOILET: ("accessible toilet", "changing places"),
    Need.QUIET_ROOM: ("quiet room", "quiet space"),
}

_NEED_ORDER = tuple(Need)

WEEKDAYS = frozenset({"MO", "TU", "WE", "TH", "FR"})
WEEKEND = frozenset({"SA", "SU"})
DAY_NAMES = {
    "MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
    "SA": "Saturday", "SU": "Sunday",
}  # fmt: skip
# Parts of the day, as (name, from, to): a morning ends at midday, an evening starts at 5pm.
PARTS = (
    ("morning", datetime.time(0, 0), datetime.time(12, 0)),
    ("afternoon", datetime.time(12, 0), datetime.time(17, 0)),
    ("evening", datetime.time(17, 0), datetime.time.max),
)
_SLOT_OF = {
    ("weekday", "morning"): Slot.WEEKDAY_MORNINGS,
    ("weekday", "afternoon"): Slot.WEEKDAY_AFTERNOONS,
    ("weekday", "evening"): Slot.WEEKDAY_EVENINGS,
}


@dataclass(frozen=True)
class Opening:
    """When a service is open: days as RFC 5545 codes ("MO"), and hours if listed."""

    days: frozenset[str]
    opens: datetime.time | None = None
    closes: datetime.time | None = None

    def parts(self) -> list[str]:
        """The parts of the day it is open for some of (all of them when hours are not listed)."""
        return list(_parts(self.opens, self.closes))


@functools.lru_cache(maxsize=1024)
def _parts(opens: datetime.time | None, closes: datetime.time | None) -> tuple[str, ...]:
    if opens is None:
        return tuple(name for name, _, _ in PARTS)
    # Closing at or before opening runs past midnight: open until the day's end.
    closes = closes if closes is not None and closes > opens else datetime.time.max
    return tuple(name for name, start, end in PARTS if opens < end and closes > start)


@dataclass(frozen=True)
class Candidate:
    """A service as the ranking sees it. `distance_m` is to its nearest public place from the
    person's home (None: no home position, or no place to go to: `has_place` says which)."""

    service_id: object
    name: str
    organisation_id: object = None
    organisation: str = ""
    in_category: bool = False
    category: str = ""
    words_match: bool = False
    has_place: bool = True
    distance_m: float | None = None
    openings: tuple[Opening, ...] = ()
    # "free", "paid" or "" (not listed), and what the listing says it costs.
    cost: str = ""
    cost_text: str = ""
    access: tuple[str, ...] = ()
    minimum_age: float | None = None
    maximum_age: float | None = None


@dataclass(frozen=True)
class Wishes:
    """What the person wants, as the practitioner records it on the suggestions page."""

    age: int | None = None
    home_known: bool = True
    slots: frozenset[Slot] = frozenset()
    free_first: bool = False
    needs: frozenset[Need] = frozenset()
    words: str = ""


@dataclass
class Suggestion:
    candidate: Candidate
    score: int = 0
    age_fits: bool = True
    fits: list[str] = field(default_factory=list)
    misfits: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple[bool, int, str, str]:
        return (not self.age_fits, -self.score, self.candidate.name, str(self.candidate.service_id))


def slots_in(text: str) -> frozenset[Slot]:
    """The slots a person's "when to contact them" names ("Weekday mornings", "evenings or
    weekends"), as a first guess the practitioner can change."""
    words = text.lower()
    found = set()
    if "weekend" in words or "saturday" in words or "sunday" in words:
        found.add(Slot.WEEKENDS)
    for part in ("morning", "afternoon", "evening"):
        if part in words:
            found.add(_SLOT_OF[("weekday", part)])
    return frozenset(found)


def age_on(date_of_birth: datetime.date, today: datetime.date) -> int:
    before_birthday = (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - before_birthday


def distance_text(metres: float) -> str:
    km = metres / 1000
    if km < 0.1:
        return "Less than 0.1 km from home"
    return f"{km:.1f} km from home" if km < 10 else f"{km:.0f} km from home"


@functools.lru_cache(maxsize=1024)
def ages_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"For ages {low:.0f} to {high:.0f}"
    if low is not None:
        return f"For ages {low:.0f} and over"
    return f"For ages up to {high:.0f}"


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


# Services share their opening times (Monday to Friday, 9 to 5) as candidates share a person's
# slots: each pair is worked out once, not for each of a directory's 1,400 services.
@functools.lru_cache(maxsize=4096)
def _suiting_times(openings: tuple[Opening, ...], slots: frozenset[Slot]) -> str:
    """The times that suit, as a person says them: "Tuesday and Thursday mornings, Saturdays"."""
    by_part: dict[str, set[str]] = {}
    weekend_days: set[str] = set()
    for opening in openings:
        codes = {d[-2:] for d in opening.days}
        for part in opening.parts():
            if _SLOT_OF[("weekday", part)] in slots:
                by_part.setdefault(part, set()).update(codes & WEEKDAYS)
        if Slot.WEEKENDS in slots:
            weekend_days |= codes & WEEKEND
    order = list(DAY_NAMES)
    phrases = []
    for part, _, _ in PARTS:
        days = sorted(by_part.get(part, ()), key=order.index)
        if days:
            phrases.append(f"{_and([DAY_NAMES[d] for d in days])} {part}s")
    days = sorted(weekend_days, key=order.index)
    if days:
        phrases.append(_and([f"{DAY_NAMES[d]}s" for d in days]))
    return ", ".join(phrases)


def meets(need: Need, access: Iterable[str]) -> bool:
    lowered = [text.lower() for text in access]
    return any(word in text for text in lowered for word in NEED_WORDS[need])


# Places share their accessibility records as people share their needs: each pair is worked
# out once. Plain values in, plain values out, so nothing here can go stale.
@functools.lru_cache(maxsize=4096)
def _needs_met(access: tuple[str, ...], needs: frozenset[Need]) -> tuple[tuple[Need, bool], ...]:
    """Each need asked for, in the order a practitioner reads them, and whether it is met."""
    return tuple((need, meets(need, access)) for need in _NEED_ORDER if need in needs)


@functools.lru_cache(maxsize=64)
def _not_open_text(slots: frozenset[Slot]) -> str:
    chosen = [slot.label.lower() for slot in Slot if slot in slots]
    return f"Not open when it suits them ({_and(chosen)})"


def score(candidate: Candidate, wishes: Wishes) -> Suggestion:
    """How well one service fits, and why, in plain words."""
    s = Suggestion(candidate)
    if candidate.in_category:
        s.score += IN_CATEGORY
        if candidate.category:
            s.fits.append(f"Helps with {candidate.category.lower()}")
    if candidate.words_match and wishes.words:
        s.score += WORDS_MATCH
        s.fits.append(f"Mentions “{wishes.words}”")

    if not candidate.has_place:
        s.score += NO_PLACE_TO_GO
        s.notes.append("By phone or online: no place to travel to")
    elif candidate.distance_m is None:
        s.notes.append(
            "Distance not known: no postcode for their home"
            if not wishes.home_known
            else "Distance not known: no address for the place"
        )
    else:
        km = candidate.distance_m / 1000
        s.score += round(NEAR_AT_MOST * max(0.0, 1 - km / NEAR_WITHIN_KM))
        (s.fits if km <= NEAR_KM else s.misfits).append(distance_text(candidate.distance_m))

    if wishes.slots:
        if not candidate.openings:
            s.notes.append("Opening times not listed")
        elif suiting := _suiting_times(tuple(candidate.openings), frozenset(wishes.slots)):
            s.score += TIMES_SUIT
            s.fits.append(suiting)
        else:
            s.score += TIMES_DO_NOT_SUIT
            s.misfits.append(_not_open_text(frozenset(wishes.slots)))

    if candidate.cost == "free":
        s.score += FREE_WANTED if wishes.free_first else FREE
        s.fits.append("Free")
    elif candidate.cost == "paid":
        if wishes.free_first:
            s.score += PAID_BUT_FREE_WANTED
            s.misfits.append(
                f"Not free: {candidate.cost_text}" if candidate.cost_text else "Not free"
            )
        else:
            s.notes.append(
                f"Costs: {candidate.cost_text}" if candidate.cost_text else "Costs money"
            )
    else:
        s.notes.append("Cost not listed")

    needs_met = (
        _needs_met(tuple(candidate.access), frozenset(wishes.needs))
        if wishes.needs and candidate.has_place
        else ()
    )
    for need, met in needs_met:
        if met:
            s.score += NEED_MET
            s.fits.append(need.label)
        else:
            s.score += NEED_NOT_MET
            s.misfits.append(f"{need.label}: not listed")

    low, high = candidate.minimum_age, candidate.maximum_age
    if low is not None or high is not None:
        limits = ages_text(low, high)
        if wishes.age is None:
            s.notes.append(limits)
        else:
            s.age_fits = (low is None or wishes.age >= low) and (high is None or wishes.age <= high)
            (s.fits if s.age_fits else s.misfits).append(f"{limits}: they are {wishes.age}")
    return s


def rank(candidates: Iterable[Candidate], wishes: Wishes) -> list[Suggestion]:
    """Every candidate scored, best first (see the module's docstring for the order)."""
    return sorted((score(c, wishes) for c in candidates), key=_order)


def _order(s: Suggestion) -> tuple[bool, int, str, str]:
    """Suggestion.sort_key, without looking up a property for each of a thousand services."""
    return (not s.age_fits, -s.score, s.candidate.name, str(s.candidate.service_id))


# Figures about an organisation from fewer referrals than this are withheld: a median of three
# answers says little, and a rate from a handful can point at one person's referral.
MIN_REFERRALS = 8
# Statuses a referral reaches only once accepted.
_ACCEPTED = frozenset({"accepted", "in-progress", "on-hold", "completed", "failed"})


@dataclass(frozen=True)
class PastReferral:
    requested_on: datetime.date
    answered_on: datetime.date | None
    status: str


@dataclass(frozen=True)
class OrganisationFigures:
    """How an organisation has answered referrals: median working days to its first answer,
    and the share it accepted. None where based on fewer than MIN_REFERRALS referrals."""

    answered: int
    median_working_days: float | None
    acceptance_rate: float | None

    @property
    def response_text(self) -> str:
        if self.median_working_days is None:
            return "Not enough referrals yet"
        days = self.median_working_days
        shown = f"{days:.0f}" if days == int(days) else f"{days:.1f}"
        return f"{shown} working day{'' if shown == '1' else 's'} to answer (median)"

    @property
    def acceptance_text(self) -> str:
        if self.acceptance_rate is None:
            return "Not enough referrals yet"
        return f"Accepts {self.acceptance_rate:.0%} of referrals"


def organisation_figures(referrals: Iterable[PastReferral]) -> OrganisationFigures:
    days: list[int] = []
    accepted = decided = 0
    for r in referrals:
        # A referral marked entered-in-error was a mistake: it says nothing about the answer.
        if r.answered_on is None or r.status == "entered-in-error":
            continue
        days.append(max(0, working_days_between(r.requested_on, r.answered_on)))
        decided += 1
        accepted += r.status in _ACCEPTED
    enough = decided >= MIN_REFERRALS
    return OrganisationFigures(
        answered=decided,
        median_working_days=float(statistics.median(days)) if enough else None,
        acceptance_rate=accepted / decided if enough else None,
    )
