"""Reading the directory into the ranking's candidates (casework.suggestions), a few queries
for all of them at once, and each organisation's past referrals into its figures.

Only active services, and never one with anything at a confidential place (a refuge or safe
house): a suggestion shows places and distances, and a practitioner's printout or email must
never carry a refuge's service, address or hours to someone it was not meant for. That is
stricter than the public directory, which lists such a service with its helpline: a
practitioner who needs a refuge goes through its referral line, not a suggestion list.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

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


def candidates(
    ask: Ask, *, home: geography.Postcode | None, only: Iterable[uuid.UUID] | None = None
) -> list[suggestions.Candidate]:
    in_category: set[uuid.UUID] = set()
    if ask.category is not None:
        term_ids = [ask.category.pk, *ask.category.children.values_list("pk", flat=True)]
        in_category = set(
            Attribute.objects.filter(taxonomy_term_id__in=term_ids, link_id__isnull=False)
            .values_list("link_id", flat=True)
            .distinct()
        )
    matching: set[uuid.UUID] = set()
    if ask.words.strip():
        matching = set(search.ranked_ids(ask.words, offset=0, limit=MOST_WORD_MATCHES))

    services = Service.objects.filter(status=Service.Status.ACTIVE).exclude(
        pk__in=ServiceAtLocation.objects.filter(location__confidential=True).values("service_id")
    )
    if only is not None:
        services = services.filter(pk__in=list(only))
    elif ask.category is not None or ask.words.strip():
        services = services.filter(pk__in=in_category | matching)
    rows = list(
        services.values_list(
            "id", "name", "organization_id", "organization__name", "minimum_age",
            "maximum_age", "fees_description",
        )
    )  # fmt: skip
    if not rows:
        return []
    # The same services, as a subquery for the queries below: the database reads them again
    # faster than a list of a thousand ids can be sent to it.
    ids = services.values("id")

    places: dict[uuid.UUID, list[tuple[uuid.UUID, int | None, int | None]]] = {}
    for service_id, location_id, kind, easting, northing in ServiceAtLocation.objects.filter(
        service_id__in=ids, location__confidential=False
    ).values_list(
        "service_id", "location_id", "location__location_type", "location__easting",
        "location__northing",
    ):  # fmt: skip
        if kind == Location.LocationType.PHYSICAL:
            places.setdefault(service_id, []).append((location_id, easting, northing))
    access: dict[uuid.UUID, list[str]] = {}
    for location_id, description, details in Accessibility.objects.filter(
        location_id__in=ServiceAtLocation.objects.filter(service_id__in=ids).values("location_id")
    ).values_list("location_id", "description", "details"):
        access.setdefault(location_id, []).append(f"{description} {details}".strip())

    openings: dict[uuid.UUID, list[suggestions.Opening]] = {}
    for own, at_place, byday, opens, closes in Schedule.objects.filter(
        service_id__in=ids
    ).values_list(
        "service_id", "service_at_location__service_id", "byday", "opens_at", "closes_at"
    ):
        _add_opening(openings, own or at_place, byday, opens, closes)
    for own, at_place, byday, opens, closes in Schedule.objects.filter(
        service_id__isnull=True, service_at_location__service_id__in=ids
    ).values_list(
        "service_id", "service_at_location__service_id", "byday", "opens_at", "closes_at"
    ):
        _add_opening(openings, own or at_place, byday, opens, closes)

    costs: dict[uuid.UUID, list[tuple]] = {}
    for service_id, *option in CostOption.objects.filter(service_id__in=ids).values_list(
        "service_id", "amount", "currency", "option", "amount_description"
    ):
        costs.setdefault(service_id, []).append(tuple(option))

    category_name = ask.category.name if ask.category is not None else ""
    result = []
    for service_id, name, org_id, org_name, low, high, fees in rows:
        at = places.get(service_id, [])
        distance = None
        if home is not None:
            measured = [
                geography.distance_m(home.easting, home.northing, e, n)
                for _, e, n in at
                if e is not None
            ]
            distance = min(measured) if measured else None
        cost, cost_text = _cost(costs.get(service_id, []), fees)
        result.append(
            suggestions.Candidate(
                service_id=service_id,
                name=name,
                organisation_id=org_id,
                organisation=org_name or "",
                in_category=service_id in in_category,
                category=category_name,
                words_match=service_id in matching,
                has_place=bool(at),
                distance_m=distance,
                openings=tuple(openings.get(service_id, ())),
                cost=cost,
                cost_text=cost_text,
                access=tuple(
                    text for location_id, _, _ in at for text in access.get(location_id, [])
                ),
                minimum_age=low,
                maximum_age=high,
            )
        )
    return result


def _add_opening(openings, service_id, byday, opens, closes) -> None:
    days = frozenset(d.strip().upper()[-2:] for d in (byday or "").split(",") if d.strip())
    if days:
        openings.setdefault(service_id, []).append(suggestions.Opening(days, opens, closes))


def _cost(options: list[tuple], fees: str) -> tuple[str, str]:
    """("free" | "paid" | "", what it costs in words), from (amount, currency, option,
    description) rows."""
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
