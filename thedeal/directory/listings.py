"""What a resident sees of a service: the listing on the public site, built for a page at a time.

Every query here leaves out confidential places (refuges, safe houses): not their address, their
opening times there, their accessibility, or a distance to them. A service that runs only at such
a place is still listed, with its phone number, as the feed lists it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Prefetch
from django.utils import timezone

from thedeal.directory import geography
from thedeal.directory.demo import PROVENANCE_TAXONOMY_NAME
from thedeal.directory.models import (
    Attribute,
    Location,
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
    def last_checked(self) -> datetime.date | None:
        return self.service.assured_date

    @property
    def out_of_date(self) -> bool:
        return self.service.is_stale(timezone.localdate())


# What a search result shows of a service; its own page reads every field.
BRIEF_FIELDS = ("id", "name", "description", "status", "assured_date", "fees_description",
                "organization_id", "organization__name")  # fmt: skip
BRIEF_PLACE_FIELDS = ("id", "service_id", "location_id", "location__name", "location__easting",
                      "location__northing", "location__latitude", "location__longitude")  # fmt: skip


def listings(
    service_ids: list[UUID], *, near: geography.Postcode | None = None, brief: bool = False
) -> list[Listing]:
    """The listings of these services, in this order, with their places nearest first.
    `brief` reads only what a search result shows (a results page reads 20 at once)."""
    places = (
        ServiceAtLocation.objects.filter(location__confidential=False)
        .select_related("location")
        .prefetch_related("location__addresses", "location__accessibility")
    )
    services = Service.objects.filter(pk__in=service_ids)
    schedules, phones = _published_schedules(), _published_phones()
    if brief:
        places = places.only(*BRIEF_PLACE_FIELDS)
        services = services.only(*BRIEF_FIELDS)
        schedules = schedules.only("id", "service_id", "description", "byday", "freq",
                                   "opens_at", "closes_at")  # fmt: skip
        phones = phones.only("id", "service_id", "number")
    services = services.select_related("organization").prefetch_related(
        Prefetch("service_at_locations", queryset=places, to_attr="published_places"),
        "cost_options",
        Prefetch("schedules", queryset=_published_schedules(), to_attr="published_schedules"),
        Prefetch("phones", queryset=_published_phones(), to_attr="published_phones"),
    )
    categories: dict[UUID, list[str]] = {}
    # A search result does not show its categories; the service's page does.
    for link_id, name in (
        []
        if brief
        else (
            Attribute.objects.filter(link_id__in=service_ids, taxonomy_term__isnull=False)
            .exclude(taxonomy_term__taxonomy_detail__name=PROVENANCE_TAXONOMY_NAME)
            .values_list("link_id", "taxonomy_term__name")
        )
    ):
        categories.setdefault(link_id, []).append(name)
    by_id = {service.pk: service for service in services}
    return [_listing(by_id[i], near, categories.get(i, [])) for i in service_ids if i in by_id]


def listing(service: Service) -> Listing:
    (found,) = listings([service.pk])
    return found


def _published_schedules():
    # A schedule at a confidential place would say when someone is at a refuge.
    return Schedule.objects.exclude(location__confidential=True).exclude(
        service_at_location__location__confidential=True
    )


def _published_phones():
    # The service's own numbers, as the feed publishes them; numbers of a confidential place
    # alone (its manager's mobile) are not the service's.
    return Phone.objects.filter(service__isnull=False)


def _listing(service: Service, near: geography.Postcode | None, categories: list[str]) -> Listing:
    places = []
    accessibility: list[str] = []
    for link in service.published_places:
        location = link.location
        places.append(Place(location, address_of(location), _miles(location, near)))
        for item in location.accessibility.all():
            text = " ".join(part for part in (item.description, item.details) if part)
            if text and text not in accessibility:
                accessibility.append(text)
    if near is not None:
        places.sort(key=lambda p: (p.distance_miles is None, p.distance_miles or 0))
    times = []
    for schedule in service.published_schedules:
        text = schedule.describe()
        if text and text not in times:
            times.append(text)
    return Listing(
        service=service,
        places=places,
        opening_times=times,
        costs=[c.describe() for c in service.cost_options.all() if c.describe()]
        or ([service.fees_description] if service.fees_description else []),
        accessibility=accessibility,
        phones=list(dict.fromkeys(p.number for p in service.published_phones if p.number)),
        categories=sorted(set(categories)),
    )


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
