"""Reading the directory into the ranking's candidates (casework.suggestions), a few queries
for all of them at once, and each organisation's past referrals into its figures.

Only active services, and never one with anything at a confidential place (a refuge or safe
house): a suggestion shows places and distances, and a practitioner's printout or email must
never carry a refuge's service, address or hours to someone it was not meant for. That is
stricter than the public directory, which lists such a service with its helpline: a
practitioner who needs a refuge goes through its referral line, not a suggestion list.
"""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from thedeal import geography
from thedeal.casework import suggestions
from thedeal.casework.models import Direction, Person, Referral
from thedeal.directory import search
from thedeal.directory.models import (
    Accessibility,
    Attribute,
    CostOption,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)

# How many services a search by words may bring in: more than the demo's whole directory.
MOST_WORD_MATCHES = 5000


@dataclass(frozen=True)
class Ask:
    """What to suggest for: the help wanted (a category, with the terms under it), words, how
    far at most, and the person's wishes for the ranking."""

    category: TaxonomyTerm | None = None
    words: str = ""
    within_km: float | None = None
    slots: frozenset[suggestions.Slot] = frozenset()
    free_first: bool = False
    needs: frozenset[suggestions.Need] = frozenset()


def home_of(person: Person) -> geography.Postcode | None:
    return geography.lookup_postcode(person.postcode) if person.postcode else None


def suggest(
    person: Person, ask: Ask, *, only: Iterable[uuid.UUID] | None = None
) -> list[suggestions.Suggestion]:
    """The services for this person and ask, best first; `only` narrows to some services (the
    one being signposted or referred to, to say again why it was suggested)."""
    home = home_of(person)
    today = timezone.localdate()
    wishes = suggestions.Wishes(
        age=suggestions.age_on(person.date_of_birth, today),
        home_known=home is not None,
        slots=ask.slots,
        free_first=ask.free_first,
        needs=ask.needs,
        words=ask.words,
    )
    found = candidates(ask, home=home, only=only)
    ranked = suggestions.rank(found, wishes)
    if ask.within_km is not None:
        limit = ask.within_km * 1000
        # Online and phone services are as near as anything; places beyond the limit go.
        ranked = [
            s for s in ranked if s.candidate.distance_m is None or s.candidate.distance_m <= limit
        ]
    return ranked


def _db(value: uuid.UUID) -> Any:
    """A UUID as the database holds it (hex text on SQLite, uuid on PostgreSQL)."""
    return Service._meta.pk.get_db_prep_value(value, connection)


# Ids as the database holds them, turned into UUIDs once each: the same few thousand services
# and organisations are read again for every goal.
@functools.lru_cache(maxsize=16384)
def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


# A directory repeats a few patterns of days and hours (Monday to Friday, 9 to 5) across
# hundreds of services: each pattern is read once, and is the same Opening each time. Kept
# between requests: an Opening is made from these three values alone, so it cannot go stale.
@functools.lru_cache(maxsize=4096)
def _opening(byday: str | None, opens: Any, closes: Any) -> suggestions.Opening | None:
    days = frozenset(d.strip().upper()[-2:] for d in (byday or "").split(",") if d.strip())
    return suggestions.Opening(days, _time(opens), _time(closes)) if days else None


def _time(value: Any) -> datetime.time | None:
    if value is None or isinstance(value, datetime.time):
        return value
    return datetime.time.fromisoformat(str(value))


def candidates(
    ask: Ask, *, home: geography.Postcode | None, only: Iterable[uuid.UUID] | None = None
) -> list[suggestions.Candidate]:
    """The services to rank, with what the ranking weighs, read in five queries.

    Written in SQL rather than with the ORM: a goal's category can hold hundreds of services,
    each with places, hours and costs, and compiling the queries and turning every id into a
    UUID would cost more than running them (as in directory.queries). Ids stay as the database
    holds them until the end. The services chosen are one set of conditions, so each query
    reads them the same way: active, with nothing at a confidential place, and in the category
    or matching the words (or `only` those asked for).

    For any kind of help (no category, words or `only`) the chosen are nearly the whole
    directory: the places, times and prices are read for every service, which costs the
    database less than working out again which were chosen, and those of services not chosen
    (closed, or at a refuge) are never read back out of the dictionaries below.
    """
    t = {
        model.__name__: model._meta.db_table
        for model in (Service, ServiceAtLocation, Location, Accessibility, Schedule, CostOption)
    }
    t["Attribute"] = Attribute._meta.db_table
    t["Organization"] = Service._meta.get_field("organization").related_model._meta.db_table
    # The places that are confidential first: a handful, found by their own index.
    where = (
        "s.status = %s AND s.id NOT IN ("
        f"SELECT sal.service_id FROM {t['ServiceAtLocation']} sal WHERE sal.location_id IN "
        f"(SELECT l.id FROM {t['Location']} l WHERE l.confidential = %s) "
        "AND sal.service_id IS NOT NULL)"
    )
    params: list[Any] = [Service.Status.ACTIVE.value, True]
    term_ids: list[Any] = []
    if ask.category is not None:
        term_ids = [ask.category.pk, *ask.category.children.values_list("pk", flat=True)]
    in_terms = (
        f"s.id IN (SELECT link_id FROM {t['Attribute']} WHERE taxonomy_term_id IN "
        f"({', '.join(['%s'] * len(term_ids))}))"
    )
    matching: set[Any] = set()
    if ask.words.strip():
        matching = {_db(i) for i in search.ranked_ids(ask.words, offset=0, limit=MOST_WORD_MATCHES)}
    narrowed = True
    if only is not None:
        wanted = [_db(i) for i in only] or [None]
        where += f" AND s.id IN ({', '.join(['%s'] * len(wanted))})"
        params += wanted
    elif term_ids or matching:
        either = []
        if term_ids:
            either.append(in_terms)
            params += [_db(i) for i in term_ids]
        if matching:
            either.append(f"s.id IN ({', '.join(['%s'] * len(matching))})")
            params += sorted(matching, key=str)
        where += f" AND ({' OR '.join(either)})"
    elif ask.category is not None or ask.words.strip():
        return []  # a category with nothing in it, or words that match nothing
    else:
        narrowed = False
    chosen = f"SELECT s.id FROM {t['Service']} s WHERE {where}"

    def among(column: str) -> str:
        """A condition on a service id: one of the chosen (or any, for any kind of help)."""
        return f"{column} IN (SELECT id FROM chosen)" if narrowed else f"{column} IS NOT NULL"

    def rows(select: str, extra: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            if narrowed:
                cursor.execute(f"WITH chosen AS ({chosen}) {select}", [*params, *extra])
            else:
                cursor.execute(select, extra)
            return cursor.fetchall()

    # Whether each is in the goal's category comes with the service: the same subquery that
    # chose it (when words chose it, it may not be).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.id, s.name, s.organization_id, o.name, s.minimum_age, s.maximum_age, "
            f"s.fees_description, {in_terms if term_ids else '0'} "
            f"FROM {t['Service']} s LEFT JOIN {t['Organization']} o "
            f"ON o.id = s.organization_id WHERE {where}",
            [*([_db(i) for i in term_ids] if term_ids else []), *params],
        )
        services = cursor.fetchall()
    if not services:
        return []
    places: dict[Any, list[tuple[Any, int | None, int | None]]] = {}
    for service_id, location_id, easting, northing in rows(
        f"SELECT sal.service_id, l.id, l.easting, l.northing FROM {t['ServiceAtLocation']} sal "
        f"JOIN {t['Location']} l ON l.id = sal.location_id "
        f"WHERE {among('sal.service_id')} AND l.location_type = %s",
        [Location.LocationType.PHYSICAL.value],
    ):
        places.setdefault(service_id, []).append((location_id, easting, northing))
    access: dict[Any, list[str]] = {}
    for location_id, description, details in rows(
        f"SELECT a.location_id, a.description, a.details FROM {t['Accessibility']} a "
        + (
            f"WHERE a.location_id IN (SELECT sal.location_id FROM {t['ServiceAtLocation']} sal "
            f"WHERE {among('sal.service_id')})"
            if narrowed
            else ""
        )
    ):
        access.setdefault(location_id, []).append(f"{description or ''} {details or ''}".strip())
    # A place's records as the tuple a candidate carries: most services have one place.
    access_of = {location_id: tuple(texts) for location_id, texts in access.items()}
    openings: dict[Any, list[suggestions.Opening]] = {}
    for service_id, byday, opens, closes in rows(
        # The hours as text: SQLite's driver would otherwise parse each row's times, and
        # each pattern of hours is parsed once (_opening). A time is the service's own or its
        # place's: two selects, as an OR of the two costs the database twice as much.
        "SELECT sc.service_id, sc.byday, CAST(sc.opens_at AS TEXT), CAST(sc.closes_at AS TEXT) "
        f"FROM {t['Schedule']} sc WHERE {among('sc.service_id')} "
        "UNION ALL "
        "SELECT sal.service_id, sc.byday, CAST(sc.opens_at AS TEXT), "
        f"CAST(sc.closes_at AS TEXT) FROM {t['Schedule']} sc "
        f"JOIN {t['ServiceAtLocation']} sal ON sal.id = sc.service_at_location_id "
        f"WHERE sc.service_id IS NULL AND {among('sal.service_id')}"
    ):
        if (opening := _opening(byday, opens, closes)) is not None:
            openings.setdefault(service_id, []).append(opening)
    costs: dict[Any, list[tuple[Any, ...]]] = {}
    for service_id, *option in rows(
        "SELECT c.service_id, c.amount, c.currency, c.option, c.amount_description "
        f"FROM {t['CostOption']} c WHERE {among('c.service_id')}"
    ):
        amount = option[0]
        option[0] = None if amount is None else Decimal(str(amount))
        costs.setdefault(service_id, []).append(tuple(option))

    category_name = ask.category.name if ask.category is not None else ""
    distance_m = geography.distance_m
    result = []
    for service_id, name, org_id, org_name, low, high, fees, in_category in services:
        distance = None
        texts: tuple[str, ...] = ()
        if at := places.get(service_id):
            if len(at) == 1:
                loc, e, n = at[0]
                if home is not None and e is not None:
                    distance = distance_m(home.easting, home.northing, e, n)
                texts = access_of.get(loc, ())
            else:
                if home is not None:
                    measured = [
                        distance_m(home.easting, home.northing, e, n)
                        for _, e, n in at
                        if e is not None
                    ]
                    distance = min(measured) if measured else None
                texts = tuple(text for loc, _, _ in at for text in access_of.get(loc, ()))
        cost, cost_text = _cost(tuple(costs.get(service_id, ())), fees or "")
        result.append(
            suggestions.Candidate(
                service_id=_uuid(service_id),
                name=name,
                organisation_id=_uuid(org_id) if org_id is not None else None,
                organisation=org_name or "",
                in_category=bool(in_category),
                category=category_name,
                words_match=service_id in matching,
                has_place=bool(at),
                distance_m=distance,
                openings=tuple(openings.get(service_id, ())),
                cost=cost,
                cost_text=cost_text,
                access=texts,
                minimum_age=low,
                maximum_age=high,
            )
        )
    return result


@functools.lru_cache(maxsize=4096)
def _cost(options: tuple[tuple, ...], fees: str) -> tuple[str, str]:
    """("free" | "paid" | "", what it costs in words), from (amount, currency, option,
    description) rows. Kept for the next service that says the same: most are free, or say
    nothing, and describing a price builds a model instance."""
    amounts = [o[0] for o in options if o[0] is not None]
    if amounts and all(a == 0 for a in amounts):
        return "free", "Free"
    if amounts:
        described = (
            CostOption(amount=a, currency=c, option=o, amount_description=d).describe()
            for a, c, o, d in options
            if a
        )
        return "paid", " ".join(described)
    if fees.strip().lower().rstrip(".") == "free":
        return "free", "Free"
    return ("paid", fees.strip()) if fees.strip() else ("", "")


def organisation_figures(
    organisation_ids: Iterable[object],
) -> dict[object, suggestions.OrganisationFigures]:
    """Each organisation's response time and acceptance rate over the referrals sent to it."""
    past: dict[object, list[suggestions.PastReferral]] = {i: [] for i in organisation_ids}
    rows = Referral.objects.filter(
        direction=Direction.OUTBOUND, performer_organization_id__in=list(past)
    ).values_list("performer_organization_id", "requested_at", "answered_at", "status")
    for org_id, requested_at, answered_at, status in rows:
        past[org_id].append(
            suggestions.PastReferral(
                requested_on=timezone.localdate(requested_at),
                answered_on=timezone.localdate(answered_at) if answered_at else None,
                status=status,
            )
        )
    return {org_id: suggestions.organisation_figures(found) for org_id, found in past.items()}
