"""What a resident sees of a service: the listing on the public site, built for a page at a time.

Nothing attached to a confidential place (refuges, safe houses) is shown: not its address, its
opening times, its phone numbers, its accessibility, or a distance to it; publication.py decides,
as it does for the feed. A service that runs only at such a place is still listed, with its own
phone number, as the feed lists it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Prefetch, Q
from django.utils import timezone

from thedeal import geography
from thedeal.directory import publication
from thedeal.directory.demo import PROVENANCE_TAXONOMY_NAME
from thedeal.directory.models import (
    Accessibility,
    Address,
    Attribute,
    CostOption,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)

METRES_PER_MILE = 1609.344


@dataclass
class Place:
    location: Location
    address: str
    distance_miles: float | None = None

    @property
    def distance(self) -> str:
        """'0.4 miles', '3 miles'; empty when no distance was asked for."""
        if self.distance_miles is None:
            return ""
        miles = self.distance_miles
        if miles < 0.1:
            return "less than 0.1 miles"
        shown = f"{miles:.1f}" if miles < 10 else f"{miles:.0f}"
        return f"{shown} mile{'' if shown == '1.0' else 's'}"


@dataclass
class Listing:
    service: Service
    places: list[Place] = field(default_factory=list)
    opening_times: list[str] = field(default_factory=list)
    costs: list[str] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    @property
    def nearest(self) -> Place | None:
        return self.places[0] if self.places else None

    @property
    def ages(self) -> str:
        """'Ages 4 to 16', 'Ages 16 and over', 'Ages up to 5'; empty when the service's own
        words already say them ("Children aged 4 to 16."), so a resident reads them once."""
        low, high = self.service.minimum_age, self.service.maximum_age
        numbers = [f"{age:.0f}" for age in (low, high) if age is not None]
        if not numbers:
            return ""
        said = re.findall(r"\d+", self.service.eligibility_description or "")
        if all(number in said for number in numbers):
            return ""
        if low is not None and high is not None:
            return f"Ages {low:.0f} to {high:.0f}"
        if low is not None:
            return f"Ages {low:.0f} and over"
        return f"Ages up to {high:.0f}"

    @property
    def last_checked(self) -> datetime.date | None:
        return self.service.assured_date

    @property
    def out_of_date(self) -> bool:
        return self.service.is_stale(timezone.localdate())


def listings(
    service_ids: list[UUID], *, near: geography.Postcode | None = None, brief: bool = False
) -> list[Listing]:
    """The listings of these services, in this order, with their places nearest first.
    `brief` reads only what a search result shows, as plain rows (see _brief_listings)."""
    if brief:
        return _brief_listings(service_ids, near)
    # Everything in one order (by id) on both paths, so a result and its page agree.
    places = (
        publication.public_services_at_locations(ServiceAtLocation.objects.all())
        .select_related("location")
        .order_by("id")
        .prefetch_related(
            Prefetch("location__addresses", queryset=Address.objects.order_by("id")),
            Prefetch("location__accessibility", queryset=Accessibility.objects.order_by("id")),
            Prefetch("schedules", queryset=Schedule.objects.order_by("id")),
        )
    )
    services = (
        Service.objects.filter(pk__in=service_ids)
        .select_related("organization")
        .prefetch_related(
            Prefetch("service_at_locations", queryset=places, to_attr="published_places"),
            Prefetch("cost_options", queryset=CostOption.objects.order_by("id")),
            Prefetch("schedules", queryset=Schedule.objects.order_by("id")),
            Prefetch("phones", queryset=Phone.objects.order_by("id")),
        )
    )
    unpublished = publication.Unpublished()
    categories: dict[UUID, list[str]] = {}
    for link_id, name in (
        Attribute.objects.filter(link_id__in=service_ids, taxonomy_term__isnull=False)
        .exclude(taxonomy_term__taxonomy_detail__name=PROVENANCE_TAXONOMY_NAME)
        .values_list("link_id", "taxonomy_term__name")
    ):
        categories.setdefault(link_id, []).append(name)
    by_id = {service.pk: service for service in services}
    return [
        _listing(by_id[i], near, categories.get(i, []), unpublished)
        for i in service_ids
        if i in by_id
    ]


def listing(service: Service) -> Listing:
    (found,) = listings([service.pk])
    return found


def _listing(
    service: Service,
    near: geography.Postcode | None,
    categories: list[str],
    unpublished: publication.Unpublished,
) -> Listing:
    places = [
        Place(link.location, address_of(link.location), _miles(link.location, near))
        for link in service.published_places
    ]
    if near is not None:
        places.sort(key=lambda p: (p.distance_miles is None, p.distance_miles or 0))
    # The nearest place's access first.
    accessibility: list[str] = []
    for place in places:
        for item in place.location.accessibility.all():
            text = " ".join(part for part in (item.description, item.details) if part)
            if text and text not in accessibility:
                accessibility.append(text)
    # The service's own hours, then its hours at each place (HSDS holds both; imports often use
    # only the second), each once.
    schedules = [(schedule, None) for schedule in service.schedules.all()]
    several = len(places) > 1
    for link in service.published_places:
        # (One linked to the service as well is already there.)
        schedules += [
            (s, link.location.name if several else None)
            for s in link.schedules.all()
            if s.service_id is None
        ]
    times: list[str] = []
    for schedule, at in schedules:
        if unpublished.hides("schedule", schedule):
            continue
        text = opening_time(schedule.describe(), at)
        if text and text not in times:
            times.append(text)
    return Listing(
        service=service,
        places=places,
        opening_times=times,
        costs=[c.describe() for c in service.cost_options.all() if c.describe()]
        or ([service.fees_description] if service.fees_description else []),
        accessibility=accessibility,
        phones=list(
            dict.fromkeys(
                p.number for p in unpublished.keep("phone", service.phones.all()) if p.number
            )
        ),
        categories=sorted(set(categories)),
    )


def sentence(text: str) -> str:
    """One clean sentence: a capital at the start and one full stop at the end, whatever
    punctuation an import left ("saturdays, 10am to 1pm.;" reads "Saturdays, 10am to 1pm.")."""
    text = " ".join(text.split()).rstrip(" .;,:")
    if not text:
        return ""
    return text[0].upper() + text[1:] + ("" if text[-1] in "!?" else ".")


def opening_time(described: str, at: str | None = None) -> str:
    """A schedule as a sentence, saying at which place when the service runs at several."""
    text = sentence(described)
    if text and at:
        return f"At {at}: {text}"
    return text


def address_of(location: Location) -> str:
    addresses = list(location.addresses.all())
    if not addresses:
        return ""
    a = addresses[0]
    return ", ".join(part for part in (a.address_1, a.address_2, a.city, a.postal_code) if part)


def _miles(location: Location, near: geography.Postcode | None) -> float | None:
    if near is None or location.easting is None:
        return None
    metres = geography.distance_m(near.easting, near.northing, location.easting, location.northing)
    return metres / METRES_PER_MILE


def _brief_listings(service_ids: list[UUID], near: geography.Postcode | None) -> list[Listing]:
    """Search results: the same listings as `listings` gives, less the categories and contact
    details a result does not show, read as rows rather than through the ORM's related objects
    (a results page is the site's busiest, and this halves its time)."""
    services = {
        row["id"]: Service(
            **{k: v for k, v in row.items() if k != "organization__name"},
            organization=Organization(id=row["organization_id"], name=row["organization__name"])
            if row["organization_id"]
            else None,
        )
        for row in Service.objects.filter(pk__in=service_ids).values(
            "id", "name", "description", "status", "assured_date", "fees_description",
            "organization_id", "organization__name",
        )
    }  # fmt: skip
    places: dict[UUID, list[Location]] = {}
    for row in (
        publication.public_services_at_locations(
            ServiceAtLocation.objects.filter(service_id__in=service_ids)
        )
        .order_by("id")
        .values("service_id", "location_id", "location__name", "location__easting",
                "location__northing", "location__latitude", "location__longitude")
    ):  # fmt: skip
        places.setdefault(row["service_id"], []).append(
            Location(id=row["location_id"], name=row["location__name"],
                     easting=row["location__easting"], northing=row["location__northing"],
                     latitude=row["location__latitude"], longitude=row["location__longitude"])
        )  # fmt: skip
    location_ids = {location.pk for found in places.values() for location in found}
    addresses: dict[UUID, str] = {}
    for row in (
        Address.objects.filter(location_id__in=location_ids)
        .order_by("id")
        .values("location_id", "address_1", "address_2", "city", "postal_code")
    ):
        parts = (row["address_1"], row["address_2"], row["city"], row["postal_code"])
        addresses.setdefault(row["location_id"], ", ".join(p for p in parts if p))
    access: dict[UUID, list[str]] = {}
    for row in (
        Accessibility.objects.filter(location_id__in=location_ids)
        .order_by("id")
        .values("location_id", "description", "details")
    ):
        text = " ".join(p for p in (row["description"], row["details"]) if p)
        if text:
            access.setdefault(row["location_id"], []).append(text)
    times: dict[UUID, list[str]] = {}
    unpublished = publication.Unpublished()
    # As `_listing` orders them: the service's own hours, then its hours at each place.
    rows = sorted(
        Schedule.objects.filter(
            Q(service_id__in=service_ids) | Q(service_at_location__service_id__in=service_ids)
        )
        .order_by("id")
        .values("service_id", "location_id", "service_at_location_id", "description", "byday",
                "freq", "opens_at", "closes_at", "service_at_location__service_id",
                "service_at_location__location_id", "service_at_location__id"),
        key=lambda row: (row["service_id"] is None, str(row["service_at_location__id"] or "")),
    )  # fmt: skip
    for row in rows:
        if unpublished.hides("schedule", row):
            continue
        at = None
        if row["service_id"] is None:
            service_id = row["service_at_location__service_id"]
            at_places = places.get(service_id, [])
            if len(at_places) > 1:
                at = next(
                    (p.name for p in at_places if p.pk == row["service_at_location__location_id"]),
                    None,
                )
        else:
            service_id = row["service_id"]
        for column in ("service_id", "location_id", "service_at_location_id",
                       "service_at_location__service_id", "service_at_location__location_id",
                       "service_at_location__id"):  # fmt: skip
            del row[column]
        text = opening_time(Schedule(**row).describe(), at)
        if text and text not in times.setdefault(service_id, []):
            times[service_id].append(text)
    costs: dict[UUID, list[str]] = {}
    for row in (
        CostOption.objects.filter(service_id__in=service_ids)
        .order_by("id")
        .values("service_id", "amount", "currency", "option", "amount_description")
    ):
        service_id = row.pop("service_id")
        if text := CostOption(**row).describe():
            costs.setdefault(service_id, []).append(text)
    results = []
    for service_id in service_ids:
        service = services.get(service_id)
        if service is None:
            continue
        found = [
            Place(location, addresses.get(location.pk, ""), _miles(location, near))
            for location in places.get(service_id, [])
        ]
        if near is not None:
            found.sort(key=lambda p: (p.distance_miles is None, p.distance_miles or 0))
        accessibility = list(
            dict.fromkeys(text for place in found for text in access.get(place.location.pk, []))
        )
        results.append(
            Listing(
                service=service,
                places=found,
                opening_times=times.get(service_id, []),
                costs=costs.get(service_id)
                or ([service.fees_description] if service.fees_description else []),
                accessibility=accessibility,
            )
        )
    return results
