"""The directory's searches: the filters of the Open Referral UK API, as querysets.

Used by the feed (thedeal.directory.api) and, later, the resident-facing search pages, so the
two always agree about what "near WN1 1AA" or "open on Mondays" means.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from thedeal.directory import geography, search
from thedeal.directory.models import (
    Attribute,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)


@dataclass(frozen=True)
class Near:
    """A point on the National Grid and, optionally, a radius in metres."""

    easting: int
    northing: int
    within_m: float | None = None


@dataclass(frozen=True)
class Filters:
    """What a search asks for. Every field is optional; together they combine with AND."""

    search: str | None = None
    taxonomy_term_id: UUID | None = None
    taxonomy_id: UUID | None = None
    organization_id: UUID | None = None
    modified_after: datetime.datetime | None = None
    # The UK profile's meanings: services whose minimum_age is at least this...
    minimum_age: float | None = None
    # ...whose maximum_age is at most this...
    maximum_age: float | None = None
    # ...with a schedule on this day (RFC 5545 code, e.g. "MO") that opens at or after
    # start_time and closes at or before end_time (all on the same schedule).
    day: str | None = None
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    near: Near | None = None


def services(filters: Filters) -> QuerySet[Service]:
    """Services matching the filters: by relevance when searching, else by name."""
    queryset = Service.objects.all()
    queryset = _service_conditions(queryset, filters, prefix="")
    if filters.search:
        queryset = search.matching(
            queryset, filters.search, service_column='"directory_service"."id"'
        )
        return queryset.order_by("search_rank", "name", "id")
    return queryset.order_by("name", "id")


def services_at_locations(filters: Filters) -> QuerySet[ServiceAtLocation]:
    """Services at locations matching the filters.

    Near a point: nearest first (then by relevance), only physical locations, and never a
    confidential one, so no distance to a refuge can be measured. Otherwise confidential
    locations are still left out: they are never published at all.
    """
    # The inner join also drops links to locations that are not in the directory.
    queryset = ServiceAtLocation.objects.filter(location__confidential=False)
    queryset = _service_conditions(queryset, filters, prefix="service__")
    order: list[str] = []
    if filters.near is not None:
        near = filters.near
        queryset = queryset.filter(
            location__location_type=Location.LocationType.PHYSICAL,
            location__easting__isnull=False,
        )
        if near.within_m is not None:
            box = geography.bounding_box(near.easting, near.northing, near.within_m)
            queryset = queryset.filter(
                location__easting__gte=box[0],
                location__northing__gte=box[1],
                location__easting__lte=box[2],
                location__northing__lte=box[3],
            )
        dx = F("location__easting") - near.easting
        dy = F("location__northing") - near.northing
        queryset = queryset.annotate(distance_squared=dx * dx + dy * dy)
        if near.within_m is not None:
            queryset = queryset.filter(distance_squared__lte=near.within_m**2)
        order.append("distance_squared")
    if filters.search:
        queryset = search.matching(
            queryset, filters.search, service_column='"directory_serviceatlocation"."service_id"'
        )
        order.append("search_rank")
    return queryset.order_by(*order, "service__name", "id")


def _service_conditions(queryset: QuerySet, filters: Filters, *, prefix: str) -> QuerySet:
    """Apply the service-level filters; `prefix` reaches the service from the queryset's model."""
    service_ref = OuterRef(f"{prefix}id" if prefix else "id")
    if filters.organization_id is not None:
        queryset = queryset.filter(**{f"{prefix}organization_id": filters.organization_id})
    if filters.modified_after is not None:
        queryset = queryset.filter(**{f"{prefix}last_modified__gte": filters.modified_after})
    if filters.minimum_age is not None:
        queryset = queryset.filter(**{f"{prefix}minimum_age__gte": filters.minimum_age})
    if filters.maximum_age is not None:
        queryset = queryset.filter(**{f"{prefix}maximum_age__lte": filters.maximum_age})
    if filters.taxonomy_term_id is not None:
        queryset = queryset.filter(
            Exists(
                Attribute.objects.filter(
                    link_id=service_ref, taxonomy_term_id=filters.taxonomy_term_id
                )
            )
        )
    if filters.taxonomy_id is not None:
        terms = TaxonomyTerm.objects.filter(taxonomy_detail_id=filters.taxonomy_id)
        queryset = queryset.filter(
            Exists(Attribute.objects.filter(link_id=service_ref, taxonomy_term__in=terms))
        )
    if filters.day or filters.start_time or filters.end_time:
        schedules = Schedule.objects.filter(
            Q(service_id=service_ref) | Q(service_at_location__service_id=service_ref)
        )
        if filters.day:
            schedules = schedules.filter(byday__icontains=filters.day)
        if filters.start_time:
            schedules = schedules.filter(opens_at__gte=filters.start_time)
        if filters.end_time:
            schedules = schedules.filter(closes_at__lte=filters.end_time)
        queryset = queryset.filter(Exists(schedules))
    return queryset
