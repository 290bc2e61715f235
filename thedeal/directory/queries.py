"""The directory's searches: the filters of the Open Referral UK API, as querysets.

Used by the feed (thedeal.directory.api) and, later, the resident-facing search pages, so the
two always agree about what "near WN1 1AA" or "open on Mondays" means.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from uuid import UUID

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery

from thedeal import geography
from thedeal.directory import publication, search, searchable
from thedeal.directory.models import (
    Attribute,
    Location,
    Schedule,
    Service,
    ServiceArea,
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
    # The resident site's meanings, beside the feed's: in any of these categories (a term or
    # any term under it)...
    term_ids: tuple[UUID, ...] | None = None
    # ...suitable for a person of this age (no minimum above it, no maximum below it)...
    suitable_for_age: float | None = None
    # ...and open for some of this window of the day (with `day`, on that day).
    open_between: tuple[datetime.time, datetime.time] | None = None


class InOrder:
    """Rows of a model for a list of ids, in that order: what a page of search results is."""

    def __init__(self, model: type[Service], ids: list[UUID]) -> None:
        self.model = model
        self.ids = ids

    def values_list(self, *fields: str) -> list[tuple[object, ...]]:
        found = {
            row[0]: row[1:]
            for row in self.model.objects.filter(pk__in=self.ids).values_list("pk", *fields)
        }
        return [found[i] for i in self.ids if i in found]


class RankedServices:
    """A search and nothing else, answered from the search index alone (see search.py).

    It pages and counts like a queryset (`[start:stop]`, `count()`), which is all the feed
    asks of one, so the common case never joins the index with the services table.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def count(self) -> int:
        return search.count(self.text)

    def __getitem__(self, page: slice) -> InOrder:
        start = page.start or 0
        return InOrder(Service, search.ranked_ids(self.text, offset=start, limit=page.stop - start))


def services(filters: Filters, *, shortcut: bool = True) -> QuerySet[Service] | RankedServices:
    """Services matching the filters: by relevance when searching, in categories by how well
    they match (see below), else by name.

    A search on its own takes a shortcut through the search index (`shortcut=False` turns it
    off, so tests can check that both ways give the same services in the same order).
    """
    if filters.search is not None and not searchable.words(filters.search):
        # Nothing searchable (only punctuation or symbols): nothing matches.
        return Service.objects.none()
    if shortcut and filters.search and replace(filters, search=None, near=None) == Filters():
        return RankedServices(filters.search)
    queryset = Service.objects.all()
    queryset = _service_conditions(queryset, filters, prefix="")
    if filters.search:
        queryset = search.matching(
            queryset, filters.search, service_column='"directory_service"."id"'
        )
        return queryset.order_by("search_rank", "search_order")
    if filters.term_ids:
        # A category's page, or a pledge's "What helps", with no words to rank by: what is in
        # more of the chosen categories first, then local before national (offered across a
        # whole nation: a helpline, a website), then A to Z.
        service_ref = OuterRef("id")
        matched = (
            Attribute.objects.filter(link_id=service_ref, taxonomy_term_id__in=filters.term_ids)
            .order_by()
            .values("link_id")
            .annotate(n=Count("taxonomy_term_id", distinct=True))
            .values("n")
        )
        national = Exists(
            ServiceArea.objects.filter(ServiceArea.national(), service_id=service_ref)
        )
        queryset = queryset.annotate(categories_matched=Subquery(matched), national=national)
        return queryset.order_by(
            F("categories_matched").desc(nulls_last=True), "national", "name", "id"
        )
    return queryset.order_by("name", "id")


class NearbyServicesAtLocations:
    """Services at the places near a point, nearest first, and nothing else asked.

    Places are few and services at them many (a community centre hosts dozens), so this reads
    the places in reach with the number of services at each (Location.service_count), and
    fetches only the page's services: it never counts or sorts every service in reach. The
    order is the same as the general query's: distance, then place, then id.
    """

    def __init__(self, near: Near) -> None:
        self.near = near
        self._places: list[tuple[int, object, int]] | None = None
        self._total = 0

    def places(self) -> list[tuple[int, object, int]]:
        """(squared distance, location id as the database holds it, services there), nearest first."""
        if self._places is None:
            near = self.near
            distance = "(easting - %s) * (easting - %s) + (northing - %s) * (northing - %s)"
            params: list[object] = [near.easting, near.easting, near.northing, near.northing]
            # NOT confidential: publication.py's rule for places, as SQL.
            where = "NOT confidential AND location_type = %s AND easting IS NOT NULL AND service_count > 0"
            params.append(Location.LocationType.PHYSICAL.value)
            if near.within_m is not None:
                box = geography.bounding_box(near.easting, near.northing, near.within_m)
                where += f" AND easting BETWEEN %s AND %s AND northing BETWEEN %s AND %s AND {distance} <= %s"
                params += [box.min_easting, box.max_easting, box.min_northing, box.max_northing]
                params += [
                    near.easting,
                    near.easting,
                    near.northing,
                    near.northing,
                    near.within_m**2,
                ]
            # Written out, not built with the ORM: this runs on every nearby search and returns
            # thousands of rows, so compiling the query and turning each id into a UUID would
            # cost more than running it. It is the same condition as _near(); the database's own
            # form of the id sorts as the UUID does (hex text on SQLite, uuid on PostgreSQL).
            sql = (
                f"SELECT {distance}, id, service_count FROM {Location._meta.db_table} WHERE {where}"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                self._places = sorted(cursor.fetchall())
            self._total = sum(n for _, _, n in self._places)
        return self._places

    def count(self) -> int:
        self.places()
        return self._total

    def __getitem__(self, page: slice) -> AtPlaces:
        start, stop = page.start or 0, page.stop
        chosen: list[UUID] = []
        skip = 0  # services of the first chosen place that come before `start`
        position = 0
        for _, place, n in self.places():
            if position + n > start:
                if not chosen:
                    skip = start - position
                chosen.append(place if isinstance(place, UUID) else UUID(str(place)))
            position += n
            if position >= stop:
                break
        return AtPlaces(chosen, skip=skip, limit=stop - start)


class AtPlaces:
    """The services-at-location of some places, place by place (in the given order) and by id
    within a place, skipping the first `skip`: one page of NearbyServicesAtLocations."""

    def __init__(self, places: list[UUID], *, skip: int, limit: int) -> None:
        self.places, self.skip, self.limit = places, skip, limit

    def values_list(self, *fields: str) -> list[tuple[object, ...]]:
        at_place: dict[UUID, list[tuple[object, ...]]] = {place: [] for place in self.places}
        rows = ServiceAtLocation.objects.filter(location_id__in=self.places).order_by("id")
        for place, *values in rows.values_list("location_id", *fields):
            at_place[place].append(tuple(values))
        ordered = [row for place in self.places for row in at_place[place]]
        return ordered[self.skip : self.skip + self.limit]


def services_at_locations(
    filters: Filters, *, shortcut: bool = True
) -> QuerySet[ServiceAtLocation] | NearbyServicesAtLocations:
    """Services at locations matching the filters.

    Near a point: nearest first (then by relevance), only physical locations, and never a
    confidential one, so no distance to a refuge can be measured. Otherwise confidential
    locations are still left out: they are never published at all.
    """
    if filters.search is not None and not searchable.words(filters.search):
        return ServiceAtLocation.objects.none()
    if shortcut and filters.near is not None and replace(filters, near=None) == Filters():
        return NearbyServicesAtLocations(filters.near)
    queryset = publication.public_services_at_locations(ServiceAtLocation.objects.all())
    queryset = _service_conditions(queryset, filters, prefix="service__")
    order: list[str] = []
    if filters.near is not None:
        queryset = _near(queryset, filters.near, prefix="location__")
        order.append("distance_squared")
    if filters.search:
        queryset = search.matching(
            queryset, filters.search, service_column='"directory_serviceatlocation"."service_id"'
        )
        order += ["search_rank", "search_order"]
    if filters.near is not None:
        # Ties (several services at one place) by place and id: ordering by service name would
        # join every service within the radius just to sort them.
        return queryset.order_by(*order, "location_id", "id")
    return queryset.order_by(*order, "service__name", "id")


def _near(queryset: QuerySet, near: Near, *, prefix: str) -> QuerySet:
    """Physical places within reach of the point, with their `distance_squared` (m²) to it.

    `prefix` reaches the location from the queryset's model. The box is an indexed prefilter
    (location_grid_idx); the circle is exact.
    """
    queryset = queryset.filter(
        **{
            f"{prefix}location_type": Location.LocationType.PHYSICAL,
            f"{prefix}easting__isnull": False,
        }
    )
    if near.within_m is not None:
        box = geography.bounding_box(near.easting, near.northing, near.within_m)
        queryset = queryset.filter(
            **{
                f"{prefix}easting__gte": box.min_easting,
                f"{prefix}northing__gte": box.min_northing,
                f"{prefix}easting__lte": box.max_easting,
                f"{prefix}northing__lte": box.max_northing,
            }
        )
    dx = F(f"{prefix}easting") - near.easting
    dy = F(f"{prefix}northing") - near.northing
    queryset = queryset.annotate(distance_squared=dx * dx + dy * dy)
    if near.within_m is not None:
        queryset = queryset.filter(distance_squared__lte=near.within_m**2)
    return queryset


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
    if filters.term_ids:
        queryset = queryset.filter(
            Exists(
                Attribute.objects.filter(link_id=service_ref, taxonomy_term_id__in=filters.term_ids)
            )
        )
    if filters.suitable_for_age is not None:
        age = filters.suitable_for_age
        queryset = queryset.filter(
            Q(**{f"{prefix}minimum_age__isnull": True}) | Q(**{f"{prefix}minimum_age__lte": age}),
            Q(**{f"{prefix}maximum_age__isnull": True}) | Q(**{f"{prefix}maximum_age__gte": age}),
        )
    if filters.day or filters.start_time or filters.end_time or filters.open_between:
        # Only published hours count: a refuge's own hours must not make its service turn up
        # for "open on Sundays", which would tell anyone when the house is staffed.
        schedules = publication.public_schedules(Schedule.objects.all(), publication.Unpublished())
        if filters.day:
            schedules = schedules.filter(byday__icontains=filters.day)
        if filters.start_time:
            schedules = schedules.filter(opens_at__gte=filters.start_time)
        if filters.end_time:
            schedules = schedules.filter(closes_at__lte=filters.end_time)
        if filters.open_between:
            # Open for some of the window: opens before it ends and closes after it starts.
            start, end = filters.open_between
            schedules = schedules.filter(opens_at__lt=end, closes_at__gt=start)
        # A schedule of the service itself, or of the service at one of its places (for a
        # service at a place: at that place): two indexed lookups, since one OR across both
        # links would scan every schedule for every service.
        if prefix:
            at_place = schedules.filter(service_at_location_id=OuterRef("id"))
        else:
            at_place = schedules.filter(service_at_location__service_id=service_ref)
        queryset = queryset.filter(
            Exists(schedules.filter(service_id=service_ref)) | Exists(at_place)
        )
    return queryset
