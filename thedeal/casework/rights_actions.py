"""A person's rights over their record: the subject access export (audited) and erasure.

Erasure goes "where the law allows": UK GDPR Article 17(3) lets a council keep what it needs
for a legal obligation or a task in the public interest, such as an open safeguarding concern
(Care Act 2014, section 42) or a referral still being worked on. While one exists the request
is refused and the reasons recorded; otherwise every record about the person is deleted in one
transaction. Either way an ErasureRequest (no personal data) is kept, and the audit log, which
holds ids only, survives.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from thedeal.casework import lifecycle
from thedeal.casework.actions import audit
from thedeal.casework.models import (
    AuditEvent,
    Consent,
    ErasureOutcome,
    ErasureRequest,
    Person,
    Referral,
    SafeguardingConcern,
)

SUBJECT_ACCESS = "subject-access"
ERASURE = "erasure"


def record_export(*, person: Person, by: Any, how: str) -> None:
    """A subject access export: the whole record, seen by an administrator, audited."""
    audit(
        by=by,
        action=AuditEvent.Action.EXPORTED,
        record_type=SUBJECT_ACCESS,
        record_id=person.pk,
        person_id=person.pk,
        reason=f"subject access request, {how}",
    )


def must_keep(person: Person) -> list[str]:
    """Why the record cannot be erased yet, in plain words (empty when it can)."""
    reasons = []
    concerns = SafeguardingConcern.objects.filter(person=person).open().count()
    if concerns:
        reasons.append(
            f"{concerns} safeguarding concern{'s are' if concerns > 1 else ' is'} still open: "
            "the safeguarding lead must close "
            f"{'them' if concerns > 1 else 'it'} first"
        )
    referrals = Referral.objects.filter(
        person=person, status__in=[s.value for s in lifecycle.OPEN]
    ).count()
    if referrals:
        reasons.append(
            f"{referrals} referral{'s are' if referrals > 1 else ' is'} still open: "
            f"{'they' if referrals > 1 else 'it'} must be completed or cancelled first"
        )
    return reasons


@transaction.atomic
def request_erasure(
    *, person: Person, basis: str, received_on: datetime.date, by: Any
) -> ErasureRequest:
    """Decide an erasure request: refused (saying why) while something must be kept, or the
    person's whole record deleted. The request is recorded either way."""
    # Locked, so that nothing is added to the record between the check and the deletion.
    person = Person.objects.select_for_update().get(pk=person.pk)
    person_id = person.pk
    reasons = must_keep(person)
    request = ErasureRequest(
        person_id=person_id,
        basis=basis,
        received_on=received_on,
        outcome=ErasureOutcome.REFUSED if reasons else ErasureOutcome.ERASED,
        refused_because=reasons,
        decided_by=by,
    )
    request.full_clean()
    if not reasons:
        try:
            # A savepoint: a record that refuses to go undoes the whole erasure, not the request.
            with transaction.atomic():
                _erase(person)
        except ProtectedError as error:
            kinds = sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects})
            reasons = [f"Records that must be kept refer to them: {', '.join(kinds)}"]
            request.outcome, request.refused_because = ErasureOutcome.REFUSED, reasons
    request.save()
    audit(
        by=by,
        action=AuditEvent.Action.CREATED if reasons else AuditEvent.Action.ERASED,
        record_type=ERASURE,
        record_id=request.pk,
        person_id=person_id,
        reason=f"{request.get_outcome_display()}: {request.get_basis_display()}",
    )
    return request


def _erase(person: Person) -> None:
    SafeguardingConcern.objects.filter(person=person).delete()
    # Referrals before consents: a referral protects the consent to share it was sent under.
    Referral.objects.filter(person=person).delete()
    # Consent.delete() refuses on purpose (a consent is withdrawn, never deleted, so the record
    # of what was agreed stands). Erasure is the one time the law asks for them to go: a
    # queryset's delete does not call the model's.
    Consent.objects.filter(person=person).delete()
    # The rest goes with the person: conversations, risks, measures, plans with their goals and
    # actions, signposts.
    person.delete()
