"""Casework's FHIR R4 API, as a GP system uses it: it sends a referral as a transaction
Bundle, follows it on the Task, and sees nothing it did not send or receive. Every resource
that comes back is parsed again with fhir.resources (R4B), and its required bindings checked.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class

from tests.factories.casework import GPPracticeFactory, PersonFactory, test_nhs_number
from tests.factories.directory import OrganizationFactory
from tests.factories.fhir import NHS, gp_token, organisation_token, referral_bundle
from thedeal.casework.fhir import codes
from thedeal.casework.fhir.resources import binding_problems
from thedeal.casework.lifecycle import Party, Status
from thedeal.casework.models import AuditEvent, Direction, Person, Referral, ReferralChange

pytestmark = pytest.mark.django_db

BASE = "/api/fhir/"


def resource_of(response, status=200):
    """The response's resource, once it has the FHIR content type, parses with fhir.resources
    and keeps every required binding."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/fhir+json")
    data = response.json()
    get_fhir_model_class(data["resourceType"]).model_validate(data)
    assert binding_problems(data) == []
    return data


def get(client, path, token=None, **params):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(BASE + path, params, headers=headers)


def post(client, bundle, token, content_type="application/fhir+json"):
    return client.post(
        BASE, bundle, content_type=content_type, headers={"Authorization": f"Bearer {token}"}
    )


def _counts():
    return (Person.objects.count(), Referral.objects.count(), ReferralChange.objects.count())


# --- metadata and tokens -----------------------------------------------------------------------


def test_the_capability_statement_is_public_and_says_r4(client):
    statement = resource_of(client.get(BASE + "metadata"))

    assert statement["resourceType"] == "CapabilityStatement"
    assert statement["fhirVersion"] == "4.0.1"
    resources = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert set(resources) == {"Patient", "ServiceRequest", "Task"}
    assert {p["name"] for p in resources["Task"]["searchParam"]} >= {
        "patient.identifier",
        "status",
        "_lastUpdated",
    }
    assert [i["code"] for i in statement["rest"][0]["interaction"]] == ["transaction"]


@pytest.mark.parametrize(
    "header", ["", "Bearer ", "Bearer thedeal_not-a-token", "Basic dXNlcjpwYXNz"]
)
def test_a_request_without_a_live_token_is_401_with_an_operation_outcome(client, header):
    response = client.get(BASE + "Task", headers={"Authorization": header} if header else {})

    outcome = resource_of(response, 401)
    assert outcome["issue"][0]["code"] == "login"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_working(client):
    token, secret = gp_token()
    assert get(client, "Task", secret).status_code == 200
    token.revoke()

    assert get(client, "Task", secret).status_code == 401


def test_a_token_is_kept_hashed_and_its_use_is_recorded(client):
    token, secret = gp_token()
    get(client, "Task", secret)
    token.refresh_from_db()

    assert secret not in token.token_hash and len(token.token_hash) == 64
    assert token.last_used_at is not None


# --- inbound referrals ----------------------------------------------------------------------------


def test_a_gp_referral_lands_in_the_link_workers_triage_queue(client):
    token, secret = gp_token()

    response = resource_of(post(client, referral_bundle(test_nhs_number(7)), secret))

    assert response["type"] == "transaction-response"
    person = Person.objects.get(nhs_number=test_nhs_number(7))
    referral = Referral.objects.get(person=person)
    assert [e["response"]["location"] for e in response["entry"]] == [
        f"Patient/{person.reference}",
        f"ServiceRequest/{referral.fhir_id}",
        f"Task/{referral.fhir_id}",
    ]
    assert [e["response"]["status"] for e in response["entry"]] == ["201 Created"] * 3
    assert (person.given_name, person.family_name) == ("Joan", "Hartley")
    assert person.date_of_birth == datetime.date(1948, 6, 2)
    assert person.postcode == "WN1 1AA"
    assert referral.direction == Direction.INBOUND
    assert referral.performer_organization is None  # the triage queue
    assert referral.requester_organization == token.organization
    assert referral.requester_name == "Dr Amara Okafor"
    assert referral.reason.startswith("Lonely")
    assert referral.code == "871731000000106"
    assert referral.status == "requested"
    start = referral.changes.get()
    assert (start.to_status, start.by_party, start.by_system) == (
        "requested",
        "requester",
        "Pemberton Surgery EMIS",
    )
    created = AuditEvent.objects.filter(action="created", person_id=person.pk)
    assert {(e.record_type, e.username, e.reason) for e in created} == {
        ("person", "Pemberton Surgery EMIS", "FHIR API"),
        ("referral", "Pemberton Surgery EMIS", "FHIR API"),
    }


def test_a_new_patient_is_registered_with_the_practice_the_referral_names(client):
    _, secret = gp_token()
    practice = GPPracticeFactory(ods_code="P92001", name="Pemberton Surgery")
    gp = [{"identifier": {"system": codes.ODS_SYSTEM, "value": "P92001"}}]

    resource_of(post(client, referral_bundle(patient={"generalPractitioner": gp}), secret))

    assert Person.objects.get().gp_practice == practice


def test_a_patient_whose_nhs_number_is_known_is_matched_not_duplicated(client):
    _, secret = gp_token()
    known = PersonFactory(
        nhs_number=test_nhs_number(8),
        given_name="Joan",
        family_name="Hartley",
        date_of_birth=datetime.date(1948, 6, 2),
    )

    response = resource_of(post(client, referral_bundle(test_nhs_number(8)), secret))

    assert Person.objects.filter(nhs_number=test_nhs_number(8)).count() == 1
    assert response["entry"][0]["response"] == {
        "status": "200 OK",
        "location": f"Patient/{known.reference}",
        "lastModified": response["entry"][0]["response"]["lastModified"],
    }
    assert known.referrals.count() == 1


def test_a_known_nhs_number_with_another_date_of_birth_is_refused_and_nothing_kept(client):
    _, secret = gp_token()
    PersonFactory(nhs_number=test_nhs_number(8), date_of_birth=datetime.date(1950, 1, 1))
    before = _counts()

    data = resource_of(post(client, referral_bundle(test_nhs_number(8)), secret), 422)

    (issue,) = data["issue"]
    assert issue["code"] == "business-rule"
    assert issue["expression"] == ["Bundle.entry[0].resource.birthDate"]
    assert "different date of birth" in issue["diagnostics"]
    assert "1950" not in str(data) and "1948" not in str(data)  # neither date is told
    assert _counts() == before


def test_a_token_over_its_rate_limit_gets_429_with_retry_after(client, settings):
    settings.FHIR_API_RATE_LIMIT = "2/min"
    _, secret = gp_token()
    _, other = organisation_token()

    answers = [get(client, "Task", secret) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    refused = resource_of(answers[-1], 429)
    assert refused["issue"][0]["code"] == "throttled"
    assert (
        "Too many requests have been made with this API token" in refused["issue"][0]["diagnostics"]
    )
    assert 1 <= int(answers[-1]["Retry-After"]) <= 120  # the sliding window: two at most
    # Per token: another token from the same address is still answered.
    assert get(client, "Task", other).status_code == 200


def test_a_referral_to_a_named_organisation_goes_to_that_organisation(client):
    _, secret = gp_token()
    walking = OrganizationFactory(name="Wigan Walking Group")
    bundle = referral_bundle(
        service_request={
            "performer": [
                {"identifier": {"system": codes.URN_SYSTEM, "value": f"urn:uuid:{walking.pk}"}}
            ]
        }
    )

    resource_of(post(client, bundle, secret))

    assert Referral.objects.get().performer_organization == walking


def test_a_referral_round_trip_shows_the_platforms_status_changes_on_the_task(client):
    """POST a referral, accept it in the platform as the inbox does, read the Task back."""
    _, secret = gp_token()
    response = resource_of(post(client, referral_bundle(), secret))
    task_location = response["entry"][2]["response"]["location"]
    assert resource_of(get(client, task_location, secret))["status"] == "requested"

    referral = Referral.objects.get()
    referral.change_status(Status.ACCEPTED, by=Party.TARGET)
    task = resource_of(get(client, task_location, secret))

    assert task["status"] == "accepted"
    assert task["businessStatus"]["text"] == "Accepted"
    assert datetime.datetime.fromisoformat(task["lastModified"]) >= datetime.datetime.fromisoformat(
        task["authoredOn"]
    )
    assert "output" not in task

    referral.change_status(Status.COMPLETED, by=Party.TARGET)
    referral.summary = "Joined the Tuesday walking group; no actions."
    referral.save(update_fields=["summary"])
    task = resource_of(get(client, task_location, secret))
    assert task["status"] == "completed"
    assert task["output"] == [
        {
            "type": {"text": "Closing summary"},
            "valueString": "Joined the Tuesday walking group; no actions.",
        }
    ]
    assert "end" in task["executionPeriod"]
    request = resource_of(get(client, f"ServiceRequest/{referral.fhir_id}", secret))
    assert request["status"] == "completed"
    assert request["code"]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "871731000000106",
        "display": "Referral to social prescribing service",
    }


def test_a_status_reason_is_on_the_task(client):
    _, secret = gp_token()
    post(client, referral_bundle(), secret)
    referral = Referral.objects.get()
    referral.change_status(Status.REJECTED, by=Party.TARGET, reason="Outside our area")

    task = resource_of(get(client, f"Task/{referral.fhir_id}", secret))

    assert (task["status"], task["statusReason"]) == ("rejected", {"text": "Outside our area"})


def _patient(**changes):
    return {"patient": changes}


BAD_BUNDLES = {
    "wrong NHS number system": (
        referral_bundle(
            patient={"identifier": [{"system": "https://example.org/nhs", "value": "9990000018"}]}
        ),
        422,
        "Bundle.entry[0].resource.identifier[0].system",
        "https://fhir.nhs.uk/Id/nhs-number",
    ),
    "bad check digit": (
        referral_bundle(patient={"identifier": [{"system": NHS, "value": "9434765918"}]}),
        422,
        "Bundle.entry[0].resource.identifier[0].value",
        "last digit does not match",
    ),
    "unknown Task.status": (
        referral_bundle(task={"status": "sent"}),
        422,
        "Bundle.entry[2].resource.status",
        "not a referral status",
    ),
    "a Task status referrals never have": (
        referral_bundle(task={"status": "received"}),
        422,
        "Bundle.entry[2].resource.status",
        "referral value set leaves it out",
    ),
    "a referral cannot start accepted": (
        referral_bundle(task={"status": "accepted"}),
        422,
        "Bundle.entry[2].resource.status",
        "can start only as",
    ),
    "missing Patient": (
        {**referral_bundle(), "entry": referral_bundle()["entry"][1:]},
        422,
        "Bundle.entry",
        "no Patient",
    ),
    "bad ServiceRequest intent": (
        referral_bundle(service_request={"intent": "please"}),
        422,
        "Bundle.entry[1].resource.intent",
        "request intent",
    ),
    "ServiceRequest status not a request status": (
        referral_bundle(service_request={"status": "requested"}),
        422,
        "Bundle.entry[1].resource.status",
        "request status",
    ),
    "no reason": (
        referral_bundle(service_request={"reasonCode": None}),
        422,
        "Bundle.entry[1].resource.reasonCode",
        "why",
    ),
    "no requester": (
        referral_bundle(service_request={"requester": None}),
        422,
        "Bundle.entry[1].resource.requester",
        "who referred",
    ),
    "a SNOMED code with a bad check digit": (
        referral_bundle(
            service_request={
                "code": {
                    "coding": [{"system": "http://snomed.info/sct", "code": "871731000000107"}]
                }
            }
        ),
        422,
        "Bundle.entry[1].resource.code.coding[0].code",
        "SNOMED CT",
    ),
    "an organisation the directory does not have": (
        referral_bundle(
            service_request={
                "performer": [{"identifier": {"system": codes.ODS_SYSTEM, "value": "Y99999"}}]
            }
        ),
        422,
        "Bundle.entry[1].resource.performer[0]",
        "No organisation",
    ),
    "subject not the Bundle's Patient": (
        referral_bundle(service_request={"subject": {"reference": "Patient/someone-else"}}),
        422,
        "Bundle.entry[1].resource.subject",
        "Patient in the Bundle",
    ),
    "a postcode that is not one": (
        referral_bundle(patient={"address": [{"line": ["1 High St"], "postalCode": "ZZ99 ZZZ9"}]}),
        422,
        "Bundle.entry[0].resource.address[0].postalCode",
        "not a valid UK postcode",
    ),
    "born in the future": (
        referral_bundle(patient={"birthDate": "2999-01-01"}),
        422,
        "Bundle.entry[0].resource.birthDate",
        "in the future",
    ),
    "only a year of birth": (
        referral_bundle(patient={"birthDate": "1948"}),
        422,
        "Bundle.entry[0].resource.birthDate",
        "full date of birth",
    ),
    "31 February": (
        referral_bundle(patient={"birthDate": "1948-02-31"}),
        400,
        "Bundle.entry[0].resource.birthDate",
        "day value is outside expected range",
    ),
    "not FHIR (a bad date)": (
        referral_bundle(patient={"birthDate": "02/06/1948"}),
        400,
        "Bundle.entry[0].resource.birthDate",
        "",
    ),
    "an element FHIR does not have": (
        referral_bundle(task={"colour": "blue"}),
        400,
        "Bundle.entry[2].resource.colour",
        "",
    ),
    "a batch, not a transaction": (
        {**referral_bundle(), "type": "batch"},
        400,
        "Bundle.type",
        "transaction",
    ),
    "not a Bundle": ({"resourceType": "Patient"}, 400, "Bundle", "Bundle"),
}


@pytest.mark.parametrize("name", BAD_BUNDLES)
def test_a_bad_bundle_gets_an_operation_outcome_naming_the_element_and_creates_nothing(
    client, name
):
    bundle, status, expression, words = BAD_BUNDLES[name]
    _, secret = gp_token()
    before, audited = _counts(), AuditEvent.objects.count()

    outcome = resource_of(post(client, bundle, secret), status)

    assert outcome["resourceType"] == "OperationOutcome"
    assert any(expression in issue.get("expression", []) for issue in outcome["issue"]), outcome
    assert any(words in issue["diagnostics"] for issue in outcome["issue"]), outcome
    assert _counts() == before
    assert AuditEvent.objects.count() == audited


def test_a_body_that_is_not_json_is_a_400(client):
    _, secret = gp_token()
    response = client.post(
        BASE,
        "{not json",
        content_type="application/fhir+json",
        headers={"Authorization": f"Bearer {secret}"},
    )

    assert resource_of(response, 400)["issue"][0]["code"] == "structure"
    assert _counts() == (0, 0, 0)


def test_xml_is_refused_with_415(client):
    _, secret = gp_token()
    response = post(client, "<Bundle/>", secret, content_type="application/fhir+xml")

    assert resource_of(response, 415)["issue"][0]["code"] == "not-supported"


# --- reads, searches and scope ------------------------------------------------------------------


@pytest.fixture
def two_practices(client):
    """Pemberton sent a referral for Joan; Standish sent one for someone else."""
    _, pemberton = gp_token("P92001", "Pemberton Surgery EMIS")
    _, standish = gp_token("P92002", "Standish Medical Practice SystmOne")
    post(client, referral_bundle(test_nhs_number(7)), pemberton)
    post(client, referral_bundle(test_nhs_number(9)), standish)
    joan = Referral.objects.get(person__nhs_number=test_nhs_number(7))
    other = Referral.objects.get(person__nhs_number=test_nhs_number(9))
    return pemberton, standish, joan, other


def test_a_token_reads_its_own_referral_and_its_patient(client, two_practices):
    pemberton, _, joan, _ = two_practices

    patient = resource_of(get(client, f"Patient/{joan.person.reference}", pemberton))
    assert patient["identifier"] == [{"system": NHS, "value": test_nhs_number(7)}]
    assert patient["birthDate"] == "1948-06-02"
    request = resource_of(get(client, f"ServiceRequest/{joan.fhir_id}", pemberton))
    assert request["subject"]["reference"] == f"Patient/{joan.person.reference}"
    assert request["status"] == "active"


def test_another_organisations_referral_and_patient_are_not_found(client, two_practices):
    pemberton, _, _, other = two_practices

    for path in (
        f"Patient/{other.person.reference}",
        f"ServiceRequest/{other.fhir_id}",
        f"Task/{other.fhir_id}",
    ):
        outcome = resource_of(get(client, path, pemberton), 404)
        assert outcome["issue"][0]["code"] == "not-found"
    found = resource_of(
        get(client, "Task", pemberton, **{"patient.identifier": f"{NHS}|{test_nhs_number(9)}"})
    )
    assert found["total"] == 0 and "entry" not in found


def test_the_organisation_a_referral_was_sent_to_sees_it_too(client):
    _, gp = gp_token()
    receiver, secret = organisation_token()
    bundle = referral_bundle(
        service_request={
            "performer": [
                {
                    "identifier": {
                        "system": codes.URN_SYSTEM,
                        "value": f"urn:uuid:{receiver.organization.pk}",
                    }
                }
            ]
        }
    )
    post(client, bundle, gp)
    referral = Referral.objects.get()

    assert (
        resource_of(get(client, f"Task/{referral.fhir_id}", secret))["owner"]["display"]
        == "Wigan Walking Group"
    )
    assert resource_of(get(client, "ServiceRequest", secret))["total"] == 1


def test_every_read_is_audited_with_the_tokens_name(client, two_practices):
    pemberton, _, joan, _ = two_practices
    get(client, f"Patient/{joan.person.reference}", pemberton)
    get(client, f"Task/{joan.fhir_id}", pemberton)
    get(client, "ServiceRequest", pemberton)

    viewed = AuditEvent.objects.filter(action="viewed").order_by("pk")
    assert [(e.record_type, e.record_id, e.person_id) for e in viewed] == [
        ("person", joan.person_id, joan.person_id),
        ("referral", joan.pk, joan.person_id),
        ("referral", joan.pk, joan.person_id),
    ]
    assert {(e.username, e.reason, e.user_id) for e in viewed} == {
        ("Pemberton Surgery EMIS", "FHIR API", None)
    }


def test_search_by_nhs_number_status_and_last_updated(client):
    _, secret = gp_token()
    for n in (7, 8, 9):
        post(client, referral_bundle(test_nhs_number(n)), secret)
    accepted = Referral.objects.get(person__nhs_number=test_nhs_number(8))
    accepted.change_status(Status.ACCEPTED, by=Party.TARGET)
    Referral.objects.filter(person__nhs_number=test_nhs_number(9)).update(
        updated_at=timezone.now() - datetime.timedelta(days=40)
    )

    def ids(**params):
        bundle = resource_of(get(client, "Task", secret, **params))
        return sorted(e["resource"]["for"]["identifier"]["value"] for e in bundle.get("entry", []))

    assert ids(**{"patient.identifier": f"{NHS}|{test_nhs_number(7)}"}) == [test_nhs_number(7)]
    assert ids(status="accepted") == [test_nhs_number(8)]
    assert ids(status="requested,accepted") == [test_nhs_number(n) for n in (7, 8, 9)]
    month_ago = (timezone.now() - datetime.timedelta(days=30)).date().isoformat()
    assert ids(_lastUpdated=f"ge{month_ago}") == [test_nhs_number(7), test_nhs_number(8)]
    assert ids(_lastUpdated=f"lt{month_ago}") == [test_nhs_number(9)]
    requests = resource_of(get(client, "ServiceRequest", secret, status="active"))
    assert requests["total"] == 3


def test_search_pages_with_a_next_link(client):
    _, secret = gp_token()
    for n in (7, 8, 9):
        post(client, referral_bundle(test_nhs_number(n)), secret)

    first = resource_of(get(client, "Task", secret, _count="2"))
    following = next(link["url"] for link in first["link"] if link["relation"] == "next")
    second = resource_of(client.get(following, headers={"Authorization": f"Bearer {secret}"}))

    assert first["total"] == 3 and len(first["entry"]) == 2 and len(second["entry"]) == 1
    seen = {e["resource"]["id"] for e in first["entry"] + second["entry"]}
    assert len(seen) == 3
    assert not any(link["relation"] == "next" for link in second["link"])


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"patient.identifier": "https://example.org|9990000018"}, "patient.identifier"),
        ({"patient.identifier": f"{NHS}|9434765918"}, "patient.identifier"),
        ({"status": "sent"}, "status"),
        ({"_lastUpdated": "sa2026-01-01"}, "_lastUpdated"),
        ({"_lastUpdated": "ge01/01/2026"}, "_lastUpdated"),
        ({"name": "Hartley"}, "name"),
        ({"_count": "1000"}, "_count"),
    ],
)
def test_a_search_that_cannot_be_done_is_a_400_naming_the_parameter(client, params, parameter):
    _, secret = gp_token()

    outcome = resource_of(get(client, "Task", secret, **params), 400)

    assert outcome["issue"][0]["expression"] == [parameter]


# --- token x endpoint ---------------------------------------------------------------------------

# Who may do what: the sender of the referral (Pemberton), the organisation it was sent to
# (the walking group), an organisation with nothing to do with it (Standish), a revoked token,
# and no token. Reads of another organisation's records are 404, never 403.
PERMISSIONS = {
    # endpoint:                  sender, receiver, outsider, revoked, none
    "GET metadata": (200, 200, 200, 200, 200),
    "POST (transaction)": (200, 200, 200, 401, 401),
    "GET Patient/<id>": (200, 200, 404, 401, 401),
    "GET ServiceRequest/<id>": (200, 200, 404, 401, 401),
    "GET Task/<id>": (200, 200, 404, 401, 401),
    "GET ServiceRequest": (200, 200, 200, 401, 401),
    "GET Task": (200, 200, 200, 401, 401),
    "POST Task/<id>": (405, 405, 405, 405, 405),
    "GET Patient": (404, 404, 404, 404, 404),
}


@pytest.mark.parametrize("endpoint", PERMISSIONS)
def test_what_each_token_may_do(client, endpoint):
    _, sender = gp_token("P92001", "Pemberton Surgery EMIS")
    receiver_token, receiver = organisation_token()
    _, outsider = gp_token("P92002", "Standish Medical Practice SystmOne")
    revoked_token, revoked = gp_token("P92003", "Old system")
    revoked_token.revoke()
    bundle = referral_bundle(
        service_request={
            "performer": [
                {
                    "identifier": {
                        "system": codes.URN_SYSTEM,
                        "value": f"urn:uuid:{receiver_token.organization.pk}",
                    }
                }
            ]
        }
    )
    post(client, bundle, sender)
    referral = Referral.objects.get()
    method, _, path = endpoint.partition(" ")
    path = (
        path.replace(
            "<id>",
            referral.person.reference if path.startswith("Patient") else str(referral.fhir_id),
        )
        .replace("(transaction)", "")
        .strip()
    )

    for secret, expected in zip(
        (sender, receiver, outsider, revoked, None), PERMISSIONS[endpoint], strict=True
    ):
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        if method == "GET":
            response = client.get(BASE + path, headers=headers)
        else:
            response = client.post(
                BASE + path,
                referral_bundle(test_nhs_number(11)),
                content_type="application/fhir+json",
                headers=headers,
            )
        assert response.status_code == expected, (endpoint, secret, response.content[:300])


def test_a_search_reads_the_same_number_of_times_whatever_the_number_of_referrals(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, secret = gp_token()
    walking = OrganizationFactory(name="Wigan Walking Group")
    bundle = referral_bundle(
        service_request={
            "performer": [
                {"identifier": {"system": codes.URN_SYSTEM, "value": f"urn:uuid:{walking.pk}"}}
            ]
        }
    )

    def queries_for_a_search():
        with CaptureQueriesContext(connection) as queries:
            resource_of(get(client, "Task", secret))
        return len(queries)

    for n in (7, 8):
        post(
            client,
            referral_bundle(
                test_nhs_number(n), **{"service_request": bundle["entry"][1]["resource"]}
            ),
            secret,
        )
    few = queries_for_a_search()
    for n in (9, 10, 11, 12):
        post(client, referral_bundle(test_nhs_number(n)), secret)

    assert queries_for_a_search() == few


@pytest.mark.parametrize(
    "body",
    [
        '{"resourceType": "Bundle", "type": "transaction", "entry": '
        + "[" * 50_000
        + "]" * 50_000
        + "}",
        "\udcff",
    ],
    ids=["nested too deeply", "not UTF-8"],
)
def test_a_body_no_system_would_send_is_a_400_not_a_fault(client, body):
    _, secret = gp_token()
    data = body.encode("utf-8", "surrogateescape")

    response = client.post(
        BASE,
        data,
        content_type="application/fhir+json",
        headers={"Authorization": f"Bearer {secret}"},
    )

    assert resource_of(response, 400)["issue"][0]["code"] == "structure"


def test_an_id_that_is_not_a_referrals_is_not_found(client):
    _, secret = gp_token()

    assert (
        resource_of(get(client, "Task/not-a-uuid", secret), 404)["issue"][0]["code"] == "not-found"
    )


@pytest.mark.parametrize("persona", ["ola", "dana"])
def test_signing_in_to_the_site_is_not_a_way_into_the_api(client, persona):
    """The personas of the site's permission table (a practitioner, an administrator) have no
    token: their session opens no FHIR endpoint but metadata."""
    from tests.factories import accounts as personas

    _, secret = gp_token()
    post(client, referral_bundle(), secret)
    referral = Referral.objects.get()
    client.force_login(getattr(personas, persona)())

    for path in ("Task", f"Task/{referral.fhir_id}", f"Patient/{referral.person.reference}"):
        assert resource_of(client.get(BASE + path), 401)["issue"][0]["code"] == "login"
    assert (
        client.post(BASE, referral_bundle(), content_type="application/fhir+json").status_code
        == 401
    )
