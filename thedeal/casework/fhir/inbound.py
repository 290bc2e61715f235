"""An inbound referral, read from a transaction Bundle and checked; nothing is written here.

A GP's (or another) system sends one Bundle of type "transaction" holding a Patient (with an
NHS number), a ServiceRequest (what is asked for, why, and by whom) and a Task (the referral's
status, "requested" or "draft"). The Bundle is checked in three passes, each reporting every
problem it finds with a FHIRPath to the element:

1. structure: fhir.resources' R4B models (a 400: not FHIR);
2. shape: one of each resource, and entries that POST (a 422);
3. rules: the required code bindings fhir.resources leaves to us (Task.status against the
   lifecycle, intents, the ServiceRequest's status), the NHS number's system and check digit,
   references between the three resources, SNOMED CT codes, a known performer (a 422).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from thedeal import geography
from thedeal.casework import lifecycle, snomed
from thedeal.casework.fhir import codes
from thedeal.casework.fhir.resources import Issue
from thedeal.casework.nhs_number import InvalidNHSNumber, normalise_nhs_number
from thedeal.directory.models import Organization, OrganizationIdentifier

EXPECTED = ("Patient", "ServiceRequest", "Task")


class Refused(Exception):
    """The Bundle is refused: `issues` say what and where; `status` is the HTTP status."""

    def __init__(self, issues: list[Issue], status: int = 422) -> None:
        super().__init__("; ".join(i.diagnostics for i in issues))
        self.issues = issues
        self.status = status


@dataclass(frozen=True)
class InboundReferral:
    """What a valid referral Bundle says, ready to be written (fhir.actions)."""

    nhs_number: str
    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: datetime.date
    address: str
    postcode: str
    requester_name: str
    reason: str
    code: str
    source_of_referral: str
    performer: Organization | None
    status: lifecycle.Status
    # The practice the patient is registered with (Patient.generalPractitioner), if given.
    gp_ods_code: str
    # Each entry's resource type, in the Bundle's order (the response keeps that order).
    order: tuple[str, ...]


def fhirpath(loc: tuple[Any, ...], root: str = "Bundle") -> str:
    """pydantic's error location as a FHIRPath: ('entry', 0, 'resource', 'birthDate') ->
    Bundle.entry[0].resource.birthDate."""
    path = root
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part.endswith("__ext"):
            path += "." + part.removesuffix("__ext")
        else:
            path += f".{part}"
    return path


def read_bundle(data: Any) -> InboundReferral:
    """The referral `data` (parsed JSON) sends, or Refused naming every problem."""
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise Refused(
            [
                Issue(
                    "structure",
                    'Send a Bundle (resourceType "Bundle") of type "transaction".',
                    ("Bundle",),
                )
            ],
            400,
        )
    # Loaded when first used (see resources.validated).
    import pydantic
    from fhir.resources.R4B.bundle import Bundle

    try:
        Bundle.model_validate(data)
    except pydantic.ValidationError as error:
        raise Refused(
            [
                Issue("structure", f"{err['msg']}.", (fhirpath(tuple(err["loc"])),))
                for err in error.errors()[:20]
            ],
            400,
        ) from None
    except (KeyError, TypeError, ValueError) as error:  # an unknown resourceType, for one
        raise Refused(
            [Issue("structure", f"Not a FHIR R4 Bundle: {error}", ("Bundle.entry",))], 400
        ) from None
    if data.get("type") != "transaction":
        raise Refused(
            [
                Issue(
                    "not-supported",
                    f'Send a Bundle of type "transaction", not {data.get("type")!r}.',
                    ("Bundle.type",),
                )
            ],
            400,
        )
    return _Reader(data).read()


def _nonempty(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


class _Reader:
    def __init__(self, bundle: dict[str, Any]) -> None:
        self.entries: list[dict[str, Any]] = bundle.get("entry") or []
        self.issues: list[Issue] = []
        self.where: dict[str, int] = {}

    def problem(self, code: str, text: str, path: str) -> None:
        self.issues.append(Issue(code, text, (path,)))

    def path(self, kind: str, element: str = "") -> str:
        base = f"Bundle.entry[{self.where[kind]}].resource"
        return f"{base}.{element}" if element else base

    def read(self) -> InboundReferral:
        self._find_entries()
        if self.issues:
            raise Refused(self.issues)
        patient = self.entries[self.where["Patient"]]["resource"]
        request = self.entries[self.where["ServiceRequest"]]["resource"]
        task = self.entries[self.where["Task"]]["resource"]
        nhs_number = self._nhs_number(patient)
        names = self._names(patient)
        born = self._birth_date(patient)
        address, postcode = self._address(patient)
        status = self._task(task)
        reason = self._reason(request)
        requester = self._requester(request)
        code = self._code(request)
        source = self._source(request)
        performer = self._performer(request)
        self._request_codes(request, status)
        self._references(request, task)
        if self.issues:
            raise Refused(self.issues)
        return InboundReferral(
            nhs_number=nhs_number,
            given_name=names[0],
            family_name=names[1],
            preferred_name=names[2],
            date_of_birth=born,
            address=address,
            postcode=postcode,
            requester_name=requester,
            reason=reason,
            code=code,
            source_of_referral=source,
            performer=performer,
            status=status,
            gp_ods_code=self._gp_ods_code(patient),
            order=tuple(e["resource"]["resourceType"] for e in self.entries),
        )

    def _find_entries(self) -> None:
        for i, entry in enumerate(self.entries):
            resource = entry.get("resource")
            if resource is None:
                self.problem(
                    "required", "Each entry needs a resource.", f"Bundle.entry[{i}].resource"
                )
                continue
            kind = resource["resourceType"]
            if kind not in EXPECTED:
                self.problem(
                    "not-supported",
                    f"A referral is a Patient, a ServiceRequest and a Task: {kind} is not taken.",
                    f"Bundle.entry[{i}].resource",
                )
            elif kind in self.where:
                self.problem(
                    "business-rule",
                    f"Send one referral a Bundle: this is a second {kind}.",
                    f"Bundle.entry[{i}].resource",
                )
            else:
                self.where[kind] = i
            method = (entry.get("request") or {}).get("method")
            if method != "POST":
                self.problem(
                    "required" if method is None else "not-supported",
                    f'Each entry of the transaction is created: its request.method must be "POST"'
                    f"{'' if method is None else f', not {method!r}'}.",
                    f"Bundle.entry[{i}].request.method",
                )
        for kind in EXPECTED:
            if kind not in self.where:
                self.problem(
                    "required",
                    f"The Bundle has no {kind}: a referral needs a Patient, a ServiceRequest and a Task.",
                    "Bundle.entry",
                )

    def _nhs_number(self, patient: dict[str, Any]) -> str:
        identifiers = patient.get("identifier") or []
        for j, identifier in enumerate(identifiers):
            if identifier.get("system") == codes.NHS_NUMBER_SYSTEM:
                try:
                    return normalise_nhs_number(identifier.get("value") or "")
                except InvalidNHSNumber as error:
                    self.problem(
                        "value", f"{error}.", self.path("Patient", f"identifier[{j}].value")
                    )
                    return ""
        if identifiers:
            systems = ", ".join(repr(i.get("system")) for i in identifiers)
            self.problem(
                "value",
                f"The patient's NHS number must have the system {codes.NHS_NUMBER_SYSTEM} "
                f"(found {systems}).",
                self.path("Patient", "identifier[0].system"),
            )
        else:
            self.problem(
                "required",
                f"The patient needs an NHS number (identifier with the system {codes.NHS_NUMBER_SYSTEM}).",
                self.path("Patient", "identifier"),
            )
        return ""

    def _names(self, patient: dict[str, Any]) -> tuple[str, str, str]:
        names = patient.get("name") or []
        # The official name first, as PDS gives it; then whatever name there is.
        ordered = sorted(names, key=lambda n: n.get("use") != "official")
        for name in ordered:
            given = " ".join(_nonempty(g) for g in name.get("given") or [] if _nonempty(g))
            family = _nonempty(name.get("family"))
            if given or family:
                usual = next(
                    (_nonempty(n.get("text")) for n in names if n.get("use") == "usual"), ""
                )
                return given[:100], family[:100], usual[:100]
        text = next((_nonempty(n.get("text")) for n in names if _nonempty(n.get("text"))), "")
        if not text:
            self.problem(
                "required",
                "The patient needs a name (given or family).",
                self.path("Patient", "name"),
            )
        return "", "", text[:100]

    def _birth_date(self, patient: dict[str, Any]) -> datetime.date:
        text = patient.get("birthDate") or ""
        try:
            born = datetime.date.fromisoformat(text) if len(text) == 10 else None
        except ValueError:  # fhir.resources refuses one first; kept in case it lets one by
            born = None
        if born is None:
            self.problem(
                "required",
                "The patient needs a full date of birth (YYYY-MM-DD).",
                self.path("Patient", "birthDate"),
            )
        elif born > timezone.localdate():
            self.problem(
                "value", "The date of birth is in the future.", self.path("Patient", "birthDate")
            )
        return born or datetime.date.min

    def _address(self, patient: dict[str, Any]) -> tuple[str, str]:
        addresses = patient.get("address") or []
        for k, home in enumerate(addresses):
            if home.get("use") not in (None, "home"):
                continue
            lines = "\n".join(_nonempty(line) for line in home.get("line") or [] if _nonempty(line))
            address = "\n".join(filter(None, [lines, _nonempty(home.get("city"))]))
            postcode = _nonempty(home.get("postalCode"))
            if not postcode:
                return address, ""
            try:
                return address, geography.normalise_postcode(postcode)
            except geography.InvalidPostcode as error:
                self.problem("value", str(error), self.path("Patient", f"address[{k}].postalCode"))
                return address, ""
        return "", ""

    def _gp_ods_code(self, patient: dict[str, Any]) -> str:
        for practitioner in patient.get("generalPractitioner") or []:
            identifier = practitioner.get("identifier") or {}
            if identifier.get("system") == codes.ODS_SYSTEM:
                return _nonempty(identifier.get("value")).upper()
        return ""

    def _task(self, task: dict[str, Any]) -> lifecycle.Status:
        try:
            transition = lifecycle.check_transition(
                None, task.get("status"), by=lifecycle.Party.REQUESTER
            )
        except lifecycle.UnknownStatus as error:
            self.problem("code-invalid", str(error), self.path("Task", "status"))
            return lifecycle.Status.REQUESTED
        except lifecycle.TransitionRefused as error:
            self.problem("business-rule", f"{error}", self.path("Task", "status"))
            return lifecycle.Status.REQUESTED
        if task.get("intent") not in codes.TASK_INTENT:
            self.problem(
                "code-invalid",
                f'{task.get("intent")!r} is not a FHIR R4 Task intent: send "order".',
                self.path("Task", "intent"),
            )
        return transition.end

    def _request_codes(self, request: dict[str, Any], status: lifecycle.Status) -> None:
        given = request.get("status")
        expected = codes.SERVICE_REQUEST_STATUS[status]
        if given not in codes.REQUEST_STATUS:
            self.problem(
                "code-invalid",
                f'{given!r} is not a FHIR R4 request status: a referral sent is "active".',
                self.path("ServiceRequest", "status"),
            )
        elif given != expected:
            self.problem(
                "business-rule",
                f'A referral whose Task is "{status}" has a ServiceRequest that is "{expected}", '
                f"not {given!r}.",
                self.path("ServiceRequest", "status"),
            )
        if request.get("intent") not in codes.REQUEST_INTENT:
            self.problem(
                "code-invalid",
                f'{request.get("intent")!r} is not a FHIR R4 request intent: send "order".',
                self.path("ServiceRequest", "intent"),
            )
        if (
            request.get("priority") is not None
            and request["priority"] not in codes.REQUEST_PRIORITY
        ):
            self.problem(
                "code-invalid",
                f"{request['priority']!r} is not a FHIR R4 request priority.",
                self.path("ServiceRequest", "priority"),
            )

    def _reason(self, request: dict[str, Any]) -> str:
        words = []
        for concept in request.get("reasonCode") or []:
            text = _nonempty(concept.get("text")) or "; ".join(
                _nonempty(c.get("display"))
                for c in concept.get("coding") or []
                if _nonempty(c.get("display"))
            )
            if text:
                words.append(text)
        if not words:
            self.problem(
                "required",
                "Say why the person is referred (reasonCode with a text or a coding's display).",
                self.path("ServiceRequest", "reasonCode"),
            )
        return "\n".join(words)

    def _requester(self, request: dict[str, Any]) -> str:
        requester = request.get("requester")
        if not requester:
            self.problem(
                "required",
                "Say who referred (requester).",
                self.path("ServiceRequest", "requester"),
            )
            return ""
        identifier = requester.get("identifier") or {}
        return (_nonempty(requester.get("display")) or _nonempty(identifier.get("value")))[:200]

    def _code(self, request: dict[str, Any]) -> str:
        concept = request.get("code")
        if concept is None:
            return snomed.REFERRAL_TO_SOCIAL_PRESCRIBING_SERVICE.code
        for k, coding in enumerate(concept.get("coding") or []):
            if coding.get("system") == codes.SNOMED_CT:
                code = coding.get("code") or ""
                if not snomed.is_concept_id(code):
                    self.problem(
                        "code-invalid",
                        f"{code!r} is not a SNOMED CT concept id (its check digit or form is wrong).",
                        self.path("ServiceRequest", f"code.coding[{k}].code"),
                    )
                return code
        self.problem(
            "code-invalid",
            f"Code what is asked for in SNOMED CT ({codes.SNOMED_CT}), for example "
            f"{snomed.REFERRAL_TO_SOCIAL_PRESCRIBING_SERVICE.code} "
            f"({snomed.REFERRAL_TO_SOCIAL_PRESCRIBING_SERVICE.display}).",
            self.path("ServiceRequest", "code.coding"),
        )
        return ""

    def _source(self, request: dict[str, Any]) -> str:
        for k, extension in enumerate(request.get("extension") or []):
            if extension.get("url") != codes.SOURCE_OF_SERVICE_REQUEST:
                continue
            for coding in (extension.get("valueCodeableConcept") or {}).get("coding") or []:
                try:
                    return snomed.source_of_referral(coding.get("code") or "").code
                except snomed.UnknownSource as error:
                    self.problem(
                        "code-invalid",
                        str(error),
                        self.path("ServiceRequest", f"extension[{k}].valueCodeableConcept"),
                    )
                    return ""
        return ""

    def _performer(self, request: dict[str, Any]) -> Organization | None:
        performers = request.get("performer") or []
        if not performers:
            # No performer: the link workers' triage queue.
            return None
        path = self.path("ServiceRequest", "performer[0]")
        identifier = performers[0].get("identifier") or {}
        system, value = identifier.get("system"), _nonempty(identifier.get("value"))
        found: Organization | None = None
        if system == codes.ODS_SYSTEM and value:
            match = OrganizationIdentifier.objects.filter(
                identifier_scheme=codes.ODS_IDENTIFIER_SCHEME, identifier=value.upper()
            ).first()
            found = match.organization if match else None
        elif system == codes.URN_SYSTEM and value.startswith("urn:uuid:"):
            try:
                found = Organization.objects.filter(pk=uuid.UUID(value[9:])).first()
            except ValueError:
                found = None
        else:
            self.problem(
                "value",
                f"Name the organisation by its ODS code ({codes.ODS_SYSTEM}) or its directory id "
                f"({codes.URN_SYSTEM}, urn:uuid:...), or send no performer for the link workers.",
                path,
            )
            return None
        if found is None:
            self.problem("not-found", f"No organisation in the directory has {value!r}.", path)
        return found

    def _references(self, request: dict[str, Any], task: dict[str, Any]) -> None:
        patient_url = self.entries[self.where["Patient"]].get("fullUrl")
        request_url = self.entries[self.where["ServiceRequest"]].get("fullUrl")
        subject = (request.get("subject") or {}).get("reference")
        if patient_url and subject != patient_url:
            self.problem(
                "invalid",
                f"The ServiceRequest's subject must be the Patient in the Bundle ({patient_url}).",
                self.path("ServiceRequest", "subject"),
            )
        for element, wanted in (("for", patient_url), ("focus", request_url)):
            given = (task.get(element) or {}).get("reference")
            if given is not None and wanted and given != wanted:
                self.problem(
                    "invalid",
                    f"The Task's {element} must be the Bundle's "
                    f"{'Patient' if element == 'for' else 'ServiceRequest'} ({wanted}).",
                    self.path("Task", element),
                )
