"""The code systems, identifier systems and required value sets of the FHIR API.

fhir.resources checks a resource's structure but accepts any string where FHIR binds a code
to a required value set, so the bindings the API relies on are listed here and checked by
hand, in inbound and in the tests of what goes out.
"""

from __future__ import annotations

from thedeal.casework.lifecycle import Status

FHIR_VERSION = "4.0.1"
CONTENT_TYPE = "application/fhir+json"

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
# A directory organisation with no ODS code is named by its HSDS id.
URN_SYSTEM = "urn:ietf:rfc:3986"
SNOMED_CT = "http://snomed.info/sct"
SOURCE_OF_SERVICE_REQUEST = (
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-SourceOfServiceRequest"
)
TASK_CODE_SYSTEM = "http://hl7.org/fhir/CodeSystem/task-code"
# How an ODS code is kept on a directory organisation (OrganizationIdentifier): org-id.guide's
# scheme for the NHS Organisation Data Service.
ODS_IDENTIFIER_SCHEME = "GB-NHS"
ODS_IDENTIFIER_TYPE = "ODS code"

# Required bindings (R4).
REQUEST_STATUS = frozenset(
    {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}
)
REQUEST_INTENT = frozenset(
    {
        "proposal", "plan", "directive", "order", "original-order", "reflex-order",
        "filler-order", "instance-order", "option",
    }
)  # fmt: skip
REQUEST_PRIORITY = frozenset({"routine", "urgent", "asap", "stat"})
TASK_INTENT = frozenset(
    {
        "unknown", "proposal", "plan", "order", "original-order", "reflex-order",
        "filler-order", "instance-order", "option",
    }
)  # fmt: skip
BUNDLE_TYPE = frozenset(
    {
        "document", "message", "transaction", "transaction-response", "batch",
        "batch-response", "history", "searchset", "collection",
    }
)  # fmt: skip
ISSUE_SEVERITY = frozenset({"fatal", "error", "warning", "information"})

# The ServiceRequest's status follows its Task's: asked for and not over yet is "active"; a
# referral refused or called off is "revoked"; one that ran its course, attended or not, is
# "completed".
SERVICE_REQUEST_STATUS: dict[Status, str] = {
    Status.DRAFT: "draft",
    Status.REQUESTED: "active",
    Status.ACCEPTED: "active",
    Status.IN_PROGRESS: "active",
    Status.ON_HOLD: "on-hold",
    Status.REJECTED: "revoked",
    Status.CANCELLED: "revoked",
    Status.FAILED: "completed",
    Status.COMPLETED: "completed",
    Status.ENTERED_IN_ERROR: "entered-in-error",
}


def task_statuses_for_request_status(code: str) -> frozenset[Status]:
    """The referral statuses whose ServiceRequest has this status (a search by status)."""
    return frozenset(s for s, r in SERVICE_REQUEST_STATUS.items() if r == code)
