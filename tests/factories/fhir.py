"""Referral Bundles as a GP system sends them, and API tokens for named senders: Pemberton
Surgery (a GP practice, by its ODS code) and Wigan Walking Group (a community organisation)."""

from __future__ import annotations

import copy
from typing import Any

from tests.factories.casework import test_nhs_number
from tests.factories.directory import OrganizationFactory
from thedeal.casework.fhir import actions
from thedeal.casework.models import ApiToken

NHS = "https://fhir.nhs.uk/Id/nhs-number"


def gp_token(
    ods_code: str = "P92001", name: str = "Pemberton Surgery EMIS"
) -> tuple[ApiToken, str]:
    """A token for a GP practice, added to the directory by its ODS code."""
    return ApiToken.issue(name=name, organization=actions.organisation_for(ods_code=ods_code))


def organisation_token(name: str = "Wigan Walking Group") -> tuple[ApiToken, str]:
    return ApiToken.issue(name=f"{name} system", organization=OrganizationFactory(name=name))


def referral_bundle(nhs_number: str | None = None, **changes: Any) -> dict[str, Any]:
    """A valid transaction Bundle for one referral; `changes` replace parts of it, by
    resource type: patient={...}, service_request={...}, task={...} (a value of None drops
    the element)."""
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": "urn:uuid:0f9a1c4e-7e7b-4d6c-9a7e-1a2b3c4d5e01",
                "resource": {
                    "resourceType": "Patient",
                    "identifier": [{"system": NHS, "value": nhs_number or test_nhs_number(7)}],
                    "name": [{"use": "official", "family": "Hartley", "given": ["Joan"]}],
                    "birthDate": "1948-06-02",
                    "address": [
                        {"line": ["12 Church Lane"], "city": "Wigan", "postalCode": "WN1 1AA"}
                    ],
                },
                "request": {"method": "POST", "url": "Patient"},
            },
            {
                "fullUrl": "urn:uuid:0f9a1c4e-7e7b-4d6c-9a7e-1a2b3c4d5e02",
                "resource": {
                    "resourceType": "ServiceRequest",
                    "status": "active",
                    "intent": "order",
                    "code": {
                        "coding": [
                            {
                                "system": "http://snomed.info/sct",
                                "code": "871731000000106",
                                "display": "Referral to social prescribing service",
                            }
                        ]
                    },
                    "subject": {"reference": "urn:uuid:0f9a1c4e-7e7b-4d6c-9a7e-1a2b3c4d5e01"},
                    "requester": {"display": "Dr Amara Okafor"},
                    "reasonCode": [{"text": "Lonely since her husband died; would like company"}],
                },
                "request": {"method": "POST", "url": "ServiceRequest"},
            },
            {
                "fullUrl": "urn:uuid:0f9a1c4e-7e7b-4d6c-9a7e-1a2b3c4d5e03",
                "resource": {
                    "resourceType": "Task",
                    "status": "requested",
                    "intent": "order",
                    "focus": {"reference": "urn:uuid:0f9a1c4e-7e7b-4d6c-9a7e-1a2b3c4d5e02"},
                    "for": {"reference": "urn:uuid:0f9a1c4e-7e7b-4d6c-9a7e-1a2b3c4d5e01"},
                },
                "request": {"method": "POST", "url": "Task"},
            },
        ],
    }
    bundle = copy.deepcopy(bundle)
    for index, key in enumerate(("patient", "service_request", "task")):
        resource = bundle["entry"][index]["resource"]
        for name, value in (changes.get(key) or {}).items():
            if value is None:
                resource.pop(name, None)
            else:
                resource[name] = value
    return bundle
