"""Writes for well-being measures, each with its audit event in the same transaction (as
casework.actions): the audit names the questions answered, never the answers."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction

from thedeal.casework.actions import audit
from thedeal.casework.models import AuditEvent, Conversation, Person, WellbeingMeasure


@transaction.atomic
def record_measures(
    *,
    person: Person,
    taken_on: datetime.date,
    occasion: str,
    answers: Mapping[str, int | None],
    pam_score: Decimal | None = None,
    conversation: Conversation | None = None,
    by: Any,
) -> WellbeingMeasure:
    if conversation is not None and conversation.person_id != person.pk:
        raise ValueError("Measures are linked only to a conversation with the same person")
    measure = WellbeingMeasure(
        person=person,
        conversation=conversation,
        taken_on=taken_on,
        occasion=occasion,
        pam_score=pam_score,
        recorded_by=by,
        **answers,
    )
    measure.full_clean(exclude=["recorded_by", "conversation"])
    measure.save()
    audit(
        by=by,
        action=AuditEvent.Action.CREATED,
        record_type="wellbeing-measure",
        record_id=measure.pk,
        person_id=person.pk,
        field_names=["taken_on", "occasion"]
        + [name for name, value in answers.items() if value is not None]
        + (["pam_score"] if pam_score is not None else [])
        + (["conversation"] if conversation is not None else []),
    )
    return measure
