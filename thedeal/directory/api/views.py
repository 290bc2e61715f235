"""The Open Referral UK (HSDS 3.0) feed: thin views over thedeal.directory.queries and hsds.

Documents are built as plain dicts by hsds.Nester (a handful of bulk queries per page) rather
than by nested serializers, which would query once per nested object.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpResponsePermanentRedirect, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import MethodNotAllowed, Throttled
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from thedeal.directory import hsds, queries
from thedeal.directory.api.params import MAX_PAGE, ParameterError, Query
from thedeal.directory.models import (
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from thedeal.directory.search import words
from thedeal.site import ratelimit

PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
NDJSON_BATCH = 500


class DirectoryThrottle(BaseThrottle):
    """Requests per client to the feed (DIRECTORY_API_RATE_LIMIT, e.g. "1200/min"), counted by
    the platform's one limiter (thedeal.site.ratelimit): the same rule for who a client is, and
    counts that hold under concurrency and across the turn of a minute."""

    def allow_request(self, request: Request, view: Any) -> bool:
        self._attempt = ratelimit.FEED.hit(request)
        return self._attempt.allowed

    def wait(self) -> float:
        return self._attempt.retry_after


class FeedView(APIView):
    """Open to everyone, rate-limited, CORS-open, and every error a JSON body naming its cause."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []
    throttle_classes = [DirectoryThrottle]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ParameterError):
            return Response(
                {
                    "error": f"Invalid parameter {exc.parameter}: {exc.message}",
                    "parameter": exc.parameter,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        if isinstance(exc, MethodNotAllowed):
            return Response(
                {"error": f"The feed is read-only: {exc.detail}"},
                status=status.HTTP_405_METHOD_NOT_ALLOWED,
            )
        if isinstance(exc, Throttled):
            response = super().handle_exception(exc)
            response.data = {
                "error": "Too many requests from this client. Wait before asking again.",
                "retry_after_seconds": exc.wait and round(exc.wait),
            }
            return response
        return super().handle_exception(exc)


def _object_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ParameterError("id", f"must be a UUID, not {value!r}") from None


def _detail(queryset: QuerySet, raw_id: str, *, kind: str, shape: str) -> Response:
    """One fully nested document by id: a 400 for an id that is no UUID, a 404 for an unknown one."""
    object_id = _object_id(raw_id)
    rows = _rows(queryset.filter(pk=object_id), kind)
    if not rows:
        label = kind.replace("_", " ")
        return Response(
            {"error": f"No {label} with id {object_id}."}, status=status.HTTP_404_NOT_FOUND
        )
    return Response(hsds.Nester().documents(kind, rows, hsds.SHAPES[shape])[0])


def _rows(queryset: QuerySet, kind: str, shape: str = "") -> list[dict[str, Any]]:
    columns = hsds.MINIMAL_SERVICE_COLUMNS if shape == "service_minimal" else None
    return hsds.rows(queryset, hsds.table(kind), columns=columns)


def _listing(request: Request, queryset: QuerySet, kind: str, shape: str) -> Any:
    """One page of documents in the ORUK envelope, or every document as NDJSON."""
    query = Query(request.query_params)
    if query.output_format() == "ndjson":
        return _ndjson(queryset, kind, shape)
    paging = query.paging()
    rows = _rows(queryset[paging.offset : paging.offset + paging.per_page], kind, shape)
    contents = hsds.Nester().documents(kind, rows, hsds.SHAPES[shape])
    total = queryset.count() if rows or paging.page > 1 else 0
    return Response(paging.envelope(total, contents))


def _ndjson(queryset: QuerySet, kind: str, shape: str) -> StreamingHttpResponse:
    def lines() -> Iterator[bytes]:
        offset = 0
        while True:
            rows = _rows(queryset[offset : offset + NDJSON_BATCH], kind, shape)
            if not rows:
                return
            for document in hsds.Nester().documents(kind, rows, hsds.SHAPES[shape]):
                yield json.dumps(document, ensure_ascii=False).encode() + b"\n"
            offset += NDJSON_BATCH

    return StreamingHttpResponse(lines(), content_type="application/x-ndjson")


# --- OpenAPI descriptions of the parameters ------------------------------------------------
def _p(name: str, kind: Any, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name, kind, OpenApiParameter.QUERY, required=False, description=description
    )


PAGING = [
    _p("page", OpenApiTypes.INT, f"Page number, from 1 to {MAX_PAGE:,}."),
    _p("per_page", OpenApiTypes.INT, "Results per page: 50 unless given, at most 200."),
    OpenApiParameter(
        "format",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        enum=["json", "ndjson"],
        description="json (the default), or ndjson: every result, one per line, without pages.",
    ),
]
SEARCH = [
    _p(
        "search",
        OpenApiTypes.STR,
        "Words to find, ranked by relevance; case and word forms do not matter.",
    )
]
SERVICE_FILTERS = [
    _p("taxonomy_term_id", OpenApiTypes.UUID, "Services classified with this taxonomy term."),
    _p("taxonomy_id", OpenApiTypes.UUID, "Services with any term from this taxonomy."),
    _p("organization_id", OpenApiTypes.UUID, "Services this organization provides."),
    _p("modified_after", OpenApiTypes.DATETIME, "Services changed on or after this date-time."),
    _p(
        "minimum_age",
        OpenApiTypes.NUMBER,
        "Services whose minimum age is at least this (UK profile).",
    ),
    _p(
        "maximum_age",
        OpenApiTypes.NUMBER,
        "Services whose maximum age is at most this (UK profile).",
    ),
    _p(
        "day",
        OpenApiTypes.STR,
        "Services with a schedule on this day: MO, TU, ... or Monday, ... (UK profile).",
    ),
    _p(
        "start_time",
        OpenApiTypes.TIME,
        "Services with a schedule opening at or after this time (UK profile).",
    ),
    _p(
        "end_time",
        OpenApiTypes.TIME,
        "Services with a schedule closing at or before this time (UK profile).",
    ),
]
FULL = [_p("full", OpenApiTypes.BOOL, "Fully nested documents in the list.")]
JSON_RESPONSE = {
    200: OpenApiResponse(OpenApiTypes.OBJECT),
    400: OpenApiResponse(OpenApiTypes.OBJECT),
}
DETAIL_RESPONSE = {
    200: OpenApiResponse(OpenApiTypes.OBJECT),
    404: OpenApiResponse(OpenApiTypes.OBJECT),
}


class ApiDetails(FeedView):
    @extend_schema(
        summary="About this feed",
        operation_id="getApiDetails",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                "version": "HSDS-UK-3.0",
                "profile": PROFILE_URL,
                "openapi_url": request.build_absolute_uri(reverse("directory-api:openapi")),
            }
        )


class ServiceList(FeedView):
    @extend_schema(
        summary="Services",
        operation_id="listServices",
        parameters=SEARCH
        + PAGING
        + SERVICE_FILTERS
        + FULL
        + [
            _p(
                "minimal",
                OpenApiTypes.BOOL,
                "Only each service's id, name, status and last_modified.",
            )
        ],
        responses=JSON_RESPONSE,
    )
    def get(self, request: Request) -> Any:
        query = Query(request.query_params)
        queryset = queries.services(query.filters())
        if query.flag("minimal"):
            return _listing(request, queryset, "service", "service_minimal")
        return _listing(
            request, queryset, "service", "service_full" if query.flag("full") else "service_list"
        )


class ServiceDetail(FeedView):
    @extend_schema(
        summary="A fully nested service", operation_id="getService", responses=DETAIL_RESPONSE
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002  (the standard's name)
        return _detail(Service.objects.all(), id, kind="service", shape="service_full")


class ServiceAtLocationList(FeedView):
    @extend_schema(
        summary="Services at locations",
        operation_id="listServiceAtLocations",
        parameters=SEARCH
        + PAGING
        + SERVICE_FILTERS
        + FULL
        + [
            _p("postcode", OpenApiTypes.STR, "A UK postcode: results nearest its centroid first."),
            _p(
                "proximity",
                OpenApiTypes.NUMBER,
                "With postcode: only results within this many metres.",
            ),
        ],
        responses=JSON_RESPONSE,
    )
    def get(self, request: Request) -> Any:
        query = Query(request.query_params)
        queryset = queries.services_at_locations(query.filters(proximity=True))
        shape = "service_at_location_full" if query.flag("full") else "service_at_location_list"
        return _listing(request, queryset, "service_at_location", shape)


class ServiceAtLocationDetail(FeedView):
    @extend_schema(
        summary="A fully nested service at a location",
        operation_id="getServiceAtLocation",
        responses=DETAIL_RESPONSE,
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        # A refuge's service-at-location does not exist, as far as the public can tell.
        queryset = ServiceAtLocation.objects.filter(location__confidential=False)
        return _detail(queryset, id, kind="service_at_location", shape="service_at_location_full")


class OrganizationList(FeedView):
    @extend_schema(
        summary="Organizations",
        operation_id="listOrganizations",
        parameters=SEARCH
        + PAGING
        + FULL
        + [
            _p(
                "full_service",
                OpenApiTypes.BOOL,
                "With each organization's services, fully nested.",
            )
        ],
        responses=JSON_RESPONSE,
    )
    def get(self, request: Request) -> Any:
        query = Query(request.query_params)
        queryset = Organization.objects.order_by("name", "id")
        if text := query.search():
            queryset = _containing_words(queryset, text, ["name", "alternate_name", "description"])
        if query.flag("full_service"):
            shape = "organization_full_service"
        elif query.flag("full"):
            shape = "organization_full"
        else:
            shape = "organization_list"
        return _listing(request, queryset, "organization", shape)


class OrganizationDetail(FeedView):
    @extend_schema(
        summary="A fully nested organization with its services",
        operation_id="getOrganization",
        parameters=[_p("full_service", OpenApiTypes.BOOL, "Fully nested services.")],
        responses=DETAIL_RESPONSE,
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        full = Query(request.query_params).flag("full_service")
        shape = "organization_full_service" if full else "organization_detail"
        return _detail(Organization.objects.all(), id, kind="organization", shape=shape)


class TaxonomyList(FeedView):
    @extend_schema(
        summary="Taxonomies",
        operation_id="listTaxonomies",
        parameters=SEARCH + PAGING,
        responses=JSON_RESPONSE,
    )
    def get(self, request: Request) -> Any:
        query = Query(request.query_params)
        queryset = Taxonomy.objects.order_by("name", "id")
        if text := query.search():
            queryset = _containing_words(queryset, text, ["name", "description"])
        return _listing(request, queryset, "taxonomy", "taxonomy")


class TaxonomyDetail(FeedView):
    @extend_schema(summary="A taxonomy", operation_id="getTaxonomy", responses=DETAIL_RESPONSE)
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        return _detail(Taxonomy.objects.all(), id, kind="taxonomy", shape="taxonomy")


class TaxonomyTermList(FeedView):
    @extend_schema(
        summary="Taxonomy terms",
        operation_id="listTaxonomyTerms",
        parameters=SEARCH
        + PAGING
        + [
            _p("taxonomy_id", OpenApiTypes.UUID, "Terms of this taxonomy."),
            _p("top_only", OpenApiTypes.BOOL, "Only terms with no parent."),
            _p("parent_id", OpenApiTypes.UUID, "Only the terms directly under this one."),
        ],
        responses=JSON_RESPONSE,
    )
    def get(self, request: Request) -> Any:
        query = Query(request.query_params)
        queryset = TaxonomyTerm.objects.order_by("name", "id")
        if taxonomy_id := query.uuid("taxonomy_id"):
            queryset = queryset.filter(taxonomy_detail_id=taxonomy_id)
        if parent_id := query.uuid("parent_id"):
            queryset = queryset.filter(parent_id=parent_id)
        if query.flag("top_only"):
            queryset = queryset.filter(parent_id__isnull=True)
        if text := query.search():
            queryset = _containing_words(queryset, text, ["name", "description", "code"])
        return _listing(request, queryset, "taxonomy_term", "taxonomy_term")


class TaxonomyTermDetail(FeedView):
    @extend_schema(
        summary="A taxonomy term", operation_id="getTaxonomyTerm", responses=DETAIL_RESPONSE
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        return _detail(TaxonomyTerm.objects.all(), id, kind="taxonomy_term", shape="taxonomy_term")


def _containing_words(queryset: QuerySet, text: str, fields: list[str]) -> QuerySet:
    """Rows where every word appears in one of the fields (case-insensitive)."""
    terms = words(text)
    if not terms:
        return queryset.none()
    # One filter of ANDed conditions, not a filter per word: each .filter() copies the query.
    each_word = [
        Q(*[Q(**{f"{name}__icontains": term}) for name in fields], _connector=Q.OR)
        for term in terms
    ]
    return queryset.filter(*each_word)


def not_found(request: Any, path: str = "") -> Any:
    """Anything else under the feed: a JSON 404, or the path without its trailing slash."""
    if request.path.endswith("/"):
        target = request.path.rstrip("/")
        if request.META.get("QUERY_STRING"):
            target += "?" + request.META["QUERY_STRING"]
        return HttpResponsePermanentRedirect(target)
    return JsonResponse(
        {"error": f"Nothing at {request.path}. See {reverse('directory-api:details')}."}, status=404
    )
