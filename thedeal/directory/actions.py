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
    Attribute,
    ListingSuggestion,
    Location,
    Metadata,
    Organization,
    Report,
    Service,
    ServiceAtLocation,
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
        services = Service.objects.filter(pk__in=service_ids - {None})
    return services.update(last_modified=timezone.now())


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
