"""What of the directory the public may see: the one decision, for the feed, the exports and the site.

Refuges and safe houses (`Location.confidential`) are never published, and neither is anything
attached to one: its services-at-location, addresses, accessibility, contacts, phones, schedules
and languages, whatever else they are also attached to, and then, in turn, anything attached to
those (a contact's phones, a phone's languages), the attributes and change history of all of them,
and any change history that names one of them. The services run there are still published, with
whatever they have of their own.

A record attached to a refuge and to its service at once (a phone number, a contact, opening
times) is not published either. Staff sometimes link the refuge's own landline or its staffed
hours to the service as well as to the house, and the feed used to publish such a record with only
the link to the house removed. But a refuge's landline can be looked up to an address, and its
hours say when someone is there: what is attached to the house belongs to the house. A number the
service should publish is linked to the service alone (a 24-hour referral line), as the demo
borough's refuges are.

Every public route asks `Unpublished` (rows read in Python: the feed's documents, the exports'
tables, the site's listings) or `public_locations`, `public_services_at_locations` and `public_schedules`
(querysets for the searches and pages): all of them follow `ATTACHED_THROUGH`, so there is one rule to change.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Q, QuerySet

from thedeal.directory import models

# For each kind of record, the links through which it can be attached to a confidential place,
# as (link column, the kind it points at). A record is unpublished when any of these links points
# at an unpublished record; a location, when it is confidential. Attributes and change history
# link to records of any kind (None). Kinds not listed (services, organisations, programmes,
# taxonomies, costs, areas, funding, documents, identifiers) are never attached to a place.
ATTACHED_THROUGH: dict[str, tuple[tuple[str, str | None], ...]] = {
    "location": (),
    "service_at_location": (("location_id", "location"),),
    "address": (("location_id", "location"),),
    "accessibility": (("location_id", "location"),),
    "contact": (("location_id", "location"), ("service_at_location_id", "service_at_location")),
    "phone": (
        ("location_id", "location"),
        ("service_at_location_id", "service_at_location"),
        ("contact_id", "contact"),
    ),
    "schedule": (("location_id", "location"), ("service_at_location_id", "service_at_location")),
    "language": (("location_id", "location"), ("phone_id", "phone")),
    "attribute": (("link_id", None),),
    "metadata": (("resource_id", None),),
}

# Kinds that records of any kind can be attached to (attributes, change history) are worked out
# after the others; change history itself is judged row by row, never loaded as a set.
_ANY_TARGET = ("location", "service_at_location", "address", "accessibility", "contact", "phone",
               "schedule", "language", "attribute")  # fmt: skip

_MODELS = {
    "location": models.Location,
    "service_at_location": models.ServiceAtLocation,
    "address": models.Address,
    "accessibility": models.Accessibility,
    "contact": models.Contact,
    "phone": models.Phone,
    "schedule": models.Schedule,
    "language": models.Language,
    "attribute": models.Attribute,
}

# Ids per IN (...) list: well inside SQLite's limit on query parameters.
_BATCH = 500


class Unpublished:
    """The records attached to confidential places, read from the database as they are needed.

    Make one for a request or an export and ask it about rows; each kind is read once, and only
    when asked about (a page of search results needs two small queries, a fully nested service
    all of them). With no confidential place in the directory, one query answers everything.
    """

    def __init__(self) -> None:
        self._ids: dict[str, frozenset[uuid.UUID]] = {}
        self._everything: frozenset[uuid.UUID] | None = None
        self._named: frozenset[str] | None = None  # their ids as text, as change history has them

    def hides(self, kind: str, row: Mapping[str, Any] | Any) -> bool:
        """Whether this record is unpublished: a row keyed by HSDS column, or a model instance."""
        if kind not in ATTACHED_THROUGH:
            return False
        get = row.get if isinstance(row, Mapping) else lambda name: getattr(row, name, None)
        if kind == "location":
            return bool(get("confidential")) or get("id") in self.ids("location")
        for column, target in ATTACHED_THROUGH[kind]:
            value = get(column)
            if value is not None and value in self._targets(target):
                return True
        if kind == "metadata":
            return self._names_unpublished(get("previous_value"), get("replacement_value"))
        return False

    def ids(self, kind: str) -> frozenset[uuid.UUID]:
        """The ids of every unpublished record of this kind (not change history)."""
        if kind not in self._ids:
            self._ids[kind] = frozenset(self._load(kind))
        return self._ids[kind]

    def everything(self) -> frozenset[uuid.UUID]:
        """The ids of every unpublished record of any kind (not change history)."""
        if self._everything is None:
            self._everything = frozenset().union(*(self.ids(kind) for kind in _ANY_TARGET))
        return self._everything

    def keep(self, kind: str, rows: Iterable[Mapping[str, Any]]) -> list[Any]:
        """The rows of this kind the public may see."""
        return [row for row in rows if not self.hides(kind, row)]

    def _targets(self, kind: str | None) -> frozenset[uuid.UUID]:
        return self.everything() if kind is None else self.ids(kind)

    def _load(self, kind: str) -> set[uuid.UUID]:
        model = _MODELS[kind]
        if kind == "location":
            return set(model.objects.filter(confidential=True).values_list("id", flat=True))
        if not self.ids("location"):
            return set()
        # (link column, an unpublished record it may point at), read in one query per batch.
        links = [
            (column, parent)
            for column, target in ATTACHED_THROUGH[kind]
            # Attributes are attached to records of every other kind (not to attributes: HSDS
            # has no attributes of attributes).
            for parent in sorted(
                self._everything_but_attributes() if target is None else self.ids(target)
            )
        ]
        found: set[uuid.UUID] = set()
        for start in range(0, len(links), _BATCH):
            by_column: dict[str, list[uuid.UUID]] = {}
            for column, parent in links[start : start + _BATCH]:
                by_column.setdefault(column, []).append(parent)
            condition = Q()
            for column, parents in by_column.items():
                condition |= Q(**{f"{column}__in": parents})
            found.update(model.objects.filter(condition).values_list("id", flat=True))
        return found

    def _everything_but_attributes(self) -> frozenset[uuid.UUID]:
        return frozenset().union(*(self.ids(kind) for kind in _ANY_TARGET if kind != "attribute"))

    def _names_unpublished(self, *values: Any) -> bool:
        """Whether a change-history row names an unpublished record: the history of a phone
        once moved to a refuge says which refuge in its old or new value."""
        if not self.ids("location"):
            return False
        if self._named is None:
            everything = self.everything()
            self._named = frozenset(str(i) for i in everything) | {i.hex for i in everything}
        return any(str(value) in self._named for value in values if value)


def public_locations(queryset: QuerySet) -> QuerySet:
    """Places the public may see, as a query: never a confidential one."""
    return queryset.filter(confidential=False)


def public_services_at_locations(queryset: QuerySet) -> QuerySet:
    """Services-at-location the public may see, as a query (searches run over all of them).

    The same rule as `Unpublished` for this kind: not at a confidential place. The inner join also
    drops links to places that are not in the directory, which have nothing to publish.
    """
    return queryset.filter(location__confidential=False)


def public_schedules(queryset: QuerySet, unpublished: Unpublished) -> QuerySet:
    """Schedules the public may see, as a query: what a search by day or time may match.

    A refuge's hours must not make its service turn up for "open on Sundays" either. (Excluded
    by id: there are few, and testing each schedule's links instead costs every such search a
    third more on SQLite.)
    """
    hidden = unpublished.ids("schedule")
    return queryset.exclude(pk__in=sorted(hidden)) if hidden else queryset
