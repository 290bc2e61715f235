"""Writes for conversations and risks, each with its audit event in the same transaction
(as casework.actions): the audit names the fields written, never what the person said."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from thedeal.casework.actions import audit
from thedeal.casework.models import AuditEvent, Conversation, Person, Risk, RiskEdit


def _audit_created(
    *, by: Any, record: Any, record_type: str, person: Person, fields: Iterable[str]
) -> None:
    audit(
        by=by,
        action=AuditEvent.Action.CREATED,
        record_type=record_type,
        record_id=record.pk,
        person_id=person.pk,
        field_names=fields,
    )


@transaction.atomic
def record_conversation(
    *, person: Person, details: Mapping[str, Any], risks: Iterable[str] = (), by: Any
) -> Conversation:
    """Save a conversation and the risks written in it. The standard makes Risks mandatory, so
    a conversation has either risks or "no known risks", never both and never neither."""
    risks = [r for r in risks if r]
    if bool(risks) == bool(details.get("no_known_risks")):
        raise ValueError("A conversation records its risks or 'no known risks': exactly one")
    conversation = Conversation(person=person, practitioner=by, created_by=by, **details)
    conversation.full_clean(exclude=["practitioner", "created_by"])
    conversation.save()
    _audit_created(
        by=by,
        record=conversation,
        record_type="conversation",
        person=person,
        fields=[name for name, value in details.items() if value not in ("", None, False)],
    )
    for text in risks:
        add_risk(person=person, conversation=conversation, risk=text, by=by)
    return conversation


@transaction.atomic
def add_risk(
    *,
    person: Person,
    risk: str,
    conversation: Conversation | None = None,
    comment: str = "",
    started_on: datetime.date | None = None,
    by: Any,
) -> Risk:
    record = Risk(
        person=person,
        conversation=conversation,
        risk=risk,
        comment=comment,
        started_on=started_on,
        recorded_by=by,
    )
    record.full_clean(exclude=["recorded_by", "conversation"])
    record.save()
    _audit_created(
        by=by,
        record=record,
        record_type="risk",
        person=person,
        fields=["risk"] + [name for name in ("comment", "started_on") if getattr(record, name)],
    )
    return record


@transaction.atomic
def change_risk(*, risk: Risk, wording: str, comment: str, by: Any) -> Risk:
    """Reword a risk, keeping what it said before (a RiskEdit), audited by field names."""
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    changed = [
        name
        for name, new in (("risk", wording), ("comment", comment))
        if getattr(risk, name) != new
    ]
    if not changed:
        return risk
    RiskEdit.objects.create(
        risk=risk, risk_before=risk.risk, comment_before=risk.comment, changed_by=by
    )
    risk.risk, risk.comment = wording, comment
    risk.full_clean(exclude=["recorded_by", "conversation", "ended_by"])
    risk.save(update_fields=changed)
    audit(
        by=by,
        action=AuditEvent.Action.CHANGED,
        record_type="risk",
        record_id=risk.pk,
        person_id=risk.person_id,
        field_names=changed,
    )
    return risk


@transaction.atomic
def end_risk(*, risk: Risk, on: datetime.date, reason: str, by: Any) -> Risk:
    """End a risk from a date, saying why: it stays on the record, among the ended ones."""
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    risk.end(on=on, reason=reason, by=by)
    risk.save(update_fields=["ended_on", "end_reason", "ended_by"])
    audit(
        by=by,
        action=AuditEvent.Action.CHANGED,
        record_type="risk",
        record_id=risk.pk,
        person_id=risk.person_id,
        field_names=["ended_on", "end_reason", "ended_by"],
    )
    return risk


def record_look(
    *, person: Person, record: Any, record_type: str, by: Any, reason: str = ""
) -> None:
    """A look at one record of a person's (a conversation, their measures, their plan): audited
    as a view of the person, naming the record."""
    audit(
        by=by,
        action=AuditEvent.Action.VIEWED,
        record_type=record_type,
        record_id=getattr(record, "pk", None),
        person_id=person.pk,
        reason=reason,
    )
