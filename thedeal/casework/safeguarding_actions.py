"""Writes for safeguarding concerns, each with its audit event in the same transaction, and the
emails that escalate a concern to the safeguarding leads.

Emails name the person by their reference only, never by name or details: an inbox is not the
record, and the lead follows the link to read the concern (which is audited).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from thedeal import notify
from thedeal.casework.actions import audit
from thedeal.casework.models import (
    AuditEvent,
    Conversation,
    Person,
    RaisedFrom,
    Referral,
    SafeguardingConcern,
    acknowledge_by,
    safeguarding_leads_for,
)

RECORD_TYPE = "safeguarding-concern"


def _link(concern: SafeguardingConcern) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "casework:safeguarding-concern", args=[concern.person.reference, concern.pk]
    )


def _email_leads(concern: SafeguardingConcern, *, subject: str, opening: str, key: str) -> None:
    addresses = [u.email for u in safeguarding_leads_for(concern.person) if u.email]
    notify.send_email(
        key=key,
        to=addresses,
        subject=subject,
        body=(
            f"{opening}\n\n"
            f"Person: {concern.person.reference}\n"
            f"Kind of concern: {concern.get_category_display()}\n"
            f"How urgent: {concern.get_urgency_display()}\n"
            f"To be acknowledged by: {timezone.localtime(concern.acknowledge_by):%-d %B %Y, %H:%M}\n\n"
            f"Read it and acknowledge it here:\n{_link(concern)}\n\n"
            f"{settings.SERVICE_NAME}"
        ),
    )


@transaction.atomic
def raise_concern(
    *,
    person: Person,
    category: str,
    urgency: str,
    details: str,
    by: Any,
    conversation: Conversation | None = None,
    referral: Referral | None = None,
) -> SafeguardingConcern:
    """Raise a concern from the person's record, one of their conversations or a referral, and
    escalate it to the safeguarding leads by email at once."""
    if conversation is not None and conversation.person_id != person.pk:
        raise ValueError("The conversation is not this person's")
    if referral is not None and referral.person_id != person.pk:
        raise ValueError("The referral is not this person's")
    raised_from = (
        RaisedFrom.CONVERSATION
        if conversation is not None
        else RaisedFrom.REFERRAL
        if referral is not None
        else RaisedFrom.PERSON
    )
    now = timezone.now()
    concern = SafeguardingConcern(
        person=person,
        raised_from=raised_from,
        conversation=conversation,
        referral=referral,
        category=category,
        urgency=urgency,
        details=details.strip(),
        raised_at=now,
        raised_by=by,
        acknowledge_by=acknowledge_by(urgency, now),
    )
    concern.full_clean()
    concern.save()
    audit(
        by=by,
        action=AuditEvent.Action.CREATED,
        record_type=RECORD_TYPE,
        record_id=concern.pk,
        person_id=person.pk,
        field_names=["category", "urgency", "details", "raised_from"],
    )
    _email_leads(
        concern,
        subject=f"Safeguarding concern raised: {concern.get_category_display()}",
        opening="A safeguarding concern has been raised and needs you to acknowledge it.",
        key=f"safeguarding-raised:{concern.pk}",
    )
    return concern


def record_concern_view(*, concern: SafeguardingConcern, by: Any, reason: str = "") -> None:
    audit(
        by=by,
        action=AuditEvent.Action.VIEWED,
        record_type=RECORD_TYPE,
        record_id=concern.pk,
        person_id=concern.person_id,
        reason=reason,
    )


def record_list_view(*, concerns: list[SafeguardingConcern], by: Any) -> None:
    """The lead's list shows each person's name: one event for each concern listed, so that a
    person's audit trail says who saw them in the list."""
    user_id = by.pk if by is not None and by.is_authenticated else None
    AuditEvent.objects.bulk_create(
        AuditEvent(
            user_id=user_id,
            username=by.get_username() if user_id is not None else "",
            action=AuditEvent.Action.VIEWED,
            record_type=RECORD_TYPE,
            record_id=concern.pk,
            person_id=concern.person_id,
            reason="in the list of safeguarding concerns",
        )
        for concern in concerns
    )


@transaction.atomic
def acknowledge_concern(*, concern: SafeguardingConcern, action_taken: str, by: Any) -> None:
    concern = SafeguardingConcern.objects.select_for_update().get(pk=concern.pk)
    concern.acknowledge(action_taken=action_taken, by=by)
    concern.save(update_fields=["acknowledged_at", "acknowledged_by", "action_taken"])
    audit(
        by=by,
        action=AuditEvent.Action.CHANGED,
        record_type=RECORD_TYPE,
        record_id=concern.pk,
        person_id=concern.person_id,
        field_names=["acknowledged_at", "action_taken"],
    )


@transaction.atomic
def close_concern(*, concern: SafeguardingConcern, outcome: str, by: Any) -> None:
    concern = SafeguardingConcern.objects.select_for_update().get(pk=concern.pk)
    concern.close(outcome=outcome, by=by)
    concern.save(update_fields=["closed_at", "closed_by", "outcome"])
    audit(
        by=by,
        action=AuditEvent.Action.CHANGED,
        record_type=RECORD_TYPE,
        record_id=concern.pk,
        person_id=concern.person_id,
        field_names=["closed_at", "outcome"],
    )


def remind_leads_of_overdue_concerns() -> int:
    """Email the leads about each concern past its time to be acknowledged: once a day for
    each concern (the key names the day), however often this runs. Returns how many."""
    today = timezone.localdate().isoformat()
    overdue = SafeguardingConcern.objects.open().overdue().select_related("person")
    count = 0
    for concern in overdue:
        _email_leads(
            concern,
            subject="Overdue: a safeguarding concern has not been acknowledged",
            opening=(
                "A safeguarding concern has not been acknowledged in the time its urgency "
                "allows. Acknowledge it, saying what was done, as soon as you can."
            ),
            key=f"safeguarding-overdue:{concern.pk}:{today}",
        )
        count += 1
    return count
