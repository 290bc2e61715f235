"""A person and a referral as FHIR R4 resources: what the API sends out.

Every resource is built as a plain dict and checked against fhir.resources' R4B model, and
its required code bindings checked by hand (codes.py), before it leaves: a resource that does
not validate is a bug here, and raises rather than reaching another system.

Ids: a Patient is the person's reference (what staff quote, never their NHS number); a
ServiceRequest and its Task share the referral's fhir_id.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from thedeal.casework import lifecycle, snomed
from thedeal.casework.fhir import codes
from thedeal.casework.models import Person, Referral
from thedeal.directory.models import Organization

Resource = dict[str, Any]


class InvalidResource(ValueError):
    """A resource built here that FHIR would not accept (a bug, never the caller's fault)."""


@dataclass(frozen=True)
class Issue:
    """One problem to report in an OperationOutcome: what, and where (a FHIRPath)."""

    code: str
    diagnostics: str
    expression: tuple[str, ...] = ()
    severity: str = "error"


def _instant(moment: datetime.datetime) -> str:
    return timezone.localtime(moment, datetime.UTC).isoformat(timespec="seconds")


def _compact(value: Any) -> Any:
    """Drop empty strings, lists, dicts and Nones: FHIR has no empty elements."""
    if isinstance(value, Mapping):
        kept = {k: _compact(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in ("", None, [], {})}
    if isinstance(value, list):
        kept_items = [_compact(v) for v in value]
        return [v for v in kept_items if v not in ("", None, [], {})]
    return value


def validated(resource: Resource) -> Resource:
    """The resource, once fhir.resources' R4B model and the required bindings accept it."""
    # fhir.resources' models take a while to import: loaded when the API is first used, not
    # when the site starts.
    from fhir.resources.R4B import get_fhir_model_class

    resource = _compact(resource)
    try:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    except Exception as error:  # pydantic's ValidationError, or KeyError for an unknown type
        raise InvalidResource(f"{resource.get('resourceType')}: {error}") from error
    problems = binding_problems(resource)
    if problems:
        raise InvalidResource("; ".join(problems))
    return resource


def binding_problems(resource: Resource) -> list[str]:
    """The required bindings a resource breaks (fhir.resources does not check them)."""
    kind = resource.get("resourceType")
    checks: list[tuple[str, Any, frozenset[str]]] = []
    if kind == "Task":
        statuses = frozenset(s.value for s in lifecycle.Status)
        checks = [
            ("Task.status", resource.get("status"), statuses),
            ("Task.intent", resource.get("intent"), codes.TASK_INTENT),
        ]
    elif kind == "ServiceRequest":
        checks = [
            ("ServiceRequest.status", resource.get("status"), codes.REQUEST_STATUS),
            ("ServiceRequest.intent", resource.get("intent"), codes.REQUEST_INTENT),
        ]
    elif kind == "Bundle":
        checks = [("Bundle.type", resource.get("type"), codes.BUNDLE_TYPE)]
        return [f"{path}: {value!r}" for path, value, allowed in checks if value not in allowed] + [
            problem
            for entry in resource.get("entry", [])
            if "resource" in entry
            for problem in binding_problems(entry["resource"])
        ]
    elif kind == "OperationOutcome":
        checks = [
            (f"OperationOutcome.issue[{i}].severity", issue.get("severity"), codes.ISSUE_SEVERITY)
            for i, issue in enumerate(resource.get("issue", []))
        ]
    return [f"{path}: {value!r}" for path, value, allowed in checks if value not in allowed]


# --- References ------------------------------------------------------------------------------


def ods_code(organization: Organization) -> str | None:
    """The organisation's ODS code, if the directory keeps one (a GP practice's)."""
    for identifier in organization.organization_identifiers.all():
        if identifier.identifier_scheme == codes.ODS_IDENTIFIER_SCHEME:
            return identifier.identifier
    return None


def organisation_reference(organization: Organization | None, display: str = "") -> Resource:
    """A logical reference to an organisation (the API serves no Organization resources): its
    ODS code where it has one, else its directory id."""
    if organization is None:
        return {"display": display}
    code = ods_code(organization)
    identifier = (
        {"system": codes.ODS_SYSTEM, "value": code}
        if code
        else {"system": codes.URN_SYSTEM, "value": f"urn:uuid:{organization.pk}"}
    )
    return {"identifier": identifier, "display": display or organization.name}


def patient_reference(person: Person) -> Resource:
    return {
        "reference": f"Patient/{person.reference}",
        "identifier": {"system": codes.NHS_NUMBER_SYSTEM, "value": person.nhs_number}
        if person.nhs_number
        else None,
    }


# --- Resources ---------------------------------------------------------------------------------


def patient(person: Person) -> Resource:
    """The person as a Patient: who they are, no more (their NHS number, name and date of
    birth: what a GP system matches on)."""
    return validated(
        {
            "resourceType": "Patient",
            "id": person.reference,
            "meta": {"lastUpdated": _instant(person.updated_at)},
            "identifier": [{"system": codes.NHS_NUMBER_SYSTEM, "value": person.nhs_number}]
            if person.nhs_number
            else [],
            "name": [
                {
                    "use": "official",
                    "family": person.family_name,
                    "given": [person.given_name] if person.given_name else [],
                },
                {"use": "usual", "text": person.preferred_name},
            ],
            "birthDate": person.date_of_birth.isoformat(),
        }
    )


def service_request(referral: Referral) -> Resource:
    """What was asked for: the SNOMED CT procedure, for whom, by whom, to whom and why."""
    try:
        concept = snomed.concept(referral.code)
        coding = concept.coding()
    except KeyError:
        coding = {"system": codes.SNOMED_CT, "code": referral.code}
    source: Resource = {}
    if referral.source_of_referral:
        try:
            source_coding = snomed.source_of_referral(referral.source_of_referral).coding()
        except snomed.UnknownSource:
            source_coding = {"system": codes.SNOMED_CT, "code": referral.source_of_referral}
        source = {
            "url": codes.SOURCE_OF_SERVICE_REQUEST,
            "valueCodeableConcept": {"coding": [source_coding]},
        }
    return validated(
        {
            "resourceType": "ServiceRequest",
            "id": str(referral.fhir_id),
            "meta": {"lastUpdated": _instant(referral.updated_at)},
            "extension": [source],
            "status": codes.SERVICE_REQUEST_STATUS[lifecycle.Status(referral.status)],
            "intent": "order",
            "code": {"coding": [coding]},
            "subject": patient_reference(referral.person),
            "authoredOn": _instant(referral.requested_at),
            "requester": organisation_reference(
                referral.requester_organization, referral.requester_name
            )
            if referral.requester_organization or referral.requester_name
            else {"display": "Social prescribing link worker"},
            "performer": [organisation_reference(referral.performer_organization)]
            if referral.performer_organization
            else [],
            "reasonCode": [{"text": referral.reason}] if referral.reason else [],
        }
    )


def task(referral: Referral) -> Resource:
    """How the referral is going: its status as the lifecycle keeps it, why it changed, and
    the closing summary once the episode is over (Task.output)."""
    status = lifecycle.Status(referral.status)
    request = {"reference": f"ServiceRequest/{referral.fhir_id}"}
    return validated(
        {
            "resourceType": "Task",
            "id": str(referral.fhir_id),
            "meta": {"lastUpdated": _instant(referral.updated_at)},
            "basedOn": [request],
            "status": status.value,
            "statusReason": {"text": referral.status_reason},
            # What the referrer's side reads, in the platform's words.
            "businessStatus": {"text": referral.label_for(lifecycle.Party.REQUESTER)},
            "intent": "order",
            "code": {
                "coding": [
                    {
                        "system": codes.TASK_CODE_SYSTEM,
                        "code": "fulfill",
                        "display": "Fulfill the focal request",
                    }
                ]
            },
            "focus": request,
            "for": patient_reference(referral.person),
            "executionPeriod": {
                "start": _instant(referral.answered_at) if referral.answered_at else None,
                "end": _instant(referral.closed_at) if referral.closed_at else None,
            },
            "authoredOn": _instant(referral.requested_at),
            "lastModified": _instant(referral.updated_at),
            "requester": organisation_reference(
                referral.requester_organization, referral.requester_name
            )
            if referral.requester_organization or referral.requester_name
            else {"display": "Social prescribing link worker"},
            "owner": organisation_reference(referral.performer_organization)
            if referral.performer_organization
            else {"display": "Social prescribing link workers (triage)"},
            "output": [{"type": {"text": "Closing summary"}, "valueString": referral.summary}]
            if referral.summary
            else [],
        }
    )


# --- Bundles and outcomes ------------------------------------------------------------------------


def searchset(
    resources: Sequence[Resource],
    *,
    base_url: str,
    self_url: str,
    total: int,
    next_url: str | None = None,
) -> Resource:
    return validated(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "timestamp": _instant(timezone.now()),
            "total": total,
            "link": [
                {"relation": "self", "url": self_url},
                {"relation": "next", "url": next_url} if next_url else {},
            ],
            "entry": [
                {
                    "fullUrl": f"{base_url}{resource['resourceType']}/{resource['id']}",
                    "resource": resource,
                    "search": {"mode": "match"},
                }
                for resource in resources
            ],
        }
    )


@dataclass(frozen=True)
class Created:
    """One entry of a transaction's response: where the resource is, and what happened."""

    location: str
    status: str = "201 Created"
    last_modified: datetime.datetime | None = None
    outcome: Resource = field(default_factory=dict)


def transaction_response(entries: Iterable[Created]) -> Resource:
    return validated(
        {
            "resourceType": "Bundle",
            "type": "transaction-response",
            "timestamp": _instant(timezone.now()),
            "entry": [
                {
                    "response": {
                        "status": entry.status,
                        "location": entry.location,
                        "lastModified": _instant(entry.last_modified)
                        if entry.last_modified
                        else None,
                    }
                }
                for entry in entries
            ],
        }
    )


def operation_outcome(issues: Iterable[Issue]) -> Resource:
    return validated(
        {
            "resourceType": "OperationOutcome",
            "issue": [
                {
                    "severity": issue.severity,
                    "code": issue.code,
                    "diagnostics": issue.diagnostics,
                    "expression": list(issue.expression),
                }
                for issue in issues
            ],
        }
    )


def capability_statement(*, base_url: str, software_version: str = "") -> Resource:
    """What the server does, for anyone to read (GET metadata needs no token)."""
    search_params = [
        {
            "name": "patient.identifier",
            "type": "token",
            "documentation": f"The patient's NHS number: {codes.NHS_NUMBER_SYSTEM}|<number>",
        },
        {"name": "status", "type": "token"},
        {
            "name": "_lastUpdated",
            "type": "date",
            "documentation": "With a prefix: ge, le, gt, lt (or none: within that date).",
        },
        {"name": "_count", "type": "number", "documentation": "Up to 100 a page (50 if none)."},
    ]
    read_and_search = [{"code": "read"}, {"code": "search-type"}]
    return validated(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": _instant(timezone.now()),
            "publisher": "The Deal (casework)",
            "kind": "instance",
            "software": {"name": "The Deal", "version": software_version},
            "implementation": {
                "description": "Social prescribing referrals: inbound from GP and other "
                "systems, and their progress.",
                "url": base_url,
            },
            "fhirVersion": codes.FHIR_VERSION,
            "format": [codes.CONTENT_TYPE, "json"],
            "rest": [
                {
                    "mode": "server",
                    "documentation": "Every request but this one needs an API token.",
                    "security": {
                        "description": "Authorization: Bearer <token>; a token is made with "
                        "`thedeal api_token create --name NAME --organisation ID` and sees only "
                        "the referrals its organisation sent or received."
                    },
                    "resource": [
                        {"type": "Patient", "interaction": [{"code": "read"}]},
                        {
                            "type": "ServiceRequest",
                            "interaction": read_and_search,
                            "searchParam": search_params,
                        },
                        {
                            "type": "Task",
                            "interaction": read_and_search,
                            "searchParam": search_params,
                        },
                    ],
                    "interaction": [
                        {
                            "code": "transaction",
                            "documentation": "POST a Bundle of type transaction holding a "
                            "Patient (with an NHS number), a ServiceRequest and a Task: an "
                            "inbound referral.",
                        }
                    ],
                }
            ],
        }
    )
