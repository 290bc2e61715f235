"""Referrals: a practitioner's referral of a person to an organisation's service, and a GP's
(or another system's) referral of a person to the link workers. One model for both, because
both are a FHIR ServiceRequest with a Task whose status follows casework.lifecycle.

Every change of status is kept (ReferralChange): who made it, which side they were on, when and
why. The status on the referral is always the last change's, and only `change_status` moves it,
so a status can never be reached by a path the lifecycle does not have.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from thedeal.casework import lifecycle
from thedeal.casework.lifecycle import Party, Status
from thedeal.casework.models.people import Consent, Person
from thedeal.casework.models.plans import Goal
from thedeal.casework.snomed import REFERRAL_TO_SOCIAL_PRESCRIBING_SERVICE
from thedeal.directory.models import Organization, Service

__all__ = ["Direction", "Referral", "ReferralChange"]


class Direction(models.TextChoices):
    OUTBOUND = "outbound", "From us to an organisation"
    INBOUND = "inbound", "To us, from a GP or another service"


class Referral(models.Model):
    """A referral of a person: to an organisation's service (outbound), or to us (inbound)."""

    PII_FIELDS = ("reason", "status_reason", "outcome", "summary")

    # The id other systems know it by: FHIR's ServiceRequest and Task ids.
    fhir_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="referrals")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    # What is asked for: a SNOMED CT procedure (casework.snomed), by default a referral to a
    # social prescribing service.
    code = models.CharField(max_length=18, default=REFERRAL_TO_SOCIAL_PRESCRIBING_SERVICE.code)
    reason = models.TextField("Reason for referral", blank=True)
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    reasons_suggested = models.JSONField(
        default=list, blank=True, help_text="Why the service was suggested, in plain words."
    )
    # Who referred: a practitioner here (outbound), or an organisation (inbound: a GP practice
    # is an organisation in the directory with its ODS code as an identifier).
    requester_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requester_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_sent"
    )
    requester_name = models.CharField(
        "Referrer's name", max_length=200, blank=True, help_text="The person who referred."
    )
    # UK Core source of referral (casework.snomed), for inbound referrals.
    source_of_referral = models.CharField(max_length=18, blank=True)
    # Who it is for: an organisation and one of its services (outbound). An inbound referral
    # with no performer is in the link workers' triage queue.
    performer_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_received",
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The person's consent to share their details with the organisation it is sent to.
    share_consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    status = models.CharField(
        max_length=20, choices=lifecycle.choices(Party.REQUESTER), default=Status.REQUESTED
    )
    status_reason = models.TextField(blank=True)
    # The feedback loop: did they go, and what came of it.
    attended = models.BooleanField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    # The episode's closing summary, sent back to the referrer (FHIR Task.output).
    summary = models.TextField(blank=True)

    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    answered_at = models.DateTimeField(
        null=True, blank=True, help_text="When the organisation first answered."
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_chased_at = models.DateTimeField(null=True, blank=True)
    times_chased = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [
            # An organisation's inbox: its unanswered referrals newest first, each status
            # counted (referral_inbox), and the rest newest first (referral_inbox_by_date).
            models.Index(
                fields=["performer_organization", "direction", "status", "requested_at", "id"],
                name="referral_inbox",
            ),
            models.Index(
                fields=["performer_organization", "direction", "requested_at", "id"],
                name="referral_inbox_by_date",
            ),
            # A person's referrals; the open ones counted for each person on a caseload's page
            # (with the direction, SQLite reads them from here rather than from every referral).
            models.Index(fields=["person", "direction", "requested_at"], name="referral_person"),
            # Casework reports count referrals by period and status, service, organisation, time
            # to answer and (with whose they are) time to first contact: all from this index,
            # without reading the table (200,000 rows). One index, not two sharing a start, so
            # that SQLite without statistics cannot choose one that leaves it reading the table.
            models.Index(
                fields=[
                    "direction",
                    "requested_at",
                    "status",
                    "performer_organization",
                    "service",
                    "answered_at",
                    "person",
                ],
                name="referral_reports",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction="inbound") | Q(performer_organization__isnull=False),
                name="outbound_referral_names_its_organisation",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="referral_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} ({self.status})"

    @property
    def status_info(self) -> lifecycle.StatusInfo:
        return lifecycle.STATUSES[Status(self.status)]

    @property
    def is_closed(self) -> bool:
        return Status(self.status) in lifecycle.CLOSED

    def label_for(self, party: Party) -> str:
        return self.status_info.label(party)

    def next_steps(self, party: Party) -> tuple[lifecycle.Transition, ...]:
        return lifecycle.transitions_from(Status(self.status), by=party)

    def record_start(self, *, by: Party, user: Any = None, system: str = "") -> ReferralChange:
        """Keep the new (saved) referral's first status as its first change, once the lifecycle
        allows a referral to start there (as a draft, or requested)."""
        transition = lifecycle.check_transition(None, self.status, by=by)
        return ReferralChange.objects.create(
            referral=self,
            from_status="",
            to_status=transition.end.value,
            by_party=by.value,
            by_user=user if getattr(user, "is_authenticated", False) else None,
            by_system=system,
            at=self.requested_at,
        )

    @transaction.atomic
    def change_status(
        self,
        to: Status | str,
        *,
        by: Party,
        user: Any = None,
        system: str = "",
        reason: str = "",
        at: Any = None,
    ) -> ReferralChange:
        """Move the referral to `to`, as `by` (the referrer's side or the organisation's), and
        keep the change. Raises lifecycle.TransitionRefused (saying why) for a change the
        lifecycle does not allow; nothing is written then."""
        at = at or timezone.now()
        # Read the status afresh and lock the row: two people answering at once must not both
        # move it from the same status.
        current = (
            type(self).objects.select_for_update().values_list("status", flat=True).get(pk=self.pk)
        )
        transition = lifecycle.check_transition(current, to, by=by, reason=reason)
        self.status = transition.end.value
        self.status_reason = reason.strip() if transition.reason_required or reason else ""
        self.updated_at = at
        if by is Party.TARGET and self.answered_at is None:
            self.answered_at = at
        if transition.end in lifecycle.CLOSED:
            self.closed_at = at
        self.save(
            update_fields=["status", "status_reason", "updated_at", "answered_at", "closed_at"]
        )
        return ReferralChange.objects.create(
            referral=self,
            from_status=current,
            to_status=transition.end.value,
            by_party=by.value,
            by_user=user if getattr(user, "is_authenticated", False) else None,
            by_system=system,
            reason=reason.strip(),
            at=at,
        )


class ReferralChange(models.Model):
    """One change of a referral's status (the first: its creation), kept for good."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=20, blank=True, help_text="Blank: a new referral.")
    to_status = models.CharField(max_length=20)
    by_party = models.CharField(max_length=10, choices=[(p.value, p.description) for p in Party])
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_system = models.CharField(
        max_length=100, blank=True, help_text="The API token's name, when another system made it."
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["referral", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"
