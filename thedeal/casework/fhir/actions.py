"""The FHIR API's writes, each in one transaction with its audit events: a received referral
(its patient matched by NHS number and date of birth, or added), the audit of every read, and a GP practice
added to the directory by its ODS code.

The audit log names the API token (its name, as a username) where a page names a user, with
the reason "FHIR API".
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from thedeal.casework.fhir import codes
from thedeal.casework.fhir.inbound import InboundReferral
from thedeal.casework.lifecycle import Party
from thedeal.casework.models import (
    ODS_PRACTICE_CODE,
    ApiToken,
    AuditEvent,
    Direction,
    GPPractice,
    Person,
    Referral,
)
from thedeal.directory.models import Organization, OrganizationIdentifier

REASON = "FHIR API"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Received:
    person: Person
    person_added: bool
    referral: Referral


def _event(
    token: ApiToken,
    action: str,
    record_type: str,
    record_id: int,
    person_id: int,
    fields: Iterable[str] = (),
) -> AuditEvent:
    return AuditEvent(
        user_id=None,
        username=token.name,
        action=action,
        record_type=record_type,
        record_id=record_id,
        person_id=person_id,
        field_names=sorted(fields),
        reason=REASON,
    )


def record_reads(
    *, token: ApiToken, people: Iterable[Person] = (), referrals: Iterable[Referral] = ()
) -> None:
    """One audit event for each person and each referral a response shows."""
    events = [_event(token, AuditEvent.Action.VIEWED, "person", p.pk, p.pk) for p in people] + [
        _event(token, AuditEvent.Action.VIEWED, "referral", r.pk, r.person_id) for r in referrals
    ]
    AuditEvent.objects.bulk_create(events)


class NotThatPerson(Exception):
    """The Patient's NHS number is a person's here, but their date of birth is not: one of the
    two is wrong, and the referral must not join someone else's record. `expression` is where
    (a FHIRPath) in the Bundle."""

    def __init__(self, expression: str) -> None:
        super().__init__(
            "The Patient's NHS number belongs to someone recorded here with a different date "
            "of birth. Check the NHS number and the date of birth, then send the referral "
            "again. Nothing was kept."
        )
        self.expression = expression


def _same_person(existing: Person, details: InboundReferral) -> Person:
    # An NHS number typed one digit wrong can still pass its check digit: the date of birth
    # confirms it is the same person. (A record with no date of birth has nothing to confirm.)
    if existing.date_of_birth is not None and existing.date_of_birth != details.date_of_birth:
        # Neither date, nor the number, goes in the log or the answer: only that they differ.
        logger.warning("A FHIR referral was refused: its date of birth differs from the record.")
        patient = details.order.index("Patient") if "Patient" in details.order else 0
        raise NotThatPerson(f"Bundle.entry[{patient}].resource.birthDate")
    return existing


def _match_or_add(details: InboundReferral, token: ApiToken) -> tuple[Person, bool]:
    """The person with this NHS number (and date of birth: NotThatPerson if it differs), or a
    new record: never a second one (the database refuses it, and a referral sent twice at once
    finds the first's record)."""
    existing = Person.objects.filter(nhs_number=details.nhs_number).first()
    if existing is not None:
        return _same_person(existing, details), False
    person = Person(
        given_name=details.given_name,
        family_name=details.family_name,
        preferred_name=details.preferred_name,
        date_of_birth=details.date_of_birth,
        nhs_number=details.nhs_number,
        address=details.address,
    )
    person.place_at(details.postcode)
    # Their GP practice, where the Patient names one the practice list has.
    if details.gp_ods_code:
        person.gp_practice = GPPractice.objects.filter(ods_code=details.gp_ods_code).first()
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        existing = Person.objects.filter(nhs_number=details.nhs_number).first()
        if existing is None:
            raise
        return _same_person(existing, details), False
    fields = [
        name
        for name in (
            "given_name",
            "family_name",
            "preferred_name",
            "date_of_birth",
            "nhs_number",
            "address",
            "postcode",
            "gp_practice",
        )
        if getattr(person, name)
    ]
    _event(token, AuditEvent.Action.CREATED, "person", person.pk, person.pk, fields).save()
    return person, True


@transaction.atomic
def receive_referral(*, details: InboundReferral, token: ApiToken) -> Received:
    """Keep an inbound referral sent with `token`: from the token's organisation, to the
    performer it names or, with none, to the link workers' triage queue."""
    person, added = _match_or_add(details, token)
    referral = Referral.objects.create(
        person=person,
        direction=Direction.INBOUND,
        code=details.code,
        reason=details.reason,
        requester_organization=token.organization,
        requester_name=details.requester_name,
        source_of_referral=details.source_of_referral,
        performer_organization=details.performer,
        status=details.status.value,
    )
    referral.record_start(by=Party.REQUESTER, system=token.name)
    _event(
        token,
        AuditEvent.Action.CREATED,
        "referral",
        referral.pk,
        person.pk,
        [
            f
            for f in ("code", "reason", "requester_name", "source_of_referral")
            if getattr(referral, f)
        ],
    ).save()
    return Received(person=person, person_added=added, referral=referral)


@transaction.atomic
def organisation_for(*, ods_code: str) -> Organization:
    """The directory organisation with this GP practice ODS code, added (with the code as an
    identifier) if the directory has none yet. ValueError for a code that is not one."""
    code = ods_code.strip().upper()
    if not ODS_PRACTICE_CODE.fullmatch(code):
        raise ValueError("a GP practice's ODS code is a capital letter and 5 digits, like P92001")
    known = (
        OrganizationIdentifier.objects.filter(
            identifier_scheme=codes.ODS_IDENTIFIER_SCHEME, identifier=code
        )
        .exclude(organization__isnull=True)
        .first()
    )
    if known is not None and known.organization is not None:
        return known.organization
    practice = GPPractice.objects.filter(ods_code=code).first()
    organization = Organization.objects.create(
        name=practice.name if practice else f"GP practice {code}",
        description="A GP practice that sends referrals to the link workers through the FHIR "
        "API (added with its ODS code).",
    )
    OrganizationIdentifier.objects.create(
        organization=organization,
        identifier_scheme=codes.ODS_IDENTIFIER_SCHEME,
        identifier_type=codes.ODS_IDENTIFIER_TYPE,
        identifier=code,
    )
    return organization
