"""Safeguarding concerns: a worry that a person (or a child around them) is being abused or
neglected, raised by whoever noticed it from the record they were working on, and escalated to
the team's safeguarding lead, who must acknowledge it (who, when, what was done) within the time
its urgency allows, and later close it.

The categories are the Care Act 2014 statutory guidance's ten types of abuse and neglect
(Care and support statutory guidance, section 14.17), and a concern about a child, which goes
to children's services under Working Together to Safeguard Children.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from thedeal.accounts.models import Role
from thedeal.casework.models.conversations import Conversation
from thedeal.casework.models.people import Person
from thedeal.casework.models.referrals import Referral
from thedeal.casework.working_days import add_working_days

__all__ = [
    "ConcernCategory", "ConcernQuerySet", "RaisedFrom", "SafeguardingConcern", "Urgency",
    "acknowledge_by", "safeguarding_leads_for",
]  # fmt: skip


class ConcernCategory(models.TextChoices):
    PHYSICAL = "physical", "Physical abuse"
    DOMESTIC = "domestic", "Domestic abuse"
    SEXUAL = "sexual", "Sexual abuse"
    PSYCHOLOGICAL = "psychological", "Psychological abuse"
    FINANCIAL = "financial", "Financial or material abuse"
    MODERN_SLAVERY = "modern-slavery", "Modern slavery"
    DISCRIMINATORY = "discriminatory", "Discriminatory abuse"
    ORGANISATIONAL = "organisational", "Organisational abuse"
    NEGLECT = "neglect", "Neglect and acts of omission"
    SELF_NEGLECT = "self-neglect", "Self-neglect"
    CHILD = "child", "A concern about a child"


class Urgency(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately: someone is at risk of harm now"
    TODAY = "today", "Today"
    THREE_WORKING_DAYS = "3-working-days", "Within 3 working days"


# How long the lead has to acknowledge a concern raised "immediately": someone is at risk now.
IMMEDIATE_HOURS = 1
WITHIN_WORKING_DAYS = 3


def acknowledge_by(urgency: str, raised_at: datetime.datetime) -> datetime.datetime:
    """When the lead must have acknowledged a concern of this urgency raised at `raised_at`.

    "Immediately" is counted in hours and "today" to the end of the day it was raised, whatever
    the day (harm does not wait for Monday); "within 3 working days" runs to the end of the
    third working day after the day it was raised (bank holidays are not working days)."""
    if urgency == Urgency.IMMEDIATELY:
        return raised_at + datetime.timedelta(hours=IMMEDIATE_HOURS)
    day = timezone.localdate(raised_at)
    if urgency == Urgency.THREE_WORKING_DAYS:
        day = add_working_days(day, WITHIN_WORKING_DAYS)
    elif urgency != Urgency.TODAY:
        raise ValueError(f"Unknown urgency {urgency!r}")
    end_of_day = datetime.datetime.combine(day, datetime.time.max)
    return timezone.make_aware(end_of_day)


def safeguarding_leads_for(person: Person | None) -> models.QuerySet[Any]:
    """Who a concern about this person goes to, and who may acknowledge and close it: the
    safeguarding lead of each team whose caseload the person is in. With None: the leads of any
    person (who may open the list of concerns). Administrators answer for people in no team's
    caseload (a GP's referral not yet taken on) and for those whose teams' leads have all left,
    so a concern always reaches someone. This is the one place the rule lives."""
    from thedeal.casework.models.teams import Team

    users = get_user_model().objects.filter(is_active=True)
    administrators = users.filter(groups__name=Role.ADMINISTRATOR)
    if person is None:
        leads = users.filter(pk__in=Team.objects.values("safeguarding_lead"))
        return (leads | administrators).distinct().order_by("username")
    # Every team names its lead (a required field): only a person in no team's caseload, or
    # whose teams' leads have all left (inactive), falls to the administrators.
    leads = users.filter(
        pk__in=Team.objects.filter(caseload__person=person).values("safeguarding_lead")
    )
    if not leads.exists():
        leads = administrators
    return leads.distinct().order_by("username")


class RaisedFrom(models.TextChoices):
    PERSON = "person", "Their record"
    CONVERSATION = "conversation", "A conversation"
    REFERRAL = "referral", "A referral"


class ConcernQuerySet(models.QuerySet["SafeguardingConcern"]):
    def open(self) -> ConcernQuerySet:
        return self.filter(closed_at__isnull=True)

    def overdue(self, now: datetime.datetime | None = None) -> ConcernQuerySet:
        """Not yet acknowledged, and past the time its urgency allowed."""
        return self.filter(acknowledged_at__isnull=True, acknowledge_by__lt=now or timezone.now())


class SafeguardingConcern(models.Model):
    """A safeguarding concern about a person: raised, acknowledged by the lead, closed."""

    # Personal data, for subject access and erasure.
    PII_FIELDS = ("details", "action_taken", "outcome")

    # PROTECT: a concern is never removed with a person by accident; erasure deletes it
    # explicitly, and only once it is closed.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="safeguarding_concerns"
    )
    raised_from = models.CharField(
        "Raised from", max_length=15, choices=RaisedFrom.choices, default=RaisedFrom.PERSON
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    category = models.CharField("What kind of concern", max_length=20, choices=ConcernCategory)
    urgency = models.CharField("How urgent", max_length=15, choices=Urgency)
    details = models.TextField(
        "What happened", help_text="What was seen or said, by whom, and when."
    )
    raised_at = models.DateTimeField(default=timezone.now)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Worked out from the urgency when raised (acknowledge_by), kept so that lists of overdue
    # concerns are one query.
    acknowledge_by = models.DateTimeField("To be acknowledged by", db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action_taken = models.TextField("What was done", blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField("Outcome", blank=True)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["acknowledge_by", "pk"]
        constraints = [
            # Acknowledged means someone said what was done; closed means it was acknowledged
            # first, with an outcome.
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True, action_taken="")
                | (Q(acknowledged_at__isnull=False) & ~Q(action_taken="")),
                name="concern_acknowledged_with_what_was_done",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, outcome="")
                | (Q(closed_at__isnull=False, acknowledged_at__isnull=False) & ~Q(outcome="")),
                name="concern_closed_after_acknowledged_with_outcome",
            ),
            models.CheckConstraint(
                condition=Q(conversation__isnull=True) | Q(raised_from="conversation"),
                name="concern_conversation_only_when_raised_from_one",
            ),
            models.CheckConstraint(
                condition=Q(referral__isnull=True) | Q(raised_from="referral"),
                name="concern_referral_only_when_raised_from_one",
            ),
        ]

    def __str__(self) -> str:
        return f"Safeguarding concern {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def overdue(self) -> bool:
        return not self.acknowledged and self.acknowledge_by < timezone.now()

    @property
    def status_label(self) -> str:
        if not self.is_open:
            return "Closed"
        if self.acknowledged:
            return "Acknowledged"
        return "Overdue" if self.overdue else "Waiting for the lead"

    @property
    def raised_from_label(self) -> str:
        if self.raised_from == RaisedFrom.CONVERSATION and self.conversation is not None:
            return f"The conversation on {self.conversation.held_on:%-d %B %Y}"
        if self.raised_from == RaisedFrom.REFERRAL and self.referral is not None:
            return f"The referral of {self.referral.requested_at:%-d %B %Y}"
        return self.get_raised_from_display()

    def acknowledge(self, *, action_taken: str, by: Any, at: datetime.datetime | None = None):
        if self.acknowledged:
            raise ValidationError("This concern has already been acknowledged")
        if not action_taken.strip():
            raise ValidationError({"action_taken": "Enter what was done"})
        self.acknowledged_at = at or timezone.now()
        self.acknowledged_by = by
        self.action_taken = action_taken.strip()

    def close(self, *, outcome: str, by: Any, at: datetime.datetime | None = None) -> None:
        if not self.acknowledged:
            raise ValidationError("Acknowledge the concern before closing it")
        if not self.is_open:
            raise ValidationError("This concern has already been closed")
        if not outcome.strip():
            raise ValidationError({"outcome": "Enter the outcome"})
        self.closed_at = at or timezone.now()
        self.closed_by = by
        self.outcome = outcome.strip()
