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
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import MethodNotAllowed, Throttled
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from thedeal.directory import hsds, publication, queries
from thedeal.directory.api import openapi, params
from thedeal.directory.api.params import ParameterError, Query
from thedeal.directory.models import (
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from thedeal.directory.searchable import words
from thedeal.web import ratelimit

PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
NDJSON_BATCH = 500


class DirectoryThrottle(BaseThrottle):
    """Requests per client to the feed (DIRECTORY_API_RATE_LIMIT, e.g. "1200/min"), counted by
    the platform's one limiter (thedeal.web.ratelimit): the same rule for who a client is, and
    counts that hold under concurrency and across the turn of a minute."""

    def allow_request(self, request: Request, view: Any) -> bool:
        self._attempt = ratelimit.FEED.hit(request)
        return self._attempt.allowed

    def wait(self) -> float:
        return self._attempt.retry_after


class QueryTooLong(Exception):
    """A query string longer than any real request: answered 414 before any of it is read."""


class FeedView(APIView):
    """Open to everyone, rate-limited, CORS-open, and every error a JSON body naming its cause.

    `parameters` is what the endpoint takes (params.py): the same tuple its OpenAPI parameters
    are built from, and anything else in a request is refused.
    """

    authentication_classes: list[type] = []
    permission_classes: list[type] = []
    throttle_classes = [DirectoryThrottle]
    parameters: tuple[params.Parameter, ...] = ()
    endpoint = ""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if len(request.META.get("QUERY_STRING", "")) > params.MAX_QUERY_STRING:
            raise QueryTooLong

    def query(self, request: Request) -> Query:
        return Query(request.query_params, self.parameters, endpoint=self.endpoint)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ParameterError):
            noun = "parameter" if len(exc.parameters) == 1 else "parameters"
            # Names as the client sent them, which may be anything: cut short in the sentence.
            named = " and ".join(name[:40] for name in exc.parameters[:5])
            return Response(
                {
                    "error": f"Invalid {noun} {named}: {exc.message}",
                    "parameter": exc.parameter,
                    "parameters": exc.parameters,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        if isinstance(exc, QueryTooLong):
            return Response(
                {
                    "error": f"The query string is longer than {params.MAX_QUERY_STRING:,} "
                    "characters: no request to this feed needs that many."
                },
                status=status.HTTP_414_REQUEST_URI_TOO_LONG,
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
        raise ParameterError("id", f"must be a UUID, not {value[:40]!r}") from None


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


def _listing(query: Query, queryset: QuerySet, kind: str, shape: str) -> Any:
    """One page of documents in the ORUK envelope, or as NDJSON (every document, unless a page
    is asked for). Every parameter is read before the first byte is sent, so a bad one is a 400
    in either format."""
    output_format = query.output_format()
    paging = query.paging()
    if output_format == "ndjson":
        if query.paged():
            return _ndjson(
                queryset, kind, shape, start=paging.offset, stop=paging.offset + paging.per_page
            )
        return _ndjson(queryset, kind, shape)
    rows = _rows(queryset[paging.offset : paging.offset + paging.per_page], kind, shape)
    contents = hsds.Nester().documents(kind, rows, hsds.SHAPES[shape])
    total = queryset.count() if rows or paging.page > 1 else 0
    return Response(paging.envelope(total, contents))


def _ndjson(
    queryset: QuerySet, kind: str, shape: str, *, start: int = 0, stop: int | None = None
) -> StreamingHttpResponse:
    def lines() -> Iterator[bytes]:
        offset = start
        while stop is None or offset < stop:
            end = offset + NDJSON_BATCH if stop is None else min(offset + NDJSON_BATCH, stop)
            rows = _rows(queryset[offset:end], kind, shape)
            if not rows:
                return
            for document in hsds.Nester().documents(kind, rows, hsds.SHAPES[shape]):
                yield json.dumps(document, ensure_ascii=False).encode() + b"\n"
            offset = end

    return StreamingHttpResponse(lines(), content_type="application/x-ndjson")


class ApiDetails(FeedView):
    parameters = params.API_DETAILS
    endpoint = "/"

    @extend_schema(
        summary="About this feed",
        operation_id="getApiDetails",
        parameters=openapi.parameters(params.API_DETAILS),
        responses=openapi.details_responses(),
    )
    def get(self, request: Request) -> Response:
        self.query(request)
        return Response(
            {
                "version": "HSDS-UK-3.0",
                "profile": PROFILE_URL,
                "openapi_url": request.build_absolute_uri(reverse("directory-api:openapi")),
            }
        )


class ServiceList(FeedView):
    parameters = params.SERVICES
    endpoint = "/services"

    @extend_schema(
        summary="Services",
        operation_id="listServices",
        parameters=openapi.parameters(params.SERVICES),
        responses=openapi.list_responses("service", "service_list"),
    )
    def get(self, request: Request) -> Any:
        query = self.query(request)
        queryset = queries.services(query.filters())
        # Both read before either is used, so a bad value of the one that loses is still a 400.
        minimal, full = query.flag("minimal"), query.flag("full")
        if minimal:
            shape = "service_minimal"
        else:
            shape = "service_full" if full else "service_list"
        return _listing(query, queryset, "service", shape)


class ServiceDetail(FeedView):
    parameters = params.DETAIL
    endpoint = "/services/{id}"

    @extend_schema(
        summary="A fully nested service",
        operation_id="getService",
        parameters=openapi.parameters(params.DETAIL, detail=True),
        responses=openapi.detail_responses("service"),
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002  (the standard's name)
        self.query(request)
        return _detail(Service.objects.all(), id, kind="service", shape="service_full")


class ServiceAtLocationList(FeedView):
    parameters = params.SERVICE_AT_LOCATIONS
    endpoint = "/service_at_locations"

    @extend_schema(
        summary="Services at locations",
        operation_id="listServiceAtLocations",
        parameters=openapi.parameters(params.SERVICE_AT_LOCATIONS),
        responses=openapi.list_responses("service_at_location", "service_at_location_list"),
    )
    def get(self, request: Request) -> Any:
        query = self.query(request)
        queryset = queries.services_at_locations(query.filters(proximity=True))
        shape = "service_at_location_full" if query.flag("full") else "service_at_location_list"
        return _listing(query, queryset, "service_at_location", shape)


class ServiceAtLocationDetail(FeedView):
    parameters = params.DETAIL
    endpoint = "/service_at_locations/{id}"

    @extend_schema(
        summary="A fully nested service at a location",
        operation_id="getServiceAtLocation",
        parameters=openapi.parameters(params.DETAIL, detail=True),
        responses=openapi.detail_responses("service_at_location"),
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        self.query(request)
        # A refuge's service-at-location does not exist, as far as the public can tell.
        queryset = publication.public_services_at_locations(ServiceAtLocation.objects.all())
        return _detail(queryset, id, kind="service_at_location", shape="service_at_location_full")


class OrganizationList(FeedView):
    parameters = params.ORGANIZATIONS
    endpoint = "/organizations"

    @extend_schema(
        summary="Organizations",
        operation_id="listOrganizations",
        parameters=openapi.parameters(params.ORGANIZATIONS),
        responses=openapi.list_responses("organization", "organization_list"),
    )
    def get(self, request: Request) -> Any:
        query = self.query(request)
        queryset = Organization.objects.order_by("name", "id")
        if text := query.search():
            queryset = _containing_words(queryset, text, ["name", "alternate_name", "description"])
        full_service, full = query.flag("full_service"), query.flag("full")
        if full_service:
            shape = "organization_full_service"
        elif full:
            shape = "organization_full"
        else:
            shape = "organization_list"
        return _listing(query, queryset, "organization", shape)


class OrganizationDetail(FeedView):
    parameters = params.ORGANIZATION
    endpoint = "/organizations/{id}"

    @extend_schema(
        summary="A fully nested organization with its services",
        operation_id="getOrganization",
        parameters=openapi.parameters(params.ORGANIZATION, detail=True),
        responses=openapi.detail_responses("organization"),
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        full = self.query(request).flag("full_service")
        shape = "organization_full_service" if full else "organization_detail"
        return _detail(Organization.objects.all(), id, kind="organization", shape=shape)


class TaxonomyList(FeedView):
    parameters = params.TAXONOMIES
    endpoint = "/taxonomies"

    @extend_schema(
        summary="Taxonomies",
        operation_id="listTaxonomies",
        parameters=openapi.parameters(params.TAXONOMIES),
        responses=openapi.list_responses("taxonomy", "taxonomy_list"),
    )
    def get(self, request: Request) -> Any:
        query = self.query(request)
        queryset = Taxonomy.objects.order_by("name", "id")
        if text := query.search():
            queryset = _containing_words(queryset, text, ["name", "description"])
        return _listing(query, queryset, "taxonomy", "taxonomy")


class TaxonomyDetail(FeedView):
    parameters = params.DETAIL
    endpoint = "/taxonomies/{id}"

    @extend_schema(
        summary="A taxonomy",
        operation_id="getTaxonomy",
        parameters=openapi.parameters(params.DETAIL, detail=True),
        responses=openapi.detail_responses("taxonomy"),
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        self.query(request)
        return _detail(Taxonomy.objects.all(), id, kind="taxonomy", shape="taxonomy")


class TaxonomyTermList(FeedView):
    parameters = params.TAXONOMY_TERMS
    endpoint = "/taxonomy_terms"

    @extend_schema(
        summary="Taxonomy terms",
        operation_id="listTaxonomyTerms",
        parameters=openapi.parameters(params.TAXONOMY_TERMS),
        responses=openapi.list_responses("taxonomy_term", "taxonomy_term_list"),
    )
    def get(self, request: Request) -> Any:
        query = self.query(request)
        queryset = TaxonomyTerm.objects.order_by("name", "id")
        if taxonomy_id := query.uuid("taxonomy_id"):
            queryset = queryset.filter(taxonomy_detail_id=taxonomy_id)
        if parent_id := query.uuid("parent_id"):
            queryset = queryset.filter(parent_id=parent_id)
        if query.flag("top_only"):
            queryset = queryset.filter(parent_id__isnull=True)
        if text := query.search():
            queryset = _containing_words(queryset, text, ["name", "description", "code"])
        return _listing(query, queryset, "taxonomy_term", "taxonomy_term")


class TaxonomyTermDetail(FeedView):
    parameters = params.DETAIL
    endpoint = "/taxonomy_terms/{id}"

    @extend_schema(
        summary="A taxonomy term",
        operation_id="getTaxonomyTerm",
        parameters=openapi.parameters(params.DETAIL, detail=True),
        responses=openapi.detail_responses("taxonomy_term"),
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        self.query(request)
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
