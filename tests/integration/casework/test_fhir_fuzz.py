"""Whatever a sending system puts in a referral Bundle, the API answers with a referral kept
whole (every location in the response reads back) or with an OperationOutcome naming an
element, and then nothing at all is kept. The FHIR surface has no OpenAPI document for
schemathesis, so hypothesis builds the Bundles: valid ones, and ones broken in the ways real
senders break them (NHS numbers, systems, statuses, intents, missing parts, wrong types).
"""

from __future__ import annotations

import copy
import hashlib

import pytest
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories.casework import test_nhs_number
from tests.factories.fhir import NHS, referral_bundle
from tests.integration.casework.test_fhir_api import BASE, resource_of
from thedeal.casework.fhir import actions
from thedeal.casework.models import ApiToken, AuditEvent, Person, Referral
from thedeal.casework.nhs_number import InvalidNHSNumber, normalise_nhs_number

pytestmark = pytest.mark.django_db

TASK_STATUSES = ["draft", "requested", "received", "accepted", "rejected", "ready", "cancelled",
                 "in-progress", "on-hold", "failed", "completed", "entered-in-error"]  # fmt: skip
REQUEST_STATUSES = ["draft", "active", "on-hold", "revoked", "completed", "unknown"]
INTENTS = ["order", "original-order", "plan", "proposal"]
junk = st.text(max_size=12)

nhs_numbers = st.one_of(
    st.integers(0, 40).map(test_nhs_number),
    st.text("0123456789", min_size=10, max_size=10),
    st.text("0123456789 -", min_size=8, max_size=13),
    junk,
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), junk, st.lists(junk, max_size=2))


FAULTS = ["nhs_number", "system", "request_status", "request_intent", "task_status",
          "task_intent", "drop_entry", "stray", "type"]  # fmt: skip


@st.composite
def bundles(draw):
    """A valid referral, with none, one or two of the faults senders make."""
    faults = draw(st.just([]) | st.lists(st.sampled_from(FAULTS), min_size=1, max_size=2))
    nhs_number = (
        draw(nhs_numbers) if "nhs_number" in faults else test_nhs_number(draw(st.integers(0, 40)))
    )
    system = (
        draw(
            st.sampled_from(
                ["https://fhir.nhs.uk/Id/nhs-number-x", "urn:oid:2.16.840.1.113883.2.1.4.1"]
            )
        )
        if "system" in faults
        else NHS
    )
    task_status = (
        draw(st.sampled_from(TASK_STATUSES) | junk)
        if "task_status" in faults
        else draw(st.sampled_from(["requested", "draft"]))
    )
    request_status = {"requested": "active", "draft": "draft"}.get(task_status, "active")
    bundle = referral_bundle(
        patient={"identifier": [{"system": system, "value": nhs_number}]},
        service_request={
            "status": draw(st.sampled_from(REQUEST_STATUSES) | junk)
            if "request_status" in faults
            else request_status,
            "intent": draw(junk) if "request_intent" in faults else draw(st.sampled_from(INTENTS)),
        },
        task={
            "status": task_status,
            "intent": draw(junk) if "task_intent" in faults else draw(st.sampled_from(INTENTS)),
        },
    )
    if "drop_entry" in faults:
        del bundle["entry"][draw(st.integers(0, 2))]
    if "stray" in faults:
        resource = draw(st.sampled_from(bundle["entry"]))["resource"]
        name = draw(st.sampled_from(sorted(set(resource) - {"resourceType"})))
        if draw(st.booleans()):
            resource[name] = draw(scalars)
        else:
            del resource[name]
    if "type" in faults:
        bundle["type"] = draw(st.sampled_from(["batch", "collection", "transaction-response"]))
    return bundle, system, nhs_number


def _refused_for_sure(bundle, system, nhs_number) -> bool:
    """Rules any good answer keeps: a wrong NHS number, a wrong system, a Task status a new
    referral cannot have, a missing resource, or a Bundle that is not a transaction."""
    try:
        normalise_nhs_number(nhs_number if isinstance(nhs_number, str) else "")
        valid_number = nhs_number == normalise_nhs_number(nhs_number)
    except InvalidNHSNumber:
        valid_number = False
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    task = next(
        (e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Task"), {}
    )
    return (
        system != NHS
        or (
            not valid_number
            and "Patient" in kinds
            and isinstance(nhs_number, str)
            and " " not in nhs_number
            and "-" not in nhs_number
        )
        or task.get("status") not in ("draft", "requested")
        or sorted(kinds) != ["Patient", "ServiceRequest", "Task"]
        or bundle["type"] != "transaction"
    )


@pytest.mark.slow
@hypothesis_settings(
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=bundles())
def test_any_bundle_is_kept_whole_or_refused_naming_an_element_with_nothing_kept(client, case):
    bundle, system, nhs_number = case
    token = ApiToken.objects.first()
    if token is None:
        token, _ = ApiToken.issue(
            name="Fuzzing GP", organization=actions.organisation_for(ods_code="P92001")
        )
    secret = "thedeal_fuzz-" + str(token.pk)
    ApiToken.objects.filter(pk=token.pk).update(
        token_hash=hashlib.sha256(secret.encode()).hexdigest()
    )
    headers = {"Authorization": f"Bearer {secret}"}
    before = (Person.objects.count(), Referral.objects.count(), AuditEvent.objects.count())

    response = client.post(
        BASE, copy.deepcopy(bundle), content_type="application/fhir+json", headers=headers
    )

    event(f"answered {response.status_code}")
    if response.status_code == 200:
        assert not _refused_for_sure(bundle, system, nhs_number), bundle
        answer = resource_of(response)
        assert Referral.objects.count() == before[1] + 1
        for entry in answer["entry"]:
            read = resource_of(client.get(BASE + entry["response"]["location"], headers=headers))
            if read["resourceType"] == "Patient":
                assert read["identifier"][0]["value"] == normalise_nhs_number(nhs_number)
    else:
        outcome = resource_of(response, response.status_code)
        assert response.status_code in (400, 422)
        assert outcome["issue"] and all(
            i["expression"][0].startswith("Bundle") for i in outcome["issue"]
        )
        assert (
            Person.objects.count(),
            Referral.objects.count(),
            AuditEvent.objects.count(),
        ) == before
