"""The link workers' triage queue: referrals to us (from a GP, through the FHIR API) that name no
organisation to do the work. Their person is in no team's caseload, so no practitioner can open
them until someone takes the referral on (the person joins that team's caseload) or declines it.

Writes follow casework.actions: keyword-only arguments, a `by=` actor, one transaction with its
audit events.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from thedeal.casework.actions import audit
from thedeal.casework.lifecycle import Party, Status
from thedeal.casework.models import AuditEvent, CaseloadEntry, Direction, Referral, Team
from thedeal.casework.working_days import WorkingDays

# What a line of the queue shows about a person (never their name): named in each audit event.
SHOWN = ("age", "ward", "reason")


def waiting() -> QuerySet[Referral]:
    """Referrals to the link workers nobody has taken on or declined yet, oldest first."""
    return (
        Referral.objects.filter(
            direction=Direction.INBOUND,
            performer_organization__isnull=True,
            status=Status.REQUESTED,
        )
        .select_related("person", "requester_organization")
        .order_by("requested_at", "pk")
    )


# The queue's choice of wards: the user's teams' (the first view), or all of them.
TEAMS_WARDS, ALL_WARDS = "", "all"


def wards_covered(teams: Iterable[Team]) -> set[str]:
    """The ward codes these teams cover between them (empty: none says, so the whole borough)."""
    return {code for team in teams for code in team.ward_codes}


def in_wards(referrals: QuerySet[Referral], codes: set[str]) -> QuerySet[Referral]:
    """Those whose person lives in one of these wards, or whose ward is not known (a postcode
    outside the borough, or none): nobody's team covers them, so every team's view shows them,
    lest they wait unseen."""
    return referrals.filter(Q(person__ward_code__in=codes) | Q(person__ward_code=""))


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    """Age in whole years on `day` (someone born on 29 February turns a year older on 1 March
    in a common year)."""
    birthday_passed = (day.month, day.day) >= (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - (0 if birthday_passed else 1)


def working_days_waiting(referral: Referral, *, today: datetime.date | None = None) -> int:
    """Working days since the referral arrived (none on the day it arrived), with the council's
    closure days off, as referrals are chased."""
    today = today or timezone.localdate()
    received = timezone.localdate(referral.requested_at)
    return WorkingDays(settings.COUNCIL_CLOSURE_DAYS).between(received, today)


def record_seen(*, referrals: Iterable[Referral], by: Any) -> None:
    """One event for each referral shown, so that each person's audit trail says who saw them
    in the queue (and what of them: never their name)."""
    user_id = by.pk if by is not None and by.is_authenticated else None
    username = by.get_username() if user_id is not None else ""
    AuditEvent.objects.bulk_create(
        AuditEvent(
            user_id=user_id,
            username=username,
            action=AuditEvent.Action.VIEWED,
            record_type="triage",
            record_id=referral.pk,
            person_id=referral.person_id,
            field_names=list(SHOWN),
        )
        for referral in referrals
    )


@transaction.atomic
def take_on(*, referral: Referral, team: Team, by: Any) -> CaseloadEntry:
    """Accept the referral for `team`: the person joins the team's caseload, so that its
    practitioners may open their record. Raises lifecycle.TransitionRefused (and writes nothing)
    if someone else took it on or declined it first."""
    # The link workers are the referral's target: accepting it is their answer.
    referral.change_status(Status.ACCEPTED, by=Party.TARGET, user=by)
    entry, _ = CaseloadEntry.objects.get_or_create(
        team=team, person=referral.person, defaults={"added_by": by}
    )
    audit(
        by=by,
        action=AuditEvent.Action.CHANGED,
        record_type="referral",
        record_id=referral.pk,
        person_id=referral.person_id,
        field_names=["status"],
        reason=f"Taken on by {team.name}",
    )
    return entry


@transaction.atomic
def decline(*, referral: Referral, reason: str, by: Any) -> None:
    """Say the link workers cannot take the referral on, and why (the referrer reads the reason:
    FHIR Task.statusReason). Raises lifecycle.TransitionRefused if someone answered first."""
    referral.change_status(Status.REJECTED, by=Party.TARGET, user=by, reason=reason)
    audit(
        by=by,
        action=AuditEvent.Action.CHANGED,
        record_type="referral",
        record_id=referral.pk,
        person_id=referral.person_id,
        field_names=["status", "status_reason"],
    )
