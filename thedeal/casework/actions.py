"""Writes to a person's record, each with its audit event in the same transaction: a change
that is saved is always audited, and an audit event is never written for a change that failed.

Keyword-only arguments and a `by=` actor throughout (STYLE.md rule 2). Views call these and
nothing else writes a person's record, apart from the demo generator (synthetic people).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction

from thedeal.casework import access
from thedeal.casework.models import (
    AuditEvent,
    CaseloadEntry,
    Consent,
    ConsentKind,
    Person,
    Team,
    team_for_new_person,
)


class DuplicateNHSNumber(Exception):
    """Another record already has this NHS number."""

    def __init__(self, existing: Person) -> None:
        super().__init__("Another record has this NHS number")
        self.existing = existing


def audit(
    *,
    by: Any,
    action: str,
    record_type: str,
    record_id: int | None = None,
    person_id: int | None = None,
    field_names: Iterable[str] = (),
    reason: str = "",
) -> AuditEvent:
    """Write one audit event: who (by id and username), did what to which record; the names of
    the fields changed, never their values. A practitioner who sees the person only through
    break glass has the event linked to it, for its review (the break glass itself is not)."""
    user_id = by.pk if by is not None and by.is_authenticated else None
    glass = None
    if user_id is not None and record_type != "break-glass":
        glass = access.seen_only_through(by, person_id)
    return AuditEvent.objects.create(
        break_glass_id=glass.pk if glass is not None else None,
        user_id=user_id,
        username=by.get_username() if user_id is not None else "",
        action=action,
        record_type=record_type,
        record_id=record_id,
        person_id=person_id,
        field_names=sorted(field_names),
        reason=reason,
    )


def record_view(*, person: Person, by: Any, reason: str = "") -> None:
    audit(
        by=by,
        action=AuditEvent.Action.VIEWED,
        record_type="person",
        record_id=person.pk,
        person_id=person.pk,
        reason=reason,
    )


def record_search(*, by: Any, criteria: Iterable[str], shown: Iterable[Person]) -> None:
    """A search shows a line of each person found (name, date of birth, postcode, NHS number):
    one event for each, so that a person's audit trail says who saw them in a list. The event
    names what was searched on (the criteria, never what was typed)."""
    user_id = by.pk if by is not None and by.is_authenticated else None
    username = by.get_username() if user_id is not None else ""
    criteria = sorted(criteria)
    # Inserted in one statement: a search may show fifty people.
    AuditEvent.objects.bulk_create(
        AuditEvent(
            user_id=user_id,
            username=username,
            action=AuditEvent.Action.SEARCHED,
            record_type="person",
            record_id=person.pk,
            person_id=person.pk,
            field_names=criteria,
        )
        for person in shown
    )


def _nhs_number_free(nhs_number: str | None, *, but: Person | None = None) -> None:
    if not nhs_number:
        return
    existing = (
        Person.objects.filter(nhs_number=nhs_number).exclude(pk=getattr(but, "pk", None)).first()
    )
    if existing is not None:
        raise DuplicateNHSNumber(existing)


def _save_unique(person: Person) -> None:
    """Save, turning the database's refusal of a second record with the same NHS number (two
    practitioners adding one person at the same moment) into DuplicateNHSNumber."""
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        existing = Person.objects.filter(nhs_number=person.nhs_number).exclude(pk=person.pk).first()
        if existing is None:
            raise
        raise DuplicateNHSNumber(existing) from None


@transaction.atomic
def add_person(*, details: Mapping[str, Any], by: Any, team: Team | None = None) -> Person:
    """Add a person from a form's details; DuplicateNHSNumber if their NHS number is taken.

    They join the caseload of the adding practitioner's team (`team`, which a practitioner in
    several teams must choose: NoTeamChosen otherwise), so that the team may see them."""
    team = team_for_new_person(by, team)
    _nhs_number_free(details.get("nhs_number"))
    person = Person(
        given_name=details.get("given_name", ""),
        family_name=details.get("family_name", ""),
        preferred_name=details.get("preferred_name", ""),
        date_of_birth=details["date_of_birth"],
        nhs_number=details.get("nhs_number") or None,
        address=details.get("address", ""),
        created_by=by,
        updated_by=by,
    )
    person.place_at(details.get("postcode", ""))
    _save_unique(person)
    if team is not None:
        CaseloadEntry.objects.create(team=team, person=person, added_by=by)
    audit(
        by=by,
        action=AuditEvent.Action.CREATED,
        record_type="person",
        record_id=person.pk,
        person_id=person.pk,
        # "caseload": they joined a team's (which one is kept on the caseload entry).
        field_names=[k for k, v in details.items() if v not in ("", None)]
        + (["caseload"] if team is not None else []),
    )
    return person


@transaction.atomic
def change_person(*, person: Person, changes: Mapping[str, Any], by: Any) -> list[str]:
    """Change some of a person's details; returns the names of those that changed (nothing is
    saved or audited when none did)."""
    if "nhs_number" in changes:
        _nhs_number_free(changes["nhs_number"], but=person)
    changed = []
    for name, value in changes.items():
        if name == "postcode":
            if value != person.postcode:
                person.place_at(value)
                changed.append(name)
            continue
        if name == "nhs_number":
            value = value or None
        if getattr(person, name) != value:
            setattr(person, name, value)
            changed.append(name)
    if not changed:
        return []
    person.mark_changed(by=by)
    _save_unique(person)
    audit(
        by=by,
        action=AuditEvent.Action.CHANGED,
        record_type="person",
        record_id=person.pk,
        person_id=person.pk,
        field_names=changed,
    )
    return changed


@transaction.atomic
def record_consent(
    *, person: Person, kind: str, given_on: datetime.date, organization: Any = None, by: Any
) -> Consent:
    consent = Consent(
        person=person,
        kind=kind,
        organization=organization if kind == ConsentKind.SHARE else None,
        given_on=given_on,
        recorded_by=by,
    )
    consent.full_clean()
    consent.save()
    audit(
        by=by,
        action=AuditEvent.Action.CREATED,
        record_type="consent",
        record_id=consent.pk,
        person_id=person.pk,
        field_names=["kind", "given_on"] + (["organization"] if consent.organization_id else []),
    )
    return consent


@transaction.atomic
def withdraw_consent(*, consent: Consent, on: datetime.date, by: Any) -> None:
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    consent.withdraw(on=on, by=by)
    consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
    audit(
        by=by,
        action=AuditEvent.Action.CHANGED,
        record_type="consent",
        record_id=consent.pk,
        person_id=consent.person_id,
        field_names=["withdrawn_on"],
    )
