"""The directory's public pages: search, a service, a place, and "Is this information wrong?"."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from thedeal.directory import actions, publication, queries
from thedeal.directory.forms import ReportForm, SearchForm
from thedeal.directory.listings import address_of, listing, listings, sentence
from thedeal.directory.models import Location, Schedule, Service
from thedeal.directory.search import suggestion
from thedeal.web import ratelimit

# Ten a page, as GOV.UK's finders show: enough to choose from on a phone, and a page that
# renders in well under 100 ms at the borough's busiest.
RESULTS_PER_PAGE = 10


@require_safe
def search(request):
    form = SearchForm(request.GET or None)
    if form.is_bound:
        # Searches only: the empty search page costs nothing.
        attempt = ratelimit.SEARCH.hit(request)
        if not attempt.allowed:
            return ratelimit.try_again_later(request, ratelimit.SEARCH, attempt)
    context = {"form": form, "page": None, "results": [], "map_points": [],
               "map_tiles": settings.MAP_TILE_URL}  # fmt: skip
    if form.is_bound and form.is_valid():
        filters = form.filters()
        if filters.near is not None:
            found = queries.services_at_locations(filters)
            column = "service_id"
        else:
            found = queries.services(filters)
            column = "id"
        paginator = Paginator(found, RESULTS_PER_PAGE, allow_empty_first_page=True)
        page = paginator.get_page(request.GET.get("page"))
        # One listing per service, in the order found (a service at two nearby places once).
        ids = list(dict.fromkeys(row[0] for row in page.object_list.values_list(column)))
        results = listings(ids, near=form.place, brief=True)
        # "Did you mean" only offers a link: the results above are for what was typed.
        if filters.search and (better := suggestion(filters.search)):
            query = request.GET.copy()
            query.pop("page", None)
            query["q"] = better
            context.update(suggestion=better, suggestion_query=query.urlencode())
        context.update(
            category_name=form.category_name,
            page=page,
            results=results,
            query_string=_without_page(request.GET),
            map_points=_map_points(results) if settings.MAP_TILE_URL else [],
            map_attribution=settings.MAP_TILE_ATTRIBUTION,
        )
    return render(request, "directory/search.html", context)


def _without_page(query) -> str:
    query = query.copy()
    query.pop("page", None)
    return query.urlencode()


def _map_points(results) -> list[dict]:
    points = []
    for result in results:
        place = result.nearest
        if place is None or place.location.latitude is None:
            continue
        points.append(
            {
                "name": result.service.name,
                "url": reverse("directory:service", args=[result.service.pk]),
                "lat": place.location.latitude,
                "lon": place.location.longitude,
            }
        )
    return points


@require_safe
def service(request, pk):
    found = get_object_or_404(Service.objects.select_related("organization"), pk=pk)
    return render(request, "directory/service.html", {"listing": listing(found)})


@require_safe
def place(request, pk):
    # Not even whether it exists: a refuge's page is simply not there.
    location = get_object_or_404(publication.public_locations(Location.objects.all()), pk=pk)
    services = Service.objects.filter(service_at_locations__location=location).distinct()
    # The building's own hours (HSDS: a schedule of the location alone, such as a library's),
    # as distinct from the hours of what happens there, which each listing shows.
    own_hours = Schedule.objects.filter(
        location=location, service__isnull=True, service_at_location__isnull=True
    ).order_by("id")
    opening_times = list(
        dict.fromkeys(
            text
            for schedule in publication.Unpublished().keep("schedule", own_hours)
            if (text := sentence(schedule.describe()))
        )
    )
    return render(
        request,
        "directory/place.html",
        {
            "location": location,
            "address": address_of(location),
            "opening_times": opening_times,
            "accessibility": location.accessibility.all(),
            "listings": listings([s.pk for s in services.order_by("name")]),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit.limited(ratelimit.REPORTS)
def report(request, pk):
    found = get_object_or_404(Service, pk=pk)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.report_problem(
            service=found,
            problem=form.cleaned_data["problem"],
            email=form.cleaned_data["email"],
        )
        return redirect("directory:report-sent", pk=found.pk)
    return render(request, "directory/report.html", {"service": found, "form": form})


@require_safe
def report_sent(request, pk):
    found = get_object_or_404(Service, pk=pk)
    return render(request, "directory/report_sent.html", {"service": found})
