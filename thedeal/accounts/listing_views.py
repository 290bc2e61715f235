"""An organisation editor's whole listing: an overview of every part ("Check your answers"
style, a Change link for each) and one page per part: times (the listing's own and at each
place), phone numbers, places, accessibility, ages and categories.

Every change goes through thedeal.directory.actions (the change history, the feed's
modified_after, the search index). An editor reaches only the listings of organisations they
edit: anything else, and any part that is not this listing's, is a 404, as if not there.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from thedeal.accounts import listing_forms as forms
from thedeal.accounts.models import can_edit, organisations_edited_by
from thedeal.accounts.views import verified_staff
from thedeal.directory import actions
from thedeal.directory.forms import category_groups
from thedeal.directory.listings import address_of, opening_time
from thedeal.directory.models import (
    Accessibility,
    Attribute,
    Location,
    Phone,
    Report,
    Schedule,
    Service,
    ServiceAtLocation,
)

GET_OR_POST = ["GET", "HEAD", "POST"]


def _listing_or_404(request, pk) -> Service:
    service = get_object_or_404(Service.objects.select_related("organization"), pk=pk)
    if not can_edit(request.user, service):
        # Another organisation's listing: as if it were not there.
        raise Http404
    return service


def _place_or_404(service: Service, place_pk) -> ServiceAtLocation:
    return get_object_or_404(
        ServiceAtLocation.objects.select_related("location"), pk=place_pk, service=service
    )


def _can_change_place(user, location: Location | None) -> bool:
    """A place's own details (its accessibility) are changed by the organisation it belongs to:
    a listing may run at another organisation's hall, whose editors look after it."""
    if location is None:
        return False
    if user.has_perm("directory.change_location"):
        return True
    return location.organization_id is not None and (
        organisations_edited_by(user).filter(pk=location.organization_id).exists()
    )


def _overview(service: Service) -> str:
    return reverse("accounts:listing", args=[service.pk])


def _done(service: Service, message: str):
    """Back to the overview, saying what was saved (a message the page shows once)."""
    return redirect(f"{_overview(service)}?done={message}")


DONE = {
    "details": "The listing's details have been saved",
    "time": "The times have been saved",
    "time-removed": "The times have been removed",
    "phone": "The phone number has been saved",
    "phone-removed": "The phone number has been removed",
    "place": "The place has been added",
    "place-removed": "The place has been removed from this listing",
    "access": "The accessibility has been saved",
    "access-removed": "The accessibility has been removed",
    "ages": "The ages have been saved",
    "categories": "The categories have been saved",
    "verified": "The listing has been marked as checked today",
}


def _times(schedules, at: str | None = None) -> list[tuple[Schedule, str]]:
    """Each schedule with the sentence the public pages show for it."""
    return [(s, opening_time(s.describe(), at) or "No days or hours given") for s in schedules]


@verified_staff
@require_safe
def overview(request, pk):
    service = _listing_or_404(request, pk)
    places = []
    for link in (
        service.service_at_locations.select_related("location")
        .prefetch_related("location__addresses")
        .order_by("location__name", "id")
    ):
        location = link.location
        places.append(
            {
                "link": link,
                "location": location,
                "address": address_of(location) if location else "",
                "times": _times(link.schedules.filter(service_id__isnull=True).order_by("id")),
                "phones": link.phones.order_by("id"),
                "accessibility": location.accessibility.order_by("id") if location else [],
                "can_change": _can_change_place(request.user, location),
            }
        )
    categories = (
        Attribute.objects.filter(link_id=service.pk, link_entity="service",
                                 taxonomy_term__in=_choosable_terms())
        .select_related("taxonomy_term")
        .order_by("taxonomy_term__name")
    )  # fmt: skip
    return render(
        request,
        "accounts/listing/overview.html",
        {"service": service, "places": places, "done": DONE.get(request.GET.get("done", "")),
         "times": _times(service.schedules.order_by("id")),
         "phones": service.phones.order_by("id"),
         "categories": [a.taxonomy_term.name for a in categories],
         "costs": [c.describe() for c in service.cost_options.order_by("id") if c.describe()],
         "reports": service.reports.filter(status=Report.Status.NEW)},
    )  # fmt: skip


# --- Times ------------------------------------------------------------------------------------


def _schedule_or_404(service: Service, schedule_pk) -> Schedule:
    return get_object_or_404(
        Schedule.objects.filter(Q(service=service) | Q(service_at_location__service=service)),
        pk=schedule_pk,
    )


@verified_staff
@require_http_methods(GET_OR_POST)
def schedule(request, pk, schedule_pk=None, place_pk=None):
    """Add times to the listing (or to it at one place), or change times it has."""
    service = _listing_or_404(request, pk)
    link = _place_or_404(service, place_pk) if place_pk else None
    if schedule_pk:
        found = _schedule_or_404(service, schedule_pk)
        link = found.service_at_location if found.service_id is None else None
    else:
        found = Schedule(service=None if link else service, service_at_location=link)
    form = forms.ScheduleForm(request.POST if request.method == "POST" else None, schedule=found)
    if request.method == "POST" and form.is_valid():
        actions.save_part(instance=form.schedule, by=request.user)
        return _done(service, "time")
    return render(request, "accounts/listing/schedule.html",
                  {"service": service, "form": form, "place": link,
                   "heading": "Change times" if schedule_pk else "Add times"})  # fmt: skip


# --- Phone numbers ----------------------------------------------------------------------------


def _phone_or_404(service: Service, phone_pk) -> Phone:
    return get_object_or_404(
        Phone.objects.filter(Q(service=service) | Q(service_at_location__service=service)),
        pk=phone_pk,
    )


@verified_staff
@require_http_methods(GET_OR_POST)
def phone(request, pk, phone_pk=None, place_pk=None):
    service = _listing_or_404(request, pk)
    link = _place_or_404(service, place_pk) if place_pk else None
    if phone_pk:
        found = _phone_or_404(service, phone_pk)
        link = found.service_at_location if found.service_id is None else None
    else:
        found = Phone(service=None if link else service, service_at_location=link)
    form = forms.PhoneForm(request.POST if request.method == "POST" else None, instance=found)
    if request.method == "POST" and form.is_valid():
        actions.save_part(instance=form.save(commit=False), by=request.user)
        return _done(service, "phone")
    return render(request, "accounts/listing/phone.html",
                  {"service": service, "form": form, "place": link,
                   "heading": "Change a phone number" if phone_pk else "Add a phone number"})  # fmt: skip


# --- Places -----------------------------------------------------------------------------------


@verified_staff
@require_http_methods(GET_OR_POST)
def add_place(request, pk):
    """One of the organisation's places; or, by a link, a new place by its address."""
    service = _listing_or_404(request, pk)
    places = list(
        Location.objects.filter(organization_id=service.organization_id)
        .exclude(service_at_locations__service=service)
        .order_by("name", "id")
    ) if service.organization_id else []  # fmt: skip
    form = forms.ExistingPlaceForm(request.POST if request.method == "POST" else None,
                                   places=places)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        actions.add_place(service=service, location=form.cleaned_data["place"], by=request.user)
        return _done(service, "place")
    return render(request, "accounts/listing/add_place.html",
                  {"service": service, "form": form, "places": places,
                   "heading": "Add a place"})  # fmt: skip


@verified_staff
@require_http_methods(GET_OR_POST)
def new_place(request, pk):
    service = _listing_or_404(request, pk)
    form = forms.NewPlaceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.add_new_place(service=service, name=form.cleaned_data["name"].strip(),
                              address=form.address(), easting=form.place.easting,
                              northing=form.place.northing, by=request.user)  # fmt: skip
        return _done(service, "place")
    return render(
        request,
        "accounts/listing/new_place.html",
        {"service": service, "form": form, "heading": "Add a new place"},
    )


# --- Accessibility of a place -----------------------------------------------------------------


@verified_staff
@require_http_methods(GET_OR_POST)
def accessibility(request, pk, place_pk, item_pk=None):
    service = _listing_or_404(request, pk)
    link = _place_or_404(service, place_pk)
    if not _can_change_place(request.user, link.location):
        raise Http404
    if item_pk:
        found = get_object_or_404(Accessibility, pk=item_pk, location=link.location)
    else:
        found = Accessibility(location=link.location)
    form = forms.AccessibilityForm(request.POST if request.method == "POST" else None,
                                   instance=found)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        actions.save_part(instance=form.save(commit=False), by=request.user)
        return _done(service, "access")
    return render(request, "accounts/listing/accessibility.html",
                  {"service": service, "form": form, "place": link,
                   "heading": "Change accessibility" if item_pk else "Add accessibility"})  # fmt: skip


# --- Removing a part --------------------------------------------------------------------------


@verified_staff
@require_http_methods(GET_OR_POST)
def remove(request, pk, part, part_pk, place_pk=None):
    """Confirm, then remove a time, a phone number, a place (from this listing) or a note on
    access. A listing's last way of contact stays, with a message saying why."""
    service = _listing_or_404(request, pk)
    error = ""
    if part == "time":
        found = _schedule_or_404(service, part_pk)
        what = opening_time(found.describe()) or "these times"
    elif part == "phone":
        found = _phone_or_404(service, part_pk)
        what = found.number
    elif part == "place":
        found = _place_or_404(service, part_pk)
        what = str(found.location) if found.location else "this place"
    else:  # "access"
        link = _place_or_404(service, place_pk)
        if not _can_change_place(request.user, link.location):
            raise Http404
        found = get_object_or_404(Accessibility, pk=part_pk, location=link.location)
        what = found.description or "this accessibility"
    if request.method == "POST":
        try:
            if part == "phone":
                actions.remove_service_phone(phone=found, by=request.user)
            elif part == "place":
                actions.remove_place(link=found, by=request.user)
            else:
                actions.remove_part(instance=found, by=request.user)
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            return _done(service, f"{part}-removed")
    return render(request, "accounts/listing/remove.html",
                  {"service": service, "part": part, "what": what, "error": error})  # fmt: skip


# --- Ages and categories ----------------------------------------------------------------------


@verified_staff
@require_http_methods(GET_OR_POST)
def ages(request, pk):
    service = _listing_or_404(request, pk)
    form = forms.AgesForm(request.POST if request.method == "POST" else None, service=service)
    if request.method == "POST" and form.is_valid():
        previous = actions.snapshot(service)
        # Stored as the admin and imports store them (HSDS ages are numbers, not whole years).
        for name in ("minimum_age", "maximum_age"):
            value = form.cleaned_data[name]
            setattr(service, name, None if value is None else float(value))
        actions.edit_listing(service=service, previous=previous, by=request.user)
        return _done(service, "ages")
    return render(
        request, "accounts/listing/ages.html", {"service": service, "form": form, "heading": "Ages"}
    )


def _choosable_terms():
    return [term for top, under in category_groups() for term in (top, *under)]


@verified_staff
@require_http_methods(GET_OR_POST)
def categories(request, pk):
    service = _listing_or_404(request, pk)
    groups = category_groups()
    chosen = Attribute.objects.filter(link_id=service.pk, link_entity="service").values_list(
        "taxonomy_term_id", flat=True
    )
    form = forms.CategoriesForm(
        request.POST if request.method == "POST" else None,
        groups=groups,
        initial={"categories": [str(pk) for pk in chosen]},
    )
    if request.method == "POST" and form.is_valid():
        actions.set_categories(service=service, terms=form.cleaned_data["categories"],
                               among=form.terms.values(), by=request.user)  # fmt: skip
        return _done(service, "categories")
    return render(request, "accounts/listing/categories.html",
                  {"service": service, "form": form, "groups": groups, "heading": "Categories",
                   "chosen": set(form["categories"].value() or [])})  # fmt: skip
