"""Changes to listings that span several records: the edit and its HSDS change history."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models as dj
from django.db import transaction
from django.utils import timezone

from thedeal import notify
from thedeal.directory import hsds
from thedeal.directory.models import (
    Address,
    Attribute,
    ListingSuggestion,
    Location,
    Metadata,
    Organization,
    Phone,
    Report,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)


def _who(by: Any) -> str:
    return getattr(by, "email", "") or getattr(by, "get_username", lambda: str(by))()


def _resource_type(instance: dj.Model) -> str:
    for t in hsds.tables():
        if isinstance(instance, t.model):
            return t.name
    return instance._meta.model_name or ""


def _shown(value: Any) -> str:
    return hsds.to_csv_value(value)


@transaction.atomic
def save_listing(
    *, instance: dj.Model, previous: dict[str, Any] | None, by: Any, action: str | None = None
) -> list[Metadata]:
    """Save an HSDS record and write one metadata row per changed field (its change history).

    `previous` holds the field values before the edit (None for a new record).
    """
    instance.save()
    today = timezone.localdate()
    who = _who(by)
    rows = []
    for field in instance._meta.concrete_fields:
        if field.primary_key:
            continue
        new = getattr(instance, field.attname)
        old = None if previous is None else previous.get(field.attname)
        if previous is not None and old == new:
            continue
        if previous is None and new in (None, ""):
            continue
        rows.append(
            Metadata(
                resource_id=instance.pk,
                resource_type=_resource_type(instance),
                last_action_date=today,
                last_action_type=action or ("create" if previous is None else "update"),
                field_name=field.attname,
                previous_value=_shown(old),
                replacement_value=_shown(new),
                updated_by=who,
            )
        )
    if rows:
        touch_services(instance)
    return Metadata.objects.bulk_create(rows)


@transaction.atomic
def edit_listing(*, service: Service, previous: dict[str, Any], by: Any) -> list[Metadata]:
    """Save an organisation editor's changes to their listing (the editor's form).

    The form has one field for cost, the organisation's own words ("What it costs"); the
    itemised prices (HSDS cost options) are not on it. When the editor changes those words, the
    itemised prices are the old ones: they go, recorded in the change history, so that the
    public page and the feed both say what the editor saved rather than the old price."""
    rows = save_listing(instance=service, previous=previous, by=by)
    if previous.get("fees_description") != service.fees_description:
        for option in service.cost_options.order_by("id"):
            rows += delete_record(instance=option, by=by)
    return rows


@transaction.atomic
def delete_record(*, instance: dj.Model, by: Any) -> list[Metadata]:
    """Delete an HSDS record, recording in the change history what it said."""
    today = timezone.localdate()
    who = _who(by)
    rows = [
        Metadata(
            resource_id=instance.pk,
            resource_type=_resource_type(instance),
            last_action_date=today,
            last_action_type="delete",
            field_name=field.attname,
            previous_value=_shown(getattr(instance, field.attname)),
            replacement_value="",
            updated_by=who,
        )
        for field in instance._meta.concrete_fields
        if not field.primary_key and getattr(instance, field.attname) not in (None, "")
    ]
    touch_services(instance)
    instance.delete()
    return Metadata.objects.bulk_create(rows)


def touch_services(instance: dj.Model) -> int:
    """Mark the services an edit affects as modified now, so harvesters that ask for
    `modified_after` see a changed address or phone number as a changed service."""
    return services_affected_by(instance).update(last_modified=timezone.now())


def services_affected_by(instance: dj.Model) -> dj.QuerySet:
    """The services whose listing shows this record (a place, its address, a time, a phone)."""
    services = Service.objects.none()
    if isinstance(instance, Service):
        services = Service.objects.filter(pk=instance.pk)
    elif isinstance(instance, Organization):
        services = instance.services.all()
    elif isinstance(instance, Location):
        services = Service.objects.filter(service_at_locations__location=instance)
    else:
        service_ids = {getattr(instance, "service_id", None)}
        if location_id := getattr(instance, "location_id", None):
            service_ids |= set(
                ServiceAtLocation.objects.filter(location_id=location_id).values_list(
                    "service_id", flat=True
                )
            )
        if sal_id := getattr(instance, "service_at_location_id", None):
            service_ids |= set(
                ServiceAtLocation.objects.filter(pk=sal_id).values_list("service_id", flat=True)
            )
        service_ids.discard(None)
        if isinstance(instance, Attribute) and instance.link_entity == "service":
            service_ids.add(instance.link_id)
        services = Service.objects.filter(pk__in=service_ids)
    return services


def snapshot(instance: dj.Model) -> dict[str, Any]:
    """The record's stored field values, to compare with after an edit."""
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@transaction.atomic
def mark_as_verified(*, services: Iterable[Service], by: Any) -> int:
    """Record that these listings were checked today by this person."""
    count = 0
    for service in services:
        previous = snapshot(service)
        service.mark_as_verified(by_email=_who(by))
        save_listing(instance=service, previous=previous, by=by, action="verify")
        count += 1
    return count


def report_problem(*, service: Service, problem: str, email: str = "") -> Report:
    """Record a resident's "Is this information wrong?" report and tell the organisation and the
    directory team, once the report is safely stored."""
    with transaction.atomic():
        report = Report.objects.create(service=service, problem=problem, email=email)
        _send_report(report)
    return report


def _send_report(report: Report) -> None:
    service = report.service
    recipients = [
        address
        for address in (service.organization.email if service.organization else "",
                        settings.COUNCIL["directory_team_email"])
        if address
    ]  # fmt: skip
    if not recipients:
        return
    reply = "They asked for a reply." if report.email else "They did not ask for a reply."
    notify.send_email(
        key=f"report:{report.pk}",
        to=recipients,
        subject=f"Someone says a listing may be wrong: {service.name}",
        body=(
            f"A resident reported a problem with the listing of {service.name} on "
            f"{settings.SERVICE_NAME}:\n\n{report.problem}\n\n{reply} Staff can see the report, "
            "and how to reply, when they sign in to their listings."
        ),
    )


@transaction.atomic
def merge_services(*, keep: Service, duplicates: Iterable[Service], by: Any) -> int:
    """Merge duplicate listings of one service into `keep`: their places, times, phones, costs,
    categories, reports and everything else that points at them move to it, and they go.
    Returns how many were merged. The change is recorded in `keep`'s history."""
    duplicates = [d for d in duplicates if d.pk != keep.pk]
    if not duplicates:
        return 0
    ids = [d.pk for d in duplicates]
    # A place both listings are at stays once, with the kept listing's link.
    kept_places = set(keep.service_at_locations.values_list("location_id", flat=True))
    ServiceAtLocation.objects.filter(service_id__in=ids, location_id__in=kept_places).delete()
    for relation in Service._meta.related_objects:
        if relation.one_to_many and relation.field.concrete:
            relation.related_model.objects.filter(**{f"{relation.field.name}__in": ids}).update(
                **{relation.field.name: keep}
            )
    kept_terms = set(
        Attribute.objects.filter(link_id=keep.pk).values_list("taxonomy_term_id", flat=True)
    )
    Attribute.objects.filter(link_id__in=ids, taxonomy_term_id__in=kept_terms).delete()
    Attribute.objects.filter(link_id__in=ids).update(link_id=keep.pk)
    names = ", ".join(f"{d.name} ({d.pk})" for d in duplicates)
    Metadata.objects.create(
        resource_id=keep.pk,
        resource_type="service",
        last_action_date=timezone.localdate(),
        last_action_type="merge",
        field_name="id",
        previous_value=names,
        replacement_value=str(keep.pk),
        updated_by=_who(by),
    )
    for duplicate in duplicates:
        duplicate.delete()
    Location.objects.filter(service_at_locations__service=keep).refresh_service_counts()
    touch_services(keep)
    return len(duplicates)


SUGGESTED_FIELDS = ("name", "description", "eligibility_description", "application_process",
                    "fees_description", "email", "url")  # fmt: skip


@transaction.atomic
def approve_suggestion(suggestion: ListingSuggestion, *, by: Any) -> Service:
    """Publish a suggested listing: the service is made (with its change history, checked by
    the approver today) and the person who suggested it is told."""
    service = Service(
        organization=suggestion.organization,
        **{field: getattr(suggestion, field) for field in SUGGESTED_FIELDS},
    )
    service.mark_as_verified(by_email=_who(by))
    save_listing(instance=service, previous=None, by=by)
    suggestion.status = ListingSuggestion.Status.APPROVED
    suggestion.decided_at = timezone.now()
    suggestion.service = service
    suggestion.save()
    _tell_suggester(suggestion, f"{service.name} is now listed in {settings.SERVICE_NAME}.")
    return service


@transaction.atomic
def reject_suggestion(suggestion: ListingSuggestion, *, by: Any) -> None:
    suggestion.status = ListingSuggestion.Status.REJECTED
    suggestion.decided_at = timezone.now()
    suggestion.save()
    _tell_suggester(
        suggestion,
        f"{suggestion.name} was not added to {settings.SERVICE_NAME}. The directory team will "
        "be in touch to say why.",
    )


def _tell_suggester(suggestion: ListingSuggestion, text: str) -> None:
    user = suggestion.suggested_by
    if user is not None and user.email:
        notify.send_email(
            key=f"suggestion-decided:{suggestion.pk}",
            to=user.email,
            subject=f"Your suggested listing: {suggestion.name}",
            body=text,
        )


# --- An organisation editor's changes to the parts of a listing --------------------------------
# Each saves or deletes records with the change history the admin writes, marks the listings
# they belong to as modified (for the feed's modified_after) and rebuilds their search rows, in
# one transaction. Public pages are rendered from the database on every request (nothing of a
# listing is cached), so they show what was last saved.


def _reindex(service_ids: Iterable[Any]) -> None:
    from thedeal.directory import search

    search.reindex(sorted(set(service_ids), key=str))


@transaction.atomic
def save_part(*, instance: dj.Model, by: Any) -> list[Metadata]:
    """Save a new or changed part of a listing (a time, a phone number, an address, a note on
    access): its change history is what changed since the stored record."""
    stored = None
    if not instance._state.adding:
        stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    rows = save_listing(
        instance=instance, previous=snapshot(stored) if stored is not None else None, by=by
    )
    _reindex(services_affected_by(instance).values_list("pk", flat=True))
    return rows


@transaction.atomic
def remove_part(*, instance: dj.Model, by: Any) -> list[Metadata]:
    """Delete a part of a listing, recording what it said."""
    affected = list(services_affected_by(instance).values_list("pk", flat=True))
    rows = delete_record(instance=instance, by=by)
    _reindex(affected)
    return rows


@transaction.atomic
def remove_service_phone(*, phone: Phone, by: Any) -> list[Metadata]:
    """Delete one of a listing's own phone numbers, unless it is the listing's last way of
    contact (the rule the admin keeps: Service.check_keeps_a_way_of_contact)."""
    service = phone.service
    if service is not None:
        kept = service.phones.exclude(pk=phone.pk).values_list("number", flat=True)
        service.check_keeps_a_way_of_contact(phone_numbers=kept)
    return remove_part(instance=phone, by=by)


@transaction.atomic
def add_place(*, service: Service, location: Location, by: Any) -> ServiceAtLocation:
    """Say the listing runs at one of its organisation's places (a link, with its history)."""
    link = ServiceAtLocation.objects.filter(service=service, location=location).first()
    if link is None:
        link = ServiceAtLocation(service=service, location=location)
        save_part(instance=link, by=by)
    return link


@transaction.atomic
def add_new_place(
    *, service: Service, name: str, address: Address, easting: int, northing: int, by: Any
) -> ServiceAtLocation:
    """A new place of the listing's organisation, at a postcode's grid reference, with its
    address, and the listing linked to it. A new place is never confidential: refuges are
    recorded by directory staff, who decide what of them is withheld."""
    location = Location(
        location_type=Location.LocationType.PHYSICAL,
        organization=service.organization,
        name=name,
        easting=easting,
        northing=northing,
    )
    save_part(instance=location, by=by)
    address.location = location
    address.address_type = Address.AddressType.PHYSICAL
    address.country = address.country or "GB"
    save_part(instance=address, by=by)
    return add_place(service=service, location=location, by=by)


@transaction.atomic
def remove_place(*, link: ServiceAtLocation, by: Any) -> list[Metadata]:
    """The listing no longer runs at this place: its times and phone numbers there go, each
    recorded; the place itself stays, as the organisation's (other listings may be there)."""
    rows: list[Metadata] = []
    for part in [*link.schedules.order_by("id"), *link.phones.order_by("id")]:
        rows += delete_record(instance=part, by=by)
    affected = [link.service_id]
    rows += delete_record(instance=link, by=by)
    _reindex(affected)
    return rows


@transaction.atomic
def set_categories(
    *, service: Service, terms: Iterable[TaxonomyTerm], by: Any, among: Iterable[TaxonomyTerm]
) -> list[Metadata]:
    """Give the listing exactly these categories of those it may choose `among` (categories
    from other taxonomies, such as where a record came from, are left as they are)."""
    wanted = {term.pk for term in terms}
    choosable = {term.pk for term in among}
    current = Attribute.objects.filter(
        link_id=service.pk, link_entity="service", taxonomy_term_id__in=choosable
    ).order_by("id")
    rows: list[Metadata] = []
    have = set()
    for attribute in current:
        if attribute.taxonomy_term_id in wanted and attribute.taxonomy_term_id not in have:
            have.add(attribute.taxonomy_term_id)
        else:
            rows += delete_record(instance=attribute, by=by)
    for term_id in sorted(wanted - have, key=str):
        attribute = Attribute(link_id=service.pk, link_entity="service",
                              link_type="service_category", taxonomy_term_id=term_id)  # fmt: skip
        rows += save_listing(instance=attribute, previous=None, by=by)
    if rows:
        touch_services(service)
    _reindex([service.pk])
    return rows
