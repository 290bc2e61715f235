"""The FHIR API's views: thin, over fhir.search (what a query asks), fhir.inbound (what a
Bundle says), fhir.actions (writes and audit) and fhir.resources (what goes out).

Every view but `metadata` needs a live API token, and sees only its organisation's referrals
(sent or received) and their patients: anything else is a 404, the same answer as for an id
that does not exist, so a token cannot learn who else is known here.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import RequestDataTooBig
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from thedeal.casework.fhir import actions, codes, inbound, resources, search
from thedeal.casework.fhir.resources import Issue
from thedeal.casework.models import ApiToken, Person, Referral
from thedeal.web import ratelimit

CONTENT_TYPE = f"{codes.CONTENT_TYPE}; charset=utf-8"


def fhir_response(resource: dict[str, Any], status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(json.dumps(resource), status=status, content_type=CONTENT_TYPE)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def outcome(
    status: int, code: str, diagnostics: str, *expression: str, **headers: str
) -> HttpResponse:
    return fhir_response(
        resources.operation_outcome([Issue(code, diagnostics, tuple(expression))]),
        status,
        **headers,
    )


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("fhir:base"))


def _token(request: HttpRequest) -> ApiToken | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return ApiToken.authenticate(token.strip())


def api(*methods: str) -> Callable[..., Any]:
    """A FHIR endpoint: these methods only (405 otherwise), never cached, no CSRF (no cookies:
    a bearer token signs each request), a live token (401 otherwise), and within the token's
    rate limit (429 with Retry-After otherwise: thedeal.web.ratelimit.FHIR_API)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @never_cache
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                return outcome(
                    405,
                    "not-supported",
                    f"{request.method} is not supported here: use {' or '.join(methods)}.",
                    Allow=", ".join(methods),
                )
            token = _token(request)
            if token is None:
                return outcome(
                    401,
                    "login",
                    "Send a live API token: Authorization: Bearer <token>.",
                    WWW_Authenticate='Bearer realm="fhir", error="invalid_token"',
                )
            # Counted per token, not per address: a GP system's requests may come from many.
            attempt = ratelimit.FHIR_API.hit(request, by=f"token:{token.pk}")
            if not attempt.allowed:
                return outcome(
                    429,
                    "throttled",
                    f"{ratelimit.FHIR_API.refusal} Try again in "
                    f"{ratelimit.in_words(attempt.retry_after)}.",
                    Retry_After=str(attempt.retry_after),
                )
            request.api_token = token  # type: ignore[attr-defined]
            return view(request, token, *args, **kwargs)

        return wrapper

    return decorate


def referrals_for(token: ApiToken) -> QuerySet[Referral]:
    """The referrals a token may see: those its organisation sent or received."""
    organization = token.organization_id
    # Each organisation's ODS code names it in a reference: read once for a whole page.
    return (
        Referral.objects.filter(
            Q(requester_organization_id=organization) | Q(performer_organization_id=organization)
        )
        .select_related("person", "requester_organization", "performer_organization")
        .prefetch_related(
            "requester_organization__organization_identifiers",
            "performer_organization__organization_identifiers",
        )
    )


def people_for(token: ApiToken) -> QuerySet[Person]:
    return Person.objects.filter(pk__in=referrals_for(token).values("person_id"))


def _not_found(kind: str, id: str) -> HttpResponse:  # noqa: A002
    return outcome(404, "not-found", f"No {kind} {id} is shared with this token.", kind)


@csrf_exempt
def metadata(request: HttpRequest) -> HttpResponse:
    """The CapabilityStatement: public, so that a system can find out what is here."""
    if request.method not in ("GET", "HEAD"):
        return outcome(
            405, "not-supported", "The CapabilityStatement is read with GET.", Allow="GET"
        )
    return fhir_response(resources.capability_statement(base_url=base_url(request)))


@api("POST")
def transaction(request: HttpRequest, token: ApiToken) -> HttpResponse:
    """An inbound referral: a transaction Bundle of a Patient, a ServiceRequest and a Task."""
    content_type = request.content_type or ""
    if content_type not in (codes.CONTENT_TYPE, "application/json"):
        return outcome(
            415,
            "not-supported",
            f"Send {codes.CONTENT_TYPE}, not {content_type or 'nothing'}.",
            "Bundle",
        )
    try:
        data = json.loads(request.body)
    except RequestDataTooBig:
        return outcome(
            413, "too-costly", "The Bundle is too large: send one referral a Bundle.", "Bundle"
        )
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return outcome(400, "structure", f"The body is not JSON: {error}.", "Bundle")
    except RecursionError:
        return outcome(400, "structure", "The body is nested too deeply to be FHIR.", "Bundle")
    try:
        details = inbound.read_bundle(data)
    except inbound.Refused as refused:
        return fhir_response(resources.operation_outcome(refused.issues), refused.status)
    try:
        received = actions.receive_referral(details=details, token=token)
    except actions.NotThatPerson as mismatch:
        return outcome(422, "business-rule", str(mismatch), mismatch.expression)
    referral = received.referral
    created = {
        "Patient": resources.Created(
            f"Patient/{received.person.reference}",
            "201 Created" if received.person_added else "200 OK",
            received.person.updated_at,
        ),
        "ServiceRequest": resources.Created(
            f"ServiceRequest/{referral.fhir_id}", last_modified=referral.updated_at
        ),
        "Task": resources.Created(f"Task/{referral.fhir_id}", last_modified=referral.updated_at),
    }
    return fhir_response(
        resources.transaction_response(created[kind] for kind in details.order), 200
    )


@api("GET")
def read_patient(request: HttpRequest, token: ApiToken, id: str) -> HttpResponse:  # noqa: A002
    person = people_for(token).filter(reference=id).first()
    if person is None:
        return _not_found("Patient", id)
    actions.record_reads(token=token, people=[person])
    return fhir_response(resources.patient(person))


def _referral(token: ApiToken, id: str) -> Referral | None:  # noqa: A002
    try:
        fhir_id = uuid.UUID(id)
    except ValueError:  # no referral has an id that is not a UUID
        return None
    return referrals_for(token).filter(fhir_id=fhir_id).first()


@api("GET")
def read_service_request(request: HttpRequest, token: ApiToken, id: str) -> HttpResponse:  # noqa: A002
    referral = _referral(token, id)
    if referral is None:
        return _not_found("ServiceRequest", id)
    actions.record_reads(token=token, referrals=[referral])
    return fhir_response(resources.service_request(referral))


@api("GET")
def read_task(request: HttpRequest, token: ApiToken, id: str) -> HttpResponse:  # noqa: A002
    referral = _referral(token, id)
    if referral is None:
        return _not_found("Task", id)
    actions.record_reads(token=token, referrals=[referral])
    return fhir_response(resources.task(referral))


def _search(request: HttpRequest, token: ApiToken, resource_type: str) -> HttpResponse:
    params = {name: request.GET.getlist(name) for name in request.GET}
    try:
        asked = search.parse(
            params, resource_type=resource_type, zone=timezone.get_current_timezone()
        )
    except search.BadSearch as error:
        return outcome(400, error.code, str(error), error.parameter)
    matches = referrals_for(token).filter(asked.filter).order_by("-updated_at", "-pk")
    total = matches.count()
    page = list(matches[asked.offset : asked.offset + asked.count])
    actions.record_reads(token=token, referrals=page)
    build = resources.task if resource_type == "Task" else resources.service_request
    here = request.build_absolute_uri(request.path)
    kept = [(k, value) for k, values in request.GET.lists() if k != "_offset" for value in values]
    following = asked.offset + asked.count
    return fhir_response(
        resources.searchset(
            [build(r) for r in page],
            base_url=base_url(request),
            self_url=f"{here}?{urlencode(kept + [('_offset', str(asked.offset))])}",
            total=total,
            next_url=f"{here}?{urlencode(kept + [('_offset', str(following))])}"
            if following < total
            else None,
        )
    )


@api("GET")
def search_service_requests(request: HttpRequest, token: ApiToken) -> HttpResponse:
    return _search(request, token, "ServiceRequest")


@api("GET")
def search_tasks(request: HttpRequest, token: ApiToken) -> HttpResponse:
    return _search(request, token, "Task")
